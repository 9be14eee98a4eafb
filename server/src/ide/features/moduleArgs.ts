/**
 * How instances reach modules: the names builders (`nixosSystem`,
 * `darwinSystem`, `homeManagerConfiguration`) pass through `specialArgs` /
 * `extraSpecialArgs`, where each of those names is defined in flake.nix, and
 * where flake inputs are declared. Shared by completion (module formals),
 * hover and navigation.
 *
 * The index records the names a builder passes but not where they are
 * written, so the builder's file is read again here for the spans.
 */
import { posix } from 'node:path';
import { ancestors, applyParts, bindings, isAttrset, K, parentOf, selectParts, unparen, variableName, type Node } from '../../syntax/ast.js';
import { spanOf } from '../index/args.js';
import type { Span } from '../text.js';
import type { BuilderInfo, FlakeInfo, WorkspaceModel } from '../workspace.js';
import { withTree, type FeatureContext, type FileSpan } from './context.js';
import { resolveName, resolveThroughInherit, topExpression } from './scope.js';

/** The flake a file belongs to: the nearest flake.nix in a folder above it (the root `/` included). */
export function flakeFor(model: WorkspaceModel, file: string): FlakeInfo | null {
  let best: FlakeInfo | null = null;
  for (const f of model.flakes) {
    const prefix = f.dir.endsWith('/') ? f.dir : f.dir + '/';
    if ((file === f.path || file.startsWith(prefix)) && (!best || f.dir.length > best.dir.length)) best = f;
  }
  return best ?? model.flakes.find((f) => f.root) ?? null;
}

/** The builders (one entry per call, not per host) that evaluate a module file. */
export function buildersReaching(model: WorkspaceModel, file: string): BuilderInfo[] {
  const out: BuilderInfo[] = [];
  for (const unit of model.reachedBy.get(file) ?? []) if (!out.includes(unit.builder)) out.push(unit.builder);
  return out;
}

/** The host names a builder call builds. */
export function hostsOf(builder: BuilderInfo): string[] {
  return [...new Set(builder.units.map((u) => u.host ?? posix.basename(builder.file)))];
}

/** The argument names a builder hands its modules: its `specialArgs` names, and every flake input when it passes `inputs` whole. */
export function argNamesOf(model: WorkspaceModel, builder: BuilderInfo): string[] {
  const names = [...builder.fact.specialArgs];
  if (builder.fact.specialArgsSpreadsInputs) {
    for (const i of flakeFor(model, builder.file)?.inputs ?? []) names.push(i.name);
    names.push('self');
  }
  return [...new Set(names)];
}

/** For a module file: each name passed through specialArgs, with the builders that pass it. */
export function moduleArgNames(model: WorkspaceModel, file: string): Map<string, BuilderInfo[]> {
  const out = new Map<string, BuilderInfo[]>();
  for (const b of buildersReaching(model, file)) {
    for (const name of argNamesOf(model, b)) {
      const list = out.get(name) ?? [];
      list.push(b);
      out.set(name, list);
    }
  }
  return out;
}

/** One entry of a builder's `specialArgs` set, as written. */
export interface SpecialArgEntry {
  /** The argument name modules receive. */
  name: string;
  /** `name = value;`, `inherit name;`, `inherit (from) name;`, or the whole set spread (`specialArgs = inputs;`). */
  kind: 'binding' | 'inherit' | 'inherit-from' | 'spread';
  /** The identifier of the name (the key, the inherited name, or the spread expression). */
  node: Node;
  /** The value of a binding. */
  value: Node | null;
  /** The expression of `inherit (from)` or of a spread. */
  from: Node | null;
}

/** The builder call at `span` in a tree. */
export function nodeAtSpan(root: Node, span: Span, type: string): Node | null {
  const at = root.descendantForIndex(span.start, Math.max(span.start, span.end - 1));
  for (const n of at ? [at, ...ancestors(at)] : []) {
    if (n.type === type && n.startIndex === span.start && n.endIndex === span.end) return n;
    if (n.startIndex < span.start || n.endIndex > span.end) return null;
  }
  return null;
}

