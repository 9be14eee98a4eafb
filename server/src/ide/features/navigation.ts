/**
 * Navigation across the flake/module boundary, which a per-file language
 * server cannot follow:
 *
 * - go to definition from a module argument to the `specialArgs` entry, the
 *   `let` binding or the flake input it comes from; from `inputs.X` (in a
 *   module or in flake.nix) and from an `outputs` formal to the input's
 *   declaration; from a wrapper call (`mkPkgs "x86_64-linux"`) to the wrapper;
 * - find references from an instance binding (`pkgs-unstable = import ...`
 *   in a `let` or in `specialArgs`) to its uses in the modules the builders
 *   hand it to, and back from any of those uses.
 */
import { K, parentOf, selectParts, variableName, type Node } from '../../syntax/ast.js';
import { spanOf } from '../index/args.js';
import type { BuilderInfo } from '../workspace.js';
import { toFileRange, uniqueSpans, withTree, type FeatureContext, type FileRange, type FileSpan } from './context.js';
import { instanceAt } from './describe.js';
import {
  argDefinition,
  flakeFor,
  flakeInputDeclaration,
  moduleArgNames,
  moduleArgumentAt,
  nodeAtSpan,
  outputsFunction,
  specialArgEntries,
} from './moduleArgs.js';
import { identifierAt, resolveName, topExpression, usesOf } from './scope.js';

export type { FileRange as Location } from './context.js';

function toRanges(ctx: FeatureContext, spans: FileSpan[]): FileRange[] {
  return uniqueSpans(spans).flatMap((s) => toFileRange(ctx, s) ?? []);
}

// ------------------------------------------------------------------ definition

export function definition(ctx: FeatureContext, file: string, offset: number): FileRange[] {
  const wrapper = wrapperDefinition(ctx, file, offset);
  if (wrapper) return toRanges(ctx, [wrapper]);
  type Target = { kind: 'module-arg'; name: string } | { kind: 'input'; name: string; viaModule: boolean };
  const target = withTree<Target | null>(ctx, file, null, (root) => {
    const id = identifierAt(root, offset);
    if (!id) return null;
    const selected = selectedInput(root, id);
    if (selected) return selected;
    const arg = moduleArgumentAt(root, id);
    if (arg) return { kind: 'module-arg', name: arg };
    const outputs = outputsFunction(root);
    const up = parentOf(id)?.type;
    if (outputs && (up === K.Variable || up === K.Formal)) {
      const b = resolveName(id, id.text);
      if (b && b.kind === 'formal' && b.scope.equals(outputs)) return { kind: 'input', name: id.text, viaModule: false };
    }
    return null;
  });
  if (!target) return [];
  if (target.kind === 'module-arg') {
    const spans = (moduleArgNames(ctx.model, file).get(target.name) ?? []).flatMap((b) => argDefinition(ctx, b, target.name)?.at ?? []);
    return toRanges(ctx, spans);
  }
  const flakes = target.viaModule
    ? [...new Set((moduleArgNames(ctx.model, file).get('inputs') ?? []).map((b) => flakeFor(ctx.model, b.file)))]
    : [flakeFor(ctx.model, file)];
  const spans = flakes.flatMap((f) => (f ? (flakeInputDeclaration(ctx, f.path, target.name) ?? []) : []));
  return toRanges(ctx, spans);
}

/** A call of a wrapper (`mkPkgs "x86_64-linux"`) → the wrapper's name in its binding. */
function wrapperDefinition(ctx: FeatureContext, file: string, offset: number): FileSpan | null {
  const hit = instanceAt(ctx.model, file, offset);
  if (!hit || hit.inst.kind !== 'wrapper-call' || hit.span !== hit.inst.site.anchor) return null;
  const w = ctx.model.files.get(file)?.facts.wrappers.find((x) => x.name === hit.inst.site.wrapper);
  return w ? { file, span: w.nameSpan } : null;
}

/**
 * `inputs.X` with the cursor on `X`, where `inputs` is the flake's inputs:
 * the `outputs` lambda's `inputs` formal or `@inputs`, or a module argument
 * called `inputs`.
 */
