/**
 * Completion where it helps to write an instance, and nowhere else:
 *
 * - the arguments of `import <nixpkgs> { | }` (never `system` beside
 *   `localSystem` or the reverse), the keys of `crossSystem`/`localSystem`,
 *   their `gcc` set and `config`;
 * - string values: systems for `system`/`localSystem`, `lib.systems.examples`
 *   triples for `crossSystem.config`/`localSystem.config` (RISC-V first),
 *   RISC-V ISA strings for `gcc.arch` (of the triple's width) and the ABIs
 *   that fit the arch for `gcc.abi`;
 * - `pkgsCross.|` and `lib.systems.examples.|`: the example names;
 * - a module's formals: the names the builders reaching it pass through
 *   `specialArgs`;
 * - the snippets of `snippets.ts`, where they fit (an instance is not offered
 *   inside a module: instances belong in flake.nix).
 *
 * Anywhere else (comments, other strings, unrelated sets) the answer is
 * empty, so the editor's other completion sources are not drowned.
 */
import { bindings, formals as lambdaFormals, isAttrset, K, parentOf, unparen, type Node } from '../../syntax/ast.js';
import {
  abisFor,
  commonArches,
  COMMON_DOUBLES,
  EXAMPLE_NAMES,
  exampleByName,
  gccDefaultArch,
  RISCV_ABI_INFO,
  riscvXlenOfSystem,
  SYSTEM_EXAMPLES,
  type RiscvAbi,
} from '../cross/index.js';
import { isNixpkgsUrl } from '../index/sources.js';
import { readArgs, type ArgNode } from '../index/args.js';
import type { Range, Span } from '../text.js';
import { linesOf, type FeatureContext } from './context.js';
import {
  bindingOfValue,
  callOfSet,
  CURSOR_WORD,
  importArgsOf,
  withCursor,
  type Cursor,
  type ImportArgs,
} from './cursor.js';
import { CONFIG_KEYS, GCC_KEYS, INSTANCE_ARGUMENTS, PLATFORM_KEYS, type KeyInfo } from './knowledge.js';
import { addModuleFormals, addOutputsFormals, inputRef, moduleFormalsInfo, outputsInfo, type OutputsInfo } from '../assists/hoist.js';
import { SourceChangeBuilder } from '../assists/edit.js';
import { flakeFor, hostsOf, moduleArgNames, outputsFunction } from './moduleArgs.js';
import { namesInScope, topExpression } from './scope.js';
import {
  renderSnippets,
  snippetTarget,
  snippetToPlainText,
  specialArgsSnippet,
  type RenderedSnippet,
  type SnippetEnv,
  type SystemRef,
} from './snippets.js';
import { displayPath } from './context.js';

export interface CompletionItem {
  label: string;
  kind: 'property' | 'value' | 'snippet' | 'variable' | 'module';
  detail?: string;
  /** Markdown. */
  documentation?: string;
  insertText?: string;
  insertTextFormat?: 'plain' | 'snippet';
  sortText?: string;
  filterText?: string;
  /** What the item replaces (the word at the cursor, or a string's content). */
  replaceRange?: Range;
  /** The text's lines already carry their indentation: the client must not adjust it (LSP `insertTextMode: asIs`). */
  keepWhitespace?: boolean;
  /** Edits elsewhere in the file that go with it (a formal the inserted text names). */
  additionalEdits?: { range: Range; newText: string }[];
}

/** Calls that build a configuration from modules and take `specialArgs`. */
const BUILDER_CALLS = new Set(['nixosSystem', 'darwinSystem', 'homeManagerConfiguration']);

/** Completion items at `offset` in `file`. */
export function completion(ctx: FeatureContext, file: string, offset: number): CompletionItem[] {
  const text = ctx.text(file);
  const lines = linesOf(ctx, file);
  if (text === undefined || !lines) return [];
  const at = Math.max(0, Math.min(offset, text.length));
  return withCursor(ctx, text, at, (cursor) => {
    const toRange = (span: Span): Range => lines.range(span);
    return new Completer(ctx, file, text, at, cursor, toRange).run();
  });
}