/** The entries of the `specialArgs`/`extraSpecialArgs` of a builder call. */
export function specialArgEntries(call: Node): SpecialArgEntry[] {
  const parts = applyParts(call);
  const arg = parts?.args.at(-1);
  if (!arg) return [];
  const set = unparen(arg);
  if (!isAttrset(set)) return [];
  const out: SpecialArgEntry[] = [];
  const readSet = (value: Node): void => {
    for (const e of bindings(value)) {
      if (e.kind === 'inherit') {
        for (const n of e.names) {
          out.push({ name: n.name, kind: e.from ? 'inherit-from' : 'inherit', node: n.node, value: null, from: e.from });
        }
      } else if (e.path[0]) {
        const first = e.attrpath.childrenForFieldName('attr')[0];
        if (first) out.push({ name: e.path[0], kind: 'binding', node: first, value: e.path.length === 1 ? e.value : null, from: null });
      }
    }
  };
  for (const e of bindings(set)) {
    if (e.kind !== 'binding' || e.path.length !== 1) continue;
    if (e.path[0] !== 'specialArgs' && e.path[0] !== 'extraSpecialArgs') continue;
    const v = unparen(e.value);
    if (isAttrset(v)) readSet(v);
    else if (v.type === K.Binary) {
      // `inputs // { ... }`
      const left = v.childForFieldName('left');
      const right = v.childForFieldName('right');
      if (left && !isAttrset(unparen(left))) out.push({ name: '', kind: 'spread', node: left, value: null, from: left });
      else if (left) readSet(unparen(left));
      if (right && isAttrset(unparen(right))) readSet(unparen(right));
    } else {
      out.push({ name: '', kind: 'spread', node: v, value: null, from: v });
    }
  }
  return out;
}

/** The `outputs = { ... }: ...` lambda of a flake.nix tree. */
export function outputsFunction(root: Node): Node | null {
  const top = topExpression(root);
  if (!top || !isAttrset(top)) return null;
  for (const e of bindings(top)) {
    if (e.kind === 'binding' && e.path.length === 1 && e.path[0] === 'outputs') {
      const fn = unparen(e.value);
      return fn.type === K.Function ? fn : null;
    }
  }
  return null;
}

/**
 * Where a flake input is declared: the name in `inputs = { nixpkgs.url = ...; }`
 * or `inputs.nixpkgs.url = ...;`, else the `outputs` formal of that name.
 */
export function flakeInputDeclaration(ctx: FeatureContext, flakeFile: string, name: string): FileSpan | null {
  return withTree<FileSpan | null>(ctx, flakeFile, null, (root) => {
    const top = topExpression(root);
    if (!top || !isAttrset(top)) return null;
    for (const e of bindings(top)) {
      if (e.kind !== 'binding' || e.path[0] !== 'inputs') continue;
      const attrs = e.attrpath.childrenForFieldName('attr');
      if (e.path.length >= 2 && e.path[1] === name && attrs[1]) return { file: flakeFile, span: spanOf(attrs[1]) };
      if (e.path.length === 1 && isAttrset(unparen(e.value))) {
        for (const inner of bindings(unparen(e.value))) {
          if (inner.kind === 'binding' && inner.path[0] === name) {
            const first = inner.attrpath.childrenForFieldName('attr')[0];
            if (first) return { file: flakeFile, span: spanOf(first) };
          }
          if (inner.kind === 'inherit') {
            const n = inner.names.find((x) => x.name === name);
            if (n) return { file: flakeFile, span: spanOf(n.node) };
          }
        }
      }
    }
    const fn = outputsFunction(root);
    const formal = fn?.childForFieldName('formals')?.childrenForFieldName('formal').find((f) => f?.childForFieldName('name')?.text === name);
    const id = formal?.childForFieldName('name');
    return id ? { file: flakeFile, span: spanOf(id) } : null;
  });
}

