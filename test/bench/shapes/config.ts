/**
 * The configuration side of the synthetic workspace: the root flake with its
 * `mkHost` helper, hosts with their hardware configuration, NixOS and
 * home-manager modules, helper libraries, overlays, sub-flakes and the
 * package index. The instantiation shapes are the ones real repositories
 * use (see the project's domain notes): let-bound instances in modules,
 * wrappers in lib/, overlays that create instances, cross instances,
 * per-host `specialArgs`, a shell.nix with a default argument.
 *
 * Every text must be valid Nix to `nix-instantiate --parse`, which also
 * rejects unbound variables and attributes defined twice: each file binds
 * every name it uses (formals, let, `with`) and attribute paths are unique.
 */
import type { Random } from '../random.js';
import { attrName, formals, indented, list, unique, type Style } from './nix.js';
import { MAINTAINERS, PROGRAMS, SERVICES, SYSTEMS, sentence, str } from './words.js';

export type ModuleKind = 'options' | 'plain' | 'unstable' | 'overlay' | 'cross' | 'variant';

/** Attribute paths already defined in one attribute set; none may be defined twice or be a prefix of another. */
class Paths {
  private readonly used = new Set<string>();

  /** Claims `path` if neither it nor a prefix nor an extension of it is taken. */
  claim(path: string): boolean {
    for (const p of this.used) {
      if (p === path || p.startsWith(path + '.') || path.startsWith(p + '.')) return false;
    }
    this.used.add(path);
    return true;
  }
}

interface SectionContext {
  random: Random;
  style: Style;
  paths: Paths;
  /** Expression for the package set (`pkgs`) and extra sets bound in this file (`unstable`). */
  sets: string[];
  /** Indentation of the attribute set the sections go into. */
  indent: number;
  /** The file binds `cfg` (an options module). */
  cfg: boolean;
}

function pkgList(c: SectionContext, n: number): string {
  const r = c.random;
  const names = r.sample(PROGRAMS, n);
  if (c.sets.length === 1 && r.chance(0.6)) return `with pkgs; ${list(c.style, names, c.indent)}`;
  return list(
    c.style,
    names.map((p) => `${r.pick(c.sets)}.${p}`),
    c.indent,
  );
}