function selectedInput(root: Node, id: Node): { kind: 'input'; name: string; viaModule: boolean } | null {
  const attrpath = parentOf(id);
  const select = attrpath ? parentOf(attrpath) : null;
  if (attrpath?.type !== K.Attrpath || select?.type !== K.Select) return null;
  const first = attrpath.childrenForFieldName('attr')[0];
  const base = select.childForFieldName('expression');
  if (!first || !first.equals(id) || !base || variableName(base) !== 'inputs') return null;
  if (selectParts(base).path.length !== 0) return null;
  const baseId = base.childForFieldName('name');
  if (!baseId) return null;
  const binder = resolveName(baseId, 'inputs');
  const outputs = outputsFunction(root);
  if (binder && outputs && binder.scope.equals(outputs)) return { kind: 'input', name: id.text, viaModule: false };
  if (moduleArgumentAt(root, baseId)) return { kind: 'input', name: id.text, viaModule: true };
  return null;
}

// ------------------------------------------------------------------ references

/** A name defined in a builder's file and handed to modules. */
interface Definition {
  file: string;
  name: string;
  /** The defining identifier. */
  def: FileSpan;
  /** `let`/`rec` binding (used by name in its scope), or a `specialArgs` entry `name = ...;`. */
  kind: 'let' | 'entry';
}

export function references(ctx: FeatureContext, file: string, offset: number, includeDeclaration: boolean): FileRange[] {
  const start = referenceStart(ctx, file, offset);
  if (!start) return [];
  const spans: FileSpan[] = [];
  const passes: { builder: BuilderInfo; name: string }[] = [];
  for (const d of start.definitions) {
    if (includeDeclaration) spans.push(d.def);
    const found = flakeSideReferences(ctx, d);
    spans.push(...found.uses);
    passes.push(...found.passes);
  }
  for (const decl of start.declarations) if (includeDeclaration) spans.push(decl);
  passes.push(...start.passes);
  // Every module each builder evaluates, once.
  const modulesByName = new Map<string, Set<string>>();
  for (const p of passes) {
    const set = modulesByName.get(p.name) ?? new Set<string>();
    for (const unit of p.builder.units) for (const m of unit.modules) set.add(m);
    modulesByName.set(p.name, set);
  }
  for (const [name, modules] of modulesByName) {
    for (const m of modules) spans.push(...moduleUses(ctx, m, name));
  }
  return toRanges(ctx, spans);
}

/** What the cursor names: definitions in builder files, input declarations, and the builders that pass them. */
function referenceStart(
  ctx: FeatureContext,
  file: string,
  offset: number,
): { definitions: Definition[]; declarations: FileSpan[]; passes: { builder: BuilderInfo; name: string }[] } | null {
  type Local = { kind: 'def'; definition: Definition } | { kind: 'module-arg'; name: string };
  const local = withTree<Local | null>(ctx, file, null, (root) => {
    const id = identifierAt(root, offset);
    if (!id) return null;
    const arg = moduleArgumentAt(root, id);
    if (arg) return { kind: 'module-arg', name: arg };
    const d = definitionAt(ctx, file, root, id);
    return d ? { kind: 'def', definition: d } : null;
  });
  if (!local) return null;
  if (local.kind === 'def') return { definitions: [local.definition], declarations: [], passes: [] };
  // From a module argument: back to where each builder gets it.
  const definitions: Definition[] = [];
  const declarations: FileSpan[] = [];
  const passes: { builder: BuilderInfo; name: string }[] = [];
  for (const b of moduleArgNames(ctx.model, file).get(local.name) ?? []) {
    const def = argDefinition(ctx, b, local.name);
    passes.push({ builder: b, name: local.name });
    if (!def) continue;
    if (def.kind === 'let') definitions.push({ file: def.at.file, name: local.name, def: def.at, kind: 'let' });
    else if (def.kind === 'entry' && def.entry && def.at.span.start === def.entry.span.start) {
      definitions.push({ file: def.at.file, name: local.name, def: def.at, kind: 'entry' });
    } else {
      declarations.push(def.at);
      if (def.entry) declarations.push(def.entry);
    }
  }
  return { definitions, declarations, passes };
}

/**
 * The definition the identifier names, if it is one worth following across
 * files: an instance binding, or a binding some builder passes through
 * `specialArgs`.
 */