class Completer {
  constructor(
    private readonly ctx: FeatureContext,
    private readonly file: string,
    private readonly text: string,
    private readonly offset: number,
    private readonly cursor: Cursor,
    private readonly toRange: (span: Span) => Range,
  ) {}

  run(): CompletionItem[] {
    const place = this.cursor.place;
    switch (place.kind) {
      case 'none':
        return [];
      case 'string': {
        const args = importArgsOf(place.container);
        if (!args || !this.isNixpkgsImport(args)) return [];
        return this.stringValue([...args.path, ...place.key], args, place.content);
      }
      case 'key': {
        const args = importArgsOf(place.container);
        if (args) return this.isNixpkgsImport(args) ? this.argumentKeys(args, [...args.path, ...place.path]) : [];
        if (place.path.length > 0) return [];
        return this.bindingSnippets(place.container);
      }
      case 'value': {
        if (importArgsOf(place.container)) return [];
        return this.valueSnippets(place.container, place.key);
      }
      case 'member':
        return this.members(place.base);
      case 'formal':
        return this.moduleFormals(place.formals);
    }
  }

  // ------------------------------------------------------------ instantiation arguments

  /** Whether `import X { ... }` instantiates a nixpkgs: the index says so, or the source reads like one. */
  private isNixpkgsImport(args: ImportArgs): boolean {
    const start = args.apply.startIndex;
    if (this.ctx.model.instancesIn(this.file).some((i) => i.kind === 'import' && i.site.span.start === start)) return true;
    const source = args.source;
    const text = source.text;
    if (text.includes(CURSOR_WORD)) return false;
    if (source.type === K.SPath) return /^<nixpkgs([/-][^>]*)?>$/.test(text);
    const inputs = flakeFor(this.ctx.model, this.file)?.inputs ?? [];
    const names = text.replace(/[()\s]/g, '').split('.');
    const inputName = names[0] === 'inputs' ? names[1] : names[0];
    const input = inputs.find((i) => i.name === inputName);
    if (input) return input.isNixpkgs;
    return /nixpkgs/i.test(text) && source.type !== K.String && source.type !== K.Path;
  }

  private argumentKeys(args: ImportArgs, path: string[]): CompletionItem[] {
    const written = readArgs(args.set).attrs ?? new Map<string, ArgNode>();
    let level: Map<string, ArgNode> | null = written;
    for (const key of path) level = level?.get(key)?.attrs ?? null;
    const present = new Set([...(level?.keys() ?? [])].filter((k) => !k.includes(CURSOR_WORD)));
    let keys: readonly KeyInfo[];
    if (path.length === 0) {
      keys = INSTANCE_ARGUMENTS.filter((k) => {
        if (k.name === 'system' && present.has('localSystem')) return false;
        if (k.name === 'localSystem' && present.has('system')) return false;
        return true;
      });
    } else if (path.length === 1 && (path[0] === 'crossSystem' || path[0] === 'localSystem')) keys = PLATFORM_KEYS;
    else if (path.length === 2 && (path[0] === 'crossSystem' || path[0] === 'localSystem') && path[1] === 'gcc') keys = GCC_KEYS;
    else if (path.length === 1 && path[0] === 'config') keys = CONFIG_KEYS;
    else return [];
    const scope = this.scopeNames();
    const editingKey = /^\s*[=.]/.test(this.text.slice(this.cursor.word.end));
    return keys
      .filter((k) => !present.has(k.name))
      .map((k, i) => ({
        label: k.name,
        kind: 'property' as const,
        detail: k.detail,
        documentation: k.documentation,
        sortText: sortKey(i),
        replaceRange: this.toRange(this.cursor.word),
        ...(editingKey ? { insertText: k.name, insertTextFormat: 'plain' as const } : this.keyInsert(k, path, scope)),
      }));
  }

