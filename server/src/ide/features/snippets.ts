/**
 * Snippets for writing instances the recommended way: RISC-V cross and
 * emulated instances, `pkgsCross`, a second nixpkgs input, an instance with
 * its own overlays, and the `specialArgs` line that hands instances to
 * modules.
 *
 * One source for two consumers: `snippets/nix.json` (VS Code's static
 * snippets) is `renderSnippets(STATIC_ENV)`, which a test checks, and the
 * server's completion renders the same bodies with what the flake tells
 * (the real name of its nixpkgs input, the `system` variable in scope), so
 * other editors get them too.
 *
 * Bodies use the VS Code/LSP snippet syntax: `${1:default}` tab stops,
 * `${2|a,b|}` choices, `$0` for the final cursor.
 */
import { abisFor, gccDefaultArch, SYSTEM_EXAMPLES } from '../cross/index.js';

/** How the snippet refers to a system: a variable in scope, or a literal to fill in. */
export type SystemRef = { var: string } | { literal: string };

/** What the bodies are rendered with. */
export interface SnippetEnv {
  /** How to refer to the flake's nixpkgs input (`nixpkgs`, `inputs.nixpkgs`). */
  nixpkgs: string;
  /** How to refer to a second nixpkgs input (`nixpkgs-unstable`). */
  unstable: string;
  /** The build machine of cross instances (`localSystem`). */
  localSystem: SystemRef;
  /** The system of plain instances (`inherit system;`). */
  system: SystemRef;
  /** Names the `specialArgs` snippet inherits. */
  specialArgs: string[];
  /** `specialArgs` (NixOS, nix-darwin) or `extraSpecialArgs` (home-manager). */
  specialArgsKey: 'specialArgs' | 'extraSpecialArgs';
  /** Names for the bindings the snippets create (not ones already bound there). */
  names: { unstable: string; overlaid: string };
}

/**
 * The static snippets' assumptions: a fixed x86_64-linux build machine for
 * cross instances, and a `system` variable in scope for the others (they are
 * written in a flake's `let system = ...;` or per-system function).
 */
export const STATIC_ENV: SnippetEnv = {
  nixpkgs: 'nixpkgs',
  unstable: 'nixpkgs-unstable',
  localSystem: { literal: 'x86_64-linux' },
  system: { var: 'system' },
  specialArgs: ['inputs', 'pkgs-unstable'],
  specialArgsKey: 'specialArgs',
  names: { unstable: 'pkgs-unstable', overlaid: 'pkgs' },
};

/** Where a snippet fits: as an expression (`pkgs = |`), as a binding in a `let`, or in a builder's arguments. */
export type SnippetPlace = 'expression' | 'binding' | 'builder-arguments';

