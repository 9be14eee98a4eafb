/**
 * Layout helpers shared by the shapes: the two formatting styles seen in real
 * repositories. nixfmt (RFC 166) writes one formal and one list item per
 * line with trailing commas after formals; the classic style keeps short
 * formals and lists on one line, and old nixpkgs code puts commas first.
 */

export type Style = 'nixfmt' | 'classic' | 'leading-comma';

/** `{ a, b, ... }:` in the given style, followed by a newline. */
export function formals(style: Style, names: readonly string[], ellipsis = false): string {
  const all = ellipsis ? [...names, '...'] : [...names];
  if (style === 'nixfmt') {
    if (all.length === 0) return '{ }:\n';
    return `{\n${all.map((n) => (n === '...' ? '  ...\n' : `  ${n},\n`)).join('')}}:\n`;
  }
  if (style === 'leading-comma' && all.length > 3) {
    return `{ ${all[0]}\n${all.slice(1).map((n) => `, ${n}\n`).join('')}}:\n`;
  }
  return `{ ${all.join(', ')} }:\n`;
}

/**
 * A list value (without the attribute name) at `indent` spaces: one item per
 * line in nixfmt style when there is more than one, else on one line while it
 * fits in 100 columns.
 */
export function list(style: Style, items: readonly string[], indent: number): string {
  if (items.length === 0) return '[ ]';
  const pad = ' '.repeat(indent);
  const oneLine = `[ ${items.join(' ')} ]`;
  if (style === 'nixfmt' ? items.length === 1 && oneLine.length < 60 : oneLine.length + indent < 100) return oneLine;
  return `[\n${items.map((i) => `${pad}  ${i}\n`).join('')}${pad}]`;
}

/** An indented string with `lines` at `indent + 2` spaces; empty lines stay empty. */
export function indented(lines: readonly string[], indent: number): string {
  const pad = ' '.repeat(indent + 2);
  return `''\n${lines.map((l) => (l === '' ? '\n' : `${pad}${l}\n`)).join('')}${' '.repeat(indent)}''`;
}

/** Names that must be quoted as attribute names. */
export function attrName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_'-]*$/.test(name) ? name : `"${name}"`;
}

/** Keeps the first occurrence of each item. */
export function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}