  /** `system = "…";` with a tab stop, `crossSystem = { config = "…"; };`, ... */
  private keyInsert(k: KeyInfo, path: string[], scope: Set<string>): Pick<CompletionItem, 'insertText' | 'insertTextFormat'> {
    const snippet = (insertText: string) => ({ insertText, insertTextFormat: 'snippet' as const });
    const systemVar = scope.has('system');
    if (path.length === 0 && k.name === 'system') return snippet(systemVar ? 'inherit system;' : 'system = "${1:x86_64-linux}";');
    if (path.length === 0 && k.name === 'localSystem') {
      return snippet(systemVar ? 'localSystem = ${1:system};' : 'localSystem = "${1:x86_64-linux}";');
    }
    if (path.length === 0 && k.name === 'crossSystem') return snippet('crossSystem = { config = "${1:riscv64-unknown-linux-gnu}"; };');
    switch (k.shape) {
      case 'string':
        return snippet(`${k.name} = "$1";`);
      case 'bool':
        return snippet(`${k.name} = \${1|true,false|};`);
      case 'set':
      case 'platform':
        return snippet(`${k.name} = { $1 };`);
      case 'list':
        return snippet(`${k.name} = [ $1 ];`);
      case 'function':
        return snippet(`${k.name} = pkg: $1;`);
    }
  }

  private stringValue(path: string[], args: ImportArgs, content: Span): CompletionItem[] {
    const range = this.toRange(content);
    const key = path.join('.');
    const platformKey = path[0] === 'crossSystem' || path[0] === 'localSystem' ? path[0] : null;
    if (key === 'system' || key === 'localSystem' || key === 'localSystem.system' || key === 'crossSystem.system') {
      return COMMON_DOUBLES.map((d, i) => ({
        label: d,
        kind: 'value',
        detail: riscvXlenOfSystem(d) ? `${riscvXlenOfSystem(d)}-bit RISC-V Linux` : undefined,
        sortText: sortKey(i),
        insertText: d,
        insertTextFormat: 'plain',
        replaceRange: range,
      }));
    }
    if (key === 'crossSystem' || key === 'crossSystem.config' || key === 'localSystem.config') return this.triples(range);
    if (platformKey && path.length === 3 && path[1] === 'gcc') {
      const platform = readArgs(args.set).attrs?.get(platformKey) ?? null;
      if (path[2] === 'arch') return this.arches(platform, range);
      if (path[2] === 'abi') return this.abis(platform, range);
    }
    return [];
  }

