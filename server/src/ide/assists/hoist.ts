/**
 * Planning shared by `hoist-to-flake` and `hoist-all`: moving module instances
 * into the root flake.nix's `outputs` let, handing them to modules through the
 * builders' `specialArgs`/`extraSpecialArgs`, and taking them as module
 * arguments. Every check that could make the edit wrong turns into a reason the
 * action is disabled: the edit is either right or not offered.
 */
import { ancestors, applyParts, bindings, formals, isFieldOf, K, MAX_NESTING, outsideParens, parentOf, selectParts, unparen, variableName, type Node } from '../../syntax/ast.js';
import type { Tree } from '../../syntax/parser.js';
import { normalisedText } from '../index/args.js';
import type { Span } from '../text.js';
import type { EvalUnit, FlakeInfo, Instance, WorkspaceModel } from '../workspace.js';
import { SourceChangeBuilder, type SourceChange } from './edit.js';
import type { AssistContext } from './types.js';
import { enclosing, eol, indentAt, lexicalDefinition, removalSpan, startsLine } from './syntax.js';
import { NIX_GLOBALS } from '../scope.js';
import { topExpression, topNode } from '../scope.js';

/** Arguments the module system gives every module: never shadow them through specialArgs. */
const RESERVED = new Set(['pkgs', 'config', 'lib', 'options', 'modulesPath', 'specialArgs', '_class', 'osConfig', 'inputs', 'self']);


/** Expressions a module uses for "the system of this configuration". */
const SYSTEM_PATHS = [
  'pkgs.system',
  'pkgs.stdenv.system',
  'pkgs.stdenv.hostPlatform.system',
  'pkgs.hostPlatform.system',
  'pkgs.stdenv.buildPlatform.system',
  'config.nixpkgs.system',
  'config.nixpkgs.hostPlatform.system',
  'config.nixpkgs.localSystem.system',
];

export interface HoistItem {
  inst: Instance;
  units: EvalUnit[];
  /** `import SOURCE ARGS` as flake.nix must spell it (before the name is chosen). */
  expression: string;
  /** Preferred binding name. */
  wanted: string;
  /**
   * Set when the configurations that load the module have different (or unwritten) systems: the
   * flake creates one set per system (`genAttrs`), and the module selects its own with this
   * expression (`pkgs.stdenv.hostPlatform.system`).
   */
  key: string | null;
}

export interface HoistPlan {
  items: HoistItem[];
  /** Reasons per instance that could not be hoisted. */
  skipped: { inst: Instance; reason: string }[];
  flake: FlakeInfo;
  /**
   * Where the configurations are built, which gets the instance: the root flake.nix, or a helper
   * file whose function builds them (`lib/default.nix` with `mkHost = name: nixosSystem { ... }`).
   */
  target: string;
}

/** Finds the instance whose anchor or span holds `span` in `file`. */
export function instanceAt(model: WorkspaceModel, file: string, span: Span): Instance | undefined {
  const here = model.instances.filter(
    (i) => i.file === file && i.site.span.start <= span.start && span.end <= i.site.span.end,
  );
  // The innermost one (an instance inside another's overlays).
  return here.sort((a, b) => a.site.span.end - a.site.span.start - (b.site.span.end - b.site.span.start))[0];
}

export function isHoistCandidate(inst: Instance): boolean {
  return inst.location === 'module' && inst.kind === 'import' && inst.createsInstance;
}

export interface OutputsInfo {
  fn: Node;
  formals: Set<string>;
  universal: string | null;
  ellipsis: Node | null;
  formalsNode: Node | null;
  body: Node;
  letNames: Set<string>;
  /** `name = value` texts of the outputs let, to reuse an identical binding. */
  letValues: Map<string, string>;
}

/** The function of the target that receives the inputs: flake.nix's `outputs`, or a helper file's own function. */
function targetFunction(tree: { rootNode: Node }, helper: boolean): Node | null {
  const top = tree.rootNode.childForFieldName('expression') ?? tree.rootNode.namedChildren.find((c) => c && c.type !== K.Comment);
  if (!top) return null;
  const t = unparen(top);
  if (helper) return t.type === K.Function ? t : null;
  if (t.type !== K.Attrset) return null;
  for (const e of bindings(t)) {
    if (e.kind !== 'binding' || e.path.length !== 1 || e.path[0] !== 'outputs') continue;
    const fn = unparen(e.value);
    return fn.type === K.Function ? fn : null;
  }
  return null;
}

/** The function of the target (flake.nix's `outputs`, or a helper's): formals, universal name, body and top `let` (also used by completion). */
export function outputsInfo(tree: { rootNode: Node }, helper = false): OutputsInfo | null {
  const fn = targetFunction(tree, helper);
  if (!fn) return null;
  const f = formals(fn)!;
  const body = fn.childForFieldName('body');
  if (!body) return null;
  const letNames = new Set<string>();
  const letValues = new Map<string, string>();
  const b = unparen(body);
  if (b.type === K.Let) {
    for (const be of bindings(b)) {
      if (be.kind === 'binding' && be.path.length === 1 && be.path[0]) {
        letNames.add(be.path[0]);
        letValues.set(be.path[0], normalisedText(be.value));
      } else if (be.kind === 'inherit') for (const n of be.names) letNames.add(n.name);
    }
  }
  return {
    fn,
    formals: new Set(f.set?.names.map((n) => n.name) ?? []),
    universal: f.universal,
    ellipsis: f.set?.node.childForFieldName('ellipses') ?? null,
    formalsNode: f.set?.node ?? null,
    body,
    letNames,
    letValues,
  };
}

