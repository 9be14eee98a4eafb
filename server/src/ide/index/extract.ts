/**
 * Reads one file's syntax tree into {@link FileFacts}: the instantiations of
 * nixpkgs it contains and the flake/module structure around them. Works on
 * syntax only; which nixpkgs an identifier names across files is settled by
 * the workspace pass.
 */
import { ancestors, applyParts, bindings, type BindingSetEntry, firstSyntaxError, formals, isFieldOf, K, MAX_NESTING, outsideParens, parentOf, selectParts, staticString, unparen, variableName, walk, type Node } from '../../syntax/ast.js';
import { readArgs, readOptionArgs, normalisedText, spanOf, withoutPriority } from './args.js';
import { pathRefs } from './refs.js';
import { outputOf, systemsOf } from './place.js';
import { nameRegExp, type Span } from '../text.js';
import { fetcherUrl, isNixpkgsSource, isNixpkgsUrl, isOpaque, nixpkgsArgs, onlyNixpkgsKeys } from './sources.js';
import { isOverlayShape, moduleRefs, overlayReplacements } from './shapes.js';
import {
  BUILDERS,
  CONFIGURATION_OUTPUTS,
  FETCHERS,
  MAY_APPLY,
  MAY_ATTRSET,
  MAY_SELECT,
  MODULE_FORMALS,
  MODULE_KEYS,
  PER_SYSTEM_FUNCTIONS,
  PLATFORM_OPTIONS,
  SUBTREE_WORDS,
  VARIANTS,
} from './vocabulary.js';
import type {
  BuilderFact,
  EvalScope,
  FileFacts,
  FlakeInputFact,
  ModuleOptionFact,
  ModuleRef,
  SiteFact,
  SourceRef,
  WrapperFact,
} from './facts.js';
import { topNode } from '../scope.js';
import { lowerBound } from '../sorted.js';

/** Keys whose value is one configuration's list of modules. */
const MODULE_LIST_KEYS = new Set(['modules', 'extraModules', 'extraConfig', 'imports', 'sharedModules']);

/** Keys of a host record (`{ path = ./hosts/board.nix; extraConfig = [ ... ]; }`) that name the host's own module. */
const HOST_MODULE_KEYS = new Set([...MODULE_LIST_KEYS, 'path', 'module', 'config', 'configuration', 'file']);

/** The parameter names overlays are written with: `final: prev:`, `self: super:`, `_: _:`. */
const OVERLAY_PARAM = /^_?(?:final|self|prev|super)$|^_$/;

/** Whether two curried lambdas take parameters named as an overlay's (`final: prev:`). */
function overlayNamed(outer: Node, inner: Node): boolean {
  const a = formals(outer)?.universal;
  const b = formals(inner)?.universal;
  return a !== undefined && a !== null && b !== undefined && b !== null && OVERLAY_PARAM.test(a) && OVERLAY_PARAM.test(b);
}

/** Fields of a flake reference written as an attribute set that name where it comes from. */
const REFERENCE_FIELDS = new Set(['type', 'owner', 'repo', 'ref']);

/** A name bound in a lexical scope. */
interface Def {
  kind: 'let' | 'rec' | 'formal' | 'universal';
  /** The bound value for let/rec bindings. */
  value: Node | null;
  /** The lambda that binds it, for formals. */
  fn: Node | null;
}

interface Scope {
  outer: Scope | null;
  names: Map<string, Def>;
}

function lookup(scope: Scope | null, name: string): Def | null {
  for (let s = scope; s; s = s.outer) {
    const d = s.names.get(name);
    if (d) return d;
  }
  return null;
}

export interface ExtractOptions {
  /** The file is a flake.nix (its `outputs` formals are flake inputs). */
  isFlake: boolean;
  /** Walk every node, not only the subtrees with words (tests compare the two). */
  everyNode?: boolean;
}

export function extractFacts(root: Node, text: string, options: ExtractOptions): FileFacts {
  const facts = new Extractor(root, text, options, options.everyNode ?? false).run();
  // Which named lambda a wrapper is depends on every `let` in the file (the first of a name wins),
  // also those in subtrees the walk passes over: a file with one is read again, walking everything.
  if (facts.sites.some((s) => s.kind === 'import' && s.wrapper)) return new Extractor(root, text, options, true).run();
  return facts;
}

/** Where the words of SUBTREE_WORDS occur in a text: each start, with the end of the shortest word there. */
export class WordIndex {
  private static readonly re = new RegExp(SUBTREE_WORDS.map((w) => w.replace(/[-.]/g, '\\$&')).join('|'), 'g');
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];

  constructor(text: string) {
    const re = WordIndex.re;
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text))) {
      this.starts.push(m.index);
      this.ends.push(m.index + m[0].length);
      // Overlapping words count too (`pkgsCross` inside `pkgsCrossX`, `imports` and `import`).
      re.lastIndex = m.index + 1;
    }
  }

  get count(): number {
    return this.starts.length;
  }

  startAt(k: number): number {
    return this.starts[k]!;
  }

  endAt(k: number): number {
    return this.ends[k]!;
  }

  /** The first word starting at or after `offset` (`count` when none). */
  firstFrom(offset: number): number {
    return lowerBound(this.starts, offset);
  }
}

/** Node type names and named-ness by type id, per grammar: asked once per id, not once per node. */
const kindsByLanguage = new WeakMap<object, { named: (id: number) => boolean; type: (id: number) => string }>();

function nodeKinds(root: Node): { named: (id: number) => boolean; type: (id: number) => string } {
  const language = root.tree.language;
  let kinds = kindsByLanguage.get(language);
  if (!kinds) {
    const named = new Map<number, boolean>();
    kinds = {
      named: (id) => {
        let n = named.get(id);
        if (n === undefined) named.set(id, (n = language.nodeTypeIsNamed(id)));
        return n;
      },
      // As TreeCursor.nodeType answers.
      type: (id) => language.types[id] || 'ERROR',
    };
    kindsByLanguage.set(language, kinds);
  }
  return kinds;
}

class Extractor {
  private readonly facts: FileFacts = {
    sites: [],
    wrappers: [],
    flakeInputs: null,
    builders: [],
    imports: [],
    moduleShaped: false,
    moduleFormals: null,
    options: [],
    emulatedSystems: [],
    suppressions: [],
    partial: null,
    partialAt: null,
    refs: [],
    configurations: [],
    topFunction: false,
    fileCalls: [],
  };
  /** The `outputs` lambda of a flake.nix. */
  private outputsFn: Node | null = null;
  /** The top-level lambda of a module file. */
  private moduleFn: Node | null = null;
  /** The callee of each whole call evalScope looked at, by node id: sites inside one long call share it. */
  private readonly callees = new Map<number, string | null>();
  /** Lambdas bound to names (`mkPkgs = system: ...`), by lambda start offset. */
  private readonly namedLambdas = new Map<number, { name: string; nameNode: Node; binding: Node }>();
  private readonly wrapperByName = new Map<string, WrapperFact>();
  /** Heads of named lambdas whose body calls a system builder (`mkHost = name: nixosSystem { ... }`). */
  private readonly hostLambdas = new Set<number>();
  /** Names of functions whose calls are the configurations of an output (`goethe = mkHome ...;`). */
  private readonly hostFunctions = new Set<string>();
  /** Whole-word name counts of `let` nodes, by start offset (see `namesIn`). */
  private readonly nameCounts = new Map<number, Map<string, number>>();
  /** `start:end` of every site so far: one expression is one site. */
  private readonly siteSpans = new Set<string>();
  /** The tree node of each site, kept only while extracting (facts hold no nodes). */
  private readonly siteNodes = new Map<SiteFact, Node>();
  /** Builder facts with the named lambda they sit in, resolved after the walk. */
  private readonly pendingBuilders: { fact: BuilderFact; node: Node; lambda: { name: string; head: Node } | null }[] = [];

  private readonly bindingCache = new Map<number, BindingSetEntry[]>();
  /** Where the words are that a subtree must hold to be walked (see `traverse`). */
  private readonly words: WordIndex;

  /** `full`: walk every node, not only the subtrees with words. */
  constructor(
    private readonly root: Node,
    private readonly text: string,
    private readonly options: ExtractOptions,
    private readonly full: boolean,
  ) {
    this.words = new WordIndex(text);
  }

  run(): FileFacts {
    this.readSuppressions();
    this.facts.refs = pathRefs(this.text);
    const top = topNode(this.root);
    if (top) {
      this.classifyTop(unparen(top));
      this.traverse(top);
      this.resolveBuilders();
      this.resolveWrapperCalls();
      this.followInputs();
      this.markCopiedBindings(top);
      // Scopes need the whole file (which lambdas build hosts): settle them last.
      for (const [site, node] of this.siteNodes) {
        if (site.kind === 'wrapper-call' && node.type === K.Variable) continue;
        // A framework instantiates per system whatever the call's own scope.
        site.scope = site.kind === 'framework' ? 'per-system' : this.evalScope(node).scope;
        site.output = outputOf(node, this.outputsFn);
        if (site.scope === 'per-system') site.systems = systemsOf(node, PER_SYSTEM_FUNCTIONS);
      }
    }
    if (!this.facts.partial) {
      // The grammar's gaps that Nix accepts (trailing commas in formals) are read exactly: not partial.
      const error = firstSyntaxError(this.root);
      if (error) {
        this.facts.partial = 'syntax errors';
        this.facts.partialAt = error;
      }
    }
    return this.facts;
  }

