/**
 * Texts that tree-sitter-nix 0.0.2 takes super-linear time to parse, recognised
 * in one linear pass so that the adapters refuse them with a reason (as they
 * refuse binary or oversized files) instead of parsing for minutes: the CLI and
 * the server hand `parseCostProblem` to the analysis as its `screen` for files
 * from disk, and check open documents with it. (The analysis core itself parses
 * whatever it is given.)
 *
 * Both known shapes come from the lexer, not from the parser:
 * - A long run of path characters (`[A-Za-z0-9._+/-]`) in code that is many
 *   tokens, such as `p.a.a.a…`, `1+1+1…` or `------x`: at every token start
 *   inside the run the external scanner's `scan_path_start` (and the
 *   `uri_expression` pattern) reads on to the end of the run looking for a `/`,
 *   so a run of L characters costs about L²/2 steps. 20,000 characters of
 *   `p.a.a…` took 4 s to parse, 200,000 would take minutes.
 * - Unterminated block comments: each `/*` with no `*\/` after it is read to the
 *   end of the file before the lexer gives up on it, so k of them cost k times
 *   the rest of the file.
 * Strings and comments are lexed in linear time, so what they hold does not count.
 */

/** Bit 1: a path character as tree-sitter-nix's scanner sees it (`is_path_char`); bit 2: a character of names. */
const CHAR_CLASS = new Uint8Array(128);
const PATH = 1;
const NAME = 2;
for (const c of '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_') CHAR_CLASS[c.charCodeAt(0)] = PATH | NAME;
for (const c of '+./') CHAR_CLASS[c.charCodeAt(0)] = PATH;
CHAR_CLASS["'".charCodeAt(0)] = NAME;
const is = (c: number, bit: number) => c < 128 && (CHAR_CLASS[c]! & bit) !== 0;

/**
 * Runs up to this long are free: real code has select chains and paths of a few
 * dozen characters, and counting them would only make the estimate noisy.
 */
const FREE_RUN = 64;

/**
 * The most lexer steps (estimated) a text may cost beyond the linear work of
 * parsing: about a second at the slowest measured step (~50 ns, `a+a+a…`). A
 * single run of about 5,800 path characters, or some hundreds of unterminated
 * comments in a 30 KB file, reaches it. Real files stay far below: at most a few hundred
 * in home-manager, nixos-hardware and generated package sets of 5 MB.
 */
export const MAX_LEXER_STEPS = 2 ** 24;

const CODE = 0;
const STRING = 1;
const INDENTED = 2;

/** Why `text` would take the parser super-linear time, or null when it parses in linear time. */
export function parseCostProblem(text: string): string | null {
  const n = text.length;
  let runSteps = 0;
  let commentSteps = 0;
  let longest = 0;
  let longestAt = 0;
  let unterminated = 0;
  /** From here on no `*\/` follows: every `/*` is unterminated. */
  let noCloseFrom = n + 1;
  // The lexer's context: code, a "string" or an ''indented string''; code inside `${` is pushed
  // with the number of `{` opened in it, so the `}` that closes the interpolation is known.
  const outer: { kind: number; braces: number }[] = [];
  let kind = CODE;
  let braces = 0;
  for (let i = 0; i < n; ) {
    const c = text.charCodeAt(i);
    if (kind === CODE) {
      if (is(c, PATH) && !(c === 0x2f && text.charCodeAt(i + 1) === 0x2a)) {
        const start = i;
        do i++;
        while (i < n && is(text.charCodeAt(i), PATH) && !(text.charCodeAt(i) === 0x2f && text.charCodeAt(i + 1) === 0x2a));
        const run = i - start;
        if (run > FREE_RUN) runSteps += ((run - FREE_RUN) * (run - FREE_RUN)) / 2;
        if (run > longest) {
          longest = run;
          longestAt = start;
        }
      } else if (c === 0x23 /* # */) {
        const eol = text.indexOf('\n', i);
        i = eol === -1 ? n : eol + 1;
      } else if (c === 0x2f /* /* */) {
        const close = i >= noCloseFrom ? -1 : text.indexOf('*/', i + 2);
        if (close === -1) {
          noCloseFrom = Math.min(noCloseFrom, i);
          unterminated++;
          commentSteps += n - i;
          i += 2;
        } else i = close + 2;
      } else if (c === 0x22 /* " */) {
        outer.push({ kind, braces });
        kind = STRING;
        i++;
      } else if (c === 0x27 /* ' */ && text.charCodeAt(i + 1) === 0x27 && !(i > 0 && is(text.charCodeAt(i - 1), NAME))) {
        // `''` starts an indented string unless it ends a name (`x''` is an identifier).
        outer.push({ kind, braces });
        kind = INDENTED;
        i += 2;
      } else if (c === 0x7b /* { */) {
        braces++;
        i++;
      } else if (c === 0x7d /* } */) {
        if (braces > 0) braces--;
        else if (outer.length > 0) ({ kind, braces } = outer.pop()!);
        i++;
      } else i++;
    } else if (c === 0x24 /* $ */ && text.charCodeAt(i + 1) === 0x7b /* { */) {
      outer.push({ kind, braces });
      kind = CODE;
      braces = 0;
      i += 2;
    } else if (kind === STRING) {
      if (c === 0x5c /* \ */) i += 2;
      else {
        if (c === 0x22 /* " */) ({ kind, braces } = outer.pop()!);
        i++;
      }
    } else if (c === 0x27 && text.charCodeAt(i + 1) === 0x27) {
      const next = text.charCodeAt(i + 2);
      if (next === 0x24 /* ''$ */ || next === 0x27 /* ''' */) i += 3;
      else if (next === 0x5c /* ''\x */) i += 4;
      else {
        ({ kind, braces } = outer.pop()!);
        i += 2;
      }
    } else i++;
  }
  if (runSteps + commentSteps <= MAX_LEXER_STEPS) return null;
  return commentSteps > runSteps
    ? `too slow to parse: ${unterminated} unterminated /* comments`
    : `too slow to parse: ${longest} characters without a space or delimiter at line ${lineOf(text, longestAt)}`;
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** Characters that open, close or escape a string, comment or interpolation. */
const CONTEXT = new Set([...'"\'\\${}#/*\n\r'].map((c) => c.charCodeAt(0)));

/**
 * Whether replacing [start, end) of `text` (a text `parseCostProblem` accepted) by
 * `inserted` keeps the lexer's cost as it was, so that a keystroke in a large document
 * needs no scan of the whole text: neither the edit nor the characters on either side of
 * it open, close or escape a string, comment or interpolation, and the run of path
 * characters it can join stays free. Edits with a newline, a quote, a brace or a slash
 * are checked in full.
 */
export function editKeepsLexerCost(text: string, start: number, end: number, inserted: string): boolean {
  for (let i = start; i < end; i++) if (CONTEXT.has(text.charCodeAt(i))) return false;
  for (let i = 0; i < inserted.length; i++) if (CONTEXT.has(inserted.charCodeAt(i))) return false;
  if (start > 0 && CONTEXT.has(text.charCodeAt(start - 1))) return false;
  if (end < text.length && CONTEXT.has(text.charCodeAt(end))) return false;
  // The longest run the edit can be part of: what precedes it, all it inserts, what follows.
  let run = inserted.length;
  for (let i = start - 1; i >= 0 && is(text.charCodeAt(i), PATH) && run <= FREE_RUN; i--) run++;
  for (let i = end; i < text.length && is(text.charCodeAt(i), PATH) && run <= FREE_RUN; i++) run++;
  return run <= FREE_RUN;
}