function definitionAt(ctx: FeatureContext, file: string, root: Node, id: Node): Definition | null {
  const name = id.text;
  let defNode: Node | null = null;
  let kind: Definition['kind'] = 'let';
  const parent = parentOf(id);
  const binding = parent ? parentOf(parent) : null;
  if (parent?.type === K.Attrpath && binding?.type === K.Binding && parent.childrenForFieldName('attr')[0]?.equals(id)) {
    // The key of `name = ...;`: a let/rec binding, or a specialArgs entry.
    const up = parentOf(binding);
    const set = up ? parentOf(up) : null;
    if (set && (set.type === K.Let || set.type === K.RecAttrset)) defNode = id;
    else if (set && isSpecialArgsSet(set)) {
      defNode = id;
      kind = 'entry';
    }
  } else if (parent?.type === K.Variable || parent?.type === K.InheritedAttrs) {
    const b = resolveName(id, name);
    if (b && (b.kind === 'let' || b.kind === 'rec')) defNode = b.def;
  }
  if (!defNode) return null;
  const def: FileSpan = { file, span: spanOf(defNode) };
  const isInstance = ctx.model
    .instancesIn(file)
    .some((i) => i.site.bindingSpan !== null && i.site.bindingSpan.start <= def.span.start && def.span.end <= i.site.bindingSpan.end);
  const definition: Definition = { file, name, def, kind };
  if (isInstance) return definition;
  // Not an instance: worth answering only when a builder hands it to modules.
  const passed = kind === 'entry' || flakeSideReferencesIn(ctx, root, definition).passes.length > 0;
  return passed ? definition : null;
}

function isSpecialArgsSet(set: Node): boolean {
  const holder = parentOf(set);
  if (holder?.type !== K.Binding) return false;
  const key = holder.childForFieldName('attrpath')?.text;
  return key === 'specialArgs' || key === 'extraSpecialArgs';
}

/** Uses of the definition in its own file, and the builders that pass it on (with the name modules see). */
function flakeSideReferences(ctx: FeatureContext, d: Definition): { uses: FileSpan[]; passes: { builder: BuilderInfo; name: string }[] } {
  return withTree(ctx, d.file, { uses: [], passes: [] }, (root) => flakeSideReferencesIn(ctx, root, d));
}

function flakeSideReferencesIn(
  ctx: FeatureContext,
  root: Node,
  d: Definition,
): { uses: FileSpan[]; passes: { builder: BuilderInfo; name: string }[] } {
  const uses: FileSpan[] = [];
  const passes: { builder: BuilderInfo; name: string }[] = [];
  const defNode = root.descendantForIndex(d.def.span.start, d.def.span.end);
  if (!defNode) return { uses, passes };
  if (d.kind === 'let') for (const u of usesOf(root, d.name, defNode)) uses.push({ file: d.file, span: u.span });
  for (const builder of ctx.model.builders.filter((b) => b.file === d.file)) {
    const call = nodeAtSpan(root, builder.fact.span, K.Apply);
    if (!call) continue;
    for (const entry of specialArgEntries(call)) {
      if (d.kind === 'entry') {
        if (entry.kind === 'binding' && entry.node.startIndex === d.def.span.start) passes.push({ builder, name: entry.name });
        continue;
      }
      if (entry.kind === 'inherit' && entry.name === d.name) {
        const b = resolveName(entry.node, d.name);
        if (b && b.def.equals(defNode)) passes.push({ builder, name: entry.name });
      } else if (entry.kind === 'binding' && entry.value && variableName(entry.value) === d.name) {
        const v = entry.value.type === K.Variable ? entry.value : null;
        const vid = v?.childForFieldName('name');
        const b = vid ? resolveName(vid, d.name) : null;
        if (b && b.def.equals(defNode)) passes.push({ builder, name: entry.name });
      }
    }
  }
  return { uses, passes };
}

/** In a module file: the formal `name` of its top lambda and every use of it. */
function moduleUses(ctx: FeatureContext, file: string, name: string): FileSpan[] {
  return withTree<FileSpan[]>(ctx, file, [], (root) => {
    const top = topExpression(root);
    if (!top || top.type !== K.Function) return [];
    const formal = top
      .childForFieldName('formals')
      ?.childrenForFieldName('formal')
      .map((f) => f?.childForFieldName('name'))
      .find((n) => n && n.text === name);
    if (!formal) return [];
    return [{ file, span: spanOf(formal) }, ...usesOf(root, name, formal).map((u) => ({ file, span: u.span }))];
  });
}
