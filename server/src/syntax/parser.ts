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

async function loadLanguage(location: ParserLocation): Promise<Language> {
  const runtimeDir = location.runtimeDir;
  await Parser.init(
    runtimeDir === undefined
      ? undefined
      : { locateFile: (name: string) => `${runtimeDir.replace(/\/$/, '')}/${name}` },
  );
  return Language.load(location.grammar);
}

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
   * Never returns null: tree-sitter only does so on cancellation, which we do not use.
   */
  parse(text: string, old?: Tree): Tree {
    const tree = this.parser.parse(text, old ?? null);
    if (!tree) throw new Error('tree-sitter returned no tree');
    return tree;
  }
}
