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
import { bindings, formals as lambdaFormals, isAttrset, K, parentOf, type Node } from '../../syntax/ast.js';
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
import { isNixpkgsUrl } from '../index/extract.js';
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
import { flakeFor, hostsOf, moduleArgNames } from './moduleArgs.js';
import { namesInScope, topExpression } from './scope.js';
import { renderSnippets, snippetToPlainText, STATIC_ENV, type SnippetEnv, type SnippetPlace } from './snippets.js';
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

  private snippetItems(place: SnippetPlace, env: SnippetEnv, instances: boolean): CompletionItem[] {
    return renderSnippets(env)
      .filter((s) => s.place === place && (instances || !s.createsInstance))
      .map((s, i) => {
        const body = s.body.join('\n');
        return {
          label: s.prefix,
          kind: 'snippet' as const,
          detail: s.description,
          documentation: '```nix\n' + snippetToPlainText(body) + '\n```',
          insertText: body,
          insertTextFormat: 'snippet' as const,
          filterText: s.prefix,
          sortText: sortKey(i),
          replaceRange: this.toRange(this.cursor.word),
        };
      });
  }

  /** `pkgs = |`: instance snippets outside modules, `pkgsCross` everywhere. */
  private valueSnippets(container: Node, key: string[]): CompletionItem[] {
    if (this.inFlakeMetadata(container, key)) return [];
    return this.snippetItems('expression', this.snippetEnv(), !this.isModule());
  }

  /** A key in a `let`, a `specialArgs` set or a builder's arguments. */
  private bindingSnippets(container: Node): CompletionItem[] {
    if (this.isModule()) return [];
    if (container.type === K.Let) return this.snippetItems('binding', this.snippetEnv(), true);
    const holder = bindingOfValue(container);
    const key = holder?.key.at(-1);
    if (isAttrset(container) && (key === 'specialArgs' || key === 'extraSpecialArgs')) {
      return this.snippetItems('binding', this.snippetEnv(), true);
    }
    const call = isAttrset(container) ? callOfSet(container) : null;
    if (call && BUILDER_CALLS.has(call.callee)) {
      const has = bindings(container).some((e) => e.kind === 'binding' && (e.path[0] === 'specialArgs' || e.path[0] === 'extraSpecialArgs'));
      if (has) return [];
      return this.snippetItems('builder-arguments', this.snippetEnv(call.callee), false);
    }
    return [];
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
   * The snippets' variables as the file tells them: in a flake.nix, the real
   * name of its nixpkgs input (through `inputs.` when only `inputs` is in
   * scope) and the `system` variable in scope; elsewhere the static defaults.
   */
  private snippetEnv(builder?: string): SnippetEnv {
    const specialArgsKey = builder === 'homeManagerConfiguration' ? 'extraSpecialArgs' : 'specialArgs';
    if (!isFlakePath(this.file)) return { ...STATIC_ENV, specialArgsKey };
    const scope = this.scopeNames();
    const inputs = flakeFor(this.ctx.model, this.file)?.inputs ?? [];
    const nixpkgsInputs = inputs.filter((i) => i.isNixpkgs || isNixpkgsUrl(i.url, i.name));
    const main = nixpkgsInputs.find((i) => i.name === 'nixpkgs') ?? nixpkgsInputs[0];
    const second =
      nixpkgsInputs.find((i) => i !== main && /unstable/i.test(`${i.name} ${i.url ?? ''}`)) ??
      nixpkgsInputs.find((i) => i !== main);
    const refer = (name: string): string => {
      if (scope.has(name) || !scope.has('inputs')) return name;
      return /^[A-Za-z_][\w'-]*$/.test(name) ? `inputs.${name}` : `inputs."${name}"`;
    };
    const system = scope.has('system') ? { var: 'system' } : { literal: 'x86_64-linux' };
    const bound = this.ctx.model
      .instancesIn(this.file)
      .filter((i) => i.site.name !== null && i.createsInstance && scope.has(i.site.name) && !i.site.name.includes('.'))
      .map((i) => i.site.name!);
    const passed = [...(scope.has('inputs') ? ['inputs'] : []), ...new Set(bound)];
    return {
      nixpkgs: main ? refer(main.name) : STATIC_ENV.nixpkgs,
      unstable: second ? refer(second.name) : STATIC_ENV.unstable,
      localSystem: system,
      system,
      specialArgs: passed.length ? passed : STATIC_ENV.specialArgs,
      specialArgsKey,
      names: { unstable: freshName(STATIC_ENV.names.unstable, scope), overlaid: freshName(STATIC_ENV.names.overlaid, scope) },
    };
  }

  private scopeNames(): Set<string> {
    return namesInScope(this.cursor.root, this.offset);
  }
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
