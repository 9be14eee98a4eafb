/**
 * Snippets for writing instances the recommended way: RISC-V cross and
 * emulated instances, `pkgsCross`, a second nixpkgs input, an instance with
 * its own overlays, and the `specialArgs` line that hands instances to
 * modules.
 *
 * The server's completion is their one source (every editor, VS Code
 * included, gets them from it), because only the server knows the place:
 *
 * - where a binding can go (a `let`, an attribute set, `specialArgs`), an
 *   instance snippet inserts a whole binding, `pkgs-riscv64 = import … { … };`,
 *   under a name that is free there;
 * - after `name =`, the expression, with the `;` when none follows;
 * - in a module, the recommended form: the argument flake.nix passes
 *   (`pkgs-riscv64`, added to the module's formals), not a new instance;
 * - in a builder call's arguments, `specialArgs = { inherit …; };`.
 *
 * What the bodies refer to comes from the file (see {@link SnippetEnv}): the
 * flake's real nixpkgs input and how it is reachable there, the `system` in
 * scope. A snippet whose source is not reachable is not offered.
 *
 * Bodies use the LSP snippet syntax: `${1:default}` tab stops, `${2|a,b|}`
 * choices, `$0` for the final cursor.
 */
import { abisFor, gccDefaultArch, SYSTEM_EXAMPLES } from '../cross/index.js';

/** How the snippet refers to a system: a variable in scope, or a literal to fill in. */
export type SystemRef = { var: string } | { literal: string };

/** What the bodies are rendered with, as the place tells it. */
export interface SnippetEnv {
  /** The main nixpkgs as this place can name it (`nixpkgs`, `inputs.nixpkgs-stable`, `<nixpkgs>`), or null. */
  nixpkgs: string | null;
  /** A second nixpkgs input (`nixpkgs-unstable`), or null when there is none. */
  unstable: string | null;
  /** A package set in scope to take `pkgsCross` from (`pkgs`, `nixpkgs.legacyPackages.${system}`), or null. */
  pkgs: string | null;
  /** The build machine of cross instances (`localSystem`). */
  localSystem: SystemRef;
  /** The system of plain instances (`inherit system;`). */
  system: SystemRef;
}

/** Where a snippet is inserted; see the file's header. */
export type SnippetPlace = 'binding' | 'expression' | 'module' | 'builder-arguments';

/** How a rendered snippet is inserted at its place. */
export interface PlaceOptions {
  /** A name free at the place for `base` (binding places). */
  freeName(base: string): string;
  /** Whether the expression needs its own `;` (nothing follows `name = |`). */
  semicolon: boolean;
  /** In a module: the argument that holds the snippet's instance (one flake.nix already passes, else `base`). */
  moduleArgument(prefix: string, base: string): string;
}

export interface RenderedSnippet {
  /** What the user types (`nixpkgs-riscv64`). */
  prefix: string;
  description: string;
  /** Whether the snippet creates a nixpkgs instance. */
  createsInstance: boolean;
  /** Lines of the body, snippet syntax. */
  body: string[];
  /** What the body refers to (see {@link SnippetEnv}). */
  needs: 'nixpkgs' | 'unstable' | 'pkgs' | null;
  /** In a module: the argument the body names, which the module must take. */
  argument?: string;
}

/** Escapes text for use inside a snippet placeholder or body. */
export function escapeSnippet(text: string): string {
  return text.replace(/[\\$}]/g, (c) => `\\${c}`);
}

/** Numbers tab stops in the order they are asked for. */
class Stops {
  private n = 0;
  placeholder(text: string): string {
    return `\${${++this.n}:${escapeSnippet(text)}}`;
  }
  choice(options: readonly string[]): string {
    return `\${${++this.n}|${options.map((o) => o.replace(/[\\,|$}]/g, (c) => `\\${c}`)).join(',')}|}`;
  }
}

/** `localSystem = "x86_64-linux";` or `localSystem = system;`, as a tab stop. */
function systemValue(stops: Stops, ref: SystemRef): string {
  return 'var' in ref ? stops.placeholder(ref.var) : `"${stops.placeholder(ref.literal)}"`;
}

/** `inherit system;` when the variable is called `system`, else `system = ...;`. */
function systemLine(stops: Stops, ref: SystemRef): string {
  if ('var' in ref && ref.var === 'system') return 'inherit system;';
  return `system = ${systemValue(stops, ref)};`;
}

/** ABI choices for GCC's default arch of a width, on Linux or bare metal, best first. */
function abiChoices(xlen: 32 | 64, linux: boolean): string[] {
  return abisFor(gccDefaultArch(xlen).arch, { linux });
}

/** The RISC-V `pkgsCross` names, in the order of `lib.systems.examples` as this project lists them. */
const RISCV_EXAMPLES = SYSTEM_EXAMPLES.filter((e) => e.group === 'riscv').map((e) => e.name);

