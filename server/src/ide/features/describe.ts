/**
 * Instances in words: which one is under the cursor, and what it is (source,
 * systems, config, overlays, how often it is evaluated and by which hosts,
 * the other sites with the same arguments, and whether a custom `gcc.arch`
 * forfeits the binary cache). Used by hover and symbols.
 */
import { costSiteOf } from '../cost.js';
import { exampleByName, examplesForConfig } from '../cross/index.js';
import type { ArgNode, InstanceArgs } from '../index/args.js';
import type { Span } from '../text.js';
import { platformArgs, type Instance, type WorkspaceModel } from '../workspace.js';
import { contains, displayLocation, type FeatureContext } from './context.js';

/** The span of the name in `name = <instance>;` (or `name ? <instance>` in formals). */
export function bindingNameSpan(model: WorkspaceModel, inst: Instance): Span | null {
  const b = inst.site.bindingSpan;
  if (!b || inst.site.name === null) return null;
  const text = model.files.get(inst.file)?.lines.text ?? '';
  const head = /^[^=?]*/.exec(text.slice(b.start, b.end))![0].trimEnd();
  return head ? { start: b.start, end: b.start + head.length } : null;
}

/** The instance whose head (`import nixpkgs`, `mkPkgs`, `pkgsCross.riscv64`) or binding name is at `offset`; the innermost wins. */
export function instanceAt(model: WorkspaceModel, file: string, offset: number): { inst: Instance; span: Span } | null {
  let best: { inst: Instance; span: Span } | null = null;
  for (const inst of model.instancesIn(file)) {
    const spans = [inst.site.anchor, bindingNameSpan(model, inst)];
    for (const span of spans) {
      if (!span || !contains(span, offset)) continue;
      if (!best || span.end - span.start < best.span.end - best.span.start) best = { inst, span };
    }
  }
  return best;
}

/** The arguments that decide the instance: its own, or for a wrapper call, those of the wrapper's body. */
export function effectiveArgs(model: WorkspaceModel, inst: Instance): { args: InstanceArgs | null; via: string | null } {
  if (inst.site.args) return { args: inst.site.args, via: null };
  if (inst.kind === 'wrapper-call' && inst.site.wrapper) {
    const body = model.instancesIn(inst.file).find((i) => i.kind === 'import' && i.site.wrapper === inst.site.wrapper);
    return { args: body?.site.args ?? null, via: inst.site.wrapper };
  }
  return { args: null, via: null };
}

function code(text: string): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  const short = clean.length > 80 ? clean.slice(0, 77) + '…' : clean;
  const fence = short.includes('`') ? '``' : '`';
  return `${fence}${short}${fence}`;
}

/** `"x86_64-linux"` or the expression (`system`). */
function valueText(arg: ArgNode): string {
  if (arg.string !== null) return code(`"${arg.string}"`);
  if (arg.text !== null) return code(arg.text);
  if (arg.attrs) return code(`{ ${[...arg.attrs.keys()].join(', ')} }`);
  return '?';
}

/** The platform's triple or double, when written as a string. */
function platformString(arg: ArgNode | undefined): string | null {
  if (!arg) return null;
  if (arg.string !== null) return arg.string;
  return arg.attrs?.get('config')?.string ?? arg.attrs?.get('system')?.string ?? null;
}

function platformText(arg: ArgNode): string {
  if (!arg.attrs) return valueText(arg);
  const parts: string[] = [];
  const config = arg.attrs.get('config');
  const system = arg.attrs.get('system');
  if (config) parts.push(valueText(config));
  else if (system) parts.push(valueText(system));
  const gcc = arg.attrs.get('gcc')?.attrs;
  for (const [k, v] of gcc ?? []) parts.push(`gcc.${k} ${valueText(v)}`);
  const libc = arg.attrs.get('libc');
  if (libc) parts.push(`libc ${valueText(libc)}`);
  return parts.join(', ') || valueText(arg);
}

/**
 * A configuration's platform options (`nixpkgs.hostPlatform`, `buildPlatform`, `crossSystem`,
 * `localSystem`, `system`), read with the other half of a pair written in another module.
 */
function platformItems(ctx: FeatureContext, inst: Instance, item: (label: string, value: string) => void): void {
  const attrs = platformArgs(inst)?.attrs;
  const host = attrs?.get('hostPlatform') ?? attrs?.get('localSystem') ?? attrs?.get('system');
  const build = attrs?.get('buildPlatform');
  const cross = attrs?.get('crossSystem');
  if (build && host) item('Cross-compiles', `${platformText(host)} packages on ${platformText(build)}`);
  else if (cross) item('Cross-compiles', `${platformText(cross)} packages on ${host ? platformText(host) : 'the build machine'}`);
  else if (host) item('System', platformText(host));
  else if (build) item('Builds on', `${platformText(build)}; the host platform is set by another module`);
  if (inst.pair) {
    const other = inst.pair.other;
    const keys = [...(other.site.args?.attrs?.keys() ?? [])].map((k) => `\`nixpkgs.${k}\``).join(', ');
    item('Together with', `${keys} at ${displayLocation(ctx, other.file, other.site.span.start)}: the configuration merges both modules' options into this one package set`);
  }
}

