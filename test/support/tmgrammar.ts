/**
 * Loads `syntaxes/nix.tmLanguage.json` the way VS Code does (vscode-textmate on the oniguruma
 * WebAssembly build) and tokenizes Nix text into plain tokens, so tests can ask "what scopes does
 * the editor give this word?" without an editor.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import * as vsctm from 'vscode-textmate';

export const NIX_SCOPE = 'source.nix';

export interface TmToken {
  /** 0-based line number. */
  line: number;
  /** Offsets of the token in the whole text (lines joined with `\n`). */
  start: number;
  end: number;
  text: string;
  /** Outermost first, as VS Code's "Inspect Editor Tokens and Scopes" lists them reversed. */
  scopes: string[];
}

export interface Tokenized {
  tokens: TmToken[];
  /** Rule stack after the last line; depth 1 means every construct that was opened was closed. */
  endState: vsctm.StateStack;
  /** Lines where vscode-textmate gave up because the time limit ran out. */
  stoppedEarly: number[];
}

/** The repository root: the nearest folder above this file that holds the grammar. */
export function repoRoot(): string {
  let dir = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'syntaxes', 'nix.tmLanguage.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`syntaxes/nix.tmLanguage.json not found above ${__dirname}`);
    dir = parent;
  }
}

export function grammarPath(): string {
  return path.join(repoRoot(), 'syntaxes', 'nix.tmLanguage.json');
}

let onigLib: Promise<vsctm.IOnigLib> | undefined;

/** oniguruma's wasm may be loaded only once per process. */
function loadOnigLib(): Promise<vsctm.IOnigLib> {
  onigLib ??= (async () => {
    const wasmPath = require.resolve('vscode-oniguruma/release/onig.wasm');
    const bytes = fs.readFileSync(wasmPath);
    await oniguruma.loadWASM(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    return {
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text: string) => new oniguruma.OnigString(text),
    };
  })();
  return onigLib;
}

let grammar: Promise<vsctm.IGrammar> | undefined;

/** The Nix grammar, read from disk once per process. */
export function loadNixGrammar(): Promise<vsctm.IGrammar> {
  grammar ??= (async () => {
    const file = grammarPath();
    const registry = new vsctm.Registry({
      onigLib: loadOnigLib(),
      loadGrammar: async (scopeName) =>
        scopeName === NIX_SCOPE ? vsctm.parseRawGrammar(fs.readFileSync(file, 'utf8'), file) : null,
    });
    const loaded = await registry.loadGrammar(NIX_SCOPE);
    if (!loaded) throw new Error(`vscode-textmate could not load ${file}`);
    return loaded;
  })();
  return grammar;
}

/**
 * Tokenizes `source` line by line, carrying the rule stack across lines as the editor does.
 * `timeLimitMs` is vscode-textmate's own per-line limit; lines that hit it are reported.
 */
export function tokenize(g: vsctm.IGrammar, source: string, timeLimitMs = 0): Tokenized {
  const tokens: TmToken[] = [];
  const stoppedEarly: number[] = [];
  let state = vsctm.INITIAL;
  let offset = 0;
  source.split('\n').forEach((lineText, line) => {
    const result = g.tokenizeLine(lineText, state, timeLimitMs);
    if (result.stoppedEarly) stoppedEarly.push(line);
    for (const t of result.tokens) {
      const end = Math.min(t.endIndex, lineText.length);
      if (end <= t.startIndex) continue; // the trailing token that only covers the line break
      tokens.push({
        line,
        start: offset + t.startIndex,
        end: offset + end,
        text: lineText.slice(t.startIndex, end),
        scopes: t.scopes,
      });
    }
    state = result.ruleStack;
    offset += lineText.length + 1;
  });
  return { tokens, endState: state, stoppedEarly };
}

/**
 * The token that covers the first character of the `occurrence`-th (0-based) appearance of
 * `needle` in `source`. Throws when the needle is missing, so a typo in a test fails loudly.
 */
export function tokenAt(tokenized: Tokenized, source: string, needle: string, occurrence = 0): TmToken {
  let index = -1;
  for (let i = 0; i <= occurrence; i++) {
    index = source.indexOf(needle, index + 1);
    if (index < 0) throw new Error(`${JSON.stringify(needle)} #${occurrence} not found in ${JSON.stringify(source)}`);
  }
  const token = tokenized.tokens.find((t) => t.start <= index && index < t.end);
  if (!token) throw new Error(`no token covers ${JSON.stringify(needle)} at offset ${index}`);
  return token;
}

export type Context = 'comment' | 'string' | 'code';

/**
 * What a reader sees a token as: the innermost comment, string or interpolation scope decides
 * (text inside `${ }` is code again even though the string's scope is still on the stack). Paths
 * and URIs are literals in code, not strings.
 */
export function contextOf(scopes: readonly string[]): Context {
  for (let i = scopes.length - 1; i >= 0; i--) {
    const s = scopes[i];
    if (s.startsWith('meta.embedded')) return 'code';
    if (s.startsWith('comment')) return 'comment';
    if (s.startsWith('string.quoted')) return 'string';
  }
  return 'code';
}

/** The innermost scope that starts with `prefix`, or undefined. */
export function scopeWith(scopes: readonly string[], prefix: string): string | undefined {
  for (let i = scopes.length - 1; i >= 0; i--) if (scopes[i].startsWith(prefix)) return scopes[i];
  return undefined;
}