/** One snippet: its expression, what it needs from the place, and the binding it makes. */
interface SnippetDef {
  prefix: string;
  description: string;
  /** The binding name where a binding can go, and the module argument in modules. */
  name: string;
  createsInstance: boolean;
  /** What the expression refers to; the snippet is left out where that is not reachable. */
  needs: 'nixpkgs' | 'unstable' | 'pkgs';
  /** The expression's lines; a `$0` in them is the final cursor (else it goes at the end). */
  expression(env: SnippetEnv, s: Stops, source: string): string[];
  /** What an instance flake.nix already passes must be to stand for this one in a module. */
  target?: SnippetTarget;
}

/** An instance that serves as a snippet's: cross-compiling to a triple, native on a system, or from the second input. */
export type SnippetTarget = { cross: string } | { native: string } | { secondInput: true };

function crossInstance(
  env: SnippetEnv,
  s: Stops,
  source: string,
  config: string,
  xlen: 32 | 64,
  options: { linux: boolean; libc?: readonly string[] },
): string[] {
  const lines = [`import ${source} {`, `  localSystem = ${systemValue(s, env.localSystem)};`, '  crossSystem = {', `    config = "${config}";`];
  if (options.libc) lines.push(`    libc = "${s.choice(options.libc)}";`);
  lines.push(`    gcc.arch = "${s.placeholder(gccDefaultArch(xlen).arch)}";`, `    gcc.abi = "${s.choice(abiChoices(xlen, options.linux))}";`, '  };', '}');
  return lines;
}

const DEFS: readonly SnippetDef[] = [
  {
    prefix: 'nixpkgs-riscv64',
    target: { cross: 'riscv64-unknown-linux-gnu' },
    description:
      'Cross-compile for 64-bit RISC-V Linux (glibc) with gcc.arch and gcc.abi. A gcc setting is not in the binary cache: without the two gcc lines this is the platform of pkgsCross.riscv64',
    name: 'pkgs-riscv64',
    createsInstance: true,
    needs: 'nixpkgs',
    expression: (env, s, source) => crossInstance(env, s, source, 'riscv64-unknown-linux-gnu', 64, { linux: true }),
  },
  {
    prefix: 'nixpkgs-riscv64-musl',
    target: { cross: 'riscv64-unknown-linux-musl' },
    description: 'Cross-compile for 64-bit RISC-V Linux with musl libc',
    name: 'pkgs-riscv64-musl',
    createsInstance: true,
    needs: 'nixpkgs',
    expression: (env, s, source) => crossInstance(env, s, source, 'riscv64-unknown-linux-musl', 64, { linux: true }),
  },
  {
    prefix: 'nixpkgs-riscv64-embedded',
    target: { cross: 'riscv64-none-elf' },
    description: 'Cross-compile for 64-bit RISC-V bare metal (riscv64-none-elf, newlib)',
    name: 'pkgs-riscv64-embedded',
    createsInstance: true,
    needs: 'nixpkgs',
    expression: (env, s, source) => crossInstance(env, s, source, 'riscv64-none-elf', 64, { linux: false, libc: ['newlib', 'newlib-nano'] }),
  },
  {
    prefix: 'nixpkgs-riscv32',
    target: { cross: 'riscv32-unknown-linux-gnu' },
    description: 'Cross-compile for 32-bit RISC-V Linux (glibc)',
    name: 'pkgs-riscv32',
    createsInstance: true,
    needs: 'nixpkgs',
    expression: (env, s, source) => crossInstance(env, s, source, 'riscv32-unknown-linux-gnu', 32, { linux: true }),
  },
  {
    prefix: 'nixpkgs-riscv64-emulated',
    target: { native: 'riscv64-linux' },
    description:
      'Native riscv64 packages built under QEMU; the building NixOS host needs boot.binfmt.emulatedSystems. Do not mix with a riscv64 cross instance: the two build everything twice',
    name: 'pkgs-riscv64-native',
    createsInstance: true,
    needs: 'nixpkgs',
    expression: (_env, _s, source) => [
      `import ${source} {`,
      '  # Built natively under QEMU: the building NixOS host needs',
      '  # boot.binfmt.emulatedSystems = [ "riscv64-linux" ];',
      '  system = "riscv64-linux";',
      '}',
    ],
  },
  {
    prefix: 'pkgscross-riscv64',
    description: 'The ready-made RISC-V cross package set of an existing instance, without a new import',
    name: 'pkgs-riscv64',
    createsInstance: false,
    needs: 'pkgs',
    expression: (_env, s, source) => [`${source}.pkgsCross.${s.choice(RISCV_EXAMPLES)}`],
  },
  {
    prefix: 'nixpkgs-unstable',
    target: { secondInput: true },
    description: 'A package set from a second nixpkgs input (create it once in flake.nix and pass it through specialArgs)',
    name: 'pkgs-unstable',
    createsInstance: true,
    needs: 'unstable',
    expression: (env, s, source) => [
      `import ${source} {`,
      `  ${systemLine(s, env.system)}`,
      `  config.allowUnfree = ${s.choice(['true', 'false'])};`,
      '}',
    ],
  },
  {
    prefix: 'nixpkgs-overlays',
    description: 'A separate package set with overlays, leaving the global one (and its binary cache hits) untouched',
    name: 'pkgs-overlaid',
    createsInstance: true,
    needs: 'nixpkgs',
    expression: (env, s, source) => [
      `import ${source} {`,
      `  ${systemLine(s, env.system)}`,
      '  overlays = [',
      '    (final: prev: {',
      '      $0',
      '    })',
      '  ];',
      '}',
    ],
  },
];

