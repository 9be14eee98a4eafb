/**
 * Hover: on an instantiation (its head or the name it is bound to), what the
 * instance is and costs; on a module argument that arrives through
 * `specialArgs`, where it is defined and which builders pass it.
 */
import { spanOf } from '../index/args.js';
import type { Range } from '../text.js';
import { contains, displayLocation, linesOf, withTree, type FeatureContext } from './context.js';
import { describeInstance, instanceAt } from './describe.js';
import { argDefinition, flakeFor, hostsOf, moduleArgNames, moduleArgumentAt } from './moduleArgs.js';
import { identifierAt } from './scope.js';
import { ageAgainst, followsLine, staleNixpkgs, unfollowedInputs } from '../diagnostics/unfollowed-nixpkgs.js';
import { lockDate, shortRev, sourceName, type LockedSource } from '../lock.js';
import type { FlakeInfo } from '../workspace.js';

export interface Hover {
  /** Markdown. */
  contents: string;
  range: Range;
}

export function hover(ctx: FeatureContext, file: string, offset: number): Hover | null {
  const lines = linesOf(ctx, file);
  if (!lines) return null;
  const hit = instanceAt(ctx.model, file, offset);
  if (hit) return { contents: describeInstance(ctx, hit.inst), range: lines.range(hit.span) };
  const flake = ctx.model.flakes.find((f) => f.path === file);
  const decl = flake?.inputs.flatMap((i) => i.nameSpans.map((span) => ({ input: i.name, span }))).find((d) => contains(d.span, offset));
  if (flake && decl) return { contents: flakeInputHover(flake, decl.input), range: lines.range(decl.span) };
  const arg = withTree(ctx, file, null as { name: string; start: number; end: number } | null, (root) => {
    const id = identifierAt(root, offset);
    const name = id ? moduleArgumentAt(root, id) : null;
    return id && name ? { name, ...spanOf(id) } : null;
  });
  if (!arg) return null;
  const contents = moduleArgumentHover(ctx, file, arg.name);
  return contents ? { contents, range: lines.range(arg) } : null;
}

/** The hover text of a module argument, or null when no builder passes it through specialArgs. */
export function moduleArgumentHover(ctx: FeatureContext, file: string, name: string): string | null {
  const builders = moduleArgNames(ctx.model, file).get(name);
  if (!builders?.length) return null;
  const out = [`**module argument \`${name}\`**, passed through \`specialArgs\``, ''];
  for (const b of builders) {
    const hosts = hostsOf(b);
    out.push(
      `- **Passed by** \`${b.fact.builder}\` at ${displayLocation(ctx, b.file, b.fact.span.start)}` +
        (hosts.length ? ` for ${hosts.map((h) => `\`${h}\``).join(', ')}` : ''),
    );
  }
  const seen = new Set<string>();
  for (const b of builders) {
    const def = argDefinition(ctx, b, name);
    if (!def) continue;
    const key = `${def.at.file}:${def.at.span.start}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (def.kind === 'input') {
      const input = flakeFor(ctx.model, b.file)?.inputs.find((i) => i.name === name);
      out.push(
        `- **Defined** as the flake input \`${name}\`${input?.url ? ` (\`${input.url}\`)` : ''} at ${displayLocation(ctx, def.at.file, def.at.span.start)}`,
      );
      continue;
    }
    const inst = ctx.model
      .instancesIn(def.at.file)
      .find((i) => i.site.bindingSpan !== null && contains(i.site.bindingSpan, def.at.span.start) && i.site.name?.split('.')[0] === name);
    const where = displayLocation(ctx, def.at.file, def.at.span.start);
    if (inst) {
      out.push(`- **Defined** at ${where}:`, '', describeInstance(ctx, inst));
    } else {
      const line = lineAt(ctx, def.at.file, def.at.span.start);
      out.push(`- **Defined** at ${where}${line ? `: \`${line}\`` : ''}`);
    }
  }
  return out.join('\n');
}

function lineAt(ctx: FeatureContext, file: string, offset: number): string | null {
  const lines = linesOf(ctx, file);
  if (!lines) return null;
  const text = lines.lineText(lines.position(offset).line).trim().replace(/`/g, "'");
  return text.length > 90 ? text.slice(0, 87) + '…' : text;
}

/** `` `NixOS/nixpkgs` at `1a2b3c4` of 2024-05-31, branch `nixos-24.05` ``: what a lock node pins. */
function pinned(s: LockedSource | null): string {
  if (!s) return 'nothing the lock describes';
  const from = sourceName(s);
  const rev = shortRev(s.rev);
  const date = lockDate(s.lastModified);
  return [from && `\`${from}\``, rev && `at \`${rev}\``, date && `of ${date}`, s.ref && `branch \`${s.ref}\``].filter(Boolean).join(' ');
}

/** The hover on a flake input's declaration: what flake.lock pins for it, and where its nixpkgs comes from. */
export function flakeInputHover(flake: FlakeInfo, name: string): string {
  const out = [`**flake input \`${name}\`**`, ''];
  const lock = flake.lock;
  const l = lock?.inputs.find((i) => i.name === name);
  if (!lock) return [...out, 'No flake.lock was read beside this flake.nix (none yet, or one this cannot read).'].join('\n');
  if (!l) return [...out, 'Not in flake.lock yet: `nix flake lock` adds it.'].join('\n');
  const node = l.node === null ? null : (lock.nodes.get(l.node)?.locked ?? null);
  out.push(l.follows ? `- **Follows** \`${l.follows.join('/')}\`: ${pinned(node)}` : `- **Locked**: ${pinned(node)}`);
  if (name === 'nixpkgs' && lock.rootNixpkgs !== null) {
    const n = lock.nixpkgsNodes.length;
    out.push(`- **flake.lock** holds ${n} nixpkgs source${n === 1 ? '' : 's'} in all, this one and those its inputs lock`);
  }
  if (l.nixpkgs !== null && l.follows === null) {
    const own = unfollowedInputs(flake).find((u) => u.decl.name === name);
    const root = lock.inputs.find((i) => i.node === l.nixpkgs && i.name !== name);
    if (own) {
      const age = ageAgainst(own.own, own.root);
      out.push(`- **Its nixpkgs**: its own, ${pinned(own.own)}${age ? ` (${age})` : ''}; \`${followsLine(name)}\` shares the flake's`);
    } else if (staleNixpkgs(flake, name)) {
      out.push("- **Its nixpkgs**: flake.nix makes it follow, but flake.lock still locks its own: run `nix flake lock`");
    } else if (root) {
      out.push(`- **Its nixpkgs**: the flake's \`${root.name}\``);
    }
  }
  return out.join('\n');
}
