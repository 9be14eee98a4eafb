/**
 * The fuzz corpus: small, realistic Nix files covering every shape of
 * instantiation in DOMAIN.md (let bindings, wrappers and their calls,
 * per-system generators, specialArgs, modules, overlays, default arguments,
 * home-manager, flake-parts, colmena, derived sets, `nixpkgs.*` options,
 * nested and cross instances) and every diagnostic, plus the `.nix` files of
 * `examples/`. The mutator starts from these, so the mutated inputs stay close
 * to what users type.
 *
 * Every entry is valid Nix, variable scoping included (`nix-instantiate
 * --parse` rejects unbound names), so that the Nix check of applied code
 * actions has inputs that parse to start from. `role` says where the file
 * sits in the fuzz workspace: as `flake.nix`, or as a module reached from a
 * flake's `nixosSystem`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export type Role = 'flake' | 'module';

export interface CorpusFile {
  name: string;
  role: Role;
  text: string;
}

/** The root flake of a fuzz workspace whose module is the mutated file (`modules/fuzz.nix`). */
export const BASE_FLAKE = `{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
    nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
    home-manager.url = "github:nix-community/home-manager/release-24.05";
  };

  outputs =
    { self, nixpkgs, home-manager, ... }@inputs:
    let
      mkHost =
        name:
        nixpkgs.lib.nixosSystem {
          system = "x86_64-linux";
          specialArgs = { inherit inputs; };
          modules = [
            ./modules/fuzz.nix
            { networking.hostName = name; }
          ];
        };
    in
    {
      nixosConfigurations.alpha = mkHost "alpha";
      nixosConfigurations.beta = mkHost "beta";
    };
}
`;

/** A module of the fuzz workspace beside a mutated flake (`modules/fuzz.nix` in flake mode). */
export const BASE_MODULE = `{ pkgs, inputs, ... }:
{
  environment.systemPackages = [ pkgs.git ];
}
`;