/** One configuration section (`services.x = { ... };` and friends), or '' when its path is taken. */
function section(c: SectionContext): string {
  const r = c.random;
  const pad = ' '.repeat(c.indent);
  const p2 = pad + '  ';
  switch (r.int(0, 9)) {
    case 0:
    case 1: {
      const svc = r.pick(SERVICES);
      if (!c.paths.claim(`services.${svc}`)) return '';
      const lines = [`${pad}services.${attrName(svc)} = {`, `${p2}enable = true;`];
      if (r.chance(0.5)) lines.push(`${p2}openFirewall = ${r.chance(0.5)};`);
      if (r.chance(0.6)) lines.push(`${p2}port = ${c.cfg && r.chance(0.3) ? 'cfg.port' : r.int(1024, 65000)};`);
      if (r.chance(0.5)) {
        lines.push(`${p2}settings = {`);
        for (let i = r.int(1, 6); i > 0; i--) {
          const key = `${r.pick(['log', 'cache', 'data', 'http', 'auth', 'metrics'])}_${r.pick(['level', 'dir', 'size', 'timeout', 'enabled', 'url'])}_${i}`;
          lines.push(`${p2}  ${key} = ${r.pick([`"${r.pick(['info', 'debug', '/var/lib/' + svc, 'http://127.0.0.1:' + r.int(1000, 9999)])}"`, String(r.int(1, 600)), 'true', 'false'])};`);
        }
        lines.push(`${p2}};`);
      }
      lines.push(`${pad}};`);
      return lines.join('\n') + '\n';
    }
    case 2: {
      if (!c.paths.claim('environment.systemPackages')) return '';
      return `${pad}environment.systemPackages = ${pkgList(c, r.int(2, 14))};\n`;
    }
    case 3: {
      if (!c.paths.claim('networking.firewall.allowedTCPPorts')) return '';
      const ports = unique(r.sample([22, 80, 443, 3000, 5432, 6379, 8080, 8443, 9090, 9100, 25565], r.int(1, 5)).map(String));
      return `${pad}networking.firewall.allowedTCPPorts = ${list(c.style, ports, c.indent)};\n`;
    }
    case 4:
    case 5: {
      const name = `${r.pick(['backup', 'sync', 'cleanup', 'report', 'rotate', 'fetch', 'index', 'warmup'])}-${r.pick(['media', 'logs', 'db', 'home', 'mail', 'cache', 'photos'])}`;
      if (!c.paths.claim(`systemd.services.${name}`)) return '';
      const prog = r.pick(PROGRAMS);
      const script = [
        'set -euo pipefail',
        `# ${sentence(r, 4, 10)}`,
        `${prog} --quiet --config /etc/${name}.conf "$@"`,
        `find /var/lib/${name} -mtime +${r.int(1, 60)} -delete`,
        `echo "finished ''${'${'}STATE_DIRECTORY:-/var/lib/${name}}"`,
      ];
      return (
        [
          `${pad}systemd.services.${name} = {`,
          `${p2}description = ${str(sentence(r, 2, 6))};`,
          `${p2}wantedBy = [ "multi-user.target" ];`,
          `${p2}after = [ "network-online.target" ];`,
          `${p2}wants = [ "network-online.target" ];`,
          `${p2}startAt = "${r.pick(['daily', 'hourly', 'weekly', '*-*-* 03:00:00'])}";`,
          `${p2}path = [ ${r.pick(c.sets)}.${prog} ];`,
          `${p2}serviceConfig = {`,
          `${p2}  Type = "oneshot";`,
          `${p2}  DynamicUser = true;`,
          `${p2}  StateDirectory = "${name}";`,
          `${p2}  Nice = ${r.int(0, 19)};`,
          `${p2}};`,
          `${p2}script = ${indented(script, c.indent + 2)};`,
          `${pad}};`,
        ].join('\n') + '\n'
      );
    }
    case 6: {
      const user = r.pick(MAINTAINERS);
      if (!c.paths.claim(`users.users.${user}`)) return '';
      return (
        [
          `${pad}users.users.${user} = {`,
          `${p2}isNormalUser = true;`,
          `${p2}description = "${user[0].toUpperCase() + user.slice(1)}";`,
          `${p2}extraGroups = ${list(c.style, r.sample(['"wheel"', '"networkmanager"', '"video"', '"audio"', '"docker"', '"libvirtd"'], r.int(1, 4)), c.indent + 2)};`,
          `${p2}openssh.authorizedKeys.keys = [`,
          `${p2}  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA${r.hex(24)} ${user}@${r.pick(['laptop', 'desktop', 'phone'])}"`,
          `${p2}];`,
          `${pad}};`,
        ].join('\n') + '\n'
      );
    }
    case 7: {
      if (!c.paths.claim('boot.kernel.sysctl')) return '';
      const keys = r.sample(['"net.ipv4.ip_forward"', '"net.ipv6.conf.all.forwarding"', '"vm.swappiness"', '"fs.inotify.max_user_watches"', '"kernel.sysrq"', '"net.core.rmem_max"'], r.int(1, 4));
      return `${pad}boot.kernel.sysctl = {\n${keys.map((k) => `${p2}${k} = ${r.int(0, 524288)};\n`).join('')}${pad}};\n`;
    }
    case 8: {
      const prog = r.pick(['git', 'zsh', 'fish', 'tmux', 'htop', 'neovim', 'steam', 'wireshark', 'adb', 'mtr', 'gnupg.agent', 'direnv']);
      if (!c.paths.claim(`programs.${prog}`)) return '';
      return `${pad}programs.${prog}.enable = true;\n`;
    }
    default: {
      const key = r.pick(['nix.settings', 'nix.gc', 'zramSwap', 'hardware.bluetooth', 'security.sudo', 'documentation.man', 'virtualisation.docker']);
      if (!c.paths.claim(key)) return '';
      const attrs: Record<string, string[]> = {
        'nix.settings': ['experimental-features = [ "nix-command" "flakes" ];', 'auto-optimise-store = true;', `max-jobs = ${r.int(1, 16)};`, 'trusted-users = [ "root" "@wheel" ];'],
        'nix.gc': ['automatic = true;', `dates = "${r.pick(['weekly', 'daily'])}";`, `options = "--delete-older-than ${r.int(7, 60)}d";`],
        zramSwap: ['enable = true;', `memoryPercent = ${r.int(10, 80)};`],
        'hardware.bluetooth': ['enable = true;', `powerOnBoot = ${r.chance(0.5)};`],
        'security.sudo': ['enable = true;', 'wheelNeedsPassword = false;'],
        'documentation.man': ['enable = true;', 'generateCaches = false;'],
        'virtualisation.docker': ['enable = true;', 'autoPrune.enable = true;', `storageDriver = "${r.pick(['overlay2', 'btrfs', 'zfs'])}";`],
      };
      return `${pad}${key} = {\n${attrs[key].map((a) => `${p2}${a}\n`).join('')}${pad}};\n`;
    }
  }
}