export interface RenderedSnippet {
  /** What the user types (`nixpkgs-riscv64`). */
  prefix: string;
  /** The key in snippets/nix.json. */
  name: string;
  description: string;
  place: SnippetPlace;
  /** Whether the snippet creates a nixpkgs instance (not offered inside modules). */
  createsInstance: boolean;
  /** Lines of the body, snippet syntax. */
  body: string[];
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

function crossInstance(
  env: SnippetEnv,
  config: string,
  xlen: 32 | 64,
  options: { linux: boolean; libc?: readonly string[] },
): string[] {
  const s = new Stops();
  const source = s.placeholder(env.nixpkgs);
  const local = systemValue(s, env.localSystem);
  const lines = [
    `import ${source} {`,
    `  localSystem = ${local};`,
    '  crossSystem = {',
    `    config = "${config}";`,
  ];
  if (options.libc) lines.push(`    libc = "${s.choice(options.libc)}";`);
  lines.push(
    `    gcc.arch = "${s.placeholder(gccDefaultArch(xlen).arch)}";`,
    `    gcc.abi = "${s.choice(abiChoices(xlen, options.linux))}";`,
    '  };',
    '}$0',
  );
  return lines;
}

/** The RISC-V `pkgsCross` names, in the order of `lib.systems.examples` as this project lists them. */
const RISCV_EXAMPLES = SYSTEM_EXAMPLES.filter((e) => e.group === 'riscv').map((e) => e.name);

/** Every snippet, rendered for `env`. */
export function renderSnippets(env: SnippetEnv): RenderedSnippet[] {
  const out: RenderedSnippet[] = [];
  const add = (s: RenderedSnippet) => out.push(s);

  add({
    prefix: 'nixpkgs-riscv64',
    name: 'nixpkgs: riscv64 cross instance',
    description:
      'Cross-compile for 64-bit RISC-V Linux (glibc) with gcc.arch and gcc.abi. A gcc setting is not in the binary cache: without the two gcc lines this is the platform of pkgsCross.riscv64',
    place: 'expression',
    createsInstance: true,
    body: crossInstance(env, 'riscv64-unknown-linux-gnu', 64, { linux: true }),
  });
  add({
    prefix: 'nixpkgs-riscv64-musl',
    name: 'nixpkgs: riscv64 musl cross instance',
    description: 'Cross-compile for 64-bit RISC-V Linux with musl libc',
    place: 'expression',
    createsInstance: true,
    body: crossInstance(env, 'riscv64-unknown-linux-musl', 64, { linux: true }),
  });
  add({
    prefix: 'nixpkgs-riscv64-embedded',
    name: 'nixpkgs: riscv64 bare-metal cross instance',
    description: 'Cross-compile for 64-bit RISC-V bare metal (riscv64-none-elf, newlib)',
    place: 'expression',
    createsInstance: true,
    body: crossInstance(env, 'riscv64-none-elf', 64, { linux: false, libc: ['newlib', 'newlib-nano'] }),
  });
  add({
    prefix: 'nixpkgs-riscv32',
    name: 'nixpkgs: riscv32 cross instance',
    description: 'Cross-compile for 32-bit RISC-V Linux (glibc)',
    place: 'expression',
    createsInstance: true,
    body: crossInstance(env, 'riscv32-unknown-linux-gnu', 32, { linux: true }),
  });
  {
    const s = new Stops();
    add({
      prefix: 'nixpkgs-riscv64-emulated',
      name: 'nixpkgs: riscv64 native instance under emulation',
      description:
        'Native riscv64 packages built under QEMU; the building NixOS host needs boot.binfmt.emulatedSystems. Do not mix with a riscv64 cross instance: the two build everything twice',
      place: 'expression',
      createsInstance: true,
      body: [
        '# Built natively under QEMU: the building NixOS host needs',
        '# boot.binfmt.emulatedSystems = [ "riscv64-linux" ];',
        `import ${s.placeholder(env.nixpkgs)} {`,
        '  system = "riscv64-linux";',
        '}$0',
      ],
    });
  }
  {
    const s = new Stops();
    add({
      prefix: 'pkgscross-riscv64',
      name: 'nixpkgs: pkgsCross.riscv64',
      description: 'The ready-made RISC-V cross package set of an existing instance, without a new import',
      place: 'expression',
      createsInstance: false,
      body: [`${s.placeholder('pkgs')}.pkgsCross.${s.choice(RISCV_EXAMPLES)}$0`],
    });
  }
  {
    const s = new Stops();
    const name = s.placeholder(env.names.unstable);
    const source = s.placeholder(env.unstable);
    const system = systemLine(s, env.system);
    add({
      prefix: 'nixpkgs-unstable',
      name: 'nixpkgs: instance of a second nixpkgs input',
      description: 'A package set from a second nixpkgs input (create it once in flake.nix and pass it through specialArgs)',
      place: 'binding',
      createsInstance: true,
      body: [
        `${name} = import ${source} {`,
        `  ${system}`,
        `  config.allowUnfree = ${s.choice(['true', 'false'])};`,
        '};$0',
      ],
    });
  }
  {
    const s = new Stops();
    const name = s.placeholder(env.names.overlaid);
    const source = s.placeholder(env.nixpkgs);
    const system = systemLine(s, env.system);
    add({
      prefix: 'nixpkgs-overlays',
      name: 'nixpkgs: instance with its own overlays',
      description:
        'A separate package set with overlays, leaving the global one (and its binary cache hits) untouched',
      place: 'binding',
      createsInstance: true,
      body: [
        `${name} = import ${source} {`,
        `  ${system}`,
        '  overlays = [',
        '    (final: prev: {',
        '      $0',
        '    })',
        '  ];',
        '};',
      ],
    });
  }
  {
    const s = new Stops();
    add({
      prefix: 'specialargs',
      name: 'nixpkgs: specialArgs handing instances to modules',
      description: 'Pass instances created in flake.nix to every module of this configuration as arguments',
      place: 'builder-arguments',
      createsInstance: false,
      body: [`${env.specialArgsKey} = { inherit ${s.placeholder(env.specialArgs.join(' '))}; };$0`],
    });
  }
  return out;
}

/** The content of `snippets/nix.json`: VS Code's snippet file format. */
export function vscodeSnippetFile(
  snippets: readonly RenderedSnippet[] = renderSnippets(STATIC_ENV),
): Record<string, { prefix: string; body: string[]; description: string }> {
  const out: Record<string, { prefix: string; body: string[]; description: string }> = {};
  for (const s of snippets) out[s.name] = { prefix: s.prefix, body: s.body, description: s.description };
  return out;
}

/**
 * The text a snippet inserts when every placeholder keeps its default (the
 * first option of a choice) and `$0` is empty: for clients without snippet
 * support, and for checking the bodies with Nix.
 */
export function snippetToPlainText(body: string): string {
  let out = '';
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
  out = readUntil(() => false);
  return out;
}
