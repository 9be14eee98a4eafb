/**
 * The arguments of an instantiation, `import nixpkgs { ... }`, read into a
 * tree that ignores spelling: `localSystem.system = x;` and
 * `localSystem = { system = x; };` give the same tree, and so the same
 * fingerprint.
 */
import { bindings, isAttrset, MAX_NESTING, staticString, unparen, variableName, K, type Node } from '../../syntax/ast.js';
import type { Span } from '../text.js';

/** One argument value: a nested set of further arguments, or an expression. */
export interface ArgNode {
  /** Where the key was written first (for diagnostics pointing at `system`). */
  keySpan: Span;
  /** The value's span, when written as a single expression. */
  valueSpan: Span | null;
  /** The static string value (`"x86_64-linux"`), when the value is one. */
  string: string | null;
  /** Normalised source text of the value (whitespace and comments folded). */
  text: string | null;
  /** Set when the value is (or was spelled as) an attribute set. */
  attrs: Map<string, ArgNode> | null;
  /** For list values: the number of elements. */
  listLength: number | null;
}

export interface InstanceArgs {
  /** Span of the whole argument expression. */
  span: Span;
  /** The arguments by name; null when the argument is not an attrset literal (e.g. `import nixpkgs args`). */
  attrs: Map<string, ArgNode> | null;
  /** Raw text of a non-literal argument. */
  text: string;
}

export function spanOf(node: Node): Span {
  return { start: node.startIndex, end: node.endIndex };
}

/**
 * Source text with comments dropped and whitespace folded to one space (kept
 * only where the source had some): equal code gives equal text, and
 * `inputs.nixpkgs` stays `inputs.nixpkgs`.
 */
export function normalisedText(node: Node): string {
  let out = '';
  let prevEnd = -1;
  // A stack of its own: arguments can nest deeper than calls can.
  const stack: Node[] = [node];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === K.Comment) continue;
    if (n.childCount === 0 || n.type === K.String || n.type === K.IndentedString) {
      if (prevEnd !== -1 && n.startIndex > prevEnd) out += ' ';
      out += n.text;
      prevEnd = n.endIndex;
      continue;
    }
    const children = n.children;
    for (let i = children.length - 1; i >= 0; i--) {
      const c = children[i];
      if (c) stack.push(c);
    }
  }
  return out;
}

function emptyArg(keySpan: Span): ArgNode {
  return { keySpan, valueSpan: null, string: null, text: null, attrs: null, listLength: null };
}

function fillFromValue(arg: ArgNode, value: Node, depth: number): void {
  const v = unparen(value);
  // Sets deeper than any platform description are kept as text (and the recursion bounded).
  if (isAttrset(v) && v.type === K.Attrset && depth < MAX_NESTING) {
    arg.attrs ??= new Map();
    readBindings(v, arg.attrs, depth + 1);
    return;
  }
  arg.valueSpan = spanOf(value);
  arg.string = staticString(v);
  arg.text = normalisedText(v);
  if (v.type === K.List) arg.listLength = v.namedChildren.filter((c) => c && c.type !== K.Comment).length;
}

function readBindings(set: Node, into: Map<string, ArgNode>, depth = 0): void {
  for (const entry of bindings(set)) {
    if (entry.kind === 'inherit') {
      for (const { name, node } of entry.names) {
        const arg = emptyArg(spanOf(node));
        arg.valueSpan = spanOf(node);
        arg.text = entry.from ? `${normalisedText(entry.from)}.${name}` : name;
        into.set(name, arg);
      }
      continue;
    }
    const path = entry.path;
    if (path.length === 0 || path.some((p) => p === null)) continue;
    let target = into;
    // Once per binding, not per name: each call lists every name of the path.
    const names = entry.attrpath.childrenForFieldName('attr');
    for (let i = 0; i < path.length; i++) {
      const key = path[i]!;
      let arg = target.get(key);
      if (!arg) {
        arg = emptyArg(spanOf(names[i] ?? entry.attrpath));
        target.set(key, arg);
      }
      if (i === path.length - 1) fillFromValue(arg, entry.value, depth);
      else target = arg.attrs ??= new Map();
    }
  }
}