function sections(c: SectionContext, n: number): string {
  let out = '';
  for (let made = 0, tries = 0; made < n && tries < n * 4; tries++) {
    const s = section(c);
    if (s) {
      out += (made > 0 && c.random.chance(0.6) ? '\n' : '') + s;
      made++;
    }
  }
  return out;
}

const CROSS = [
  { config: 'riscv64-unknown-linux-gnu', arch: 'rv64gc', abi: 'lp64d' },
  { config: 'riscv64-unknown-linux-gnu', arch: 'rv64imafdc_zicsr_zifencei', abi: 'lp64d' },
  { config: 'aarch64-unknown-linux-gnu', arch: null, abi: null },
  { config: 'riscv32-unknown-linux-gnu', arch: 'rv32imac', abi: 'ilp32' },
];
const PKGS_CROSS = ['riscv64', 'aarch64-multiplatform', 'raspberryPi', 'riscv64-musl', 'armv7l-hf-multiplatform'];

export interface ModuleShape {
  kind: ModuleKind;
  style: Style;
  /** What the module is about (`services.<name>` for an options module). */
  name: string;
  /** At least this many lines (the edit target of the incremental benchmark). */
  minLines?: number;
  /** Other module files to import, relative to this one. */
  imports?: string[];
}

/** A NixOS module. */
export function nixosModule(random: Random, shape: ModuleShape): string {
  const r = random;
  const { kind, style, name } = shape;
  const usesWith = style !== 'nixfmt' && kind === 'options' && r.chance(0.5);
  const L = usesWith ? '' : 'lib.';
  const needsInputs = kind === 'unstable' || kind === 'overlay' || kind === 'cross';
  const args = unique(['config', 'lib', 'pkgs', ...(needsInputs ? ['inputs'] : [])]);
  let text = `# ${sentence(r, 3, 10)}.\n` + formals(style, args, true);
  const lets: string[] = [];
  const sets = ['pkgs'];
  if (kind === 'options') lets.push(`  cfg = config.my.${name};`);
  if (kind === 'unstable') {
    const set = r.pick(['unstable', 'pkgs-unstable', 'pkgsUnstable']);
    lets.push(
      `  ${set} = import inputs.nixpkgs-unstable {`,
      `    system = pkgs.stdenv.hostPlatform.system;`,
      ...(r.chance(0.6) ? ['    config.allowUnfree = true;'] : []),
      `  };`,
    );
    sets.push(set);
  }
  if (kind === 'cross') {
    const x = r.pick(CROSS);
    lets.push(
      `  crossPkgs = import inputs.nixpkgs {`,
      `    localSystem = pkgs.stdenv.hostPlatform.system;`,
      `    crossSystem = {`,
      `      config = "${x.config}";`,
      ...(x.arch ? [`      gcc.arch = "${x.arch}";`, `      gcc.abi = "${x.abi}";`] : []),
      `    };`,
      `  };`,
    );
    sets.push('crossPkgs', `pkgs.pkgsCross.${r.pick(PKGS_CROSS)}`);
  }
  if (kind === 'variant') sets.push(r.pick(['pkgs.pkgsStatic', 'pkgs.pkgsi686Linux', 'pkgs.pkgsMusl']));
  if (usesWith) text += '\nwith lib;\n';
  if (lets.length) text += `\nlet\n${lets.join('\n')}\nin\n`;
  text += '{\n';
  const paths = new Paths();
  const body: string[] = [];
  if (shape.imports?.length) {
    paths.claim('imports');
    body.push(`  imports = ${list(style, shape.imports, 2)};\n`);
  }
  let inner = 2;
  let closing = '';
  if (kind === 'options') {
    paths.claim('options');
    paths.claim('config');
    const pkg = r.pick(PROGRAMS);
    body.push(
      [
        `  options.my.${name} = {`,
        `    enable = ${L}mkEnableOption ${str(sentence(r, 2, 6).toLowerCase())};`,
        ``,
        `    package = ${L}mkPackageOption pkgs ${str(pkg)} { };`,
        ``,
        `    port = ${L}mkOption {`,
        `      type = ${L}types.port;`,
        `      default = ${r.int(1024, 65000)};`,
        `      description = ${str(sentence(r, 4, 12) + '.')};`,
        `    };`,
        ``,
        `    extraArgs = ${L}mkOption {`,
        `      type = ${L}types.listOf ${L}types.str;`,
        `      default = [ ];`,
        `      example = [ "--verbose" ];`,
        `      description = ${indented([sentence(r, 6, 14) + '.', sentence(r, 6, 14) + '.'], 6)};`,
        `    };`,
        `  };`,
        ``,
        `  config = ${L}mkIf cfg.enable {`,
      ].join('\n') + '\n',
    );
    inner = 4;
    closing = '  };\n';
  }
  if (kind === 'overlay') {
    paths.claim('nixpkgs.overlays');
    const p = r.sample(PROGRAMS, 2);
    const lines = [
      `  nixpkgs.overlays = [`,
      `    (final: prev: {`,
      `      ${attrName(p[0])} = prev.${p[0]}.overrideAttrs (old: {`,
      `        patches = (old.patches or [ ]) ++ [ ./patches/${p[0]}.patch ];`,
      `      });`,
    ];
    if (r.chance(0.5)) {
      lines.push(
        `      # One more package set for every set this overlay is applied to.`,
        `      unstable = import inputs.nixpkgs-unstable {`,
        `        system = final.stdenv.hostPlatform.system;`,
        `        config = final.config;`,
        `      };`,
      );
    } else {
      lines.push(`      ${attrName(p[1])} = prev.${p[1]}.override { withDocs = false; };`);
    }
    lines.push(`    })`, `  ];`);
    body.push(lines.join('\n') + '\n');
  }
  const c: SectionContext = { random: r, style, paths, sets, indent: inner, cfg: kind === 'options' };
  if (kind !== 'options' && sets.length > 1 && paths.claim('environment.systemPackages')) {
    const extra = sets.slice(1).map((s) => `${s}.${r.pick(PROGRAMS)}`);
    body.push(`  environment.systemPackages = ${list(style, unique([...extra, `pkgs.${r.pick(PROGRAMS)}`]), 2)};\n`);
  }
  if (shape.minLines) {
    // Lines of the finished file: what is written so far, the closing braces and the final newline.
    const lineCount = (): number => (text + body.join('') + closing + '}').split('\n').length;
    while (lineCount() < shape.minLines) {
      const s = sections(c, 1);
      if (s) {
        body.push((r.chance(0.6) ? '\n' : '') + s);
      } else {
        // Every path is taken: continue with uniquely named units.
        const unit = `job-${body.length}`;
        paths.claim(`systemd.services.${unit}`);
        body.push(`${' '.repeat(inner)}systemd.services.${unit}.serviceConfig.ExecStart = "${'${'}pkgs.${r.pick(PROGRAMS)}}/bin/run --interval ${r.int(1, 99)}";\n`);
      }
    }
  } else {
    body.push(sections(c, r.int(1, 6)));
  }
  return text + body.join('') + closing + '}\n';
}