/** How flake.nix's `outputs` names input `name`, and whether a formal must be added for it. */
export function inputRef(out: OutputsInfo, name: string): { ref: string; addFormal: boolean } {
  if (out.formals.has(name)) return { ref: name, addFormal: false };
  if (out.universal) return { ref: `${out.universal}.${name}`, addFormal: false };
  if (out.formals.has('inputs')) return { ref: `inputs.${name}`, addFormal: false };
  return { ref: name, addFormal: true };
}

/** The one literal system of the configurations that load a module, or why there is none. */
function systemOf(model: WorkspaceModel, units: EvalUnit[]): { system: string } | { reason: string } {
  const systems = new Set<string>();
  for (const u of units) {
    const s = model.configurationSystem(u);
    if (!s) return { reason: `the system of ${u.host ?? 'a configuration'} is not a literal in flake.nix` };
    systems.add(s);
  }
  if (systems.size > 1) return { reason: `the configurations that load this module have different systems (${[...systems].join(', ')})` };
  const [only] = systems;
  return only ? { system: only } : { reason: 'no configuration in flake.nix loads this module' };
}

/**
 * Rewrites the instance's `import SOURCE ARGS` for flake.nix: the source as the
 * flake names the input, `inputs.X` likewise, system expressions of the module
 * as the builders' literal system. Anything else from the module's scope makes
 * the hoist impossible.
 */