/** Keys of `config`, flattened (`allowUnfree`, `permittedInsecurePackages`). */
function configKeys(arg: ArgNode): string[] {
  if (!arg.attrs) return [];
  const out: string[] = [];
  const visit = (map: Map<string, ArgNode>, prefix: string) => {
    for (const [k, v] of map) {
      if (v.attrs && v.valueSpan === null) visit(v.attrs, `${prefix}${k}.`);
      else out.push(`${prefix}${k}`);
    }
  };
  visit(arg.attrs, '');
  return out;
}

/**
 * A note when a platform sets `gcc.arch` to something no ready-made platform
 * uses: every derivation built by that compiler differs from what the binary
 * cache holds.
 */
export function customArchNote(args: InstanceArgs | null): string | null {
  for (const key of ['crossSystem', 'localSystem']) {
    const platform = args?.attrs?.get(key);
    const arch = platform?.attrs?.get('gcc')?.attrs?.get('arch');
    if (!platform || !arch) continue;
    const config = platformString(platform);
    const archText = arch.string ?? arch.text ?? '?';
    const known = config !== null && examplesForConfig(config).some((e) => e.gcc?.arch === arch.string);
    if (known) continue;
    return (
      `**No binary cache:** \`${key}.gcc.arch = "${archText}"\` is a custom setting. ` +
      'GCC is built with it, so every package of this set differs from what cache.nixos.org holds and is built from source, starting with the compiler.'
    );
  }
  return null;
}

function sourceLine(inst: Instance): string {
  if (inst.input) return `flake input \`${inst.input}\`${inst.inputUrl ? ` (\`${inst.inputUrl}\`)` : ''}`;
  const s = inst.site.source;
  switch (s.kind) {
    case 'channel':
      return `channel \`<${s.name}>\` (from \`NIX_PATH\`: impure)`;
    case 'fetcher':
      return `\`${s.fetcher}\`${s.url ? ` of \`${s.url}\`` : ''}`;
    case 'pkgs-path':
      return `the nixpkgs of \`${s.base}\` (\`${inst.site.sourceText}\`)`;
    default:
      return code(inst.site.sourceText);
  }
}

/** How often the instance is evaluated, in words. */
export function evaluationLine(model: WorkspaceModel, inst: Instance): string {
  // The number `report`, the view and the CodeLens show (cost.ts).
  const site = costSiteOf(model, inst);
  if (site && site.kind === 'created') {
    return site.count === null
      ? `Creates a package set ${site.why}; how many the text does not tell.`
      : `Creates ${site.count === 1 ? '1 package set' : `${site.count} package sets`} when every output is evaluated: ${site.why}.`;
  }
  if (inst.site.unused) return 'Never evaluated: nothing in its let names this binding, so Nix creates nothing here.';
  if (inst.kind === 'legacyPackages') return "Shared: `legacyPackages` is nixpkgs' own instance, evaluated once per system and reused.";
  if (inst.kind === 'nixpkgs.pkgs') return 'Sets the package set NixOS uses instead of building its own.';
  if (inst.kind === 'import' && inst.site.wrapper) {
    const calls = model.instancesIn(inst.file).filter((i) => i.kind === 'wrapper-call' && i.site.wrapper === inst.site.wrapper).length;
    return `Instantiated by each call of \`${inst.site.wrapper}\`: ${calls === 1 ? '1 call' : `${calls} calls`} in this file.`;
  }
  if (inst.location === 'module' || inst.scope === 'per-host') {
    const hosts = [...new Set(inst.reachedBy)];
    if (inst.location === 'module') {
      if (inst.evaluations === 0) return 'Evaluated once for every configuration that imports this module (none found in the workspace).';
      return `Evaluated ${inst.evaluations === 1 ? 'once' : `${inst.evaluations} times`}: once per configuration that imports this module (${hosts.join(', ')}).`;
    }
    return 'Evaluated once per host built by the function around it.';
  }
  switch (inst.scope) {
    case 'once':
      return 'Evaluated once.';
    case 'per-system':
      return 'Evaluated once per system.';
    case 'per-call':
      return inst.site.wrapper ? `Evaluated once per call of \`${inst.site.wrapper}\`.` : 'Evaluated once per call of the function around it.';
    default:
      return 'Evaluated once for every file or function that uses this one.';
  }
}