/** `hosts/<name>/default.nix`. */
export function hostFile(
  random: Random,
  host: { name: string; system: string; modules: string[]; users: string[]; options: string[]; style: Style },
): string {
  const r = random;
  const style = host.style;
  let text = formals(style, ['config', 'lib', 'pkgs', 'inputs', 'pkgs-unstable'], true) + '\n{\n';
  const imports = ['./hardware-configuration.nix', ...host.modules];
  if (r.chance(0.3)) imports.push(`inputs.nixos-hardware.nixosModules.${r.pick(['common-cpu-intel', 'common-cpu-amd', 'common-pc-ssd', 'framework-13-7040-amd', 'lenovo-thinkpad-t480'])}`);
  text += `  imports = ${list(style, imports, 2)};\n\n`;
  text += `  networking.hostName = ${str(host.name)};\n`;
  text += `  networking.hostId = "${r.hex(8)}";\n`;
  text += `  time.timeZone = "${r.pick(['Europe/Berlin', 'Europe/London', 'America/New_York', 'Asia/Tokyo', 'UTC'])}";\n`;
  text += `  i18n.defaultLocale = "en_US.UTF-8";\n\n`;
  for (const o of host.options) text += `  my.${o}.enable = true;\n`;
  if (host.options.length) text += '\n';
  if (host.users.length) {
    const global = r.chance(0.7);
    text += `  home-manager = {\n    useGlobalPkgs = ${global};\n    useUserPackages = true;\n    extraSpecialArgs = { inherit inputs pkgs-unstable; };\n`;
    text += `    users = {\n${host.users.map((u) => `      ${u} = import ../../home/users/${u};\n`).join('')}    };\n  };\n\n`;
  }
  if (r.chance(0.5)) text += '  nixpkgs.config.allowUnfree = true;\n';
  if (r.chance(0.15)) text += '  boot.binfmt.emulatedSystems = [ "riscv64-linux" ];\n';
  if (r.chance(0.1)) text += '  nixpkgs.overlays = [ inputs.self.overlays.default ];\n';
  text += `  environment.systemPackages = ${list(style, [...r.sample(PROGRAMS, r.int(2, 10)).map((p) => `pkgs.${p}`), `pkgs-unstable.${r.pick(PROGRAMS)}`], 2)};\n\n`;
  text += `  system.stateVersion = "${r.pick(['23.05', '23.11', '24.05', '24.11'])}";\n}\n`;
  return text;
}

