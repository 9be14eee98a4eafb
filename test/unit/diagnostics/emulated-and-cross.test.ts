import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDiagnostics } from '../../support/fixture.js';
import { relatedOf } from '../../support/diagnostics.js';

const only = ['emulated-and-cross'];

/** alpha emulates riscv64 and aarch64; beta emulates nothing. Both load their host folder. */
const HOSTS = `
  #- /flake.nix
  {
    inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
    outputs = { self, nixpkgs, ... }@inputs:
      let
        mkHost = name: nixpkgs.lib.nixosSystem {
          specialArgs = { inherit inputs; };
          modules = [ ./hosts/\${name} ];
        };
      in {
        nixosConfigurations.alpha = mkHost "alpha";
        nixosConfigurations.beta = mkHost "beta";
        packages.x86_64-linux.hello-riscv64 = nixpkgs.legacyPackages.x86_64-linux.pkgsCross.riscv64.hello;
      };
  }
  #- /hosts/alpha/default.nix
  { ... }:
  {
    imports = [ ../../modules/riscv-tools.nix ];
    boot.binfmt.emulatedSystems = [
      "aarch64-linux"
      "riscv64-linux"
    ];
  }
  #- /hosts/beta/default.nix
  { ... }:
  {
    imports = [ ../../modules/riscv-tools.nix ../../modules/arm.nix ];
  }
`;

test('fires for a cross instance loaded by a host that also emulates the target', async () => {
  const source =
    HOSTS +
    `
  #- /modules/riscv-tools.nix
  { pkgs, inputs, ... }:
  let
    riscv = import inputs.nixpkgs {
    #       ^^^^^^^^^^^^^^^^^^^^^ information emulated-and-cross: riscv64-linux is emulated with QEMU (boot.binfmt.emulatedSystems) and this instance cross-compiles to riscv64-unknown-linux-gnu
      localSystem = "x86_64-linux";
      crossSystem = {
        config = "riscv64-unknown-linux-gnu";
        gcc.arch = "rv64gc";
        gcc.abi = "lp64d";
      };
    };
  in
  {
    environment.systemPackages = [
      riscv.stdenv.cc
      pkgs.pkgsCross.riscv64-musl.busybox
    # ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ information emulated-and-cross: cross-compiles to riscv64-unknown-linux-musl
      pkgs.pkgsCross.riscv64-embedded.stdenv.cc
      pkgs.pkgsCross.aarch64-multiplatform.hello
    # ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ information emulated-and-cross: aarch64-linux is emulated
    ];
  }
  #- /modules/arm.nix
  { pkgs, ... }:
  {
    environment.systemPackages = [ pkgs.pkgsCross.aarch64-multiplatform.hello ];
  }
  `;
  await checkDiagnostics(source, only);
  assert.deepEqual(await relatedOf(source, 'emulated-and-cross'), {
    '/modules/riscv-tools.nix:3:11': ['/hosts/alpha/default.nix:6:5 riscv64-linux is emulated here'],
    '/modules/riscv-tools.nix:16:5': ['/hosts/alpha/default.nix:6:5 riscv64-linux is emulated here'],
    '/modules/riscv-tools.nix:19:5': ['/hosts/alpha/default.nix:5:5 aarch64-linux is emulated here'],
  });
});

test('a native instance of an emulated system fires when the system is also cross-compiled, pointing at the cross sites', async () => {
  const source = `
    #- /flake.nix
    {
      inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
      outputs = { self, nixpkgs, ... }@inputs: {
        nixosConfigurations.box = nixpkgs.lib.nixosSystem {
          specialArgs = { inherit inputs; };
          modules = [ ./box.nix ];
        };
      };
    }
    #- /box.nix
    { inputs, ... }:
    let
      native = import inputs.nixpkgs { system = "riscv64-linux"; config.allowUnfree = true; };
      #        ^^^^^^^^^^^^^^^^^^^^^ information emulated-and-cross: this native riscv64-linux instance is built under emulation
      cross = import inputs.nixpkgs { localSystem = "x86_64-linux"; crossSystem = "riscv64-linux"; };
      #       ^^^^^^^^^^^^^^^^^^^^^ information emulated-and-cross: cross-compiles to riscv64-linux
    in
    {
      boot.binfmt.emulatedSystems = [ "riscv64-linux" ];
      environment.systemPackages = [ native.hello cross.hello ];
    }
  `;
  await checkDiagnostics(source, only);
  assert.deepEqual((await relatedOf(source, 'emulated-and-cross'))['/box.nix:3:12'], [
    '/box.nix:9:35 riscv64-linux is emulated here',
    '/box.nix:5:11 cross-compiled to riscv64-linux here',
  ]);
});

test('does not fire for other hosts, other systems, bare metal, native-only emulation or flake outputs', async () => {
  await checkDiagnostics(
    HOSTS +
      `
  #- /modules/riscv-tools.nix
  { pkgs, inputs, ... }:
  let
    # Native riscv64 under emulation, but nothing cross-compiles to riscv64-linux.
    native = import inputs.nixpkgs { system = "riscv64-linux"; overlays = [ ]; };
    firmware = import inputs.nixpkgs { localSystem = "x86_64-linux"; crossSystem.config = "riscv64-none-elf"; };
    windows = import inputs.nixpkgs { localSystem = "x86_64-linux"; crossSystem.config = "x86_64-w64-mingw32"; };
  in
  {
    environment.systemPackages = [ native.hello firmware.stdenv.cc windows.hello pkgs.pkgsCross.riscv32.hello ];
    environment.etc.note.text = "boot.binfmt.emulatedSystems = [ \\"x86_64-windows\\" ];";
  }
  #- /modules/arm.nix
  { pkgs, ... }:
  {
    # beta cross-compiles to aarch64, but only alpha emulates it.
    environment.systemPackages = [ pkgs.pkgsCross.aarch64-multiplatform.hello ];
  }
  `,
    only,
  );
});

test('does not fire without emulation', async () => {
  await checkDiagnostics(
    `
    #- /flake.nix
    {
      inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
      outputs = { nixpkgs, ... }: {
        rv = import nixpkgs { localSystem = "x86_64-linux"; crossSystem.config = "riscv64-unknown-linux-gnu"; };
        native = import nixpkgs { system = "riscv64-linux"; };
        # boot.binfmt.emulatedSystems = [ "riscv64-linux" ];
      };
    }
    `,
    only,
  );
});

test('is silent for a cross set chosen for one host in the file that builds the hosts, which syntax does not tie to the emulating hosts (TUM-DSE/doctor-cluster-config)', async () => {
  await checkDiagnostics(
    `
  #- /flake.nix
  {
    inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
    outputs = { nixpkgs, ... }@inputs: { nixosConfigurations = import ./configurations.nix { inherit nixpkgs; }; };
  }
  #- /configurations.nix
  { nixpkgs }:
  let
    pkgs-x86_64-linux = nixpkgs.legacyPackages.x86_64-linux;
    mk = name: module: nixpkgs.lib.nixosSystem { modules = [ module ./hosts/\${name}.nix ]; };
  in
  {
    builder = mk "builder" { nixpkgs.pkgs = pkgs-x86_64-linux; };
    ruby = mk "ruby" { nixpkgs.pkgs = pkgs-x86_64-linux.pkgsCross.riscv64; };
  }
  #- /hosts/builder.nix
  { ... }: { boot.binfmt.emulatedSystems = [ "riscv64-linux" ]; }
  #- /hosts/ruby.nix
  { ... }: { }
  `,
    only,
  );
});