  /**
   * `repl = ../../lib/repl.nix;` in a `let` whose every use of `repl` is an interpolation
   * (`"nix repl --expr 'import ${repl} { }'"`): the file is copied to the store for a program, as
   * `"${../../lib/repl.nix}"` is, and nothing evaluates it.
   */
  private markCopiedBindings(top: Node): void {
    // Only a binding whose value is a path can be one: most files have none, and their text says
    // so without a walk over the tree (`name = ./x`, `../x`, `/x`, `~/x`).
    if (this.facts.refs.every((r) => r.copy) || !/=\s*(?:\.\.?|~)?\//.test(this.text)) return;
    // One pass (deeply nested files stay linear) for the candidates and every name's uses: a
    // name is counted wherever it is used, which can only keep a path from being taken for a copy.
    const candidates = new Map<string, string[]>();
    const uses = new Map<string, { all: number; interpolated: number }>();
    const countUse = (n: Node): void => {
      const name = variableName(n);
      if (name === null) return;
      const u = uses.get(name) ?? { all: 0, interpolated: 0 };
      u.all++;
      if (parentOf(n)?.type === K.Interpolation) u.interpolated++;
      uses.set(name, u);
    };
    // Without nesting too deep to walk, the candidates are asked of each `let` and the uses of
    // each variable named like one, found in two calls into the parser instead of a walk.
    if (this.facts.partial === null) {
      for (const letNode of top.descendantsOfType(K.Let)) {
        for (const set of letNode.children) {
          for (const n of set?.children ?? []) if (n?.type === K.Binding) this.copyCandidate(n, candidates);
        }
      }
      if (candidates.size === 0) return;
      for (const n of top.descendantsOfType(K.Variable)) if (candidates.has(n.text)) countUse(n);
    } else walk(
      top,
      (n) => {
        if (n.type === K.Variable) {
          countUse(n);
          return;
        }
        if (n.type !== K.Binding) return;
        const set = parentOf(n);
        if (set && parentOf(set)?.type === K.Let) this.copyCandidate(n, candidates);
      },
      MAX_NESTING,
    );
    for (const [name, paths] of candidates) {
      const u = uses.get(name);
      if (!u || u.all !== u.interpolated) continue;
      for (const ref of this.facts.refs) if (paths.includes(ref.path) && !ref.copy) ref.copy = true;
    }
  }

  /** A binding of a `let` whose value is a path (`repl = ../../lib/repl.nix;`): its name and path. */
  private copyCandidate(n: Node, candidates: Map<string, string[]>): void {
    const value = n.childForFieldName('expression');
    if (value?.type !== K.Path) return;
    const name = n.childForFieldName('attrpath')?.text;
    if (!name || !/^[A-Za-z_][\w'-]*$/.test(name)) return;
    candidates.set(name, [...(candidates.get(name) ?? []), value.text]);
  }

  // ---------------------------------------------------------------- file shape

  private classifyTop(topNode: Node): void {
    let top = topNode;
    if (this.options.isFlake && top.type === K.Attrset) {
      for (const e of this.bindingsOf(top)) {
        if (e.kind !== 'binding') continue;
        if (e.path[0] === 'inputs') {
          const attrs = e.attrpath.childrenForFieldName('attr').filter((n): n is Node => n !== null);
          this.readFlakeInputs(e.path.slice(1), e.value, attrs.slice(1), spanOf(e.node));
        }
        if (e.path.length === 1 && e.path[0] === 'outputs') {
          const fn = unparen(e.value);
          if (fn.type === K.Function) this.outputsFn = fn;
        }
      }
      this.facts.flakeInputs ??= [];
      return;
    }
    let body = top;
    // `let helper = ...; in { pkgs, ... }: { ... }` is a module too.
    while (top.type === K.Let && top.childForFieldName('body') && unparen(top.childForFieldName('body')!).type === K.Function) {
      top = unparen(top.childForFieldName('body')!);
    }
    if (top.type === K.Function) {
      this.facts.topFunction = true;
      const f = formals(top);
      const names = f?.set?.names.map((n) => n.name) ?? [];
      this.facts.moduleFormals = f?.set ? names : null;
      const looksLikeModule =
        f?.set !== null &&
        f?.set !== undefined &&
        f.set.ellipsis &&
        names.some((n) => MODULE_FORMALS.has(n));
      body = unparen(top.childForFieldName('body') ?? top);
      while (body.type === K.Let) body = unparen(body.childForFieldName('body') ?? body);
      const bodyIsModule = body.type === K.Attrset && this.hasModuleKeys(body);
      if (looksLikeModule || bodyIsModule) {
        this.facts.moduleShaped = true;
        this.moduleFn = top;
      }
      return;
    }
    if (top.type === K.Attrset && this.hasModuleKeys(top)) {
      const keys = this.bindingsOf(top).flatMap((e) => (e.kind === 'binding' ? [e.path[0]] : []));
      // A plain attrset is a module only when it says so with `imports`/`options`/`config`.
      if (keys.some((k) => k === 'imports' || k === 'options' || k === 'config')) this.facts.moduleShaped = true;
    }
  }

  /**
   * `builtins.mapAttrs (name: host: ...) hosts` / `genAttrs hosts (name: ...)` with `hosts` a
   * formal of the file's curried top-level function: which formal, at which position.
   * `up[o]` is the lambda (in its parentheses), an argument of the application above it.
   */
  private mappedOver(up: Node[], o: number, scope: Scope | null): { index: number; formal: string; valueParam: string | null } | null {
    let t = o + 1;
    while (up[t + 1]?.type === K.Apply && up[t + 1]!.childForFieldName('function')?.equals(up[t]!)) t++;
    const parts = applyParts(up[t]!);
    const callee = parts ? this.calleeName(parts.fn) : null;
    if (!parts || !callee || !['mapAttrs', 'genAttrs', 'mapAttrs\'', 'map'].includes(callee) || parts.args.length !== 2) return null;
    const other = parts.args.find((a) => !outsideParens(a).equals(up[o]!) && !a.equals(up[o]!));
    const name = other ? variableName(unparen(other)) : null;
    const def = name ? lookup(scope, name) : null;
    if (!name || !def || def.kind !== 'formal' || !def.fn) return null;
    let fn: Node | null = topNode(this.root);
    for (let index = 0; fn && index < 8; index++) {
      fn = unparen(fn);
      while (fn.type === K.Let) fn = unparen(fn.childForFieldName('body') ?? fn);
      if (fn.type !== K.Function) return null;
      if (fn.equals(def.fn)) {
        // `mapAttrs (name: system: ...)`: the second parameter gets each entry's value.
        const lambda = unparen(up[o]!);
        const inner = lambda.type === K.Function ? lambda.childForFieldName('body') : null;
        const valueParam = callee === 'mapAttrs' && inner && unparen(inner).type === K.Function ? (formals(unparen(inner))?.universal ?? null) : null;
        return { index, formal: name, valueParam };
      }
      fn = fn.childForFieldName('body');
    }
    return null;
  }

  /** The value a `let` (or `rec`) binds to `name` in scope, or null. */
  private letValue(name: string, scope: Scope | null): Node | null {
    const def = lookup(scope, name);
    return def && (def.kind === 'let' || def.kind === 'rec') ? def.value : null;
  }

  private hasModuleKeys(set: Node): boolean {
    return this.bindingsOf(set).some((e) => e.kind === 'binding' && e.path[0] !== null && MODULE_KEYS.has(e.path[0]!));
  }

  /** The fields of flake inputs written as attribute sets (`type`, `owner`, `repo`, `ref`), per input. */
  private readonly referenceParts = new Map<FlakeInputFact, Record<string, string | null>>();

  /**
   * An input declared only with `follows` (`nixpkgs-insync.follows = "nixpkgs";`) is the input it
   * follows: a nixpkgs when that one is.
   */
  private followInputs(): void {
    const inputs = this.facts.flakeInputs ?? [];
    // Chains (`a.follows = "b"; b.follows = "nixpkgs";`) settle in as many rounds as they are long.
    for (let changed = true; changed; ) {
      changed = false;
      for (const i of inputs) {
        if (i.url !== null || i.follows === null || i.isNixpkgs) continue;
        i.isNixpkgs = inputs.some((x) => x.name === i.follows && x !== i && x.isNixpkgs);
        changed ||= i.isNixpkgs;
      }
    }
  }

  private readFlakeInputs(path: (string | null)[], value: Node, attrs: Node[], span: { start: number; end: number }): void {
    const inputs = (this.facts.flakeInputs ??= []);
    const get = (name: string, nameNode: Node): FlakeInputFact => {
      let i = inputs.find((x) => x.name === name);
      if (!i) {
        i = { name, url: null, follows: null, span, nameSpans: [], isNixpkgs: false, overrides: [] };
        inputs.push(i);
      }
      i.nameSpans.push(spanOf(nameNode));
      return i;
    };
    const override = (input: FlakeInputFact, path: (string | null)[], v: Node): void => {
      const name = path[0];
      if (name === null || name === undefined) return;
      let o = input.overrides.find((x) => x.name === name);
      if (!o) input.overrides.push((o = { name, follows: null }));
      if (path.length === 2 && path[1] === 'follows') o.follows = staticString(v);
      else if (path.length === 1 && unparen(v).type === K.Attrset) {
        for (const e of this.bindingsOf(unparen(v))) if (e.kind === 'binding') override(input, [name, ...e.path], e.value);
      }
    };
    const setField = (input: FlakeInputFact, field: (string | null)[], v: Node): void => {
      if (field.length === 1 && field[0] === 'url') input.url = staticString(v);
      else if (field.length === 1 && field[0] === 'flake' && unparen(v).text === 'false') input.notFlake = true;
      else if (field.length === 1 && field[0] !== null && REFERENCE_FIELDS.has(field[0]!)) {
        // The attribute form `{ type = "github"; owner = "NixOS"; repo = "nixpkgs"; ref = "..."; }`.
        const parts = this.referenceParts.get(input) ?? {};
        parts[field[0]!] = staticString(v);
        this.referenceParts.set(input, parts);
        const { type, owner, repo, ref } = parts;
        if (type && owner && repo && (type === 'github' || type === 'gitlab' || type === 'sourcehut')) input.url = `${type}:${owner}/${repo}${ref ? `/${ref}` : ''}`;
      }
      else if (field.length === 1 && field[0] === 'follows') input.follows = staticString(v);
      else if (field[0] === 'inputs' && field.length > 1) override(input, field.slice(1), v);
      else if (field.length === 1 && field[0] === 'inputs' && unparen(v).type === K.Attrset) {
        for (const e of this.bindingsOf(unparen(v))) if (e.kind === 'binding') override(input, e.path, e.value);
      } else if (field.length === 0 && unparen(v).type === K.Attrset) {
        for (const e of this.bindingsOf(unparen(v))) if (e.kind === 'binding') setField(input, e.path, e.value);
      } else if (field.length === 0) {
        // `inputs.nixpkgs = "github:...";` is not valid flake syntax, but read the string anyway.
        input.url ??= staticString(v);
      }
      input.isNixpkgs = isNixpkgsUrl(input.url, input.name);
    };
    if (path.length === 0) {
      const v = unparen(value);
      if (v.type !== K.Attrset) return;
      for (const e of this.bindingsOf(v)) {
        const nameNode = e.kind === 'binding' ? e.attrpath.childrenForFieldName('attr')[0] : undefined;
        if (e.kind !== 'binding' || e.path[0] === null || e.path[0] === undefined || !nameNode) continue;
        setField(get(e.path[0], nameNode), e.path.slice(1), e.value);
      }
      return;
    }
    const nameNode = attrs[0];
    if (path[0] === null || path[0] === undefined || !nameNode) return;
    setField(get(path[0], nameNode), path.slice(1), value);
  }

  private readSuppressions(): void {
    const re = /#\s*nixpkgs-instances:\s*ignore\b([^\n\r]*)/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(this.text))) {
      let line = 0;
      for (let i = this.text.indexOf('\n'); i !== -1 && i < m.index; i = this.text.indexOf('\n', i + 1)) line++;
      const codes = m[1]!.trim().split(/[\s,]+/).filter(Boolean);
      this.facts.suppressions.push({ line, codes });
    }
  }

  // ---------------------------------------------------------------- traversal

  /**
   * Walks the tree with a cursor, materialising node objects only for the
   * kinds the index looks at (functions, lets, applications, selections,
   * attribute sets): creating a web-tree-sitter node, or asking a cursor
   * anything, costs far more than a look at the text. So the walk goes only
   * into subtrees that hold a word of SUBTREE_WORDS (every node the checks
   * read holds one), jumping to them by offset; the others cannot hold a
   * site, a builder or an option. Only where a subtree may hold a node nested
   * deeper than MAX_NESTING (more descendants than the levels left) are all
   * children visited, so the file is marked partial exactly where a walk of
   * every node would. Lexical scopes are those of the functions and lets
   * around a node; comments are skipped, so text that only looks like code
   * never counts.
   */
  private traverse(root: Node): void {
    this.visit(root, 0, null);
  }

  /** A node and what below it can matter. */
  private visit(node: Node, depth: number, scope: Scope | null): void {
    const typeId = node.typeId;
    const start = node.startIndex;
    const end = node.endIndex;
    if (this.isNamed(typeId)) {
      const type = this.typeName(typeId);
      if (depth > MAX_NESTING) {
        if (this.facts.partial === null) {
          this.facts.partial = `nesting deeper than ${MAX_NESTING} levels was not analysed`;
          this.facts.partialAt = { start, end };
        }
        return;
      } else if (type === K.Comment) {
        return;
      } else if (type === K.Function) {
        scope = this.functionScope(node, scope);
      } else if (type === K.Let || type === K.RecAttrset || type === K.LetAttrset) {
        const inner = this.letScope(node, scope);
        if (type === K.RecAttrset) this.checkAttrset(node, inner);
        scope = inner;
      } else if (type === K.Apply) {
        // The text tells cheaply whether the node can matter.
        if (this.textMay(start, end, MAY_APPLY)) this.checkApply(node, scope);
      } else if (type === K.Select) {
        if (this.textMay(start, end, MAY_SELECT)) this.checkSelect(node, scope);
      } else if (type === K.Attrset) {
        if (this.textMay(start, end, MAY_ATTRSET)) this.checkAttrset(node, scope);
      }
    }
    // A node that cannot hold anything deeper than MAX_NESTING needs only its subtrees with words.
    if (this.full || depth + node.descendantCount > MAX_NESTING) {
      for (const child of node.children) if (child) this.visit(child, depth + 1, scope);
      return;
    }
    const words = this.words;
    let k = words.firstFrom(start);
    while (k < words.count && words.startAt(k) < end) {
      const at = words.startAt(k);
      const child = words.endAt(k) <= end ? node.firstChildForIndex(at) : null;
      if (child && child.startIndex <= at && words.endAt(k) <= child.endIndex) {
        this.visit(child, depth + 1, scope);
        // The words within that child were its own.
        k = words.firstFrom(child.endIndex);
      } else {
        // A word reaching past its child (or the node) lies in no single child.
        k++;
      }
    }
  }

  /** `bindings` of a set, read once per set: the file's shape and the walk both read the top set. */
  private bindingsOf(node: Node): BindingSetEntry[] {
    let entries = this.bindingCache.get(node.id);
    if (!entries) this.bindingCache.set(node.id, (entries = bindings(node)));
    return entries;
  }

  private textMay(start: number, end: number, re: RegExp): boolean {
    re.lastIndex = 0;
    return re.test(this.text.slice(start, end));
  }

  private isNamed(typeId: number): boolean {
    return nodeKinds(this.root).named(typeId);
  }

  private typeName(typeId: number): string {
    return nodeKinds(this.root).type(typeId);
  }

  private functionScope(fn: Node, scope: Scope | null): Scope {
    const f = formals(fn);
    const names = new Map<string, Def>();
    if (f?.universal) names.set(f.universal, { kind: 'universal', value: null, fn });
    for (const n of f?.set?.names ?? []) names.set(n.name, { kind: 'formal', value: null, fn });
    // Defaults of formals see the formals too (`{ pkgs ? import <nixpkgs> {} }:`): the scope covers the whole function.
    return { outer: scope, names };
  }

  private letScope(node: Node, scope: Scope | null): Scope {
    const names = new Map<string, Def>();
    const kind = node.type === K.Let ? 'let' : 'rec';
    for (const e of this.bindingsOf(node)) {
      if (e.kind === 'binding') {
        const first = e.path[0];
        if (first === null || first === undefined) continue;
        names.set(first, { kind, value: e.path.length === 1 ? e.value : null, fn: null });
        if (e.path.length === 1) this.noteNamedLambda(first, e.attrpath, e.node, e.value);
      } else {
        for (const n of e.names) names.set(n.name, { kind, value: null, fn: null });
      }
    }
    return { outer: scope, names };
  }

  private noteNamedLambda(name: string, nameNode: Node, binding: Node, value: Node): void {
    const v = unparen(value);
    if (v.type === K.Function) this.namedLambdas.set(v.startIndex, { name, nameNode, binding });
  }

  // ---------------------------------------------------------------- instances

  private checkApply(node: Node, scope: Scope | null): void {
    // Only the outermost application of a chain: `import nixpkgs { }` is apply(apply(import, nixpkgs), {}).
    if (isFieldOf(node, K.Apply, 'function')) return;
    const parts = applyParts(node);
    if (!parts) return;
    const fnName = this.calleeName(parts.fn);
    if (fnName === 'import' && parts.args.length >= 1) {
      const sourceNode = parts.args[0]!;
      const source = this.resolveSource(sourceNode, scope, 0);
      const argNode = parts.args[1] ?? null;
      // `import nixpkgs` alone is the function, not an instance.
      if (!argNode) return;
      const path = unparen(sourceNode);
      if (path.type === K.Path && /\.nix$|^\.\.?(\/[\w.+-]+)*$/.test(path.text)) {
        this.facts.fileCalls.push({ path: path.text, span: spanOf(node), args: parts.args.slice(1).map(namesByAttribute) });
      }
      if (!isNixpkgsSource(source, sourceNode) && !(isOpaque(source) && nixpkgsArgs(argNode, sourceNode))) return;
      this.addSite(node, 'import', source, sourceNode, argNode, { start: node.startIndex, end: sourceNode.endIndex });
      const site = this.facts.sites.at(-1);
      if (site && this.siteNodes.get(site) === node) {
        site.argsScope = this.argsScopeTag(argNode, scope);
        const param = source.kind === 'arg' && source.path.length === 0 ? this.factoryParam(source.arg, scope, site) : null;
        // Only where each call of the function runs the site (in its body, or per system there),
        // not inside a function it returns (`src: let ... in x: import src { ... }`).
        if (param?.kind === 'param' && (site.wrapper === param.wrapper || site.scope === 'per-system')) {
          site.source = param;
          site.wrapper = param.wrapper;
        }
      }
      return;
    }
    if (fnName !== null && BUILDERS.has(fnName)) this.readBuilder(node, fnName, parts.args, scope);
    if (fnName === 'mkFlake' && parts.args.length >= 1) this.readFrameworkChannels(node, parts.fn, parts.args.at(-1)!);
    if ((fnName === 'extend' || fnName === 'appendOverlays') && parts.args.length >= 1) {
      // `pkgs.extend (final: prev: ...)`, `pkgs.appendOverlays [ ... ]` derive a new package set;
      // `lib.extend` derives a library, not a package set.
      const sel = selectParts(parts.fn);
      const base = sel.path.slice(0, -1);
      const baseName = variableName(sel.base);
      if (baseName === null || baseName === 'lib' || base.includes('lib') || base.includes(null)) return;
      // `linuxPackages.extend`, `vimPlugins.extend`, `python3Packages.extend`: package scopes, not package sets.
      const receiver = base.length ? base.at(-1)! : baseName;
      if (receiver !== 'legacyPackages' && /(Packages(_[\w]+)?|Plugins|Kernel)$|^linuxPackages/.test(receiver)) return;
      this.addRawSite(node, fnName, { kind: 'unknown' }, this.textOf(sel.base, base), null, null, spanOf(parts.fn));
    }
  }

  /**
   * `mkPkgs = system: src: import src { inherit system; ... }`: the nixpkgs is a parameter of the
   * named function around the site, so each call names its own (`mkPkgs "x86_64-linux"
   * inputs.nixpkgs`). Only with arguments that only nixpkgs takes (`system`, `overlays`,
   * `config`, ...): a parameter imported with other arguments can be any file.
   */
  private factoryParam(name: string, scope: Scope | null, site: SiteFact): SourceRef | null {
    const def = lookup(scope, name);
    if (!def || def.kind !== 'universal' || !def.fn) return null;
    if ((this.moduleFn && def.fn.equals(this.moduleFn)) || (this.outputsFn && def.fn.equals(this.outputsFn))) return null;
    if (!onlyNixpkgsKeys(site.args?.attrs ?? null)) return null;
    // The head of the curried chain carries the name; count the parameters before this one.
    let head = def.fn;
    let index = 0;
    for (let up = parentOf(head); up && up.type === K.Function && up.childForFieldName('body')?.equals(head); up = parentOf(up)) {
      head = up;
      if (!formals(up)?.universal) return null;
      index++;
    }
    const named = this.namedLambdas.get(head.startIndex);
    if (!named || PER_SYSTEM_FUNCTIONS.has(named.name)) return null;
    return { kind: 'param', wrapper: named.name, param: name, index };
  }

  /**
   * snowfall-lib's `mkFlake { channels-config = ...; }` and flake-utils-plus' `mkFlake { channels
   * = ...; supportedSystems = ...; }` import every nixpkgs channel once per system themselves: an
   * instance site at the call, though its `import` is in the framework. flake-parts' `mkFlake`
   * takes none of these attributes and is not one.
   */
  private readFrameworkChannels(node: Node, fn: Node, arg: Node): void {
    const set = unparen(arg);
    if (set.type !== K.Attrset && set.type !== K.RecAttrset) return;
    const keys = new Set(this.bindingsOf(set).flatMap((e) => (e.kind === 'binding' ? [e.path[0]] : e.names.map((n) => n.name))));
    const snowfall = keys.has('channels-config');
    if (!snowfall && !keys.has('channels') && !keys.has('channelsConfig') && !keys.has('supportedSystems')) return;
    this.addRawSite(node, 'framework', { kind: 'unknown' }, snowfall ? 'snowfall-lib channels' : 'flake-utils-plus channels', null, null, spanOf(fn));
  }

  /** `import`, `builtins.import`, `lib.nixosSystem` → the last name. */
  private calleeName(fn: Node): string | null {
    const f = unparen(fn);
    const v = variableName(f);
    if (v) return v;
    const sel = selectParts(f);
    const last = sel.path.at(-1);
    return typeof last === 'string' ? last : null;
  }

  private checkSelect(node: Node, scope: Scope | null): void {
    // Outermost select only.
    if (isFieldOf(node, K.Select, 'expression')) return;
    const sel = selectParts(node);
    // `{ pkgsCross, ... }: pkgsCross.wasi32`: a package file called with the set's members.
    const first = sel.path[0];
    if (variableName(sel.base) === 'pkgsCross' && typeof first === 'string') {
      this.addRawSite(node, 'pkgsCross', { kind: 'unknown' }, 'pkgsCross', null, first, spanOf(node));
      return;
    }
    const vIdx = sel.path.findIndex((p) => p !== null && VARIANTS.has(p));
    if (vIdx !== -1) {
      const member = sel.path[vIdx]!;
      const crossName = member === 'pkgsCross' ? sel.path[vIdx + 1] : member;
      if (crossName === undefined || crossName === null) return;
      const lp = sel.path.indexOf('legacyPackages');
      const source =
        lp !== -1 && lp < vIdx && !sel.path.slice(0, lp).includes(null)
          ? this.resolveSelectSource(sel.base, sel.path.slice(0, lp) as string[], scope)
          : null;
      this.addRawSite(
        node,
        member === 'pkgsCross' ? 'pkgsCross' : 'variant',
        source ?? { kind: 'unknown' },
        this.textOf(sel.base, sel.path.slice(0, vIdx)),
        null,
        crossName,
        { start: node.startIndex, end: node.endIndex },
      );
      return;
    }
    const idx = sel.path.findIndex((p) => p === 'legacyPackages');
    if (idx !== -1) {
      // `nixpkgs.legacyPackages.${system}` / `inputs.nixpkgs.legacyPackages.x86_64-linux`
      const basePath = sel.path.slice(0, idx);
      if (basePath.some((p) => p === null)) return;
      const source = this.resolveSelectSource(sel.base, basePath as string[], scope) ?? { kind: 'unknown' as const };
      this.addRawSite(node, 'legacyPackages', source, this.textOf(sel.base, basePath as string[]), null, null, {
        start: node.startIndex,
        end: node.endIndex,
      });
    }
  }

  private checkAttrset(node: Node, scope: Scope | null): void {
    const platform: { key: string; keyNode: Node; path: string[]; value: Node; span: { start: number; end: number } }[] = [];
    for (const e of this.bindingsOf(node)) {
      if (e.kind !== 'binding') continue;
      const path = e.path;
      if (path.some((p) => p === null)) continue;
      const p = path as string[];
      this.readConfigurations(p, e.value);
      // lite-config (a flake-parts module) imports the flake's nixpkgs per system from `lite-config.nixpkgs`.
      if (p.length === 1 && p[0] === 'lite-config') {
        this.addRawSite(e.value, 'framework', { kind: 'unknown' }, 'lite-config', null, null, spanOf(e.attrpath));
      }
      // Module options under `nixpkgs.` (also `config.nixpkgs.` and `nixpkgs = { ... }`).
      const flat = this.flattenOptionPaths(p, e.value);
      // A module inside an overlay (`final: prev: { x = evalNixvim { modules = [ { nixpkgs.pkgs =
      // prev; } ]; }; }`) configures that evaluation, not a configuration's package set.
      if (flat.some((f) => f.path[f.path[0] === 'config' ? 1 : 0] === 'nixpkgs') && this.insideOverlay(node)) continue;
      for (const { path: full, value, span } of flat) {
        const i = full[0] === 'config' ? 1 : 0;
        // `nixpkgs = nixpkgsDefaults;` with `nixpkgsDefaults = { overlays = ...; config = ...; }`
        // bound in this file: the overlays are set as surely as `nixpkgs.overlays = ...;`.
        if (full.length === i + 1 && full[i] === 'nixpkgs' && unparen(value).type === K.Variable) {
          const def = lookup(scope, variableName(value) ?? '');
          const set = def && (def.kind === 'let' || def.kind === 'rec') && def.value ? unparen(def.value) : null;
          if (set?.type === K.Attrset && this.bindingsOf(set).some((b) => b.kind === 'binding' && b.path[0] === 'overlays')) {
            this.facts.options.push({ option: 'nixpkgs.overlays', span, replaces: [], value: null });
          }
        }
        if (full[i] === 'nixpkgs' && full.length >= i + 2) {
          const option = `nixpkgs.${full[i + 1]}`;
          if (PLATFORM_OPTIONS.has(full[i + 1]!)) platform.push({ key: full[i + 1]!, keyNode: e.attrpath, path: full.slice(i + 2), value, span });
          const fact: ModuleOptionFact = { option, span, replaces: [], value: staticString(withoutPriority(value)) };
          if (option === 'nixpkgs.overlays') {
            fact.replaces = overlayReplacements(value, (name) => {
              const def = lookup(scope, name);
              return def && (def.kind === 'let' || def.kind === 'rec') ? def.value : null;
            });
          }
          this.facts.options.push(fact);
          const sel = selectParts(value);
          // `nixpkgs.pkgs = pkgs.pkgsCross.riscv64;` derives a set of its own: the selection's site.
          const derives = sel.path.some((p) => p !== null && VARIANTS.has(p));
          if (option === 'nixpkgs.pkgs' && unparen(value).type !== K.Apply && !derives) {
            const lp = sel.path.indexOf('legacyPackages');
            const source =
              lp !== -1 && !sel.path.slice(0, lp).includes(null)
                ? (this.resolveSelectSource(sel.base, sel.path.slice(0, lp) as string[], scope) ?? { kind: 'unknown' as const })
                : ({ kind: 'unknown' } as const);
            this.addRawSite(value, 'nixpkgs.pkgs', source, normalisedText(value), null, lp !== -1 ? 'legacyPackages' : null, span);
          }
        }
        if (full.slice(i).join('.') === 'boot.binfmt.emulatedSystems') {
          const list = unparen(value);
          if (list.type === K.List) {
            for (const el of list.namedChildren) {
              const s = el ? staticString(el) : null;
              if (s && el) this.facts.emulatedSystems.push({ system: s, span: spanOf(el) });
            }
          }
        }
        if (full.slice(i).join('.') === 'imports' && (this.moduleFn !== null || this.facts.moduleShaped)) {
          this.facts.imports.push(...moduleRefs(value, (name) => this.letValue(name, scope)));
        }
      }
    }
    if (platform.length) this.addPlatformSite(platform, node);
  }

  /**
   * The files listed beside an inline module: the path elements of the list it is in, and the
   * path values (or lists of paths) of the record that list is a value of. One level up only: a
   * list of hosts further out is not one configuration.
   */
  private besides(module: Node): string[] {
    const out: string[] = [];
    const literal = (n: Node) => n.type === K.Path && !n.namedChildren.some((c) => c?.type === K.Interpolation);
    const paths = (n: Node) => {
      const v = unparen(n);
      if (literal(v)) out.push(v.text);
      else if (v.type === K.List) for (const el of v.namedChildren) if (el && literal(el)) out.push(el.text);
    };
    const keyOf = (b: Node | null) => {
      const attrs = b?.type === K.Binding ? (b.childForFieldName('attrpath')?.childrenForFieldName('attr') ?? []) : [];
      return attrs.length ? attrs.at(-1)!.text : null;
    };
    let cur = outsideParens(module);
    const list = parentOf(cur);
    if (list?.type === K.List) {
      paths(list);
      cur = outsideParens(list);
    }
    // Up to the record around it only from a configuration's module list (`extraConfig = [ ... ]`),
    // not from an entry of a table of hosts.
    const binding = parentOf(cur);
    if (!MODULE_LIST_KEYS.has(keyOf(binding) ?? '')) return out;
    const set = parentOf(binding!);
    const record = set?.type === K.BindingSet ? parentOf(set) : null;
    if (record && (record.type === K.Attrset || record.type === K.RecAttrset)) {
      for (const e of bindings(record)) {
        if (e.kind === 'binding' && !e.value.equals(cur) && e.path.length === 1 && HOST_MODULE_KEYS.has(e.path[0] ?? '')) paths(e.value);
      }
    }
    return out;
  }

  /**
   * The platform options of one module (`nixpkgs.hostPlatform`, `buildPlatform`, `crossSystem`,
   * `localSystem`, `system`) as one site: they describe the package set of every configuration
   * that loads the module. Read like instance arguments, so the platform checks apply to them.
   */
  private addPlatformSite(
    options: { key: string; keyNode: Node; path: string[]; value: Node; span: { start: number; end: number } }[],
    module: Node,
  ): void {
    const span = { start: Math.min(...options.map((o) => o.span.start)), end: Math.max(...options.map((o) => o.span.end)) };
    const spanKey = `${span.start}:${span.end}`;
    if (this.siteSpans.has(spanKey)) return;
    this.siteSpans.add(spanKey);
    const besides = this.besides(module);
    this.facts.sites.push({
      kind: 'platform',
      span,
      anchor: options[0]!.span,
      source: { kind: 'unknown' },
      sourceText: 'nixpkgs',
      args: readOptionArgs(options, span),
      name: null,
      bindingSpan: null,
      scope: this.moduleFn ? 'per-host' : 'unknown',
      wrapper: null,
      member: null,
      argsScope: null,
      defaultOf: null,
      overlay: false,
      ...(besides.length ? { besides } : {}),
    });
  }

  /**
   * `nixosConfigurations.alpha = ...;`, `flake.darwinConfigurations = { a = ...; b = ...; }`: one
   * configuration per name; a computed set (`mapAttrs mkHost hosts`) is one entry of unknown size.
   */
  private readConfigurations(path: string[], value: Node): void {
    const k = path.findIndex((x) => CONFIGURATION_OUTPUTS.has(x));
    if (k === -1) return;
    const output = path[k]!;
    if (k + 1 < path.length) {
      this.facts.configurations.push({ output, name: path[k + 1]! });
      this.noteHostFunction(value);
      return;
    }
    const v = unparen(value);
    if (v.type !== K.Attrset) {
      this.facts.configurations.push({ output, name: null });
      return;
    }
    for (const e of this.bindingsOf(v)) {
      const name = e.kind === 'binding' ? e.path[0] : null;
      if (e.kind === 'binding') {
        this.facts.configurations.push({ output, name: name ?? null });
        this.noteHostFunction(e.value);
      } else for (const n of e.names) this.facts.configurations.push({ output, name: n.name });
    }
  }

  /** `alpha = mkHome "alpha" "x86_64-linux";` under a configurations output: `mkHome` runs once per host. */
  private noteHostFunction(value: Node): void {
    const parts = applyParts(unparen(value));
    const name = parts ? variableName(parts.fn) : null;
    if (name) this.hostFunctions.add(name);
  }

  /** `nixpkgs = { config = ...; overlays = ...; }` as `nixpkgs.config`, `nixpkgs.overlays`. */
  private flattenOptionPaths(
    path: string[],
    value: Node,
    depth = 0,
  ): { path: string[]; value: Node; span: { start: number; end: number } }[] {
    const v = unparen(value);
    const interesting = path[0] === 'nixpkgs' || path[0] === 'config' || path[0] === 'boot' || path[0] === 'imports';
    if (!interesting || depth > 4) return [{ path, value, span: spanOf(parentOf(value) ?? value) }];
    const j = path[0] === 'config' ? 1 : 0;
    if (v.type === K.Attrset && !(path.length >= j + 2 && path[j] === 'nixpkgs')) {
      const out: { path: string[]; value: Node; span: { start: number; end: number } }[] = [];
      for (const e of this.bindingsOf(v)) {
        if (e.kind !== 'binding' || e.path.some((p) => p === null)) continue;
        out.push(...this.flattenOptionPaths([...path, ...(e.path as string[])], e.value, depth + 1));
      }
      return out;
    }
    return [{ path, value, span: spanOf(parentOf(value) ?? value) }];
  }

  private textOf(base: Node, path: (string | null)[]): string {
    return [normalisedText(base), ...path.map((p) => p ?? '${…}')].join('.');
  }

  private resolveSelectSource(base: Node, path: string[], scope: Scope | null): SourceRef | null {
    return this.resolveSourceParts(base, path, scope, 0);
  }

  /** Which nixpkgs an expression names, as far as this file tells. */
  private resolveSource(node: Node, scope: Scope | null, depth: number): SourceRef {
    const n = unparen(node);
    if (n.type === K.SPath) return { kind: 'channel', name: n.text.slice(1, -1) };
    if (n.type === K.Path) return { kind: 'path', path: n.text };
    if (n.type === K.Apply) {
      const parts = applyParts(n);
      const callee = parts ? this.calleeName(parts.fn) : null;
      if (parts && callee && FETCHERS.has(callee)) {
        return { kind: 'fetcher', fetcher: callee, url: fetcherUrl(parts.args) };
      }
      return { kind: 'unknown' };
    }
    if (n.type === K.Variable || n.type === K.Select) {
      const sel = selectParts(n);
      if (sel.path.some((p) => p === null)) return { kind: 'unknown' };
      return this.resolveSourceParts(sel.base, sel.path as string[], scope, depth) ?? { kind: 'unknown' };
    }
    return { kind: 'unknown' };
  }

  private resolveSourceParts(base: Node, path: string[], scope: Scope | null, depth: number): SourceRef | null {
    if (depth > 8) return null;
    // `x.outPath` names the same tree as `x`.
    const p = path.at(-1) === 'outPath' ? path.slice(0, -1) : path;
    if (p.length === 1 && p[0] === 'path') {
      const baseName = variableName(base);
      if (baseName) return { kind: 'pkgs-path', base: baseName };
    }
    const name = variableName(base);
    if (!name) {
      const b = unparen(base);
      if (b.type === K.SPath || b.type === K.Path || b.type === K.Apply) {
        return p.length === 0 ? this.resolveSource(b, scope, depth + 1) : null;
      }
      return null;
    }
    const def = lookup(scope, name);
    if (def && (def.kind === 'let' || def.kind === 'rec') && def.value) {
      const v = unparen(def.value);
      if (v.type === K.Variable || v.type === K.Select) {
        const sel = selectParts(v);
        if (sel.path.some((x) => x === null)) return null;
        return this.resolveSourceParts(sel.base, [...(sel.path as string[]), ...p], scope, depth + 1);
      }
      if (p.length === 0) return this.resolveSource(v, scope, depth + 1);
      return null;
    }
    if (def && (def.kind === 'formal' || def.kind === 'universal') && def.fn) {
      if (this.outputsFn && def.fn.equals(this.outputsFn)) {
        if (def.kind === 'formal' && p.length === 0) return { kind: 'input', input: name };
        if (def.kind === 'universal' && p.length === 1) return { kind: 'input', input: p[0]! };
        if (def.kind === 'formal' && name === 'inputs' && p.length === 1) return { kind: 'input', input: p[0]! };
        return null;
      }
      return { kind: 'arg', arg: name, path: p };
    }
    // Unbound names: in a flake, `inputs.X` may reach through `with`; elsewhere leave it to the name.
    return { kind: 'arg', arg: name, path: p };
  }

  private addSite(
    node: Node,
    kind: SiteFact['kind'],
    source: SourceRef,
    sourceNode: Node,
    argNode: Node | null,
    anchor: { start: number; end: number },
  ): void {
    this.addRawSite(node, kind, source, normalisedText(sourceNode), argNode, null, anchor);
  }

  private addRawSite(
    node: Node,
    kind: SiteFact['kind'],
    source: SourceRef,
    sourceText: string,
    argNode: Node | null,
    member: string | null,
    anchor: { start: number; end: number },
  ): void {
    // `nixpkgs.pkgs = nixpkgs.legacyPackages.x86_64-linux;` is one site, not two.
    const spanKey = `${node.startIndex}:${node.endIndex}`;
    if (this.siteSpans.has(spanKey)) return;
    this.siteSpans.add(spanKey);
    const { name, bindingSpan } = this.boundName(node);
    const overlay = this.insideOverlay(node);
    const { scope, wrapper } = overlay ? { scope: 'per-call' as const, wrapper: null } : this.evalScope(node);
    const site: SiteFact = {
      kind,
      span: spanOf(node),
      anchor,
      source,
      sourceText,
      args: argNode ? readArgs(argNode) : null,
      name,
      bindingSpan,
      scope,
      wrapper,
      member,
      argsScope: null,
      defaultOf: this.defaultOf(node),
      ...(this.unusedLetBinding(node) ? { unused: true as const } : {}),
      overlay,
    };
    this.facts.sites.push(site);
    this.siteNodes.set(site, node);
  }

  /** `@<offset>` of the inner functions whose parameters the arguments use, or null. */
  private argsScopeTag(args: Node, scope: Scope | null): string | null {
    const fns = new Set<number>();
    const note = (name: string | null) => {
      const def = name ? lookup(scope, name) : null;
      if (def?.fn && !(this.outputsFn && def.fn.equals(this.outputsFn)) && !(this.moduleFn && def.fn.equals(this.moduleFn))) {
        fns.add(def.fn.startIndex);
      }
    };
    const visit = (n: Node, depth: number): void => {
      if (depth > 200) return;
      if (n.type === K.Variable) return note(variableName(n));
      if (n.type === K.Inherit) {
        // `inherit system;` reads the variable `system`.
        for (const a of n.childForFieldName('attrs')?.childrenForFieldName('attr') ?? []) if (a) note(a.text);
        return;
      }
      for (const c of n.namedChildren) if (c) visit(c, depth + 1);
    };
    visit(args, 0);
    return fns.size ? [...fns].sort((a, b) => a - b).map((f) => `@${f}`).join('') : null;
  }

  private systemOfPkgs(value: Node, scope: Scope | null): string | null {
    const v = unparen(value);
    const sel = selectParts(v);
    const lp = sel.path.indexOf('legacyPackages');
    if (lp !== -1) {
      const sys = sel.path[lp + 1];
      if (typeof sys === 'string') return sys;
      const attrpath = v.type === K.Select ? v.childForFieldName('attrpath') : null;
      const attr = attrpath?.childrenForFieldName('attr')[lp + 1 - (sel.path.length - (attrpath?.childrenForFieldName('attr').length ?? 0))];
      const expr = attr?.type === K.Interpolation ? attr.childForFieldName('expression') : null;
      return expr ? (staticString(expr) ?? this.staticValueOf(expr, scope)) : null;
    }
    const parts = v.type === K.Apply ? applyParts(v) : null;
    const args = parts?.args[1] ? unparen(parts.args[1]) : null;
    if (args?.type === K.Attrset) {
      for (const e of this.bindingsOf(args)) {
        if (e.kind === 'binding' && e.path.length === 1 && (e.path[0] === 'system' || e.path[0] === 'localSystem')) {
          return staticString(e.value) ?? this.staticValueOf(e.value, scope);
        }
        if (e.kind === 'inherit' && !e.from && e.names.some((n) => n.name === 'system')) return this.staticValue('system', scope);
      }
    }
    return null;
  }

  /** The string a variable is bound to (`system = "x86_64-linux";` in a let), through aliases. */
  private staticValue(name: string, scope: Scope | null, depth = 0): string | null {
    const def = lookup(scope, name);
    if (!def || !def.value || depth > 8) return null;
    return staticString(def.value) ?? this.staticValueOf(def.value, scope, depth + 1);
  }

  private staticValueOf(value: Node, scope: Scope | null, depth = 0): string | null {
    const name = variableName(value);
    return name ? this.staticValue(name, scope, depth + 1) : null;
  }

  /** `unstable = import ...;` → `unstable`; also `pkgs-unstable = ...` in specialArgs. */
  private boundName(node: Node): { name: string | null; bindingSpan: { start: number; end: number } | null } {
    const n = outsideParens(node);
    const parent = parentOf(n);
    if (parent?.type === K.Binding && parent.childForFieldName('expression')?.equals(n)) {
      const attrpath = parent.childForFieldName('attrpath');
      const names = attrpath?.childrenForFieldName('attr').map((a) => a?.text ?? '') ?? [];
      return { name: names.join('.') || null, bindingSpan: spanOf(parent) };
    }
    // `{ pkgs ? import <nixpkgs> { } }:`
    if (parent?.type === K.Formal && parent.childForFieldName('default')?.equals(n)) {
      return { name: parent.childForFieldName('name')?.text ?? null, bindingSpan: spanOf(parent) };
    }
    return { name: null, bindingSpan: null };
  }

  /**
   * Whether the site is the value of a `let` binding that nothing in the `let` (its other
   * bindings and its body) names: lexical scope makes that certain, unlike an attribute, which
   * other files may select. Any mention counts, in strings too.
   */
  private unusedLetBinding(node: Node): boolean {
    const n = outsideParens(node);
    const binding = parentOf(n);
    if (binding?.type !== K.Binding || !binding.childForFieldName('expression')?.equals(n)) return false;
    const attrs = binding.childForFieldName('attrpath')?.childrenForFieldName('attr') ?? [];
    const name = attrs.length === 1 ? attrs[0]!.text : null;
    const set = parentOf(binding);
    const letNode = set ? parentOf(set) : null;
    if (!name || !/^[A-Za-z_][\w'-]*$/.test(name) || letNode?.type !== K.Let) return false;
    return (this.namesIn(letNode).get(name) ?? 0) <= 1;
  }

  /** How often each name occurs as a whole word in a node's text, counted once per node. */
  private namesIn(node: Node): Map<string, number> {
    let counts = this.nameCounts.get(node.startIndex);
    if (!counts) {
      counts = new Map();
      for (const m of this.text.slice(node.startIndex, node.endIndex).matchAll(/(?<![\w'-])[A-Za-z_][\w'-]*/g)) counts.set(m[0], (counts.get(m[0]) ?? 0) + 1);
      this.nameCounts.set(node.startIndex, counts);
    }
    return counts;
  }

  /** `pkgs` for the default of the formal `pkgs ? import <nixpkgs> { }`, else null. */
  private defaultOf(node: Node): string | null {
    let n = outsideParens(node);
    let parent = parentOf(n);
    // `pkgs ? let src = fetchTarball { ... }; in import src { }`: the let's body is the default.
    while (parent?.type === K.Let && parent.childForFieldName('body')?.equals(n)) {
      n = outsideParens(parent);
      parent = parentOf(n);
    }
    if (parent?.type === K.Formal && parent.childForFieldName('default')?.equals(n)) return parent.childForFieldName('name')?.text ?? null;
    // `let defaultPkgs = import <nixpkgs> { }; in { pkgs ? defaultPkgs }: ...`: a binding that only a default uses.
    if (parent?.type !== K.Binding || !parent.childForFieldName('expression')?.equals(n)) return null;
    const name = parent.childForFieldName('attrpath')?.text;
    const set = parentOf(parent);
    const letNode = set ? parentOf(set) : null;
    if (!name || !/^[\w'-]+$/.test(name) || letNode?.type !== K.Let) return null;
    const body = unparen(letNode.childForFieldName('body') ?? letNode);
    const f = body.type === K.Function ? formals(body) : null;
    if (!f?.set) return null;
    const word = nameRegExp(name, 'g');
    const uses = (t: string) => t.match(word)?.length ?? 0;
    const inDefaults = f.set.node.namedChildren.filter((c) => c?.type === K.Formal && uses(c.childForFieldName('default')?.text ?? '') > 0);
    // Named once by its binding, and otherwise only in one formal's default.
    if (inDefaults.length !== 1 || uses(letNode.text) !== 1 + uses(inDefaults[0]!.text)) return null;
    return inDefaults[0]!.childForFieldName('name')?.text ?? null;
  }

  private topCallee(call: Node): string | null {
    let callee = this.callees.get(call.id);
    if (callee === undefined) {
      const parts = applyParts(call);
      callee = parts ? this.calleeName(parts.fn) : null;
      this.callees.set(call.id, callee);
    }
    return callee;
  }

  /**
   * Whether the nearest function around the node is an overlay: two curried plain parameters
   * whose body is an attribute set (`final: prev: { ... }`, `self: super: let ... in { ... }`).
   * It runs once per package set it is applied to.
   */
  private insideOverlay(node: Node): boolean {
    const up = ancestors(node); // nearest first
    const i = up.findIndex((n) => n.type === K.Function);
    if (i < 0) return false;
    const inner = up[i]!;
    const outer = up[i + 1];
    if (outer?.type !== K.Function || !outer.childForFieldName('body')?.equals(inner)) return false;
    // Three curried plain parameters is a function of another kind; a set of arguments before
    // them (`{ inputs }: final: prev: { ... }`) is an overlay file taking what it needs.
    // `inputs: final: prev: { ... }` is one too when the last two are named as overlays name them.
    const above = up[i + 2];
    if (above?.type === K.Function && above.childForFieldName('body')?.equals(outer) && !formals(above)?.set && !overlayNamed(outer, inner)) return false;
    return isOverlayShape(outer, inner);
  }

  /** How often the site is evaluated, judged from the lambdas around it. */
  private evalScope(node: Node): { scope: EvalScope; wrapper: string | null } {
    // The ancestors once: `.parent` costs the node's depth, so walking up with it is quadratic.
    const up = ancestors(node);
    const at = (i: number): Node | null => up[i] ?? null;
    for (let i = 0; i < up.length; i++) {
      const n = up[i]!;
      if (n.type !== K.Function) continue;
      if (this.moduleFn && n.equals(this.moduleFn)) return { scope: 'per-host', wrapper: null };
      if (this.outputsFn && n.equals(this.outputsFn)) return { scope: 'once', wrapper: null };
      // The outermost lambda of a curried chain carries the name.
      let h = i;
      while (at(h + 1)?.type === K.Function) h++;
      const head = up[h]!;
      let o = h;
      while (at(o + 1)?.type === K.Paren) o++;
      const outerParent = at(o + 1);
      const named = this.namedLambdas.get(head.startIndex);
      if (named) {
        if (PER_SYSTEM_FUNCTIONS.has(named.name)) return { scope: 'per-system', wrapper: null };
        if (this.hostLambdas.has(head.startIndex) || this.hostFunctions.has(named.name)) return { scope: 'per-host', wrapper: null };
        return { scope: 'per-call', wrapper: named.name };
      }
      if (this.hostLambdas.has(head.startIndex)) return { scope: 'per-host', wrapper: null };
      // An inline module in a builder's `modules = [ ... ]` runs once per host.
      if (outerParent?.type === K.List) {
        const binding = at(o + 2);
        if (binding?.type === K.Binding && binding.childForFieldName('attrpath')?.text === 'modules') {
          return { scope: 'per-host', wrapper: null };
        }
      }
      if (outerParent?.type === K.Apply) {
        // The whole call `f a b (x: ...)`: the applications above whose function is the one below.
        let t = o + 1;
        while (at(t + 1)?.type === K.Apply && at(t + 1)!.childForFieldName('function')?.equals(up[t]!)) t++;
        const callee = this.topCallee(up[t]!);
        if (callee && PER_SYSTEM_FUNCTIONS.has(callee)) return { scope: 'per-system', wrapper: null };
      }
      const b = outerParent;
      if (b?.type === K.Binding) {
        const key = b.childForFieldName('attrpath')?.text;
        if (key === 'perSystem') return { scope: 'per-system', wrapper: null };
      }
      // A function given to `map`, `mapAttrs`, `listToAttrs`, ... runs once per element, an overlay
      // (`final: prev: { ... }`) once per package set it is applied to.
      return { scope: 'per-call', wrapper: null };
    }
    return { scope: this.options.isFlake ? 'once' : this.moduleFn ? 'per-host' : 'unknown', wrapper: null };
  }

  // ---------------------------------------------------------------- wrappers

  private resolveWrapperCalls(): void {
    // A named lambda that holds an `import` site is a wrapper; each call of it is an instance.
    const wrapperNames = new Set(
      this.facts.sites.filter((s) => s.kind === 'import' && s.wrapper).map((s) => s.wrapper!),
    );
    if (wrapperNames.size === 0) return;
    for (const [start, info] of this.namedLambdas) {
      if (!wrapperNames.has(info.name) || this.wrapperByName.has(info.name)) continue;
      const fn = this.root.descendantForIndex(start);
      let lambda: Node | null = fn;
      while (lambda && lambda.type !== K.Function) lambda = parentOf(lambda);
      const params: string[] = [];
      for (let l: Node | null = lambda; l && l.type === K.Function; l = l.childForFieldName('body')) {
        const f = formals(l);
        if (f?.universal) params.push(f.universal);
        else if (f?.set) params.push(`{ ${f.set.names.map((x) => x.name).join(', ')} }`);
      }
      const w: WrapperFact = {
        name: info.name,
        span: spanOf(info.binding),
        nameSpan: spanOf(info.nameNode),
        params,
        calls: 0,
        calledPer: [],
        within: this.enclosingNames(info.binding),
      };
      const members = this.returnedMembers(lambda);
      if (members) w.members = members;
      this.wrapperByName.set(info.name, w);
      this.facts.wrappers.push(w);
    }
    // Find call sites: applications whose callee is the wrapper's name.
    const calls: Node[] = [];
    const stack: Node[] = [this.root];
    while (stack.length) {
      const n = stack.pop()!;
      if (n.type === K.String || n.type === K.IndentedString || n.type === K.Comment) continue;
      if (n.type === K.Apply && !isFieldOf(n, K.Apply, 'function')) {
        const parts = applyParts(n);
        const name = parts ? variableName(parts.fn) : null;
        if (name && this.wrapperByName.has(name)) calls.push(n);
      }
      // Bare references passed as functions (`genAttrs systems mkPkgs`) are calls too.
      if (n.type === K.Variable && this.wrapperByName.has(n.text) && isFieldOf(n, K.Apply, 'argument')) {
        calls.push(n);
      }
      for (const c of n.namedChildren) if (c) stack.push(c);
    }
    calls.sort((a, b) => a.startIndex - b.startIndex);
    for (const call of calls) {
      const parts = applyParts(call);
      const name = parts ? variableName(parts.fn)! : call.text;
      const w = this.wrapperByName.get(name)!;
      w.calls++;
      const def = this.facts.sites.find((s) => s.kind === 'import' && s.wrapper === name);
      // A factory taking its nixpkgs as a parameter: this call's argument names it.
      let source = def?.source ?? { kind: 'unknown' as const };
      if (source.kind === 'param') {
        const given = parts?.args[source.index];
        if (given) {
          source = this.resolveSource(given, null, 0);
          if (!isNixpkgsSource(source, given)) continue;
        }
      }
      const { scope } = this.evalScope(call);
      w.calledPer.push(call.type === K.Variable ? 'per-call' : scope);
      this.addRawSite(
        call,
        'wrapper-call',
        source,
        def?.sourceText ?? name,
        null,
        null,
        { start: call.startIndex, end: (parts?.fn ?? call).endIndex },
      );
      const site = this.facts.sites.at(-1)!;
      site.wrapper = name;
      if (call.type === K.Variable) site.scope = 'per-call';
      const selects = w.members ? this.selectedMembers(call) : null;
      if (selects) site.selects = selects;
    }
  }

  /** The attributes of the set a function returns (through its curried lambdas and lets), if it returns one. */
  private returnedMembers(lambda: Node | null): { name: string; span: Span }[] | null {
    let body = lambda;
    while (body?.type === K.Function) body = unparen(body.childForFieldName('body') ?? body);
    while (body?.type === K.Let) body = unparen(body.childForFieldName('body') ?? body);
    // A `rec` set's attributes may force each other (`patched = stable.applyPatches ...`).
    if (!body || body.type !== K.Attrset) return null;
    const out: { name: string; span: Span }[] = [];
    for (const e of bindings(body)) {
      if (e.kind !== 'binding' || e.path.length !== 1 || e.path[0] === null) return null;
      out.push({ name: e.path[0], span: spanOf(e.value) });
    }
    return out;
  }

  /**
   * The attributes a call's result is read through: `(f x).latest`, or a `let` binding
   * `channels = f x;` every other mention of which selects a named attribute (`channels.latest`,
   * `inherit (channels) stable;`, `inherit (channels.latest) godns;`). Null when any use reads the
   * result otherwise (passed on whole, `channels.${name}`, a mention in a string): all may be forced.
   */
  private selectedMembers(call: Node): string[] | null {
    const n = outsideParens(call);
    const parent = parentOf(n);
    if (parent?.type === K.Select && parent.childForFieldName('expression')?.equals(n)) {
      const first = parent.childForFieldName('attrpath')?.childrenForFieldName('attr')[0];
      return first?.type === K.Identifier ? [first.text] : null;
    }
    if (parent?.type !== K.Binding || !parent.childForFieldName('expression')?.equals(n)) return null;
    const attrs = parent.childForFieldName('attrpath')?.childrenForFieldName('attr') ?? [];
    const set = parentOf(parent);
    const letNode = set ? parentOf(set) : null;
    if (attrs.length !== 1 || attrs[0]!.type !== K.Identifier || letNode?.type !== K.Let) return null;
    const name = attrs[0]!.text;
    const own = attrs[0]!.startIndex;
    const text = this.text;
    const out = new Set<string>();
    for (const m of text.slice(letNode.startIndex, letNode.endIndex).matchAll(nameRegExp(name, 'g'))) {
      const at = letNode.startIndex + m.index!;
      if (at === own) continue;
      const after = text.slice(at + name.length, at + name.length + 200);
      const select = /^\s*\.\s*([A-Za-z_][\w'-]*)(?![\w'-])/.exec(after);
      if (select) {
        out.add(select[1]!);
        continue;
      }
      const inherit = /inherit\s*\(\s*$/.test(text.slice(Math.max(0, at - 40), at)) ? /^\s*\)([^;]*);/.exec(after) : null;
      if (!inherit || !/^[\s\w'-]*$/.test(inherit[1]!)) return null;
      for (const a of inherit[1]!.trim().split(/\s+/)) if (a) out.add(a);
    }
    return [...out].sort();
  }

  /** Names of the named functions around a node, innermost first. */
  private enclosingNames(node: Node): string[] {
    const up = ancestors(node);
    const out: string[] = [];
    for (let i = 0; i < up.length; i++) {
      if (up[i]!.type !== K.Function) continue;
      while (up[i + 1]?.type === K.Function) i++;
      const named = this.namedLambdas.get(up[i]!.startIndex);
      if (named) out.push(named.name);
      else {
        // `{ mkInputPackageSets = { system }: ...; }`: named by the attribute it is bound to.
        let o = i;
        while (up[o + 1]?.type === K.Paren) o++;
        const path = up[o + 1]?.type === K.Binding ? up[o + 1]!.childForFieldName('attrpath')?.text.split('.').at(-1) : undefined;
        if (path && /^[A-Za-z_][\w'-]*$/.test(path)) out.push(path);
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- builders

  private readBuilder(node: Node, builder: string, args: Node[], scope: Scope | null): void {
    const arg = args.at(-1);
    if (!arg) return;
    const set = unparen(arg);
    if (set.type !== K.Attrset && set.type !== K.RecAttrset) return;
    const fact: BuilderFact = {
      builder,
      span: spanOf(node),
      modules: [],
      specialArgs: [],
      specialArgsSpreadsInputs: false,
      system: null,
      evaluations: 1,
      hosts: [],
      units: [],
      nameSpans: [],
    };
    for (const e of this.bindingsOf(set)) {
      if (e.kind === 'inherit') {
        if (e.names.some((n) => n.name === 'system')) fact.system = e.from ? null : this.staticValue('system', scope);
        continue;
      }
      const key = e.path.join('.');
      if (key === 'modules') fact.modules.push(...moduleRefs(e.value, (name) => this.letValue(name, scope)));
      else if (key === 'system') fact.system = staticString(e.value) ?? this.staticValueOf(e.value, scope);
      else if (key === 'specialArgs' || key === 'extraSpecialArgs') {
        const v = unparen(e.value);
        if (v.type === K.Attrset) {
          for (const b of this.bindingsOf(v)) {
            if (b.kind === 'inherit') fact.specialArgs.push(...b.names.map((n) => n.name));
            else if (b.path[0]) fact.specialArgs.push(b.path[0]);
          }
        } else if (variableName(v) === 'inputs') {
          fact.specialArgsSpreadsInputs = true;
        } else if (v.type === K.Binary) {
          // `inputs // { ... }`
          fact.specialArgsSpreadsInputs = /\binputs\b/.test(v.text);
          const right = v.childForFieldName('right');
          if (right && unparen(right).type === K.Attrset) {
            for (const b of this.bindingsOf(unparen(right))) {
              if (b.kind === 'inherit') fact.specialArgs.push(...b.names.map((n) => n.name));
              else if (b.path[0]) fact.specialArgs.push(b.path[0]);
            }
          }
        }
      } else if (key === 'pkgs') {
        // homeManagerConfiguration { pkgs = ...; }: the instance is a site found by the walk; its
        // system (`legacyPackages.x86_64-linux`, `import nixpkgs { system = "..."; }`) is the configuration's.
        fact.system ??= this.systemOfPkgs(e.value, scope);
      }
    }
    this.facts.builders.push(fact);
    let lambda: { name: string; head: Node } | null = null;
    const up = ancestors(node);
    let innermost = true;
    for (let i = 0; i < up.length && !lambda; i++) {
      if (up[i]!.type !== K.Function) continue;
      // The outermost lambda of a curried chain carries the name.
      while (up[i + 1]?.type === K.Function) i++;
      const head = up[i]!;
      const named = this.namedLambdas.get(head.startIndex);
      if (named) {
        lambda = { name: named.name, head };
        this.hostLambdas.add(head.startIndex);
      } else if (innermost) {
        // `mapAttrs (name: host: nixosSystem { ... }) hosts`: an unnamed lambda mapped over the
        // hosts runs once per host too.
        let o = i;
        while (up[o + 1]?.type === K.Paren) o++;
        if (up[o + 1]?.type === K.Apply && isFieldOf(up[o]!, K.Apply, 'argument')) {
          this.hostLambdas.add(head.startIndex);
          const mapped = this.mappedOver(up, o, scope);
          if (mapped) fact.mappedOver = mapped;
        }
      }
      innermost = false;
    }
    this.pendingBuilders.push({ fact, node, lambda });
  }

  /**
   * How many hosts each builder call builds: a builder inside `mkHost = name: ...`
   * builds one host per call of `mkHost`, named by the call's literal arguments
   * (`mkHost "alpha"`, `mkHost { hostname = "alpha"; }`) or by the attribute the
   * call is bound to (`alpha = mkHost ...;`).
   */
  private resolveBuilders(): void {
    for (const { fact, node, lambda } of this.pendingBuilders) {
      if (!lambda) {
        const { name: bound, bindingSpan } = this.boundName(node);
        if (bindingSpan) fact.nameSpans.push(bindingSpan);
        fact.hosts = bound ? [bound.split('.').at(-1)!] : [];
        fact.units = [{ host: fact.hosts[0] ?? null, vars: {} }];
        continue;
      }
      const params: (string | string[])[] = [];
      for (let l: Node | null = lambda.head; l && l.type === K.Function; l = unparen(l.childForFieldName('body') ?? l)) {
        const f = formals(l);
        if (f?.set) params.push(f.set.names.map((x) => x.name));
        else if (f?.universal) params.push(f.universal);
        if (l.childForFieldName('body') === null) break;
      }
      const units: { host: string | null; vars: Record<string, string> }[] = [];
      const stack: Node[] = [this.root];
      while (stack.length) {
        const n = stack.pop()!;
        if (n.type === K.String || n.type === K.IndentedString || n.type === K.Comment) continue;
        if (n.type === K.Apply && !isFieldOf(n, K.Apply, 'function')) {
          const parts = applyParts(n);
          if (parts && variableName(parts.fn) === lambda.name) {
            const vars: Record<string, string> = {};
            parts.args.forEach((arg, i) => {
              const p = params[i];
              if (typeof p === 'string') {
                const v = staticString(arg);
                if (v !== null) vars[p] = v;
              } else if (p && unparen(arg).type === K.Attrset) {
                for (const e of this.bindingsOf(unparen(arg))) {
                  if (e.kind === 'binding' && e.path.length === 1 && e.path[0] && p.includes(e.path[0])) {
                    const v = staticString(e.value);
                    if (v !== null) vars[e.path[0]] = v;
                  }
                }
              }
            });
            const { name: boundName, bindingSpan } = this.boundName(n);
            fact.nameSpans.push(bindingSpan ?? spanOf(n));
            const bound = boundName?.split('.').at(-1) ?? null;
            // A literal that is a system (`mkHost "x86_64-linux"`) names no host: the binding does.
            const literal = Object.values(vars).find((v) => !/^[a-z0-9_]+-(linux|darwin|freebsd|netbsd|openbsd|none|windows|wasi)\b/.test(v));
            const host =
              vars['hostname'] ?? vars['hostName'] ?? vars['name'] ?? vars['host'] ?? literal ?? bound ?? Object.values(vars)[0] ?? null;
            units.push({ host, vars });
          }
        }
        for (const c of n.namedChildren) if (c) stack.push(c);
      }
      units.sort((a, b) => (a.host ?? '').localeCompare(b.host ?? ''));
      fact.units = units;
      fact.evaluations = units.length;
      fact.hosts = units.flatMap((u) => (u.host ? [u.host] : []));
    }
  }
}


/**
 * An argument set written in the call (`{ hosts = { a = ...; b = ...; }; names = [ "x" ]; }`):
 * per attribute, the names its value lists (a set's keys, a list's strings); null for anything else.
 */
function namesByAttribute(arg: Node): Record<string, [string, string | null][]> | null {
  const set = unparen(arg);
  if (set.type !== K.Attrset) return null;
  const out: Record<string, [string, string | null][]> = {};
  for (const e of bindings(set)) {
    if (e.kind !== 'binding' || e.path.length !== 1 || !e.path[0]) continue;
    const v = unparen(e.value);
    if (v.type === K.Attrset) {
      out[e.path[0]] = bindings(v).flatMap((b): [string, string | null][] =>
        b.kind === 'binding' ? (b.path[0] ? [[b.path[0], b.path.length === 1 ? staticString(b.value) : null]] : []) : b.names.map((n) => [n.name, null]),
      );
    } else if (v.type === K.List) {
      const names = v.namedChildren.map((c) => (c ? staticString(c) : null));
      if (names.every((x): x is string => x !== null)) out[e.path[0]] = names.map((n) => [n, null]);
    }
  }
  return out;
}