  /** The `config` triples of `lib.systems.examples`, RISC-V first, each with its `pkgsCross` names. */
  private triples(range: Range): CompletionItem[] {
    const byConfig = new Map<string, string[]>();
    for (const e of SYSTEM_EXAMPLES) {
      const list = byConfig.get(e.config) ?? [];
      list.push(e.name);
      byConfig.set(e.config, list);
    }
    return [...byConfig].map(([config, names], i) => {
      const first = exampleByName(names[0]!)!;
      return {
        label: config,
        kind: 'value' as const,
        detail: first.description,
        documentation: `The platform of ${names.map((n) => `\`pkgsCross.${n}\``).join(', ')} (\`lib.systems.examples\`).`,
        sortText: sortKey(i),
        insertText: config,
        insertTextFormat: 'plain' as const,
        replaceRange: range,
      };
    });
  }

  /** RISC-V ISA strings for the platform's width; nothing for a platform that is not RISC-V. */
  private arches(platform: ArgNode | null, range: Range): CompletionItem[] {
    const system = platformSystem(platform);
    const xlen = system === null ? undefined : riscvXlenOfSystem(system);
    if (system !== null && xlen === undefined) return [];
    return commonArches(xlen).map((a, i) => ({
      label: a.arch,
      kind: 'value',
      detail: `pairs with gcc.abi = "${a.abi}"`,
      documentation: a.description,
      sortText: sortKey(i),
      insertText: a.arch,
      insertTextFormat: 'plain',
      replaceRange: range,
    }));
  }

  /** The ABIs that fit `gcc.arch` (or GCC's default arch for the triple), best first; on Linux only those libc supports. */
  private abis(platform: ArgNode | null, range: Range): CompletionItem[] {
    const system = platformSystem(platform);
    const xlen = system === null ? undefined : riscvXlenOfSystem(system);
    if (system !== null && xlen === undefined) return [];
    const linux = system !== null && /-linux(-|$)/.test(system);
    const arch = platform?.attrs?.get('gcc')?.attrs?.get('arch')?.string ?? null;
    const fitsWidth = (abi: RiscvAbi) => xlen === undefined || RISCV_ABI_INFO[abi].xlen === xlen;
    let abis: RiscvAbi[] = [];
    let against: string | null = null;
    if (arch !== null) {
      abis = abisFor(arch, { linux }).filter(fitsWidth);
      against = arch;
    }
    if (abis.length === 0 && xlen !== undefined) {
      // No arch, or one of the wrong width or unreadable: what GCC builds for the triple by default.
      against = gccDefaultArch(xlen).arch;
      abis = abisFor(against, { linux });
    }
    return abis.map((abi, i) => ({
      label: abi,
      kind: 'value',
      detail: RISCV_ABI_INFO[abi].description,
      documentation: against ? `Fits \`${against}\`${i === 0 ? ': the best choice for it' : ''}.` : undefined,
      sortText: sortKey(i),
      insertText: abi,
      insertTextFormat: 'plain',
      replaceRange: range,
    }));
  }

  // ------------------------------------------------------------ pkgsCross.

  private members(base: string[]): CompletionItem[] {
    const last = base.at(-1);
    const isExamples = last === 'pkgsCross' || (last === 'examples' && base.at(-2) === 'systems');
    if (!isExamples) return [];
    return EXAMPLE_NAMES.map((name, i) => {
      const e = exampleByName(name)!;
      return {
        label: name,
        kind: 'property' as const,
        detail: e.config,
        documentation: e.description + (e.aliasOf ? ` (same as \`${e.aliasOf}\`)` : ''),
        sortText: sortKey(i),
        insertText: name,
        insertTextFormat: 'plain' as const,
        replaceRange: this.toRange(this.cursor.word),
      };
    });
  }

  // ------------------------------------------------------------ module formals

  private moduleFormals(formalsNode: Node): CompletionItem[] {
    const fn = parentOf(formalsNode);
    // Only the module's own lambda: the file's top expression, or (before its `:` is typed)
    // formals the parser could only put at the top level.
    if (!fn) return [];
    if (fn.type === K.Function) {
      const top = topExpression(rootOf(fn));
      if (!top || !top.equals(fn)) return [];
    } else {
      let up: Node | null = fn;
      while (up && up.type === 'ERROR') up = parentOf(up);
      if (up && up.type !== K.SourceCode) return [];
    }
    const passed = moduleArgNames(this.ctx.model, this.file);
    if (passed.size === 0) return [];
    const written = new Set<string>();
    if (fn.type === K.Function) for (const f of lambdaFormals(fn)?.set?.names ?? []) written.add(f.name);
    for (const id of formalsNode.descendantsOfType(K.Identifier)) if (id) written.add(id.text);
    const names = [...passed.keys()].filter((n) => !written.has(n) && !n.includes(CURSOR_WORD)).sort();
    return names.map((name, i) => {
      const builders = passed.get(name)!;
      const via = builders.map((b) => `\`${b.fact.builder}\` in ${displayPath(this.ctx.model, b.file)} (${hostsOf(b).join(', ') || 'no host name'})`);
      return {
        label: name,
        kind: 'variable' as const,
        detail: `from specialArgs of ${[...new Set(builders.map((b) => b.fact.builder))].join(', ')}`,
        documentation: `Passed to this module through \`specialArgs\` by ${via.join('; ')}.`,
        sortText: sortKey(i),
        insertText: name,
        insertTextFormat: 'plain' as const,
        replaceRange: this.toRange(this.cursor.word),
      };
    });
  }

  // ------------------------------------------------------------ snippets

  private isModule(): boolean {
    return this.ctx.model.locationOf(this.file) === 'module';
  }

  /** Completion items for rendered snippets; `edits` are what each needs elsewhere in the file (a formal). */
  private snippetItems(snippets: readonly RenderedSnippet[], edits: (s: RenderedSnippet) => { span: Span; text: string }[]): CompletionItem[] {
    // Continuation lines carry the line's indentation themselves, so every client inserts the same text.
    const lineStart = this.text.lastIndexOf('\n', this.cursor.word.start - 1) + 1;
    const indent = /^[ \t]*/.exec(this.text.slice(lineStart))![0];
    return snippets.map((s, i) => {
      const body = s.body.map((line, n) => (n === 0 || line === '' ? line : indent + line)).join('\n');
      const extra = edits(s);
      return {
        label: s.prefix,
        kind: 'snippet' as const,
        detail: s.description,
        documentation: '```nix\n' + snippetToPlainText(body) + '\n```' + (s.argument ? moduleArgumentNote(this.ctx, this.file, s) : ''),
        insertText: body,
        insertTextFormat: 'snippet' as const,
        keepWhitespace: true,
        filterText: s.prefix,
        sortText: sortKey(i),
        replaceRange: this.toRange(this.cursor.word),
        ...(extra.length ? { additionalEdits: extra.map((e) => ({ range: this.toRange(e.span), newText: e.text })) } : {}),
      };
    });
  }

  /** `pkgs = |`: the expression (with its `;` when none follows); in a module, the argument flake.nix passes. */
  private valueSnippets(container: Node, key: string[]): CompletionItem[] {
    if (this.inFlakeMetadata(container, key)) return [];
    const semicolon = !/^\s*;/.test(this.text.slice(this.cursor.word.end));
    if (this.isModule()) return this.moduleSnippets(semicolon);
    // `pkgs = |` cannot refer to the `pkgs` it defines.
    const env = this.snippetEnv(key[0]);
    return this.snippetItems(
      renderSnippets('expression', env.env, { semicolon, freeName: (b) => b, moduleArgument: (_p, b) => b }),
      (s) => (s.needs ? env.edits[s.needs] : []),
    );
  }

  /**
   * A key in a `let` or an attribute set: a whole binding under a free name; in a builder call's
   * arguments, `specialArgs`. Not in modules (their keys are options), not in flake.nix's metadata
   * (`inputs`, `description`) or the top of what `outputs` returns (flake outputs).
   */
  private bindingSnippets(container: Node): CompletionItem[] {
    if (this.isModule()) return [];
    const call = isAttrset(container) ? callOfSet(container) : null;
    if (call && BUILDER_CALLS.has(call.callee)) {
      const has = bindings(container).some((e) => e.kind === 'binding' && (e.path[0] === 'specialArgs' || e.path[0] === 'extraSpecialArgs'));
      if (has) return [];
      const key = call.callee === 'homeManagerConfiguration' ? 'extraSpecialArgs' : 'specialArgs';
      return this.snippetItems([specialArgsSnippet(key, this.passableNames())], () => []);
    }
    if (container.type === K.LetAttrset || this.inFlakeMetadata(container, []) || this.isOutputsResult(container)) return [];
    const keys = bindings(container).flatMap((e) => (e.kind === 'binding' ? (e.path[0] ? [e.path[0]] : []) : e.names.map((n) => n.name)));
    const taken = new Set([...this.scopeNames(), ...keys]);
    const env = this.snippetEnv();
    return this.snippetItems(
      renderSnippets('binding', env.env, { semicolon: true, freeName: (b) => freshName(b, taken), moduleArgument: (_p, b) => b }),
      (s) => (s.needs ? env.edits[s.needs] : []),
    );
  }

  /** In a module, at `name = |`: the instance as the argument flake.nix passes (added to the formals), pkgsCross from `pkgs`. */
  private moduleSnippets(semicolon: boolean): CompletionItem[] {
    const root = this.cursor.root;
    const info = moduleFormalsInfo({ rootNode: root });
    // The formals must be in scope here: the cursor is inside the module's function (or the module is none).
    if (info.kind !== 'none' && this.offset < info.topStart) return [];
    const universal = info.kind === 'plain' ? moduleUniversal(root) : null;
    if (info.kind === 'plain' && !universal) return [];
    const passed = moduleArgNames(this.ctx.model, this.file);
    const formalOf = new Map<string, string>();
    const moduleArgument = (prefix: string, base: string): string => {
      const name = info.names.has(base) ? base : (passedInstanceFor(this.ctx, passed, prefix) ?? base);
      const ref = universal ? `${universal}.${name}` : name;
      if (!universal) formalOf.set(ref, name);
      return ref;
    };
    const env = this.snippetEnv().env;
    return this.snippetItems(renderSnippets('module', env, { semicolon, freeName: (b) => b, moduleArgument }), (s) => {
      const formal = s.argument ? formalOf.get(s.argument) : undefined;
      if (!formal || info.names.has(formal)) return [];
      const b = new SourceChangeBuilder();
      addModuleFormals(b, this.file, this.text, info, [formal]);
      return (b.finish().files.get(this.file) ?? []).map((e) => ({ span: e.span, text: e.newText }));
    });
  }

  /** Whether `set` is what flake.nix's `outputs` returns, after its `let`s (its keys are flake outputs). */
  private isOutputsResult(set: Node): boolean {
    if (!isFlakePath(this.file)) return false;
    let body = outputsFunction(rootOf(set))?.childForFieldName('body') ?? null;
    for (let depth = 0; body && depth < 20; depth++) {
      const b: Node = unparen(body);
      if (b.type !== K.Let) return b.equals(set);
      body = b.childForFieldName('body');
    }
    return false;
  }

  /** `description = |` or anything under `inputs` at the top of a flake.nix is not a place for an instance. */
  private inFlakeMetadata(container: Node, key: string[]): boolean {
    if (!isFlakePath(this.file)) return false;
    let set: Node | null = container;
    let first = key[0];
    for (let depth = 0; set && depth < 50; depth++) {
      const holder = bindingOfValue(set);
      if (!holder) break;
      first = holder.key[0];
      let p: Node | null = parentOf(holder.binding);
      if (p?.type === K.BindingSet) p = parentOf(p);
      set = p;
    }
    const top = set ? topExpression(rootOf(set)) : null;
    return !!top && !!set && top.equals(set) && first !== 'outputs';
  }

  /**
   * How this place refers to what the snippets need, and the edits that makes it so. In a
   * flake.nix: the real nixpkgs inputs, by their name in scope, through the variable that holds
   * all inputs, or by adding the name to `outputs`'s formals. Elsewhere: `nixpkgs` or
   * `inputs.<name>` when in scope, else `pkgs.path`, else `<nixpkgs>` (a channel-era file). A package set for
   * `pkgsCross`: `pkgs` or an instance bound in scope, else the input's `legacyPackages`.
   */
  private snippetEnv(defining?: string): { env: SnippetEnv; edits: Record<'nixpkgs' | 'unstable' | 'pkgs', { span: Span; text: string }[]> } {
    const scope = this.scopeNames();
    if (defining !== undefined) scope.delete(defining);
    const system: SystemRef = scope.has('system') ? { var: 'system' } : { literal: 'x86_64-linux' };
    const inputs = flakeFor(this.ctx.model, this.file)?.inputs ?? [];
    const nixpkgsInputs = inputs.filter((i) => i.isNixpkgs || isNixpkgsUrl(i.url, i.name));
    const main = nixpkgsInputs.find((i) => i.name === 'nixpkgs') ?? nixpkgsInputs[0];
    const second =
      nixpkgsInputs.find((i) => i !== main && /unstable/i.test(`${i.name} ${i.url ?? ''}`)) ?? nixpkgsInputs.find((i) => i !== main);
    type Reach = { ref: string | null; edits: { span: Span; text: string }[] };
    const none: Reach = { ref: null, edits: [] };
    let nixpkgs = none;
    let unstable = none;
    if (isFlakePath(this.file)) {
      const out = outputsInfo({ rootNode: this.cursor.root });
      const inside = !!out && out.fn.startIndex <= this.offset && this.offset <= out.fn.endIndex;
      const refer = (name: string) => (inside ? this.inputReference(out!, name, scope) : none);
      nixpkgs = main ? refer(main.name) : scope.has('nixpkgs') ? { ref: 'nixpkgs', edits: [] } : none;
      unstable = second ? refer(second.name) : none;
    } else {
      const viaInputs = (name: string) => (scope.has(name) ? name : scope.has('inputs') ? `inputs.${attrName(name)}` : null);
      // A package set in scope knows its nixpkgs (`pkgs.path`); `<nixpkgs>` is the channel-era last resort.
      const fallback = scope.has('pkgs') ? 'pkgs.path' : '<nixpkgs>';
      const ref = scope.has('nixpkgs') ? 'nixpkgs' : (viaInputs(main?.name ?? 'nixpkgs') ?? fallback);
      nixpkgs = { ref, edits: [] };
      unstable = { ref: second ? viaInputs(second.name) : null, edits: [] };
    }
    const pkgsName = scope.has('pkgs') ? 'pkgs' : this.boundInstances(scope)[0];
    let pkgs: Reach = pkgsName ? { ref: pkgsName, edits: [] } : none;
    if (!pkgsName && nixpkgs.ref !== null && !nixpkgs.ref.startsWith('<')) {
      const sys = 'var' in system ? `\${${system.var}}` : system.literal;
      pkgs = { ref: `${nixpkgs.ref}.legacyPackages.${sys}`, edits: nixpkgs.edits };
    }
    return {
      env: { nixpkgs: nixpkgs.ref, unstable: unstable.ref, pkgs: pkgs.ref, localSystem: system, system },
      edits: { nixpkgs: nixpkgs.edits, unstable: unstable.edits, pkgs: pkgs.edits },
    };
  }

  /** A flake input as the cursor's place in `outputs` can name it: in scope, through the inputs variable, or as a new formal. */
  private inputReference(out: OutputsInfo, name: string, scope: Set<string>): { ref: string | null; edits: { span: Span; text: string }[] } {
    if (scope.has(name)) return { ref: name, edits: [] };
    if (out.universal && !scope.has(out.universal)) return { ref: null, edits: [] };
    if (!NAME.test(name)) return { ref: out.universal ? `${out.universal}.${attrName(name)}` : null, edits: [] };
    const r = inputRef(out, name);
    if (!r.addFormal) return { ref: r.ref, edits: [] };
    if (!out.formalsNode) return { ref: null, edits: [] };
    const b = new SourceChangeBuilder();
    addOutputsFormals(b, this.file, out, [name]);
    return { ref: name, edits: (b.finish().files.get(this.file) ?? []).map((e) => ({ span: e.span, text: e.newText })) };
  }

  /** What `specialArgs` can inherit here: `inputs` and the instances bound in scope. */
  private passableNames(): string[] {
    const scope = this.scopeNames();
    return [...(scope.has('inputs') ? ['inputs'] : []), ...new Set(this.boundInstances(scope))];
  }

  /** The names in scope that the file binds to an instance. */
  private boundInstances(scope: Set<string>): string[] {
    return this.ctx.model
      .instancesIn(this.file)
      .filter((i) => i.site.name !== null && i.createsInstance && scope.has(i.site.name) && !i.site.name.includes('.'))
      .map((i) => i.site.name!);
  }

  private scopeNames(): Set<string> {
    return namesInScope(this.cursor.root, this.offset);
  }
}