export const CORPUS: readonly CorpusFile[] = [
  {
    name: 'flake-let-binding',
    role: 'flake',
    text: `{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  outputs = { self, nixpkgs }:
    let
      pkgs = import nixpkgs { system = "x86_64-linux"; };
    in
    {
      packages.x86_64-linux.default = pkgs.hello;
    };
}
`,
  },
  {
    name: 'flake-wrapper-calls',
    role: 'flake',
    text: `{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";
  outputs = { nixpkgs, ... }@inputs:
    let
      mkPkgs = system: import inputs.nixpkgs {
        inherit system;
        config.allowUnfree = true;
      };
      linux = mkPkgs "x86_64-linux";
      arm = mkPkgs "aarch64-linux";
    in
    {
      packages.x86_64-linux.code = linux.vscode;
      packages.aarch64-linux.code = arm.vscode;
    };
}
`,
  },
  {
    name: 'flake-genattrs',
    role: 'flake',
    text: `{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  outputs = { self, nixpkgs }:
    let
      systems = [ "x86_64-linux" "aarch64-linux" "x86_64-darwin" ];
      forAllSystems = f: nixpkgs.lib.genAttrs systems (system: f (import nixpkgs { inherit system; }));
    in
    {
      devShells = forAllSystems (pkgs: {
        default = pkgs.mkShell { packages = [ pkgs.nixfmt-rfc-style ]; };
      });
      formatter = nixpkgs.lib.genAttrs systems (system: nixpkgs.legacyPackages.\${system}.nixfmt-rfc-style);
    };
}
`,
  },
  {
    name: 'flake-utils-each-system',
    role: 'flake',
    text: `{
  inputs = {
    nixpkgs.url = "nixpkgs/nixos-24.05";
    flake-utils.url = "github:numtide/flake-utils";
  };
  outputs = { self, nixpkgs, flake-utils }:
    flake-utils.lib.eachDefaultSystem (system:
      let
        pkgs = import nixpkgs {
          inherit system;
          overlays = [ (final: prev: { hello = prev.hello.override { }; }) ];
        };
      in
      {
        packages.default = pkgs.hello;
        checks.default = pkgs.hello;
      });
}
`,
  },
  {
    name: 'flake-special-args',
    role: 'flake',
    text: `{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
    nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
  };
  outputs = { self, nixpkgs, nixpkgs-unstable, ... }@inputs:
    let
      system = "x86_64-linux";
    in
    {
      nixosConfigurations.desk = nixpkgs.lib.nixosSystem {
        inherit system;
        specialArgs = {
          inherit inputs;
          pkgs-unstable = import nixpkgs-unstable {
            inherit system;
            config.allowUnfree = true;
          };
        };
        modules = [ ./modules/fuzz.nix ];
      };
    };
}
`,
  },
  {
    name: 'module-let-unstable',
    role: 'module',
    text: `{ config, pkgs, inputs, ... }:
let
  unstable = import inputs.nixpkgs-unstable {
    system = pkgs.stdenv.hostPlatform.system;
    config.allowUnfree = true;
  };
in
{
  environment.systemPackages = [
    pkgs.git
    unstable.helix
  ];
  services.openssh.enable = true;
}
`,
  },
  {
    name: 'module-trailing-comma-formals',
    role: 'module',
    text: `{
  config,
  lib,
  pkgs,
  inputs,
  ...
}:
let
  u = import inputs.nixpkgs-unstable { system = "x86_64-linux"; };
in
{
  options.my.enable = lib.mkEnableOption "my tools";
  config = lib.mkIf config.my.enable {
    environment.systemPackages = [ u.ripgrep pkgs.fd ];
  };
}
`,
  },
  {
    name: 'overlay-instance',
    role: 'module',
    text: `{ inputs, ... }:
{
  nixpkgs.overlays = [
    (final: prev: {
      unstable = import inputs.nixpkgs-unstable {
        system = final.system;
        config = prev.config;
      };
    })
  ];
}
`,
  },
  {
    name: 'default-argument',
    role: 'module',
    text: `{ pkgs ? import <nixpkgs> { } }:
pkgs.mkShell {
  packages = [ pkgs.hello pkgs.cowsay ];
  shellHook = ''
    echo "hello from \${pkgs.hello.name}"
  '';
}
`,
  },
  {
    name: 'with-import',
    role: 'module',
    text: `with import <nixpkgs> { config.allowUnfree = true; };
stdenv.mkDerivation {
  pname = "demo";
  version = "1.0";
  src = ./.;
  buildInputs = [ zlib openssl ];
}
`,
  },
  {
    name: 'home-manager-flake',
    role: 'flake',
    text: `{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
    home-manager = {
      url = "github:nix-community/home-manager/release-24.05";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };
  outputs = { nixpkgs, home-manager, ... }: {
    homeConfigurations."ada@laptop" = home-manager.lib.homeManagerConfiguration {
      pkgs = import nixpkgs {
        system = "x86_64-linux";
        config.allowUnfree = true;
      };
      modules = [ ./modules/fuzz.nix ];
      extraSpecialArgs = { greeting = "hi"; };
    };
  };
}
`,
  },
  {
    name: 'flake-parts-per-system',
    role: 'flake',
    text: `{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";
    flake-parts.url = "github:hercules-ci/flake-parts";
    rust-overlay.url = "github:oxalica/rust-overlay";
  };
  outputs = inputs@{ flake-parts, ... }:
    flake-parts.lib.mkFlake { inherit inputs; } {
      systems = [ "x86_64-linux" "aarch64-linux" ];
      perSystem = { system, pkgs, ... }: {
        _module.args.pkgs = import inputs.nixpkgs {
          inherit system;
          overlays = [ inputs.rust-overlay.overlays.default ];
        };
        devShells.default = pkgs.mkShell { packages = [ pkgs.rust-bin.stable.latest.default ]; };
      };
    };
}
`,
  },
  {
    name: 'colmena-hive',
    role: 'flake',
    text: `{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  outputs = { nixpkgs, ... }: {
    colmena = {
      meta = {
        nixpkgs = import nixpkgs { system = "x86_64-linux"; };
        specialArgs = { };
      };
      web = { name, nodes, ... }: {
        deployment.targetHost = "web.example.org";
        imports = [ ./modules/fuzz.nix ];
      };
    };
  };
}
`,
  },
  {
    name: 'derived-sets',
    role: 'module',
    text: `{ pkgs, ... }:
let
  riscv = pkgs.pkgsCross.riscv64;
  static = pkgs.pkgsStatic;
  old = pkgs.pkgsi686Linux;
  patched = pkgs.extend (final: prev: { hello = prev.hello.overrideAttrs (o: { doCheck = false; }); });
  more = pkgs.appendOverlays [ (final: prev: { }) ];
in
{
  environment.systemPackages = [ riscv.hello static.busybox old.wine patched.hello more.jq ];
}
`,
  },
  {
    name: 'pkgs-with-config',
    role: 'module',
    text: `{ inputs, ... }:
{
  nixpkgs.pkgs = import inputs.nixpkgs { system = "x86_64-linux"; };
  nixpkgs.config.allowUnfree = true;
  nixpkgs.overlays = [ (final: prev: { }) ];
  nixpkgs.hostPlatform = "x86_64-linux";
}
`,
  },
  {
    name: 'global-overlays-low-level',
    role: 'module',
    text: `{ lib, ... }:
{
  nixpkgs.overlays = [
    (final: prev: {
      openssl = prev.libressl;
      systemd = prev.systemd.override { withHomed = false; };
    })
  ];
  nixpkgs.config = { allowUnfree = true; };
  nixpkgs.buildPlatform = lib.systems.examples.gnu64;
}
`,
  },
  {
    name: 'nested-instances',
    role: 'flake',
    text: `{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
  outputs = { nixpkgs, nixpkgs-unstable, ... }: {
    legacy = import nixpkgs {
      system = "x86_64-linux";
      overlays = [
        (final: prev: { newer = (import nixpkgs-unstable { system = "x86_64-linux"; }).hello; })
      ];
    };
    hello = (import nixpkgs { system = "aarch64-linux"; }).hello;
  };
}
`,
  },
  {
    name: 'cross-riscv',
    role: 'module',
    text: `# A RISC-V toolchain for the boards.
{ pkgs, inputs, ... }:
let
  riscv = import inputs.nixpkgs {
    localSystem = "x86_64-linux";
    crossSystem = {
      config = "riscv64-unknown-linux-gnu";
      gcc.arch = "rv64gc";
      gcc.abi = "lp64d";
    };
  };
in
{
  environment.systemPackages = [ riscv.stdenv.cc riscv.buildPackages.gdb pkgs.qemu ];
}
`,
  },
  {
    name: 'invalid-cross',
    role: 'flake',
    text: `{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  outputs = { nixpkgs, ... }: {
    bad = import nixpkgs {
      localSystem = "x86_64-linux";
      crossSystem = {
        config = "riscv64-unknown-linux-gnux";
        gcc.arch = "rv64imac";
        gcc.abi = "lp64d";
      };
    };
    small = import nixpkgs {
      localSystem.system = "x86_64-linux";
      crossSystem = { config = "riscv32-none-elf"; gcc = { arch = "rv32e"; abi = "ilp32"; }; };
    };
  };
}
`,
  },
  {
    name: 'system-and-local-system',
    role: 'flake',
    text: `{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  outputs = { nixpkgs, ... }: {
    both = import nixpkgs { system = "x86_64-linux"; localSystem = "x86_64-linux"; };
  };
}
`,
  },
  {
    name: 'impure-system',
    role: 'flake',
    text: `{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  outputs = { self, nixpkgs }: {
    pkgs = import nixpkgs { };
    unfree = import nixpkgs { config.allowUnfree = true; };
  };
}
`,
  },
  {
    name: 'duplicate-instances',
    role: 'flake',
    text: `{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  outputs = { nixpkgs, ... }:
    let
      a = import nixpkgs { system = "x86_64-linux"; config.allowUnfree = true; };
      b = import nixpkgs { config = { allowUnfree = true; }; system = "x86_64-linux"; };
    in
    {
      packages.x86_64-linux = { code = a.vscode; steam = b.steam; };
    };
}
`,
  },
  {
    name: 'emulated-and-cross',
    role: 'module',
    text: `{ pkgs, inputs, ... }:
let
  native = import inputs.nixpkgs { system = "riscv64-linux"; };
in
{
  boot.binfmt.emulatedSystems = [ "riscv64-linux" "aarch64-linux" ];
  environment.systemPackages = [ native.hello pkgs.pkgsCross.riscv64.hello ];
}
`,
  },
  {
    name: 'fetch-tarball',
    role: 'module',
    text: `let
  pinned = fetchTarball {
    url = "https://github.com/NixOS/nixpkgs/archive/0123456789abcdef0123456789abcdef01234567.tar.gz";
    sha256 = "0000000000000000000000000000000000000000000000000000";
  };
  pkgs = import pinned { system = "x86_64-linux"; };
  old = import (fetchTarball "https://github.com/NixOS/nixpkgs/archive/nixos-23.11.tar.gz") { };
in
[ pkgs.hello old.hello ]
`,
  },
  {
    name: 'fetch-from-github',
    role: 'module',
    text: `{ pkgs, ... }:
let
  src = pkgs.fetchFromGitHub {
    owner = "NixOS";
    repo = "nixpkgs";
    rev = "0123456789abcdef0123456789abcdef01234567";
    hash = "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
  };
  pinned = import src { inherit (pkgs) system; };
  again = import pkgs.path { system = pkgs.system; overlays = [ ]; };
in
{
  environment.systemPackages = [ pinned.hello again.hello ];
}
`,
  },
  {
    name: 'out-path',
    role: 'flake',
    text: `{
  inputs.stable.url = "github:NixOS/nixpkgs?ref=nixos-24.05";
  inputs.fork.url = "git+https://github.com/example/nixpkgs?rev=0123456789abcdef0123456789abcdef01234567";
  outputs = { self, stable, fork }: {
    a = import stable.outPath { system = "x86_64-linux"; };
    b = import "\${fork}/default.nix" { localSystem = { system = "aarch64-linux"; }; };
    c = stable.legacyPackages.x86_64-linux.hello;
  };
}
`,
  },
  {
    name: 'darwin-flake',
    role: 'flake',
    text: `{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixpkgs-24.05-darwin";
    nix-darwin.url = "github:LnL7/nix-darwin";
  };
  outputs = inputs@{ nixpkgs, nix-darwin, ... }: {
    darwinConfigurations.mac = nix-darwin.lib.darwinSystem {
      system = "aarch64-darwin";
      specialArgs = { inherit inputs; };
      modules = [
        ./modules/fuzz.nix
        { nixpkgs.hostPlatform = "aarch64-darwin"; }
      ];
    };
  };
}
`,
  },
  {
    name: 'suppressions',
    role: 'module',
    text: `{ inputs, ... }:
let
  # nixpkgs-instances: ignore instance-in-module
  a = import inputs.nixpkgs { system = "x86_64-linux"; };
  b = import inputs.nixpkgs { }; # nixpkgs-instances: ignore impure-system
in
{
  environment.systemPackages = [ a.hello b.hello ];
}
`,
  },
  {
    name: 'lookalikes',
    role: 'module',
    text: `{ pkgs, ... }:
# import nixpkgs { system = "x86_64-linux"; } in a comment is not an instance
/* neither is import <nixpkgs> {} in a block comment */
{
  environment.etc."readme".text = "run: import nixpkgs { }";
  environment.etc."script".text = ''
    nix eval --expr 'import <nixpkgs> { }'
    echo "\${pkgs.hello}" ''\${NOT_INTERPOLATED}
  '';
  programs.bash.shellAliases.repl = "nix repl --expr 'import <nixpkgs> {}'";
}
`,
  },
  {
    name: 'read-only-pkgs',
    role: 'flake',
    text: `{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  outputs = { nixpkgs, ... }:
    let
      pkgs = import nixpkgs { system = "x86_64-linux"; config.allowUnfree = true; };
    in
    {
      nixosConfigurations.box = nixpkgs.lib.nixosSystem {
        modules = [
          nixpkgs.nixosModules.readOnlyPkgs
          { nixpkgs.pkgs = pkgs; }
          ./modules/fuzz.nix
        ];
      };
    };
}
`,
  },
  {
    name: 'home-manager-module',
    role: 'module',
    text: `{ inputs, ... }:
{
  imports = [ inputs.home-manager.nixosModules.home-manager ];
  home-manager.useGlobalPkgs = false;
  home-manager.useUserPackages = true;
  home-manager.users.ada = { pkgs, ... }: {
    home.packages = [ pkgs.jq ];
    home.stateVersion = "24.05";
  };
  home-manager.extraSpecialArgs = { inherit inputs; };
}
`,
  },
  {
    name: 'module-imports',
    role: 'module',
    text: `{ lib, ... }:
{
  imports = [
    ./hardware-configuration.nix
    ../common
    (import ./generated.nix { inherit lib; })
  ];
  networking.hostName = lib.mkDefault "fuzz";
  nixpkgs.hostPlatform = { system = "riscv64-linux"; };
  nixpkgs.crossSystem = { config = "riscv64-unknown-linux-gnu"; };
}
`,
  },
  {
    name: 'syntax-medley',
    role: 'module',
    text: `{ lib, pkgs, ... }@args:
assert lib.isAttrs args;
let
  inherit (lib) mkIf optional;
  inherit (builtins) map toString;
  rec1 = rec { a = 1; b = a + 2; c = "\${toString b}-x"; };
  dyn = { \${"key"} = 1; "quoted name" = 2; };
  f = { x ? 1, y, ... }: x * y;
  g = a: b: if a > b then a else b;
  path = ./relative/file.nix;
  home = ~/notes.txt;
  search = <nixpkgs/lib>;
  uri = https://example.org/x;
  neg = -1.5e3;
in
{
  config = mkIf (g 1 2 == 2) {
    environment.systemPackages = optional (rec1.b >= 3 && !false || true) pkgs.hello
      ++ map (x: x) [ pkgs.jq ];
    environment.variables.X = toString (f { y = 3; }) + dyn.key or "";
    environment.etc.p.source = path;
    environment.etc.h.text = toString [ home search uri neg (dyn ? key) (rec1.c) ];
  };
}
`,
  },
  {
    name: 'sub-flake-instance',
    role: 'flake',
    text: `{
  description = "A sub-flake that makes its own package set";
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  outputs = { self, nixpkgs }:
    let
      pkgsFor = system: import nixpkgs { inherit system; overlays = [ self.overlays.default ]; };
    in
    {
      overlays.default = final: prev: { tool = prev.hello; };
      packages = nixpkgs.lib.genAttrs [ "x86_64-linux" "riscv64-linux" ] (system: {
        default = (pkgsFor system).tool;
      });
    };
}
`,
  },
];

/** Every `.nix` file below `dir` (the repository's examples/), with its role by name. */
export function exampleFiles(dir: string): CorpusFile[] {
  const out: CorpusFile[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = join(d, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.name.endsWith('.nix')) {
        out.push({
          name: 'examples/' + relative(dir, full).split('\\').join('/'),
          role: e.name === 'flake.nix' ? 'flake' : 'module',
          text: readFileSync(full, 'utf8'),
        });
      }
    }
  };
  walk(dir);
  return out;
}