/** `hosts/<name>/hardware-configuration.nix`, in the layout nixos-generate-config writes. */
export function hardwareFile(random: Random, system: string): string {
  const r = random;
  const intel = r.chance(0.5);
  const disks = r.int(1, 4);
  let t = `# Do not modify this file!  It was generated by 'nixos-generate-config'
# and may be overwritten by future invocations.  Please make changes
# to /etc/nixos/configuration.nix instead.
{ config, lib, pkgs, modulesPath, ... }:

{
  imports =
    [ (modulesPath + "/installer/scan/not-detected.nix")
    ];

  boot.initrd.availableKernelModules = [ ${r.sample(['"xhci_pci"', '"ahci"', '"nvme"', '"usb_storage"', '"sd_mod"', '"thunderbolt"', '"rtsx_pci_sdmmc"', '"virtio_pci"'], r.int(3, 7)).join(' ')} ];
  boot.initrd.kernelModules = [ ];
  boot.kernelModules = [ "kvm-${intel ? 'intel' : 'amd'}" ];
  boot.extraModulePackages = [ ];

  fileSystems."/" =
    { device = "/dev/disk/by-uuid/${r.uuid()}";
      fsType = "${r.pick(['ext4', 'btrfs', 'xfs'])}";
    };

  fileSystems."/boot" =
    { device = "/dev/disk/by-uuid/${r.hex(4).toUpperCase()}-${r.hex(4).toUpperCase()}";
      fsType = "vfat";
      options = [ "fmask=0077" "dmask=0077" ];
    };
`;
  for (let i = 1; i < disks; i++) {
    t += `
  fileSystems."/mnt/data${i}" =
    { device = "/dev/disk/by-uuid/${r.uuid()}";
      fsType = "ext4";
    };
`;
  }
  t += `
  swapDevices = [ ${r.chance(0.5) ? `{ device = "/dev/disk/by-uuid/${r.uuid()}"; }` : ''} ];

  # Enables DHCP on each ethernet and wireless interface. In case of scripted networking
  # (the default) this is the recommended approach. When using systemd-networkd it's
  # still possible to use this option, but it's recommended to use it in conjunction
  # with explicit per-interface declarations with \`networking.interfaces.<interface>.useDHCP\`.
  networking.useDHCP = lib.mkDefault true;
  # networking.interfaces.enp${r.int(1, 9)}s0.useDHCP = lib.mkDefault true;

  nixpkgs.hostPlatform = lib.mkDefault "${system}";
  hardware.cpu.${intel ? 'intel' : 'amd'}.updateMicrocode = lib.mkDefault config.hardware.enableRedistributableFirmware;
}
`;
  return t;
}

