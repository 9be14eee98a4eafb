/**
 * `use-legacy-packages` (quick fix on `prefer-legacy-packages`, preferred): an
 * instance of a flake input with nothing but a system is the input's own
 * `legacyPackages.<system>`, which is evaluated once and shared. This replaces
 * the instantiation with that selection: `.${system}` for an expression,
 * `.x86_64-linux` for a literal, `.${platform.system}` for a `localSystem`
 * that is a platform set. Parentheses that only held the instance go too,
 * since a selection never needs them.
 *
 * ```nix
 * # before
 * hello = (import nixpkgs { inherit system; }).hello;
 * # after
 * hello = nixpkgs.legacyPackages.${system}.hello;
 * ```
 */
import { applyParts, bindings, K, selectParts, staticString, unparen, type Node } from '../../syntax/ast.js';
import type { Diagnostic } from '../diagnostics/index.js';
import type { Span } from '../text.js';
import { SourceChangeBuilder } from './edit.js';
import { nodeWithSpan, spanWithOwnParens } from './syntax.js';
import type { Assist, AssistHandler } from './types.js';
import { preferLegacyPackages } from '../diagnostics/prefer-legacy-packages.js';

const ID = 'use-legacy-packages';

export const useLegacyPackages: AssistHandler = {
  id: ID,
  assists(ctx) {
    const out: Assist[] = [];
    const lines = ctx.model.files.get(ctx.file)?.lines;
    if (!lines) return out;
    for (const d of ctx.diagnostics) {
      if (d.code !== preferLegacyPackages.code) continue;
      const span = lines.span(d.range);
      const inst = ctx.model
        .instancesIn(ctx.file)
        .find((i) => i.kind === 'import' && i.input !== null && i.site.anchor.start === span.start && i.site.anchor.end === span.end);
      if (!inst) continue;
      const plan = ctx.withTree(ctx.file, (tree) => replacement(tree.rootNode, inst.site.span));
      if (!plan) continue;
      out.push(assist(ctx.file, d, plan));
    }
    return out;
  },
};

interface Plan {
  span: Span;
  text: string;
}

function assist(file: string, d: Diagnostic, plan: Plan): Assist {
  return {
    id: ID,
    title: `Use ${plan.text}`,
    kind: 'quickfix',
    fixes: [d],
    preferred: true,
    edit: () => new SourceChangeBuilder().replace(file, plan.span, plan.text).finish(),
  };
}

/** A system as written: a literal, or an expression with the key it was given under. */
type SystemValue = { string: string } | { expr: Node | string; key: 'system' | 'localSystem' };

/** `nixpkgs.legacyPackages.${system}` for the instantiation at `siteSpan`, or null when its shape is not the expected one. */
function replacement(root: Node, siteSpan: Span): Plan | null {
  const site = nodeWithSpan(root, siteSpan, [K.Apply]);
  const parts = site ? applyParts(site) : null;
  if (!site || !parts || parts.args.length !== 2) return null;
  const source = sourceText(parts.args[0]!);
  const set = unparen(parts.args[1]!);
  if (set.type !== K.Attrset) return null;
  const value = systemOf(set);
  if (!value) return null;
  return { span: spanWithOwnParens(site), text: `${source}.legacyPackages${selector(value)}` };
}

/** The source expression as the base of a selection: `nixpkgs`, `inputs.nixpkgs`, `(expr)`. */
function sourceText(node: Node): string {
  let n = unparen(node);
  // `nixpkgs.outPath` names the same input as `nixpkgs`, which has the legacyPackages.
  if (n.type === K.Select && !n.childForFieldName('default')) {
    const attrs = n.childForFieldName('attrpath')?.childrenForFieldName('attr') ?? [];
    const base = n.childForFieldName('expression');
    if (attrs.at(-1)?.text === 'outPath' && base) {
      if (attrs.length === 1) n = unparen(base);
      else return n.text.slice(0, attrs.at(-2)!.endIndex - n.startIndex);
    }
  }
  return isSelectable(n) ? n.text : `(${n.text})`;
}

/** A variable or a selection without `or`: usable as the base of `.legacyPackages` as it is. */
function isSelectable(n: Node): boolean {
  return n.type === K.Variable || (n.type === K.Select && !n.childForFieldName('default'));
}

function systemOf(set: Node): SystemValue | null {
  const entries = bindings(set);
  if (entries.length !== 1) return null;
  const e = entries[0]!;
  if (e.kind === 'inherit') {
    const name = e.names[0]?.name;
    if (e.names.length !== 1 || (name !== 'system' && name !== 'localSystem')) return null;
    const from = e.from ? unparen(e.from) : null;
    const expr = from ? `${isSelectable(from) ? from.text : `(${from.text})`}.${name}` : name;
    return { expr, key: name };
  }
  const path = e.path.join('.');
  if (path === 'system' || path === 'localSystem.system') return valueOf(e.value, 'system');
  if (path !== 'localSystem') return null;
  const inner = unparen(e.value);
  if (inner.type !== K.Attrset) return valueOf(e.value, 'localSystem');
  return systemOf(inner);
}

function valueOf(node: Node, key: 'system' | 'localSystem'): SystemValue {
  const s = staticString(node);
  return s !== null ? { string: s } : { expr: node, key };
}

/** The last name of a variable or selection (`system` for `pkgs.stdenv.hostPlatform.system`). */
function lastName(expr: Node): string | null {
  const sel = selectParts(expr);
  if (sel.hasDefault) return null;
  const last = sel.path.length ? sel.path.at(-1) : sel.base.type === K.Variable ? sel.base.text : null;
  return typeof last === 'string' ? last : null;
}

/** Platform sets for sure: `pkgs.stdenv.hostPlatform`, `lib.systems.elaborate "..."`. */
function isPlatformSet(expr: Node): boolean {
  const last = lastName(expr);
  if (last === 'hostPlatform' || last === 'buildPlatform' || last === 'targetPlatform') return true;
  const parts = applyParts(unparen(expr));
  return parts !== null && lastName(parts.fn) === 'elaborate';
}

/**
 * `.x86_64-linux` for a literal, `.${expr}` for a system string. A `localSystem`
 * may also be a platform set, whose `system` attribute is the string: a sure
 * set is selected from (`.${pkgs.stdenv.hostPlatform.system}`), and anything
 * else takes both readings (`.${platform.system or platform}`, which Nix
 * evaluates to the string either way).
 */
function selector(value: SystemValue): string {
  if ('string' in value) {
    return /^[A-Za-z_][A-Za-z0-9_'-]*$/.test(value.string)
      ? `.${value.string}`
      : `.${JSON.stringify(value.string).replace(/\$\{/g, '\\${')}`;
  }
  if (typeof value.expr === 'string') {
    return value.key === 'system' || /(^|\.)system$/.test(value.expr)
      ? `.\${${value.expr}}`
      : `.\${${value.expr}.system or ${value.expr}}`;
  }
  const e = unparen(value.expr);
  // An interpolated string is a valid attribute name as it is: `."${arch}-linux"`.
  if (e.type === K.String) return `.${e.text}`;
  if (value.key === 'system' || lastName(e) === 'system') return `.\${${e.text}}`;
  const base = isSelectable(e) ? e.text : `(${e.text})`;
  return isPlatformSet(e) ? `.\${${base}.system}` : `.\${${base}.system or ${base}}`;
}
