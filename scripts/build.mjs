// Builds everything the extension, the CLI and the server run: the grammar
// wasm (skipped when current), then three esbuild bundles in dist/ and a copy of
// web-tree-sitter's runtime wasm next to them. The .vsix ships dist/ only.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildGrammar } from './build-grammar.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const dist = join(root, 'dist');
mkdirSync(dist, { recursive: true });

await buildGrammar();
const runtimeWasm = join(dirname(require.resolve('web-tree-sitter')), 'web-tree-sitter.wasm');
copyFileSync(runtimeWasm, join(dist, 'web-tree-sitter.wasm'));

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  minify: process.argv.includes('--minify'),
  logLevel: 'warning',
  absWorkingDir: root,
  // web-tree-sitter calls createRequire(import.meta.url), which a CommonJS bundle lacks.
  define: {
    'import.meta.url': '__importMetaUrl',
    __VERSION__: JSON.stringify(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version),
  },
  banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
};

await Promise.all([
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] }),
  build({ ...common, entryPoints: ['server/src/lsp/main.ts'], outfile: 'dist/server.js', banner: { js: '#!/usr/bin/env node\n' + common.banner.js } }),
  build({ ...common, entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node\n' + common.banner.js } }),
  // The worker threads that parse for indexing (server/src/node/pool.ts), beside cli.js and server.js.
  build({ ...common, entryPoints: ['server/src/node/index-worker.ts'], outfile: 'dist/index-worker.js' }),
]);