/** A home-manager module under `home/modules/`. */
export function homeModule(random: Random, style: Style): string {
  const r = random;
  const unstable = r.chance(0.1);
  let t = `# ${sentence(r, 3, 9)}.\n` + formals(style, unstable ? ['config', 'lib', 'pkgs', 'inputs'] : ['config', 'lib', 'pkgs'], true);
  const sets = ['pkgs'];
  if (unstable) {
    t += `let\n  unstable = import inputs.nixpkgs-unstable {\n    inherit (pkgs.stdenv.hostPlatform) system;\n  };\nin\n`;
    sets.push('unstable');
  }
  t += '{\n';
  const progs = r.sample(['git', 'zsh', 'fish', 'bash', 'tmux', 'neovim', 'alacritty', 'kitty', 'firefox', 'direnv', 'fzf', 'bat', 'starship', 'htop'], r.int(1, 4));
  for (const p of progs) {
    t += `  programs.${p} = {\n    enable = true;\n`;
    if (r.chance(0.5)) {
      t += `    settings = {\n`;
      for (let i = r.int(1, 5); i > 0; i--) t += `      ${r.pick(['theme', 'font', 'editor', 'pager', 'color'])}_${i} = ${str(r.pick(['dark', 'auto', 'nvim', 'less -R', 'JetBrains Mono']))};\n`;
      t += `    };\n`;
    }
    t += `  };\n`;
  }
  t += `\n  home.packages = ${list(style, r.sample(PROGRAMS, r.int(1, 8)).map((p) => `${r.pick(sets)}.${p}`), 2)};\n`;
  if (r.chance(0.4)) {
    const app = r.pick(['foot', 'wezterm', 'helix', 'zellij', 'ripgrep']);
    const lines = [`# ${sentence(r, 3, 8)}`, `[main]`, `font = "monospace:size=${r.int(9, 14)}"`, `shell = "${'${'}config.home.homeDirectory}/.nix-profile/bin/fish"`];
    t += `\n  xdg.configFile."${app}/config.toml".text = ${indented(lines, 2)};\n`;
  }
  return t + '}\n';
}

/** `home/users/<user>/default.nix`. */
export function homeUser(random: Random, user: string, modules: string[], style: Style): string {
  const r = random;
  return (
    formals(style, ['config', 'lib', 'pkgs', ...(r.chance(0.5) ? ['inputs'] : [])], true) +
    `{\n  imports = ${list(style, modules, 2)};\n\n  home.username = "${user}";\n  home.homeDirectory = "/home/${user}";\n` +
    `  home.stateVersion = "24.05";\n\n  programs.home-manager.enable = true;\n}\n`
  );
}