function translate(
  ctx: AssistContext,
  inst: Instance,
  out: OutputsInfo,
  units: EvalUnit[],
  addFormals: Set<string>,
  perSystem = false,
): { expression: string; key: string | null } | { reason: string } {
  if (!inst.input) return { reason: 'its source is not a flake input, so flake.nix cannot name it' };
  const flakeInputs = new Set(ctx.model.flakes.find((f) => f.root)?.inputs.map((i) => i.name) ?? []);
  const moduleText = ctx.text(inst.file);
  if (moduleText === undefined) return { reason: 'the module could not be read' };
  const result = ctx.withTree(inst.file, (tree) => {
    const node = enclosing(tree.rootNode, inst.site.span, [K.Apply]);
    if (!node) return { reason: 'the instance could not be found in the module' };
    const parts = applyParts(node);
    if (!parts || parts.args.length !== 2) return { reason: 'the instance is not import SOURCE ARGS' };
    // Nix ends a `#` comment at a lone carriage return and reads what follows as code; the
    // parser reads it as comment, so it would move code it never saw (found by the fuzzer).
    if (/\r(?!\n)/.test(moduleText.slice(node.startIndex, node.endIndex))) {
      return { reason: 'it contains a carriage return without a line feed, which Nix and this extension read differently' };
    }
    const replacements: { span: Span; text: string }[] = [];
    let problem: string | null = null;
    let system: string | null = null;
    // Per system: the expression names the argument of `genAttrs systems (system: ...)`, and the
    // module selects its own system's set with the expression it used (`pkgs.stdenv.hostPlatform.system`).
    let key: string | null = null;
    const needSystem = (written?: string) => {
      if (perSystem) {
        key ??= written ?? 'system';
        return 'system';
      }
      if (system === null) {
        const s = systemOf(ctx.model, units);
        if ('reason' in s) {
          problem = s.reason;
          return null;
        }
        system = s.system;
      }
      return JSON.stringify(system);
    };
    const ref = (input: string) => {
      const r = inputRef(out, input);
      if (r.addFormal) addFormals.add(input);
      return r.ref;
    };
    // The source: `inputs.X`, `X` (a module argument from `specialArgs = inputs`).
    replacements.push({ span: { start: parts.args[0]!.startIndex, end: parts.args[0]!.endIndex }, text: ref(inst.input!) });
    // Free variables of the arguments.
    const bound: string[][] = [];
    const visit = (n: Node, depth = 0): void => {
      if (problem) return;
      // Recursion: deeper arguments than any configuration has would overflow the stack.
      if (depth > MAX_NESTING) {
        problem = 'its arguments are nested too deeply to read';
        return;
      }
      if (n.type === K.Function) {
        const f = formals(n);
        bound.push([...(f?.universal ? [f.universal] : []), ...(f?.set?.names.map((x) => x.name) ?? [])]);
        for (const c of n.namedChildren) if (c) visit(c, depth + 1);
        bound.pop();
        return;
      }
      if (n.type === K.Let || n.type === K.RecAttrset) {
        bound.push(bindings(n).flatMap((e) => (e.kind === 'binding' ? (e.path[0] ? [e.path[0]] : []) : e.names.map((x) => x.name))));
        for (const c of n.namedChildren) if (c) visit(c, depth + 1);
        bound.pop();
        return;
      }
      if (n.type === K.InheritFrom) {
        // `inherit (pkgs) system;` is `system = pkgs.system;`.
        const from = n.childForFieldName('expression');
        const names = n.childForFieldName('attrs')?.childrenForFieldName('attr').map((a) => a?.text) ?? [];
        const fromText = from ? normalisedText(from) : '';
        if (['pkgs', 'pkgs.stdenv', 'pkgs.stdenv.hostPlatform', 'pkgs.hostPlatform'].includes(fromText) && names.length === 1 && names[0] === 'system') {
          const lit = needSystem(`${fromText}.system`);
          if (lit) replacements.push({ span: { start: n.startIndex, end: n.endIndex }, text: perSystem ? 'inherit system;' : `system = ${lit};` });
          return;
        }
      }
      if (n.type === K.Inherit) {
        // `inherit system;` reads `system` where the instance stands, as the variable would: it
        // cannot be copied as it is into flake.nix, where that name means something else or nothing.
        const up = parentOf(n);
        const set = up?.type === K.BindingSet ? parentOf(up) : up;
        // A `let`/`rec` does not see its own names in `inherit x;`: only the frames around it.
        const outer = set && (set.type === K.Let || set.type === K.RecAttrset) ? bound.slice(0, -1) : bound;
        const entries: string[] = [];
        for (const a of n.childForFieldName('attrs')?.childrenForFieldName('attr') ?? []) {
          if (!a || problem) continue;
          const name = a.text;
          if (outer.some((b) => b.includes(name)) || NIX_GLOBALS.has(name)) entries.push(`inherit ${name};`);
          else if (name === 'system') {
            const lit = needSystem('system');
            if (lit) entries.push(perSystem ? 'inherit system;' : `system = ${lit};`);
          } else if (flakeInputs.has(name)) entries.push(`${name} = ${ref(name)};`);
          else problem = `its arguments use ${name} from the module's scope`;
        }
        if (!problem) replacements.push({ span: { start: n.startIndex, end: n.endIndex }, text: entries.join(' ') });
        return;
      }
      if (n.type === K.Select || n.type === K.Variable) {
        const sel = selectParts(n);
        const base = variableName(sel.base);
        if (base !== null && !bound.some((b) => b.includes(base))) {
          const path = [base, ...sel.path.map((p) => p ?? '?')];
          const dotted = path.join('.');
          const sysMatch = SYSTEM_PATHS.find((p) => dotted === p);
          if (sysMatch || (base === 'system' && sel.path.length === 0)) {
            const lit = needSystem(dotted);
            if (lit) replacements.push({ span: { start: n.startIndex, end: n.endIndex }, text: lit });
            return;
          }
          if (base === 'inputs' && sel.path.length >= 1 && sel.path[0]) {
            const inputName = sel.path[0];
            // Replace `inputs.X` (the base and first attr) keeping the rest.
            const attrpath = n.type === K.Select ? n.childForFieldName('attrpath') : null;
            const firstAttr = attrpath?.childrenForFieldName('attr')[0];
            if (flakeInputs.has(inputName) && firstAttr && sel.base.type === K.Variable) {
              replacements.push({ span: { start: sel.base.startIndex, end: firstAttr.endIndex }, text: ref(inputName) });
              // Selections inside `inputs.X.y.${z}` may hold more references.
              for (const a of attrpath!.childrenForFieldName('attr').slice(1)) if (a) visit(a, depth + 1);
              return;
            }
          }
          if (flakeInputs.has(base)) {
            replacements.push({ span: { start: sel.base.startIndex, end: sel.base.endIndex }, text: ref(base) });
            return;
          }
          if (!NIX_GLOBALS.has(base)) {
            problem = `its arguments use ${dotted.split('.').slice(0, 2).join('.')} from the module's scope`;
            return;
          }
        }
      }
      for (const c of n.namedChildren) if (c) visit(c, depth + 1);
    };
    visit(parts.args[1]!);
    if (problem) return { reason: problem };
    // Assemble the text with replacements applied.
    const start = node.startIndex;
    let text = '';
    let pos = start;
    for (const r of replacements.sort((a, b) => a.span.start - b.span.start)) {
      if (r.span.start < pos) continue;
      text += moduleText.slice(pos, r.span.start) + r.text;
      pos = r.span.end;
    }
    text += moduleText.slice(pos, node.endIndex);
    return { expression: text, key, indent: indentAt(moduleText, start) };
  });
  if (!result) return { reason: 'the module could not be parsed' };
  if ('reason' in result) return { reason: result.reason! };
  const r = result as { expression: string; key: string | null };
  return { expression: perSystem ? r.expression.replace(/(?<![\w'-])system = system;/g, 'inherit system;') : r.expression, key: r.key };
}

function wantedName(inst: Instance): string {
  const n = inst.site.name;
  if (n && /^[A-Za-z_][A-Za-z0-9_'-]*$/.test(n) && !RESERVED.has(n)) return n;
  const cross = inst.site.args?.attrs?.get('crossSystem');
  const crossText = cross?.string ?? cross?.attrs?.get('config')?.string ?? null;
  if (crossText) return `pkgs-${crossText.split('-')[0]}`;
  const input = inst.input ?? 'nixpkgs';
  const rest = input.replace(/^nixpkgs-?/, '');
  return rest ? `pkgs-${rest}` : 'pkgs-custom';
}

/** Where the configurations that load a module are built: one file, or why there is none. */
function targetOf(ctx: AssistContext, flake: FlakeInfo, units: EvalUnit[]): { file: string } | { reason: string } {
  if (units.some((u) => u.builder.layout === 'snowfall-lib')) {
    return { reason: 'snowfall-lib builds these configurations from its folder layout: read the set from its channels in an overlay' };
  }
  const files = [...new Set(units.map((u) => u.builder.file))];
  if (files.length > 1) {
    return { reason: `it is loaded by configurations built in ${files.length} files (${files.map((f) => rel(flake, f)).join(', ')}): hoist it where they meet` };
  }
  const file = files[0]!;
  if (file === flake.path) return { file };
  // A helper file: its function must be called once and build every host inside (`mkHost =
  // name: nixosSystem { ... }`); a file whose own function is the per-host one runs per host.
  const perHost = ctx.withTree(file, (tree) => {
    const fn = targetFunction(tree, true);
    if (!fn) return `${rel(flake, file)} is not a function of its inputs`;
    for (const u of units) {
      const call = enclosing(tree.rootNode, u.builder.fact.span, [K.Apply]);
      const inner = call ? ancestors(call).find((a) => a.type === K.Function) : null;
      if (!inner || inner.equals(fn)) return `${rel(flake, file)} builds one configuration each time it is called: create the instance where it is called and pass it in`;
    }
    return null;
  });
  if (perHost === undefined) return { reason: `${rel(flake, file)} could not be read` };
  return perHost ? { reason: perHost } : { file };
}

/** `file` relative to the flake's folder, as messages name it. */
export function rel(flake: FlakeInfo, file: string): string {
  const dir = flake.dir.endsWith('/') ? flake.dir : `${flake.dir}/`;
  return file.startsWith(dir) ? file.slice(dir.length) : file;
}

/**
 * Plans hoisting `instances` (module instances) to where their configurations are built: the
 * root flake.nix or one helper file (`target`: the instances built elsewhere are skipped, with
 * that as the reason; `hoist-all` plans each target on its own). Items share a binding when their
 * expressions there are equal.
 */
export function planHoist(ctx: AssistContext, instances: Instance[], only?: string): HoistPlan | { reason: string } {
  const flake = ctx.model.flakes.find((f) => f.root);
  if (!flake) return { reason: 'there is no root flake.nix' };
  // The target: the given one, or that of the first instance whose configurations have one.
  let target = only ?? null;
  const targets = new Map<Instance, { file: string } | { reason: string }>();
  for (const inst of instances) {
    const units = ctx.model.reachedBy.get(inst.file) ?? [];
    const t = units.length ? targetOf(ctx, flake, units) : { reason: 'no configuration in flake.nix loads this module, so nothing could pass the instance to it' };
    targets.set(inst, t);
    if (target === null && 'file' in t) target = t.file;
  }
  target ??= flake.path;
  const helper = target !== flake.path;
  const out = ctx.withTree(target, (tree) => outputsInfo(tree, helper));
  if (!out) return { reason: helper ? `${rel(flake, target)} has no function to add the instance to` : 'flake.nix has no outputs = { ... }: ... function to add the instance to' };
  const plan: HoistPlan = { items: [], skipped: [], flake, target };
  // One look (and, for a closed file, one parse) per module file, however many instances it has.
  const formalsByFile = new Map<string, ModuleFormalsInfo | undefined>();
  for (const inst of instances) {
    const units = ctx.model.reachedBy.get(inst.file) ?? [];
    const skip = (reason: string) => plan.skipped.push({ inst, reason });
    const where = targets.get(inst)!;
    if ('reason' in where) {
      skip(where.reason);
      continue;
    }
    if (where.file !== target) {
      skip(`its configurations are built in ${rel(flake, where.file)}`);
      continue;
    }
    const homeless = ctx.withTree(target, (tree) => units.map((u) => argsHome(tree.rootNode, u)).find((h) => 'reason' in h));
    if (homeless && 'reason' in homeless) {
      skip(homeless.reason);
      continue;
    }
    if (!formalsByFile.has(inst.file)) formalsByFile.set(inst.file, ctx.withTree(inst.file, moduleFormalsInfo));
    const modFormals = formalsByFile.get(inst.file);
    if (!modFormals || modFormals.kind === 'plain') {
      skip('the module takes a plain argument (args: ...), not a set of arguments');
      continue;
    }
    const added = new Set<string>();
    let t = translate(ctx, inst, out, units, added);
    if ('reason' in t && /different systems|not a literal/.test(t.reason)) {
      added.clear();
      const each = translate(ctx, inst, out, units, added, true);
      if (!('reason' in each) && each.key !== null) t = each;
    }
    if ('reason' in t) {
      skip(t.reason);
      continue;
    }
    // A helper's arguments are its callers' business: it must already have the input in scope.
    if (helper && (added.size > 0 || (t.key !== null && !out.formals.has(inst.input!) && !out.universal && !out.formals.has('inputs')))) {
      skip(`${rel(flake, target)} does not take the input ${[...added][0] ?? inst.input}`);
      continue;
    }
    plan.items.push({ inst, units, expression: t.expression, wanted: wantedName(inst) + (t.key ? '-by-system' : ''), key: t.key });
  }
  return plan;
}

/** Adds flake inputs to the formals of `outputs` (before its `...`, else at the end). */
export function addOutputsFormals(b: SourceChangeBuilder, flakePath: string, out: OutputsInfo, names: readonly string[]): void {
  if (names.length === 0 || !out.formalsNode) return;
  if (out.ellipsis) b.insert(flakePath, out.ellipsis.startIndex, names.map((n) => `${n}, `).join(''));
  else b.insert(flakePath, out.formalsNode.endIndex - 1, names.map((n) => `, ${n} `).join(''));
}

/** A module's formals as `addModuleFormals` needs them. */
export interface ModuleFormalsInfo {
  kind: 'set' | 'none' | 'plain';
  names: Set<string>;
  /** Start of the module expression (to wrap a non-function module). */
  topStart: number;
  setNode: { start: number; end: number; multiline: boolean; ellipsisStart: number | null; lastFormalEnd: number | null; firstFormalStart: number | null } | null;
  letNames: Set<string>;
}

export function moduleFormalsInfo(tree: { rootNode: Node }): ModuleFormalsInfo {
  const top = topNode(tree.rootNode);
  let t = topExpression(tree.rootNode);
  const letNames = new Set<string>();
  // `let helper = ...; in { pkgs, ... }: { ... }`: the module is the function inside the let.
  while (t && t.type === K.Let) {
    for (const e of bindings(t)) if (e.kind === 'binding' && e.path[0]) letNames.add(e.path[0]);
    const body = t.childForFieldName('body');
    if (!body || unparen(body).type !== K.Function) break;
    t = unparen(body);
  }
  const collectLets = (n: Node | null) => {
    while (n && (n.type === K.Function || n.type === K.Let)) {
      if (n.type === K.Let) for (const e of bindings(n)) if (e.kind === 'binding' && e.path[0]) letNames.add(e.path[0]);
      n = n.childForFieldName('body') ? unparen(n.childForFieldName('body')!) : null;
    }
  };
  if (!t || t.type !== K.Function) {
    collectLets(t);
    return { kind: 'none', names: new Set(), topStart: top?.startIndex ?? 0, setNode: null, letNames };
  }
  const f = formals(t)!;
  collectLets(t);
  if (!f.set) return { kind: 'plain', names: new Set(), topStart: t.startIndex, setNode: null, letNames };
  const set = f.set.node;
  const formalNodes = set.childrenForFieldName('formal').filter((x): x is Node => !!x && !!x.childForFieldName('name') && !x.childForFieldName('name')!.isMissing);
  return {
    kind: 'set',
    names: new Set(f.set.names.map((n) => n.name)),
    topStart: t.startIndex,
    setNode: {
      start: set.startIndex,
      end: set.endIndex,
      multiline: set.startPosition.row !== set.endPosition.row,
      ellipsisStart: set.childForFieldName('ellipses')?.startIndex ?? null,
      lastFormalEnd: formalNodes.at(-1)?.endIndex ?? null,
      firstFormalStart: formalNodes[0]?.startIndex ?? null,
    },
    letNames,
  };
}

/** Adds `names` to a module's formals in the module's own style, or makes the module a function. */
export function addModuleFormals(b: SourceChangeBuilder, file: string, text: string, info: ModuleFormalsInfo, names: string[]): void {
  const add = [...new Set(names)].filter((n) => !info.names.has(n));
  if (add.length === 0) return;
  const nl = eol(text);
  if (info.kind === 'none') {
    b.insert(file, info.topStart, `{ ${add.join(', ')}, ... }:${nl}`);
    return;
  }
  const set = info.setNode!;
  if (set.multiline && set.firstFormalStart !== null && startsLine(text, set.firstFormalStart)) {
    // nixfmt style: one formal per line, trailing commas; `...` on its own line.
    const indent = indentAt(text, set.firstFormalStart);
    const at = set.ellipsisStart !== null && startsLine(text, set.ellipsisStart) ? text.lastIndexOf('\n', set.ellipsisStart - 1) + 1 : null;
    if (at !== null) {
      b.insert(file, at, add.map((n) => `${indent}${n},${nl}`).join(''));
      return;
    }
    const closing = text.lastIndexOf('}', set.end - 1);
    const lineStart = text.lastIndexOf('\n', closing - 1) + 1;
    // Make sure the last formal has its trailing comma.
    const last = set.lastFormalEnd!;
    const afterLast = text.slice(last, closing);
    const needsComma = !afterLast.includes(',');
    if (needsComma) b.insert(file, last, ',');
    b.insert(file, lineStart, add.map((n) => `${indent}${n},${nl}`).join(''));
    return;
  }
  if (set.ellipsisStart !== null) {
    b.insert(file, set.ellipsisStart, add.map((n) => `${n}, `).join(''));
  } else if (set.lastFormalEnd !== null) {
    b.insert(file, set.lastFormalEnd, add.map((n) => `, ${n}`).join(''));
  } else {
    // `{ }:` → `{ name }:`
    b.insert(file, set.start + 1, ` ${add.join(', ')}`);
  }
}

/** Reindents a multi-line expression from the module's indentation to flake.nix's. */
function reindent(expr: string, fromIndent: string, toIndent: string, nl: string): string {
  return expr
    .split(/\r?\n/)
    .map((line, i) => (i === 0 ? line : line.startsWith(fromIndent) ? toIndent + line.slice(fromIndent.length) : line))
    .join(nl);
}

interface NameChoice {
  name: string;
  reuse: boolean;
  expr: string;
}

/**
 * Chooses the binding name of every item (equal expressions share one; an
 * identical binding already in the outputs let is reused) and collects the
 * `outputs` formals the expressions need.
 */
function chooseNames(
  ctx: AssistContext,
  plan: HoistPlan,
  out: OutputsInfo,
  addFormals: Set<string>,
): { byExpr: Map<string, NameChoice>; itemNames: Map<HoistItem, string> } {
  // Recompute expressions (collecting outputs formals to add) and choose names.
  const taken = new Set<string>([...out.formals, ...out.letNames, ...(out.universal ? [out.universal] : [])]);
  // A name a builder already passes (`unstable = inputs.nixpkgs-unstable;`, `inherit (inputs) unstable;`)
  // would clash in specialArgs.
  for (const item of plan.items) for (const u of item.units) for (const n of u.builder.fact.specialArgs) taken.add(n);
  const byExpr = new Map<string, NameChoice>();
  const itemNames = new Map<HoistItem, string>();
  for (const item of plan.items) {
    const t = translate(ctx, item.inst, out, item.units, addFormals, item.key !== null);
    const translated = 'expression' in t ? t.expression : item.expression;
    const expr = item.key !== null ? perSystemSet(translated, ref(out, item.inst.input!, addFormals)) : translated;
    const key = expr.replace(/\s+/g, ' ');
    let entry = byExpr.get(key);
    if (!entry) {
      const existing = [...out.letValues].find(([, v]) => v.replace(/\s+/g, ' ') === key);
      if (existing) entry = { name: existing[0], reuse: true, expr };
      else {
        const modInfo = ctx.withTree(item.inst.file, moduleFormalsInfo);
        const clashes = (n: string) =>
          taken.has(n) ||
          RESERVED.has(n) ||
          (modInfo !== undefined && (modInfo.names.has(n) || (modInfo.letNames.has(n) && n !== item.inst.site.name)));
        let name = item.wanted;
        for (let i = 2; clashes(name); i++) name = `${item.wanted}-${i}`;
        taken.add(name);
        entry = { name, reuse: false, expr };
      }
      byExpr.set(key, entry);
    }
    itemNames.set(item, entry.name);
  }
  return { byExpr, itemNames };
}

/** `src.lib.genAttrs src.lib.systems.flakeExposed (system: EXPR)`: one set per system, each evaluated at most once. */
function perSystemSet(expression: string, source: string): string {
  return `${source}.lib.genAttrs ${source}.lib.systems.flakeExposed (system: ${expression})`;
}

function ref(out: OutputsInfo, input: string, addFormals: Set<string>): string {
  const r = inputRef(out, input);
  if (r.addFormal) addFormals.add(input);
  return r.ref;
}

/** The binding name each item will get (for titles), without building the edit. */
export function plannedNames(ctx: AssistContext, plan: HoistPlan): Map<HoistItem, string> {
  return ctx.withTree(plan.target, (tree) => {
    const out = outputsInfo(tree, plan.target !== plan.flake.path);
    return out ? chooseNames(ctx, plan, out, new Set()).itemNames : new Map<HoistItem, string>();
  }) ?? new Map();
}

/** Builds the edit for a plan: one binding per distinct expression, all builders and modules updated. */
export function hoistEdit(ctx: AssistContext, plan: HoistPlan): SourceChange {
  const flakePath = plan.target;
  const flakeText = ctx.text(flakePath)!;
  const nl = eol(flakeText);
  const b = new SourceChangeBuilder();
  const chosen = new Map<HoistItem, string>();
  const result = ctx.withTree(flakePath, (tree) => {
    const out = outputsInfo(tree, plan.target !== plan.flake.path)!;
    const addFormals = new Set<string>();
    const { byExpr, itemNames } = chooseNames(ctx, plan, out, addFormals);
    for (const [item, name] of itemNames) chosen.set(item, name);

    // 1. flake.nix: the bindings.
    const body = unparen(out.body);
    const fromIndentOf = (item: HoistItem) => indentAt(ctx.text(item.inst.file)!, item.inst.site.span.start);
    const newBindings = [...byExpr.values()].filter((e) => !e.reuse);
    if (newBindings.length) {
      const firstItem = (e: { expr: string }) => plan.items.find((i) => itemNames.get(i) === byExpr.get(e.expr.replace(/\s+/g, ' '))?.name)!;
      if (body.type === K.Let) {
        const set = body.namedChildren.find((c) => c?.type === K.BindingSet) ?? null;
        const last = set?.namedChildren.filter((c): c is Node => !!c && c.type !== K.Comment).at(-1) ?? null;
        const indent = last ? indentAt(flakeText, last.startIndex) : indentAt(flakeText, body.startIndex) + '  ';
        const at = last ? last.endIndex : body.startIndex + 3;
        b.insert(
          flakePath,
          at,
          newBindings.map((e) => `${nl}${indent}${e.name} = ${reindent(e.expr, fromIndentOf(firstItem(e)), indent, nl)};`).join(''),
        );
      } else {
        const ind = startsLine(flakeText, body.startIndex) ? indentAt(flakeText, body.startIndex) : indentAt(flakeText, out.fn.startIndex) + '  ';
        const inner = ind + '  ';
        b.insert(
          flakePath,
          body.startIndex,
          `let${nl}` +
            newBindings.map((e) => `${inner}${e.name} = ${reindent(e.expr, fromIndentOf(firstItem(e)), inner, nl)};${nl}`).join('') +
            `${ind}in${nl}${ind}`,
        );
      }
    }
    // Formals of `outputs` for inputs it did not name yet.
    addOutputsFormals(b, flakePath, out, [...addFormals].sort());

    // 2. flake.nix: every builder that loads an affected module passes the names.
    const perBuilder = new Map<number, { unit: EvalUnit; names: Set<string> }>();
    for (const item of plan.items) {
      for (const u of item.units) {
        const key = u.builder.fact.span.start;
        const e = perBuilder.get(key) ?? { unit: u, names: new Set<string>() };
        e.names.add(itemNames.get(item)!);
        perBuilder.set(key, e);
      }
    }
    // Builders sharing one `specialArgs` binding (`inherit specialArgs;`) extend it once.
    const shared = new Map<number, { value: Node; names: Set<string> }>();
    for (const { unit, names } of perBuilder.values()) {
      const home = argsHome(tree.rootNode, unit);
      if ('reason' in home) continue;
      if (home.kind === 'own') passNames(b, flakePath, flakeText, home.set, argsKey(unit), [...names].sort());
      else {
        const e = shared.get(home.value.startIndex) ?? { value: home.value, names: new Set<string>() };
        for (const n of names) e.names.add(n);
        shared.set(home.value.startIndex, e);
      }
    }
    for (const { value, names } of shared.values()) extendArgs(b, flakePath, flakeText, value, [...names].sort());
    return true;
  });
  if (!result) throw new Error(`${plan.target.split('/').at(-1)} could not be parsed`);

  // 3. Modules: remove the binding or replace the inline use, and take the names as arguments.
  const byModule = new Map<string, HoistItem[]>();
  for (const item of plan.items) byModule.set(item.inst.file, [...(byModule.get(item.inst.file) ?? []), item]);
  for (const [file, items] of byModule) {
    const text = ctx.text(file)!;
    ctx.withTree(file, (tree) => {
      const info = moduleFormalsInfo(tree);
      const names: string[] = [];
      for (const item of items) {
        const name = chosen.get(item)!;
        names.push(name);
        const site = item.inst.site;
        if (item.key !== null) {
          // The module keeps its name, now selecting its own system's set.
          const call = enclosing(tree.rootNode, site.span, [K.Apply]);
          const n = call ? outsideParens(call) : null;
          if (n) b.replace(file, { start: n.startIndex, end: n.endIndex }, `${name}.\${${item.key}}`);
          continue;
        }
        const bindingNode = site.bindingSpan ? enclosing(tree.rootNode, site.bindingSpan, [K.Binding]) : null;
        const bindingSet = bindingNode ? parentOf(bindingNode) : null;
        const inLet = (bindingSet ? parentOf(bindingSet) : null)?.type === K.Let;
        if (bindingNode && inLet && site.name === name) {
          const letNode = parentOf(bindingSet!)!;
          const others = bindingSet!.namedChildren.filter((c) => c && !c.equals(bindingNode) && c.type !== K.Comment);
          // Comments in the let (children of the let or of its binding set) must survive.
          const letBody = letNode.childForFieldName('body')!;
          const comments = [...letNode.children, ...bindingSet!.children].some(
            (c) => c?.type === K.Comment && c.startIndex < letBody.startIndex,
          );
          if (others.length === 0 && !comments) {
            // `let x = import ...; in BODY` → `BODY`
            b.delete(file, { start: letNode.startIndex, end: letBody.startIndex });
          } else {
            b.delete(file, removalSpan(text, { start: bindingNode.startIndex, end: bindingNode.endIndex }));
          }
        } else {
          // Inline: replace the expression (and parentheses around it) with the name.
          const call = enclosing(tree.rootNode, site.span, [K.Apply]);
          const n = call ? outsideParens(call) : null;
          if (n) b.replace(file, { start: n.startIndex, end: n.endIndex }, name);
        }
      }
      addModuleFormals(b, file, text, info, names);
    });
  }
  return b.finish();
}


function topApply(n: Node): Node {
  let t = n;
  while (isFieldOf(t, K.Apply, 'function')) t = parentOf(t)!;
  return t;
}

/** Makes a builder pass `names` through `key` (`specialArgs`/`extraSpecialArgs`). */
function passNames(b: SourceChangeBuilder, file: string, text: string, set: Node, key: string, names: string[]): void {
  const nl = eol(text);
  const entries = bindings(set);
  const existing = entries.find((e) => e.kind === 'binding' && e.path.length === 1 && e.path[0] === key);
  if (existing && existing.kind === 'binding') {
    extendArgs(b, file, text, existing.value, names);
    return;
  }
  const last = entries.at(-1);
  if (last && startsLine(text, last.node.startIndex)) {
    b.insert(file, last.node.endIndex, `${nl}${indentAt(text, last.node.startIndex)}${key} = { inherit ${names.join(' ')}; };`);
  } else if (last) {
    b.insert(file, last.node.endIndex, ` ${key} = { inherit ${names.join(' ')}; };`);
  } else {
    b.replace(file, { start: set.startIndex, end: set.endIndex }, `{ ${key} = { inherit ${names.join(' ')}; }; }`);
  }
}

/** Adds `names` to the value given as specialArgs: into its set, or `value // { inherit names; }`. */
function extendArgs(b: SourceChangeBuilder, file: string, text: string, value: Node, names: string[]): void {
  const nl = eol(text);
  const v = unparen(value);
  if (v.type === K.Attrset) {
    const inner = bindings(v);
    const already = new Set(inner.flatMap((e) => (e.kind === 'inherit' && !e.from ? e.names.map((n) => n.name) : e.kind === 'binding' && e.path[0] ? [e.path[0]] : [])));
    const add = names.filter((n) => !already.has(n));
    if (add.length === 0) return;
    const inh = inner.find((e) => e.kind === 'inherit' && !e.from);
    if (inh) {
      const semi = inh.node.endIndex - 1;
      b.insert(file, semi, add.map((n) => ` ${n}`).join(''));
      return;
    }
    const last = inner.at(-1);
    if (last) {
      const multi = startsLine(text, last.node.startIndex);
      b.insert(file, last.node.endIndex, multi ? `${nl}${indentAt(text, last.node.startIndex)}inherit ${add.join(' ')};` : ` inherit ${add.join(' ')};`);
    } else {
      // `{ }`
      b.replace(file, { start: v.startIndex, end: v.endIndex }, `{ inherit ${add.join(' ')}; }`);
    }
    return;
  }
  // `specialArgs = inputs;` → `specialArgs = inputs // { inherit name; };`
  const needsParens = v.type !== K.Variable && v.type !== K.Select && v.type !== K.Binary;
  const valueText = text.slice(value.startIndex, value.endIndex);
  b.replace(file, { start: value.startIndex, end: value.endIndex }, `${needsParens ? `(${valueText})` : valueText} // { inherit ${names.join(' ')}; }`);
}

/**
 * Where a builder's `specialArgs` (or `extraSpecialArgs`) are written: in its own argument set, or
 * in a `let`/`rec` binding that several builders share through `inherit specialArgs;`, which must
 * be extended once and never given a second `specialArgs` beside the `inherit`.
 */
export type ArgsHome = { kind: 'own'; set: Node } | { kind: 'shared'; value: Node } | { reason: string };

export function argsHome(root: Node, unit: EvalUnit): ArgsHome {
  const call = enclosing(root, unit.builder.fact.span, [K.Apply]);
  const parts = call ? applyParts(topApply(call)) : null;
  const set = parts ? unparen(parts.args.at(-1)!) : null;
  if (!set || (set.type !== K.Attrset && set.type !== K.RecAttrset)) return { reason: 'the builder is not given an attribute set written in flake.nix' };
  const key = argsKey(unit);
  const inherited = bindings(set).find((e) => e.kind === 'inherit' && e.names.some((n) => n.name === key));
  if (!inherited) return { kind: 'own', set };
  if (inherited.kind === 'inherit' && inherited.from) return { reason: `the builder takes ${key} from ${inherited.from.text}, which this edit cannot extend` };
  const def = lexicalDefinition(set, key);
  const entry = def && (def.kind === 'let' || def.kind === 'rec') ? def.entry : null;
  const value = entry?.type === K.Binding ? entry.childForFieldName('expression') : null;
  if (!value) return { reason: `the builder's ${key} is not a binding in flake.nix that this edit can extend` };
  return { kind: 'shared', value };
}

function argsKey(unit: EvalUnit): string {
  return unit.builder.fact.builder === 'homeManagerConfiguration' ? 'extraSpecialArgs' : 'specialArgs';
}