/** One line for symbol lists: `import nixpkgs-unstable · x86_64-linux → riscv64-unknown-linux-gnu`. */
export function instanceSummary(model: WorkspaceModel, inst: Instance): string {
  const source = inst.input ?? inst.site.sourceText;
  switch (inst.kind) {
    case 'wrapper-call':
      // The wrapper's own arguments name its parameters, not this call's values.
      return `${inst.site.wrapper ?? 'wrapper'} → import ${source}`;
    case 'legacyPackages':
      return `${source}.legacyPackages (shared)`;
    case 'pkgsCross': {
      const e = inst.site.member ? exampleByName(inst.site.member) : undefined;
      return `pkgsCross.${inst.site.member ?? '?'}${e ? ` → ${e.config}` : ''}`;
    }
    case 'variant':
      return `${inst.site.member ?? 'variant'} of ${inst.site.sourceText}`;
    case 'extend':
    case 'appendOverlays':
    case 'nixpkgs.pkgs':
      return `${inst.kind} ${inst.site.sourceText}`;
    case 'platform':
      return `nixpkgs.${[...(inst.site.args?.attrs?.keys() ?? [])].join(', ')}`;
    case 'framework':
      return `${inst.site.sourceText}, per system`;
    case 'import':
      break;
  }
  const parts = [`import ${source}`];
  const attrs = effectiveArgs(model, inst).args?.attrs;
  const local = attrs?.get('localSystem') ?? attrs?.get('system');
  const localText = platformString(local) ?? local?.text ?? null;
  const cross = platformString(attrs?.get('crossSystem'));
  if (localText) parts.push(cross ? `${localText} → ${cross}` : localText);
  else if (cross) parts.push(`→ ${cross}`);
  return parts.join(' · ');
}

/** The hover text of an instance, in Markdown. */
export function describeInstance(ctx: FeatureContext, inst: Instance): string {
  const model = ctx.model;
  const { args, via } = effectiveArgs(model, inst);
  const title =
    inst.kind === 'import' && inst.site.wrapper
      ? `nixpkgs instance made by \`${inst.site.wrapper}\``
      : `nixpkgs instance${inst.site.name ? ` \`${inst.site.name}\`` : ''}`;
  const lines: string[] = [`**${title}**`, ''];
  const item = (label: string, value: string) => lines.push(`- **${label}:** ${value}`);

  if (inst.kind === 'pkgsCross' && inst.site.member) {
    const e = exampleByName(inst.site.member);
    item('Cross package set', `\`pkgsCross.${inst.site.member}\`${e ? `: \`${e.config}\` (${e.description})` : ' (not a `lib.systems.examples` name)'}`);
    item('Derived from', code(inst.site.sourceText));
  } else if (inst.kind === 'variant' && inst.site.member) {
    item('Derived package set', `\`${inst.site.member}\` of ${code(inst.site.sourceText)}`);
  } else if (inst.kind === 'extend' || inst.kind === 'appendOverlays') {
    item('Derived package set', `\`${inst.kind}\` of ${code(inst.site.sourceText)}: a new set with more overlays`);
  } else {
    item('Source', sourceLine(inst));
  }
  if (via) item('Through', `the wrapper \`${via}\``);

  const attrs = args?.attrs;
  if (inst.kind === 'platform') platformItems(ctx, inst, item);
  else if (args && !attrs) item('Arguments', code(args.text));
  else if (attrs) {
    const system = attrs.get('system');
    const local = attrs.get('localSystem');
    const cross = attrs.get('crossSystem');
    if (cross) {
      item('Builds on', local ? platformText(local) : system ? valueText(system) : '`builtins.currentSystem` (impure)');
      const config = platformString(cross);
      const same = config ? examplesForConfig(config).map((e) => `\`pkgsCross.${e.name}\``) : [];
      item('Runs on', platformText(cross) + (same.length ? ` (the triple of ${same.join(', ')})` : ''));
    } else if (local) item('System', platformText(local));
    else if (system) item('System', valueText(system));
    else item('System', 'not given: nixpkgs reads `builtins.currentSystem`, which fails in pure (flake) evaluation');
    const config = attrs.get('config');
    if (config) {
      const keys = configKeys(config);
      item('Config', keys.length ? keys.map((k) => `\`${k}\``).join(', ') : valueText(config));
    }
    for (const key of ['overlays', 'crossOverlays']) {
      const o = attrs.get(key);
      if (!o) continue;
      const label = key === 'overlays' ? 'Overlays' : 'Cross overlays';
      item(label, o.listLength !== null ? String(o.listLength) : `from ${valueText(o)}`);
    }
  }

  item('Evaluation', evaluationLine(model, inst));

  if (inst.key && inst.createsInstance) {
    const same = model.instances.filter((o) => o !== inst && o.key === inst.key && o.createsInstance);
    if (same.length) {
      const places = same.map((o) => displayLocation(ctx, o.file, o.site.span.start));
      item('Same source and arguments', `${places.join(', ')}: each evaluates the same package set again; create it once and pass it on.`);
    }
  }

  const note = customArchNote(args);
  if (note) lines.push('', `> ${note}`);
  return lines.join('\n');
}
