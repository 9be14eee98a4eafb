/**
 * The one place that knows how web-tree-sitter is loaded. The runtime and the
 * Nix grammar are initialised once per process; everything else asks for a
 * {@link NixParser} and receives trees.
 */
import { Language, Parser, type Tree } from 'web-tree-sitter';

export type { Tree } from 'web-tree-sitter';

export interface ParserLocation {
  /** Path (or bytes) of `tree-sitter-nix.wasm`. */
  grammar: string | Uint8Array;
  /** Folder holding `web-tree-sitter.wasm`, when it is not next to web-tree-sitter's JS. */
  runtimeDir?: string;
}

let loading: Promise<Language> | undefined;

/**
 * The options web-tree-sitter's emscripten module was created with. Emscripten uses this
 * object as the module itself and keeps `HEAPU8` on it, a view of the whole wasm memory:
 * its length is how much memory the parser has taken (it never shrinks).
 */
const moduleOptions: { locateFile?: (name: string) => string; HEAPU8?: Uint8Array } = {};

/** The parser's wasm memory in bytes; undefined if this web-tree-sitter does not show it. */
function wasmMemoryBytes(): number | undefined {
  return moduleOptions.HEAPU8?.byteLength;
}

async function loadLanguage(location: ParserLocation): Promise<Language> {
  const runtimeDir = location.runtimeDir;
  if (runtimeDir !== undefined) moduleOptions.locateFile = (name) => `${runtimeDir.replace(/\/$/, '')}/${name}`;
  await Parser.init(moduleOptions);
  return Language.load(location.grammar);
}

/**
 * A text not parsed, with the reason: too large for the parser's memory (thrown by
 * {@link NixParser.parse}), or too slow to parse (thrown by the analysis for text the
 * adapters screen out, see cost.ts). The adapters skip the file or stop analysing the
 * document and say why, once, as they do for binary or oversized files.
 */
export class ParseRefused extends Error {
  override readonly name = 'ParseRefused';

  constructor(
    message: string,
    /** Refused while parsing (too large), not before (too slow): telling again costs a parse. */
    readonly tooLarge: boolean,
  ) {
    super(message);
  }
}

/**
 * Limits of one parse, past which it is cancelled and the text refused. tree-sitter reports
 * progress every 100 parser operations, and what the operations build stays in memory until
 * the tree is complete: 4 to 18 KB per report on dense text (`a+a+a…`, `[ a a a … ]`, runs
 * of syntax errors), which has a report every 16 to 70 characters. The wasm memory is
 * limited to 2 GiB, and running out of it aborts the wasm module, which breaks every later
 * parse in the process: 10 MiB of nested parentheses did so after 9 s, 10 MiB of
 * `a+a+…+a` (in runs of 64) after 44 s.
 * Real files have a report every 120 characters or more (home-manager; generated package
 * sets of 5 MB), so a 10 MiB file needs fewer than 90,000. The memory limit catches what
 * the count lets through: the wasm memory may grow past it only by what one step of growth
 * takes.
 */
export const MAX_PARSE_REPORTS = 150_000;
const MAX_WASM_MEMORY_BYTES = 1.5 * 1024 ** 3;

/** A parser for Nix text. Cheap to create once the language is loaded. */
export class NixParser {
  private readonly parser: Parser;

  private constructor(readonly language: Language) {
    this.parser = new Parser();
    this.parser.setLanguage(language);
  }

  /** Loads the runtime and grammar on first use; later calls share the same language. */
  static async create(location: ParserLocation): Promise<NixParser> {
    loading ??= loadLanguage(location);
    return new NixParser(await loading);
  }

  /**
   * Parses `text`; with `old` (already `edit`ed to match `text`) the parse is incremental.
   * Throws {@link ParseRefused} for a text whose tree would exhaust the parser's memory
   * (see MAX_PARSE_REPORTS), so that no input breaks the parser. Text the lexer would take
   * minutes over is the adapters' to refuse before they parse (see cost.ts).
   */
  parse(text: string, old?: Tree): Tree {
    let reports = 0;
    let why: string | null = null;
    const memoryAtStart = wasmMemoryBytes() ?? 0;
    const tree = this.parser.parse(text, old ?? null, {
      // Returning true cancels the parse (the declared `void` return type is too narrow).
      progressCallback: (() => {
        if (++reports > MAX_PARSE_REPORTS) why = `over ${MAX_PARSE_REPORTS * 100} parser operations`;
        else if (reports % 64 === 0) {
          // Memory the parser had before (freed trees) is reused; only growth is this parse's.
          const bytes = wasmMemoryBytes() ?? 0;
          if (bytes > memoryAtStart && bytes > MAX_WASM_MEMORY_BYTES) why = 'the parser would run out of memory';
        }
        return why !== null;
      }) as () => void,
    });
    if (!tree) {
      // A cancelled parse keeps its state to be resumed; this text will not be.
      this.parser.reset();
      throw new ParseRefused(`too large to parse: ${why ?? 'cancelled'}`, true);
    }
    return tree;
  }
}
