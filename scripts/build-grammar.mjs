// Builds dist/tree-sitter-nix.wasm from the npm `tree-sitter-nix` sources with
// @yowasp/clang (clang compiled to WebAssembly), so a machine with only Node and
// npm gets a working parser. The build is skipped when the recorded provenance
// (package version, source hashes, flags, compiler version) still matches.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const grammarDir = dirname(require.resolve('tree-sitter-nix/package.json'));
const grammarPkg = JSON.parse(readFileSync(join(grammarDir, 'package.json'), 'utf8'));
const clangPkg = JSON.parse(
  readFileSync(join(root, 'node_modules', '@yowasp', 'clang', 'package.json'), 'utf8'),
);

// The flags tree-sitter's own CLI uses for a wasm grammar (see ../shared/RECIPES.md §1).
export const FLAGS = [
  '-fPIC', '-shared', '-Os',
  '-Wl,--export=tree_sitter_nix', '-Wl,--allow-undefined', '-Wl,--no-entry',
  '-nostdlib', '-fno-exceptions', '-fvisibility=hidden', '-I', '.',
];
const SOURCES = ['parser.c', 'scanner.c', 'tree_sitter/parser.h'];

const outDir = join(root, 'dist');
const out = join(outDir, 'tree-sitter-nix.wasm');
const provenanceFile = join(outDir, 'tree-sitter-nix.provenance.json');

const files = {};
const sourceHashes = {};
for (const rel of SOURCES) {
  const text = readFileSync(join(grammarDir, 'src', rel));
  sourceHashes[rel] = createHash('sha256').update(text).digest('hex');
  const parts = rel.split('/');
  let dir = files;
  for (const p of parts.slice(0, -1)) dir = dir[p] ??= {};
  dir[parts.at(-1)] = text.toString('utf8');
}

const provenance = {
  package: `${grammarPkg.name}@${grammarPkg.version}`,
  sources: sourceHashes,
  compiler: `@yowasp/clang@${clangPkg.version}`,
  command: ['clang', ...FLAGS, 'parser.c', 'scanner.c', '-o', 'tree-sitter-nix.wasm'].join(' '),
};

function current() {
  if (!existsSync(out) || !existsSync(provenanceFile)) return false;
  const old = JSON.parse(readFileSync(provenanceFile, 'utf8'));
  const { wasmSha256, ...rest } = old;
  const wasm = readFileSync(out);
  return (
    JSON.stringify(rest) === JSON.stringify(provenance) &&
    createHash('sha256').update(wasm).digest('hex') === wasmSha256
  );
}

export async function buildGrammar({ force = false, quiet = false } = {}) {
  if (!force && current()) return { built: false, out };
  const started = performance.now();
  const { runClang } = await import('@yowasp/clang');
  const result = await runClang(
    ['clang', ...FLAGS, 'parser.c', 'scanner.c', '-o', 'tree-sitter-nix.wasm'],
    files,
  );
  const wasm = result['tree-sitter-nix.wasm'];
  if (!wasm) throw new Error('clang produced no tree-sitter-nix.wasm');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(out, wasm);
  const wasmSha256 = createHash('sha256').update(wasm).digest('hex');
  writeFileSync(provenanceFile, JSON.stringify({ ...provenance, wasmSha256 }, null, 2) + '\n');
  if (!quiet) {
    const ms = Math.round(performance.now() - started);
    process.stderr.write(`grammar: built ${out} (${wasm.length} bytes, ${ms} ms)\n`);
  }
  return { built: true, out, wasmSha256 };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildGrammar({ force: process.argv.includes('--force') });
}