/** The root flake.nix: inputs, the `mkHost` helper and every host. */
export function rootFlake(random: Random, hosts: { name: string; system: string }[], users: { name: string; host: string }[]): string {
  const r = random;
  const hostLines = hosts
    .map((h) => `        ${attrName(h.name)} = mkHost {\n          name = ${str(h.name)};\n          system = "${h.system}";\n        };\n`)
    .join('');
  const homeLines = users
    .map((u) => `        ${str(`${u.name}@${u.host}`)} = myLib.mkHome {\n          user = ${str(u.name)};\n          system = "x86_64-linux";\n        };\n`)
    .join('');
  return `{
  description = ${str(sentence(r, 3, 8))};

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";

    home-manager = {
      url = "github:nix-community/home-manager/release-24.11";
      inputs.nixpkgs.follows = "nixpkgs";
    };

    nixos-hardware.url = "github:NixOS/nixos-hardware";
  };

  outputs =
    {
      self,
      nixpkgs,
      nixpkgs-unstable,
      home-manager,
      ...
    }@inputs:
    let
      inherit (nixpkgs) lib;
      myLib = import ./lib { inherit inputs lib; };
      systems = [
        "x86_64-linux"
        "aarch64-linux"
      ];
      forAllSystems = lib.genAttrs systems;

      # Every host is a folder under ./hosts. Each host gets its own unstable
      # package set through specialArgs.
      mkHost =
        {
          name,
          system ? "x86_64-linux",
        }:
        lib.nixosSystem {
          inherit system;
          specialArgs = {
            inherit inputs;
            pkgs-unstable = import nixpkgs-unstable {
              inherit system;
              config.allowUnfree = true;
            };
          };
          modules = [
            (./hosts + "/\${name}")
            home-manager.nixosModules.home-manager
            { nixpkgs.overlays = [ self.overlays.default ]; }
          ];
        };
    in
    {
      nixosConfigurations = {
${hostLines}      };

      homeConfigurations = {
${homeLines}      };

      packages = forAllSystems (system: import ./pkgs { pkgs = nixpkgs.legacyPackages.\${system}; });

      overlays.default = import ./overlays { inherit inputs; };

      devShells = forAllSystems (
        system:
        let
          pkgs = myLib.mkPkgs { inherit system; };
        in
        {
          default = import ./shell.nix { inherit pkgs; };
        }
      );

      formatter = forAllSystems (system: nixpkgs.legacyPackages.\${system}.nixfmt-rfc-style);
    };
}
`;
}

/** `lib/default.nix`, which gathers the helpers. */
export function libIndex(helpers: string[]): string {
  return (
    `{ inputs, lib }:\n{\n  mkPkgs = import ./mkPkgs.nix { inherit inputs; };\n  mkHome = import ./mkHome.nix { inherit inputs; };\n` +
    `  systems = import ./systems.nix { inherit inputs; };\n` +
    helpers.map((h) => `  ${attrName(h)} = import ./${h}.nix { inherit lib; };\n`).join('') +
    '}\n'
  );
}

/** The wrappers: every call of `mkPkgs` or `mkHome` is one more package set. */
export const LIB_WRAPPERS: Record<string, string> = {
  'mkPkgs.nix': `# A package set with our defaults. Every call evaluates a new one.
{ inputs }:
{
  system,
  overlays ? [ ],
  allowUnfree ? true,
}:
import inputs.nixpkgs {
  inherit system overlays;
  config.allowUnfree = allowUnfree;
}
`,
  'mkHome.nix': `{ inputs }:
{ user, system }:
inputs.home-manager.lib.homeManagerConfiguration {
  pkgs = import inputs.nixpkgs {
    inherit system;
    config.allowUnfree = true;
  };
  extraSpecialArgs = { inherit inputs; };
  modules = [ (../home/users + "/\${user}") ];
}
`,
  'systems.nix': `{ inputs }:
let
  systems = [ ${SYSTEMS.map((s) => `"${s}"`).join(' ')} ];
in
{
  pkgsFor = inputs.nixpkgs.lib.genAttrs systems (system: import inputs.nixpkgs { inherit system; });
  forAllSystems = f: inputs.nixpkgs.lib.genAttrs systems (system: f system);
}
`,
};