/** Every prefix the snippets have, in the order they are offered. */
export const SNIPPET_PREFIXES: readonly string[] = [...DEFS.map((d) => d.prefix), 'specialargs'];

/** The instance a snippet stands for, to find one flake.nix already passes to a module. */
export function snippetTarget(prefix: string): SnippetTarget | undefined {
  return DEFS.find((d) => d.prefix === prefix)?.target;
}

/** The snippets that fit `place`, rendered for `env` (those whose source is not reachable are left out). */
export function renderSnippets(place: Exclude<SnippetPlace, 'builder-arguments'>, env: SnippetEnv, options: PlaceOptions): RenderedSnippet[] {
  const out: RenderedSnippet[] = [];
  for (const def of DEFS) {
    const s = new Stops();
    const end = (lines: string[], tail: string) => {
      const last = lines.length - 1;
      const withCursor = lines.some((l) => l.includes('$0'));
      return lines.map((l, i) => (i === last ? l + tail + (withCursor ? '' : '$0') : l));
    };
    const base = { prefix: def.prefix, description: def.description, createsInstance: def.createsInstance, needs: def.needs };
    if (place === 'module') {
      // The recommended form: the argument flake.nix passes; pkgsCross from the module's own pkgs.
      if (def.needs === 'pkgs') {
        const argument = options.moduleArgument(def.prefix, 'pkgs');
        out.push({ ...base, needs: null, body: end(def.expression(env, s, escapeSnippet(argument)), options.semicolon ? ';' : ''), argument });
      } else {
        const argument = options.moduleArgument(def.prefix, def.name);
        out.push({ ...base, needs: null, createsInstance: false, body: [`${escapeSnippet(argument)}${options.semicolon ? ';' : ''}$0`], argument });
      }
      continue;
    }
    const reachable = env[def.needs];
    if (reachable === null) continue;
    const source = escapeSnippet(reachable);
    if (place === 'binding') {
      const name = s.placeholder(options.freeName(def.name));
      const [first, ...rest] = def.expression(env, s, source);
      out.push({ ...base, body: end([`${name} = ${first}`, ...rest], ';') });
    } else {
      out.push({ ...base, body: end(def.expression(env, s, source), options.semicolon ? ';' : '') });
    }
  }
  return out;
}

/** `specialArgs = { inherit …; };` for a builder call's arguments, inheriting `names` (none: an empty set to fill). */
export function specialArgsSnippet(key: 'specialArgs' | 'extraSpecialArgs', names: readonly string[]): RenderedSnippet {
  const s = new Stops();
  return {
    prefix: 'specialargs',
    description: 'Pass instances created in flake.nix to every module of this configuration as arguments',
    createsInstance: false,
    needs: null,
    body: [names.length ? `${key} = { inherit ${s.placeholder(names.join(' '))}; };$0` : `${key} = { $1 };$0`],
  };
}

/**
 * The text a snippet inserts when every placeholder keeps its default (the
 * first option of a choice) and `$0` is empty: for clients without snippet
 * support, and for checking the bodies with Nix.
 */
export function snippetToPlainText(body: string): string {
  let i = 0;
  const readUntil = (stop: (c: string) => boolean): string => {
    let text = '';
    while (i < body.length && !stop(body[i]!)) {
      const c = body[i]!;
      if (c === '\\' && i + 1 < body.length) {
        text += body[i + 1];
        i += 2;
        continue;
      }
      if (c === '$') {
        text += readDollar();
        continue;
      }
      text += c;
      i++;
    }
    return text;
  };
  const readDollar = (): string => {
    // At '$'.
    const m = /^\$(\d+)/.exec(body.slice(i));
    if (m) {
      i += m[0].length;
      return '';
    }
    if (body[i + 1] !== '{') {
      i++;
      return '$';
    }
    i += 2;
    const num = /^\d+/.exec(body.slice(i));
    if (!num) return '${';
    i += num[0].length;
    if (body[i] === '}') {
      i++;
      return '';
    }
    if (body[i] === ':') {
      i++;
      const text = readUntil((c) => c === '}');
      i++;
      return text;
    }
    if (body[i] === '|') {
      i++;
      const options: string[] = [];
      let current = '';
      while (i < body.length && !(body[i] === '|' && body[i + 1] === '}')) {
        const c = body[i]!;
        if (c === '\\' && i + 1 < body.length) {
          current += body[i + 1];
          i += 2;
          continue;
        }
        if (c === ',') {
          options.push(current);
          current = '';
        } else current += c;
        i++;
      }
      options.push(current);
      i += 2;
      return options[0] ?? '';
    }
    return '';
  };
  return readUntil(() => false);
}