const NAME = /^[A-Za-z_][A-Za-z0-9_'-]*$/;

/** `name`, or `"name"` when it is not an identifier. */
function attrName(name: string): string {
  return NAME.test(name) ? name : JSON.stringify(name);
}

/** The universal parameter of a module written `args: { ... }` (after any `let`s). */
function moduleUniversal(root: Node): string | null {
  let t = topExpression(root);
  while (t && t.type === K.Let) {
    const body = t.childForFieldName('body');
    t = body ? unparen(body) : null;
  }
  return t?.type === K.Function ? (lambdaFormals(t)?.universal ?? null) : null;
}

/**
 * The argument flake.nix already passes to this module that holds the snippet's instance:
 * a `specialArgs` name bound, in the builder's file, to an instance with the same target.
 */
function passedInstanceFor(ctx: FeatureContext, passed: ReturnType<typeof moduleArgNames>, prefix: string): string | null {
  const target = snippetTarget(prefix);
  if (!target) return null;
  for (const [name, builders] of passed) {
    for (const b of builders) {
      for (const inst of ctx.model.instancesIn(b.file)) {
        if (inst.site.name !== name || !inst.createsInstance) continue;
        const attrs = inst.site.args?.attrs;
        const cross = platformSystem(attrs?.get('crossSystem') ?? null);
        const native = attrs?.get('system')?.string ?? platformSystem(attrs?.get('localSystem') ?? null);
        if ('cross' in target && cross === target.cross) return name;
        if ('native' in target && !cross && native === target.native) return name;
        if ('secondInput' in target && inst.input !== null && /unstable/i.test(inst.input)) return name;
      }
    }
  }
  return null;
}

/** Where a module argument a snippet names comes from, for the item's documentation. */
function moduleArgumentNote(ctx: FeatureContext, file: string, s: RenderedSnippet): string {
  const name = s.argument!.replace(/^[^.]*\./, '');
  if (name === 'pkgs') return '';
  const passed = moduleArgNames(ctx.model, file).get(name);
  if (passed?.length) {
    return `\n\n\`${name}\` is passed to this module through \`specialArgs\` by ${passed.map((b) => displayPath(ctx.model, b.file)).join(', ')}.`;
  }
  return (
    `\n\nModules take instances as arguments: create \`${name}\` once in flake.nix (the \`${s.prefix}\` snippet there) ` +
    'and pass it with `specialArgs` (`extraSpecialArgs` for home-manager); every configuration then shares one.'
  );
}

/** `base`, or `base-2`, `base-3`, ... when the name is taken in scope. */
function freshName(base: string, scope: Set<string>): string {
  if (!scope.has(base)) return base;
  for (let i = 2; ; i++) if (!scope.has(`${base}-${i}`)) return `${base}-${i}`;
}

/** The platform's system string: `config`, `system`, or the string itself (`crossSystem = "riscv64-linux"`). */
function platformSystem(platform: ArgNode | null): string | null {
  if (!platform) return null;
  if (platform.string !== null) return platform.string;
  const config = platform.attrs?.get('config')?.string ?? platform.attrs?.get('system')?.string ?? null;
  return config !== null && !config.includes(CURSOR_WORD) ? config : null;
}

function rootOf(n: Node): Node {
  return n.tree.rootNode;
}

function isFlakePath(file: string): boolean {
  return file === 'flake.nix' || file.endsWith('/flake.nix');
}

/** Keeps the server's order in clients that sort by `sortText`. */
function sortKey(i: number): string {
  return String(i).padStart(4, '0');
}