/** Where a name handed to modules is defined, as seen from one builder. */
export interface ArgDefinition {
  /** The place to jump to. */
  at: FileSpan;
  /** What it is: a `let` binding, a specialArgs entry, or a flake input. */
  kind: 'let' | 'entry' | 'input' | 'formal';
  /** The specialArgs entry that passes it (for hover). */
  entry: FileSpan | null;
}

/**
 * Where `name`, passed by `builder` to its modules, is defined: the specialArgs
 * entry `name = ...;`, the `let` binding an `inherit name;` picks up, or the
 * flake input (`inherit (inputs) name;`, `specialArgs = inputs;`, an
 * `outputs` formal).
 */
export function argDefinition(ctx: FeatureContext, builder: BuilderInfo, name: string): ArgDefinition | null {
  const flake = flakeFor(ctx.model, builder.file);
  const inputDecl = (): FileSpan | null =>
    flake && flake.inputs.some((i) => i.name === name) ? flakeInputDeclaration(ctx, flake.path, name) : null;
  type Found = { kind: 'entry' | 'let' | 'formal' | 'input'; at: FileSpan | null; entry: FileSpan | null };
  const found = withTree<Found | null>(ctx, builder.file, null, (root) => {
    const call = nodeAtSpan(root, builder.fact.span, K.Apply);
    if (!call) return null;
    const entries = specialArgEntries(call);
    const entry = entries.find((e) => e.name === name);
    const here = (n: Node): FileSpan => ({ file: builder.file, span: spanOf(n) });
    if (entry?.kind === 'binding') return { kind: 'entry', at: here(entry.node), entry: here(entry.node) };
    if (entry?.kind === 'inherit') {
      const binder = resolveName(entry.node, name);
      if (binder && (binder.kind === 'let' || binder.kind === 'rec')) return { kind: 'let', at: here(binder.def), entry: here(entry.node) };
      if (binder && (binder.kind === 'formal' || binder.kind === 'universal')) {
        const outputs = outputsFunction(root);
        if (outputs && binder.scope.equals(outputs) && binder.kind === 'formal') return { kind: 'input', at: null, entry: here(entry.node) };
        return { kind: 'formal', at: here(binder.def), entry: here(entry.node) };
      }
      return { kind: 'entry', at: here(entry.node), entry: here(entry.node) };
    }
    if (entry?.kind === 'inherit-from') {
      const from = entry.from ? selectParts(entry.from) : null;
      const isInputs = from && variableName(from.base) === 'inputs' && from.path.length === 0;
      return isInputs ? { kind: 'input', at: null, entry: here(entry.node) } : { kind: 'entry', at: here(entry.node), entry: here(entry.node) };
    }
    const spread = entries.find((e) => e.kind === 'spread');
    if (spread) return { kind: 'input', at: null, entry: here(spread.node) };
    return null;
  });
  if (!found) return null;
  if (found.kind === 'input') {
    const decl = inputDecl();
    return decl ? { at: decl, kind: 'input', entry: found.entry } : found.entry ? { at: found.entry, kind: 'entry', entry: found.entry } : null;
  }
  return found.at ? { at: found.at, kind: found.kind, entry: found.entry } : null;
}

/** A name at the cursor that is a module argument: a formal of the module's top lambda, or a use of one. */
export function moduleArgumentAt(root: Node, id: Node): string | null {
  const name = id.text;
  const top = topExpression(root);
  if (!top || top.type !== K.Function) return null;
  const up = parentOf(id);
  const isVariable = up?.type === K.Variable;
  const isFormal = up?.type === K.Formal && up.childForFieldName('name')?.equals(id);
  const isInherited = up?.type === K.InheritedAttrs && parentOf(up)?.type === K.Inherit;
  if (!isVariable && !isFormal && !isInherited) return null;
  const binder = resolveThroughInherit(id, name);
  return binder && binder.kind === 'formal' && binder.scope.equals(top) ? name : null;
}
