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