/**
 * Module options as the arguments of the package set they describe: `nixpkgs.hostPlatform =
 * lib.mkDefault "riscv64-linux";` gives `{ hostPlatform = "riscv64-linux"; }`. Each entry is the
 * option name below `nixpkgs.`, the path below it (`hostPlatform.gcc.arch`) and the value;
 * `mkDefault`/`mkForce`/`mkOverride n` around a value are looked through.
 */
export function readOptionArgs(options: { key: string; keyNode: Node; path: string[]; value: Node }[], span: Span): InstanceArgs {
  const attrs = new Map<string, ArgNode>();
  for (const o of options) {
    let target = attrs;
    const keys = [o.key, ...o.path];
    for (let i = 0; i < keys.length; i++) {
      let arg = target.get(keys[i]!);
      if (!arg) target.set(keys[i]!, (arg = emptyArg(spanOf(o.keyNode))));
      if (i === keys.length - 1) fillFromValue(arg, withoutPriority(o.value), 0);
      else target = arg.attrs ??= new Map();
    }
  }
  return { span, attrs, text: '' };
}

const PRIORITY = new Set(['mkDefault', 'mkForce', 'mkOverride', 'mkOptionDefault', 'mkImageMediaOverride']);

/** `lib.mkDefault x`, `mkOverride 900 x` → `x`. */
export function withoutPriority(value: Node): Node {
  let v = unparen(value);
  for (let i = 0; i < 4 && v.type === K.Apply; i++) {
    const fn = unparen(v.childForFieldName('function') ?? v);
    let head = fn;
    while (head.type === K.Apply) head = unparen(head.childForFieldName('function') ?? head);
    const name = variableName(head) ?? (head.type === K.Select ? (head.childForFieldName('attrpath')?.text.split('.').at(-1) ?? null) : null);
    if (!name || !PRIORITY.has(name)) break;
    v = unparen(v.childForFieldName('argument') ?? v);
  }
  return v;
}

export function readArgs(node: Node): InstanceArgs {
  const v = unparen(node);
  if (v.type === K.Attrset) {
    const attrs = new Map<string, ArgNode>();
    readBindings(v, attrs);
    return { span: spanOf(node), attrs, text: normalisedText(v) };
  }
  return { span: spanOf(node), attrs: null, text: variableName(v) ?? normalisedText(v) };
}

/** A canonical string for arguments: same meaning, same string; key order and spelling ignored. */
export function fingerprint(args: InstanceArgs): string {
  if (!args.attrs) return `expr:${args.text}`;
  // impure.nix reads `system = x`, `localSystem = x` and `localSystem.system = x` alike.
  const attrs = new Map(args.attrs);
  const system = attrs.get('system');
  const local = attrs.get('localSystem');
  let platform: string | null = null;
  if (system && !local) {
    platform = `{"system":${fingerprintArg(system)}}`;
    attrs.delete('system');
  } else if (local && !system) {
    platform = local.attrs ? fingerprintMap(local.attrs) : `{"system":${fingerprintArg(local)}}`;
    attrs.delete('localSystem');
  }
  const rest = fingerprintMap(attrs);
  return platform === null ? rest : `platform:${platform}${rest}`;
}

function fingerprintMap(map: Map<string, ArgNode>): string {
  const keys = [...map.keys()].sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${fingerprintArg(map.get(k)!)}`).join(',')}}`;
}

function fingerprintArg(arg: ArgNode): string {
  if (arg.attrs) return fingerprintMap(arg.attrs);
  if (arg.string !== null) return JSON.stringify(arg.string);
  return `(${arg.text ?? ''})`;
}