const LIB_FUNCTIONS: ((name: string) => string)[] = [
  (n) => `  ${n} = lines: lib.concatStringsSep "\\n" lines;`,
  (n) => `  ${n} = cond: xs: if cond then xs else [ ];`,
  (n) => `  ${n} = names: lib.genAttrs names (_: { enable = true; });`,
  (n) => `  ${n} =\n    dir:\n    lib.mapAttrs (name: _: import (dir + "/\${name}")) (\n      lib.filterAttrs (_: type: type == "directory") (builtins.readDir dir)\n    );`,
  (n) => `  ${n} = p: yes: no: lib.mkMerge [\n    (lib.mkIf p yes)\n    (lib.mkIf (!p) no)\n  ];`,
  (n) => `  ${n} = attrs: lib.filterAttrs (_: v: v != null) attrs;`,
  (n) => `  ${n} = port: host: "http://\${host}:\${toString port}";`,
  (n) => `  ${n} = x: if builtins.isList x then x else [ x ];`,
  (n) => `  ${n} = lib.generators.toINI { };`,
  (n) => `  # Recursively merges a list of attribute sets.\n  ${n} = lib.foldl' lib.recursiveUpdate { };`,
];

/** A helper library of small pure functions. */
export function libHelpers(random: Random, fnNames: string[]): string {
  const r = random;
  return `# ${sentence(r, 3, 8)}.\n{ lib }:\nrec {\n${fnNames.map((n) => r.pick(LIB_FUNCTIONS)(n)).join('\n\n')}\n}\n`;
}

/** `overlays/default.nix`: the parts plus an unstable set for every package set it is applied to. */
export function overlayIndex(parts: string[]): string {
  return (
    `{ inputs }:\nfinal: prev:\n` +
    parts.map((p, i) => `${i ? '// ' : ''}(import ./${p}.nix final prev)\n`).join('') +
    `// {\n  unstable = import inputs.nixpkgs-unstable {\n    system = final.stdenv.hostPlatform.system;\n    config.allowUnfree = true;\n  };\n}\n`
  );
}

export function overlayPart(random: Random, localPackages: string[]): string {
  const r = random;
  const progs = r.sample(PROGRAMS, r.int(1, 4));
  let t = `final: prev: {\n`;
  for (const p of progs) {
    t += `  ${attrName(p)} = prev.${p}.overrideAttrs (old: {\n    version = "${r.int(1, 9)}.${r.int(0, 20)}";\n    src = prev.fetchurl {\n      url = "https://example.org/${p}.tar.gz";\n      hash = "${r.sriSha256()}";\n    };\n  });\n`;
  }
  for (const l of localPackages) t += `  ${attrName(l)} = final.callPackage ../pkgs/${l} { };\n`;
  return t + '}\n';
}

/** A small flake in a sub-folder (templates, dev environments) that makes its own instance. */
export function subFlake(random: Random, name: string): string {
  const r = random;
  return `{
  description = "${name} development environment";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/${r.pick(['nixos-unstable', 'nixos-24.11', 'nixpkgs-unstable'])}";

  outputs =
    { self, nixpkgs }:
    let
      pkgs = import nixpkgs {
        system = "x86_64-linux";
        ${r.chance(0.5) ? 'config.allowUnfree = true;' : 'overlays = [ ];'}
      };
    in
    {
      devShells.x86_64-linux.default = pkgs.mkShell {
        packages = ${list('nixfmt', r.sample(PROGRAMS, r.int(2, 6)).map((p) => `pkgs.${p}`), 8)};
      };
    };
}
`;
}

export function shellNix(random: Random): string {
  const r = random;
  return `{ pkgs ? import <nixpkgs> { } }:
pkgs.mkShell {
  packages = with pkgs; ${list('classic', r.sample(PROGRAMS, 6), 2)};
  shellHook = ''
    export NIX_CONFIG="experimental-features = nix-command flakes"
    echo "dev shell for ''\${USER:-you}"
  '';
}
`;
}

/** `pkgs/default.nix`: every local package through callPackage. */
export function packageIndex(names: string[]): string {
  return `{ pkgs }:\nlet\n  inherit (pkgs) callPackage;\nin\n{\n${names.map((n) => `  ${attrName(n)} = callPackage ./${n} { };\n`).join('')}}\n`;
}
