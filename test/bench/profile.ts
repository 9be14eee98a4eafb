/**
 * Where the time of a cold index goes: summarises a V8 CPU profile
 * (`node --cpu-prof`) of `dist/cli.js` by function and by source file,
 * mapping bundle positions back to the TypeScript sources through the
 * bundle's source map. WebAssembly frames (the tree-sitter parser) are
 * grouped under one file name.
 *   node out/test/bench/profile.js FILE.cpuprofile [TOP] [FOCUS]
 */
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Source files are shown relative to the repository root (this file is in out/test/bench). */
const REPO_ROOT = join(__dirname, '..', '..', '..');

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileEntry {
  name: string;
  /** Source file (original, when the bundle's source map knows it). */
  file: string;
  selfMs: number;
  totalMs: number;
}

export interface ProfileSummary {
  totalMs: number;
  functions: ProfileEntry[];
  files: { file: string; selfMs: number }[];
}

const maps = new Map<string, SourceMap | null>();

function sourceMapFor(url: string): SourceMap | null {
  if (!maps.has(url)) {
    let map: SourceMap | null = null;
    try {
      const path = fileURLToPath(url);
      if (existsSync(path + '.map')) map = new SourceMap(JSON.parse(readFileSync(path + '.map', 'utf8')));
    } catch {
      map = null;
    }
    maps.set(url, map);
  }
  return maps.get(url)!;
}

/** `server/src/ide/analysis.ts` → `ide/analysis.ts`, `node_modules/web-tree-sitter/src/node.ts` → `web-tree-sitter/src/node.ts`. */
function shortPath(file: string): string {
  return file.replace(/^server\/src\//, '').replace(/^node_modules\//, '');
}

function describe(frame: CallFrame): { name: string; file: string } {
  const name = frame.functionName || '(anonymous)';
  if (frame.url === '') return { name, file: name.startsWith('(') ? name : '(native)' };
  if (frame.url.startsWith('wasm://')) return { name, file: '(wasm: tree-sitter)' };
  if (frame.url.startsWith('node:')) return { name, file: frame.url };
  const path = frame.url.startsWith('file://') ? fileURLToPath(frame.url) : null;
  const map = path ? sourceMapFor(frame.url) : null;
  if (path && map) {
    const entry = map.findEntry(frame.lineNumber, frame.columnNumber) as { originalSource?: string; originalLine?: number };
    if (entry.originalSource) {
      const source = entry.originalSource.startsWith('file://') ? fileURLToPath(entry.originalSource) : entry.originalSource;
      const file = relative(REPO_ROOT, isAbsolute(source) ? source : resolve(dirname(path), source));
      return { name: `${name} (${shortPath(file)}:${(entry.originalLine ?? 0) + 1})`, file };
    }
  }
  const file = path ? relative(REPO_ROOT, path) : frame.url;
  return { name: `${name} (${shortPath(file)}:${frame.lineNumber + 1})`, file };
}

/**
 * Self and inclusive time per function and self time per file. With `focus`,
 * only the samples taken while a function whose label starts with `focus` was
 * on the stack count (`changeDocument`, `setFile`).
 */
export function summarizeProfile(profile: CpuProfile, top = 25, focus?: string): ProfileSummary {
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const n of profile.nodes) {
    byId.set(n.id, n);
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  const info = new Map<number, { name: string; file: string }>();
  const of = (id: number): { name: string; file: string } => {
    let d = info.get(id);
    if (!d) info.set(id, (d = describe(byId.get(id)!.callFrame)));
    return d;
  };
  const self = new Map<string, { file: string; ms: number }>();
  const total = new Map<string, number>();
  const files = new Map<string, number>();
  let totalMs = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    if (focus !== undefined) {
      let inFocus = false;
      for (let id: number | undefined = profile.samples[i]; id !== undefined && !inFocus; id = parent.get(id)) inFocus = of(id).name.startsWith(focus);
      if (!inFocus) continue;
    }
    totalMs += ms;
    const leaf = of(profile.samples[i]);
    const s = self.get(leaf.name) ?? { file: leaf.file, ms: 0 };
    s.ms += ms;
    self.set(leaf.name, s);
    files.set(leaf.file, (files.get(leaf.file) ?? 0) + ms);
    // Inclusive time: every function on the stack once, however often it recurses.
    const seen = new Set<string>();
    for (let id: number | undefined = profile.samples[i]; id !== undefined; id = parent.get(id)) {
      const name = of(id).name;
      if (!seen.has(name)) {
        seen.add(name);
        total.set(name, (total.get(name) ?? 0) + ms);
      }
    }
  }
  const functions = [...self.entries()]
    .map(([name, s]) => ({ name, file: s.file, selfMs: s.ms, totalMs: total.get(name) ?? s.ms }))
    .sort((a, b) => b.selfMs - a.selfMs)
    .slice(0, top);
  return {
    totalMs,
    functions,
    files: [...files.entries()].map(([file, selfMs]) => ({ file, selfMs })).sort((a, b) => b.selfMs - a.selfMs),
  };
}

/** The functions with the most inclusive time (callers of the hot spots), leaving out the root frames. */
export function topInclusive(profile: CpuProfile, top = 15, focus?: string): { name: string; totalMs: number }[] {
  const summary = summarizeProfile(profile, Number.MAX_SAFE_INTEGER, focus);
  return summary.functions
    .filter((f) => !f.name.startsWith('(root)'))
    .sort((a, b) => b.totalMs - a.totalMs)
    .slice(0, top)
    .map(({ name, totalMs }) => ({ name, totalMs }));
}

export function formatProfile(profile: CpuProfile, top = 25, what = 'the cold index', focus?: string): string {
  const s = summarizeProfile(profile, top, focus);
  const pct = (ms: number): string => `${((100 * ms) / s.totalMs).toFixed(1).padStart(5)} %`;
  const lines = [`CPU profile of ${what}${focus ? ` (only under ${focus})` : ''}: ${(s.totalMs / 1000).toFixed(2)} s sampled`, '', 'Self time by source file:'];
  for (const f of s.files.slice(0, 15)) lines.push(`  ${pct(f.selfMs)}  ${(f.selfMs / 1000).toFixed(2).padStart(7)} s  ${f.file}`);
  lines.push('', `Top ${top} functions by self time (self, inclusive):`);
  for (const f of s.functions) lines.push(`  ${pct(f.selfMs)}  ${pct(f.totalMs)}  ${f.name}`);
  lines.push('', 'Top 15 functions by inclusive time:');
  for (const f of topInclusive(profile, 15, focus)) lines.push(`  ${pct(f.totalMs)}  ${f.name}`);
  return lines.join('\n') + '\n';
}

if (require.main === module) {
  const profile = JSON.parse(readFileSync(process.argv[2], 'utf8')) as CpuProfile;
  process.stdout.write(formatProfile(profile, Number(process.argv[3] ?? 25), 'the profile', process.argv[4]));
}
