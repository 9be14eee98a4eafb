/**
 * Where the wasm files are at run time: next to the bundle (dist/server.js,
 * dist/cli.js, and inside the .vsix), or, for code compiled by tsc into out/,
 * in the repository's dist/ and node_modules/.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ParserLocation } from '../syntax/parser.js';

export function parserLocation(): ParserLocation {
  for (let dir = __dirname, i = 0; i < 6; i++, dir = dirname(dir)) {
    const grammar = join(dir, 'tree-sitter-nix.wasm');
    if (existsSync(grammar) && existsSync(join(dir, 'web-tree-sitter.wasm'))) return { grammar, runtimeDir: dir };
    const distGrammar = join(dir, 'dist', 'tree-sitter-nix.wasm');
    const runtime = join(dir, 'node_modules', 'web-tree-sitter');
    if (existsSync(distGrammar) && existsSync(join(runtime, 'web-tree-sitter.wasm'))) {
      return { grammar: distGrammar, runtimeDir: runtime };
    }
  }
  throw new Error(
    'tree-sitter-nix.wasm was not found next to the program or in dist/: run `npm run build` first',
  );
}
