// Builds dist/tree-sitter-nix.wasm from the npm `tree-sitter-nix` sources with
// @yowasp/clang (clang compiled to WebAssembly), so a machine with only Node and
// npm gets a working parser. The build is skipped when the recorded provenance
// (package version, source hashes, flags, compiler version) still matches.
//
// Output: one line before and one after a build. @yowasp/clang loads its
// 105 MB of compiler from node_modules (nothing is downloaded) and by default
// prints each step of that load as "yowasp-llvm: fetched N%"; wasm-ld warns
// that `-shared` for wasm is "not yet stable", which is the point of the flags
// (the same tree-sitter uses). Both are left out; any other compiler output is
// printed, and all of it when the compiler fails.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
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

const distDir = join(root, 'dist');

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

/** Compiler output lines that say nothing about this build (see the header). */
export const EXPECTED_NOISE = [/^wasm-ld: warning: creating shared libraries, with -shared, is not yet stable$/];

function current(out, provenanceFile) {
  if (!existsSync(out) || !existsSync(provenanceFile)) return false;
  const old = JSON.parse(readFileSync(provenanceFile, 'utf8'));
  const { wasmSha256, ...rest } = old;
  const wasm = readFileSync(out);
  return (
    JSON.stringify(rest) === JSON.stringify(provenance) &&
    createHash('sha256').update(wasm).digest('hex') === wasmSha256
  );
}

export async function buildGrammar({ force = false, quiet = false, outDir = distDir } = {}) {
  const out = join(outDir, 'tree-sitter-nix.wasm');
  const provenanceFile = join(outDir, 'tree-sitter-nix.provenance.json');
  if (!force && current(out, provenanceFile)) return { built: false, out };
  const say = (line) => {
    if (!quiet) process.stderr.write(line + '\n');
  };
  say('grammar: compiling tree-sitter-nix to WebAssembly with @yowasp/clang from node_modules (once, about 10 s)');
  const started = performance.now();
  const { runClang, runLLVM } = await import('@yowasp/clang');
  // Loads the compiler without the progress lines (runClang's own first step would print them).
  await runLLVM(null, {}, { fetchProgress: () => {} });
  const output = [];
  const collect = () => {
    let pending = '';
    return (bytes) => {
      if (bytes === null) {
        if (pending) output.push(pending);
        pending = '';
        return;
      }
      const lines = (pending + new TextDecoder().decode(bytes)).split('\n');
      pending = lines.pop();
      output.push(...lines);
    };
  };
  let result;
  try {
    result = await runClang(['clang', ...FLAGS, 'parser.c', 'scanner.c', '-o', 'tree-sitter-nix.wasm'], files, {
      stdout: collect(),
      stderr: collect(),
    });
  } catch (e) {
    for (const line of output) process.stderr.write(line + '\n');
    throw e;
  }
  for (const line of output) if (line.trim() !== '' && !EXPECTED_NOISE.some((re) => re.test(line))) say(line);
  const wasm = result['tree-sitter-nix.wasm'];
  if (!wasm) throw new Error('clang produced no tree-sitter-nix.wasm');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(out, wasm);
  const wasmSha256 = createHash('sha256').update(wasm).digest('hex');
  writeFileSync(provenanceFile, JSON.stringify({ ...provenance, wasmSha256 }, null, 2) + '\n');
  const ms = Math.round(performance.now() - started);
  say(`grammar: built ${relative(process.cwd(), out) || out} (${wasm.length} bytes, ${(ms / 1000).toFixed(1)} s)`);
  return { built: true, out, wasmSha256 };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf('--out');
  await buildGrammar({ force: process.argv.includes('--force'), ...(at > 0 ? { outDir: process.argv[at + 1] } : {}) });
}
