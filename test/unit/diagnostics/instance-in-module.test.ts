import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDiagnostics } from '../../support/fixture.js';
import { checkDiagnosticsWith, diagnosticsOf, relatedOf } from '../../support/diagnostics.js';

const only = ['instance-in-module'];

/** A flake with three hosts built by a `mkHost` helper; every host loads modules/base.nix. */
const HOSTS = `
  #- /flake.nix
  {
    inputs = {
      nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
      nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
    };
    outputs =
      {
        self,
        nixpkgs,
        ...
      }@inputs:
      let
        mkHost =
          name:
          nixpkgs.lib.nixosSystem {
            specialArgs = { inherit inputs; };
            modules = [
              ./hosts/\${name}
              ./modules/base.nix
            ];
          };
      in
      {
        nixosConfigurations = {
          alpha = mkHost "alpha";
          beta = mkHost "beta";
          gamma = mkHost "gamma";
        };
      };
  }
  #- /hosts/alpha/default.nix
  { ... }: { imports = [ ../../modules/desktop.nix ]; }
  #- /hosts/beta/default.nix
  { ... }: { imports = [ ../../modules/desktop.nix ]; }
  #- /hosts/gamma/default.nix
  { ... }: { networking.hostName = "gamma"; }
`;

test('fires in a module loaded by every host of a mkHost helper, naming the hosts', async () => {
  await checkDiagnostics(
    HOSTS +
      `
  #- /modules/base.nix
  {
    config,
    pkgs,
    inputs,
    ...
  }:
  let
    unstable = import inputs.nixpkgs-unstable {
    #          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning instance-in-module: 3 configurations (alpha, beta and gamma) each evaluate another complete nixpkgs here, 3 instances in all
      system = pkgs.stdenv.hostPlatform.system;
      config.allowUnfree = true;
    };
  in
  {
    environment.systemPackages = [ unstable.helix ];
  }
  #- /modules/desktop.nix
  { pkgs, inputs, ... }:
  {
    environment.systemPackages = [
      (import inputs.nixpkgs-unstable { system = pkgs.system; overlays = [ ]; }).firefox
      #^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning instance-in-module: 2 configurations (alpha and beta)
    ];
  }
  `,
    only,
  );
});

test('related information points at the builder call that evaluates the module', async () => {
  assert.deepEqual(
    await relatedOf(
      HOSTS +
        `
  #- /modules/base.nix
  { pkgs, inputs, ... }:
  { environment.systemPackages = [ (import inputs.nixpkgs-unstable { system = "x86_64-linux"; }).hello ]; }
  #- /modules/desktop.nix
  { ... }: { }
  `,
      'instance-in-module',
    ),
    { '/modules/base.nix:2:35': ['/flake.nix:15:9 nixosSystem evaluates this module for alpha, beta and gamma'] },
  );
});

test('one host: silent, hoisting saves nothing; a module of several builders lists each call', async () => {
  const source = `
    #- /flake.nix
    {
      inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
      inputs.darwin.url = "github:LnL7/nix-darwin";
      outputs = { self, nixpkgs, darwin, ... }@inputs: {
        nixosConfigurations.box = nixpkgs.lib.nixosSystem {
          specialArgs = { inherit inputs; };
          modules = [ ./configuration.nix ./shared.nix ];
        };
        darwinConfigurations.mac = darwin.lib.darwinSystem {
          specialArgs = { inherit inputs; };
          modules = [ ./shared.nix ];
        };
      };
    }
    #- /configuration.nix
    { inputs, ... }:
    let
      pinned = import inputs.nixpkgs { system = "x86_64-linux"; config.allowUnfree = true; };
    in
    { environment.systemPackages = [ pinned.steam ]; }
    #- /shared.nix
    { pkgs, inputs, ... }:
    with import inputs.nixpkgs { system = pkgs.system; overlays = [ ]; };
    #    ^^^^^^^^^^^^^^^^^^^^^ warning instance-in-module: 2 configurations (box and mac)
    { environment.systemPackages = [ ripgrep ]; }
  `;
  await checkDiagnostics(source, only);
  assert.deepEqual((await relatedOf(source, 'instance-in-module'))['/shared.nix:2:6'], [
    '/flake.nix:5:31 nixosSystem evaluates this module for box',
    '/flake.nix:9:32 darwinSystem evaluates this module for mac',
  ]);
});

test('home-manager modules are told about extraSpecialArgs', async () => {
  await checkDiagnostics(
    `
    #- /flake.nix
    {
      inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
      inputs.nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
      inputs.home-manager.url = "github:nix-community/home-manager";
      outputs = { nixpkgs, home-manager, ... }@inputs: {
        homeConfigurations.ada = home-manager.lib.homeManagerConfiguration {
          pkgs = nixpkgs.legacyPackages.x86_64-linux;
          extraSpecialArgs = { inherit inputs; };
          modules = [ ./home.nix ];
        };
        homeConfigurations.bob = home-manager.lib.homeManagerConfiguration {
          pkgs = nixpkgs.legacyPackages.aarch64-linux;
          extraSpecialArgs = { inherit inputs; };
          modules = [ ./home.nix ];
        };
      };
    }
    #- /home.nix
    { pkgs, inputs, ... }:
    {
      home.packages = [ (import inputs.nixpkgs-unstable { system = "x86_64-linux"; config = { }; }).jujutsu ];
      #                  ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning instance-in-module: Hoist to flake.nix and pass it through extraSpecialArgs.
    }
    `,
    only,
  );
});

test('fires for a wrapper called inside a module two hosts load; silent in a module no configuration loads', async () => {
  await checkDiagnostics(
    `
    #- /flake.nix
    {
      inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
      outputs = { nixpkgs, ... }@inputs: {
        nixosConfigurations.box = nixpkgs.lib.nixosSystem { specialArgs = { inherit inputs; }; modules = [ ./box.nix ]; };
        nixosConfigurations.crate = nixpkgs.lib.nixosSystem { specialArgs = { inherit inputs; }; modules = [ ./box.nix ]; };
      };
    }
    #- /box.nix
    { inputs, ... }:
    let
      mkUnfree = system: import inputs.nixpkgs { inherit system; config.allowUnfree = true; };
    in
    {
      environment.systemPackages = [ (mkUnfree "x86_64-linux").vscode ];
      #                               ^^^^^^^^ warning instance-in-module: 2 configurations (box and crate)
    }
    #- /modules/unused.nix
    { config, pkgs, nixpkgs-unstable, ... }:
    {
      environment.systemPackages = [ (import nixpkgs-unstable { system = "x86_64-linux"; }).hello ];
    }
    `,
    only,
  );
});

test('a sub-flake is a flake of its own: its instances are not in a module', async () => {
  await checkDiagnostics(
    `
    #- /repo/flake.nix
    {
      inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
      outputs = { nixpkgs, ... }: {
        pkgs = import nixpkgs { system = "x86_64-linux"; config.allowUnfree = true; };
      };
    }
    #- /repo/tools/flake.nix
    {
      inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";
      outputs = { nixpkgs, ... }: {
        devShells.x86_64-linux.default =
          let
            pkgs = import nixpkgs { system = "x86_64-linux"; overlays = [ ]; };
          in
          pkgs.mkShell { };
        shared = nixpkgs.legacyPackages.x86_64-linux.hello;
      };
    }
    `,
    only,
  );
});

test('does not fire where the recommendation puts instances, nor for shared or derived sets', async () => {
  await checkDiagnostics(
    HOSTS +
      `
  #- /modules/base.nix
  { pkgs, inputs, pkgs-unstable, ... }:
  {
    # Handed in: the recommended shape.
    environment.systemPackages = [
      pkgs-unstable.helix
      inputs.nixpkgs-unstable.legacyPackages.\${pkgs.system}.nixd
      pkgs.pkgsCross.riscv64.hello
      pkgs.pkgsStatic.busybox
    ];
    # import inputs.nixpkgs-unstable { system = "x86_64-linux"; }
    environment.shellAliases.repl = "nix repl --expr 'import <nixpkgs> { }'";
    environment.etc.note.text = ''
      import inputs.nixpkgs { system = "x86_64-linux"; }
    '';
    imports = [ (import ./generated.nix { inherit pkgs; }) ];
  }
  #- /modules/desktop.nix
  { inputs, ... }:
  {
    nixpkgs.pkgs = inputs.nixpkgs.legacyPackages.x86_64-linux;
  }
  #- /overlays/default.nix
  { inputs }:
  final: prev: {
    tool = import ./tool.nix { inherit (final) system; };
  }
  `,
    only,
  );
});

test('flake.nix itself: specialArgs, per-system generators and home-manager pkgs are fine', async () => {
  await checkDiagnostics(
    `
    #- /flake.nix
    {
      inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
      inputs.nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
      inputs.home-manager.url = "github:nix-community/home-manager";
      outputs = { nixpkgs, nixpkgs-unstable, home-manager, ... }@inputs:
        let
          forAllSystems = nixpkgs.lib.genAttrs [ "x86_64-linux" "aarch64-linux" ];
          unstable = import nixpkgs-unstable { system = "x86_64-linux"; config.allowUnfree = true; };
        in
        {
          nixosConfigurations.box = nixpkgs.lib.nixosSystem {
            specialArgs = { inherit inputs unstable; };
            modules = [ ./box.nix ];
          };
          homeConfigurations.me = home-manager.lib.homeManagerConfiguration {
            pkgs = import nixpkgs { system = "x86_64-linux"; config.allowUnfree = true; };
            modules = [ ];
          };
          devShells = forAllSystems (system: {
            default = (import nixpkgs { inherit system; overlays = [ ]; }).mkShell { };
          });
        };
    }
    #- /box.nix
    { unstable, ... }: { environment.systemPackages = [ unstable.zed-editor ]; }
    `,
    only,
  );
});

test('CRLF files and nixfmt formals with a trailing comma', async () => {
  await checkDiagnosticsWith(
    `
    #- /flake.nix
    {
      inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
      outputs =
        {
          self,
          nixpkgs,
        }@inputs:
        {
          nixosConfigurations.box = nixpkgs.lib.nixosSystem {
            specialArgs = {
              inherit inputs;
            };
            modules = [
              ./configuration.nix
            ];
          };
          nixosConfigurations.crate = nixpkgs.lib.nixosSystem {
            specialArgs = {
              inherit inputs;
            };
            modules = [
              ./configuration.nix
            ];
          };
        };
    }
    #- /configuration.nix
    {
      pkgs,
      inputs,
    }:
    {
      environment.systemPackages = [
        (import inputs.nixpkgs {
        #^^^^^^^^^^^^^^^^^^^^^ warning instance-in-module: (box and crate)
          system = "x86_64-linux";
          config.allowUnfree = true;
        }).steam
      ];
    }
    `,
    only,
    { crlf: true },
  );
});

test('NixOS and home-manager configurations sharing a module: every host named, both ways of handing over', async () => {
  const source = `
    #- /flake.nix
    {
      inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
      inputs.nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
      inputs.home-manager.url = "github:nix-community/home-manager";
      outputs = { nixpkgs, home-manager, ... }@inputs: {
        nixosConfigurations.alpha = nixpkgs.lib.nixosSystem { specialArgs = { inherit inputs; }; modules = [ ./shared.nix ]; };
        nixosConfigurations.beta = nixpkgs.lib.nixosSystem { specialArgs = { inherit inputs; }; modules = [ ./shared.nix ]; };
        nixosConfigurations.gamma = nixpkgs.lib.nixosSystem { specialArgs = { inherit inputs; }; modules = [ ./shared.nix ]; };
        homeConfigurations.ada = home-manager.lib.homeManagerConfiguration {
          pkgs = nixpkgs.legacyPackages.x86_64-linux;
          extraSpecialArgs = { inherit inputs; };
          modules = [ ./shared.nix ];
        };
      };
    }
    #- /shared.nix
    { inputs, ... }:
    {
      _module.args.unstable = import inputs.nixpkgs-unstable { localSystem = "x86_64-linux"; };
      #                       ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning instance-in-module
    }
  `;
  await checkDiagnostics(source, only);
  const [d] = await diagnosticsOf(source, only);
  assert.equal(
    d!.message,
    'Hoist to flake.nix and pass it through specialArgs or extraSpecialArgs. This module instantiates nixpkgs itself: 4 configurations (alpha, beta, gamma and ada) ' +
      'each evaluate another complete nixpkgs here, 4 instances in all (about 100 MiB and a second of evaluation each).',
  );
});

test('modules reached through a plain { imports = [ ... ]; }, a let-bound module list and lib.optionals are followed', async () => {
  await checkDiagnostics(
    `
  #- /flake.nix
  {
    inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
    inputs.nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
    outputs = { nixpkgs, ... }@inputs:
      let
        common = [ ./hosts/base.nix ];
        mk = name: nixpkgs.lib.nixosSystem {
          specialArgs = { inherit inputs; };
          modules = common ++ nixpkgs.lib.optionals (name != "") [ ./desktop.nix ] ++ [ ./hosts/\${name}.nix ];
        };
      in {
        nixosConfigurations.alpha = mk "alpha";
        nixosConfigurations.beta = mk "beta";
      };
  }
  #- /hosts/base.nix
  { imports = [ ../modules/tools.nix ]; }
  #- /hosts/alpha.nix
  { ... }: { }
  #- /hosts/beta.nix
  { ... }: { }
  #- /desktop.nix
  { inputs, ... }:
  let u = import inputs.nixpkgs-unstable { system = "x86_64-linux"; config.allowUnfree = true; };
  #       ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning instance-in-module: 2 configurations (alpha and beta)
  in { environment.systemPackages = [ u.firefox ]; }
  #- /modules/tools.nix
  { inputs, ... }:
  let s = import inputs.nixpkgs { system = "x86_64-linux"; config.allowUnfree = true; };
  #       ^^^^^^^^^^^^^^^^^^^^^ warning instance-in-module: 2 configurations (alpha and beta)
  in { environment.systemPackages = [ s.git ]; }
  `,
    only,
  );
});

test('an instance bound by a let that nothing names creates nothing: no instance-in-module or duplicate-instance there (davidak/nixos-config)', async () => {
  await checkDiagnostics(
    HOSTS +
      `
  #- /modules/base.nix
  { inputs, ... }:
  let
    unstable = import inputs.nixpkgs-unstable { system = "x86_64-linux"; config.allowUnfree = true; };
    used = import inputs.nixpkgs-unstable { system = "x86_64-linux"; config.allowUnfree = false; };
  #        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning instance-in-module: 3 configurations (alpha, beta and gamma)
  in
  { environment.systemPackages = [ used.hello ]; }
  #- /modules/desktop.nix
  { inputs, ... }:
  let unstable = import inputs.nixpkgs-unstable { system = "x86_64-linux"; config.allowUnfree = true; };
  in { }
  `,
    ['instance-in-module', 'duplicate-instance'],
  );
});

test('hosts a helper maps over (`{ hosts }: mapAttrs (name: system: ...) hosts`) are the names its caller writes out', async () => {
  await checkDiagnostics(
    `
  #- /flake.nix
  {
    inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
    inputs.nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
    outputs = { nixpkgs, ... }@inputs: import ./lib/flakes.nix { inherit inputs; } {
      hosts = { alpha = "x86_64-linux"; beta = "aarch64-linux"; };
    };
  }
  #- /lib/flakes.nix
  { inputs }:
  { hosts }:
  {
    nixosConfigurations = builtins.mapAttrs (name: system: inputs.nixpkgs.lib.nixosSystem {
      inherit system;
      specialArgs = { inherit inputs; };
      modules = [ ../modules/common.nix ];
    }) hosts;
  }
  #- /modules/common.nix
  { inputs, pkgs, ... }:
  let u = import inputs.nixpkgs-unstable { system = pkgs.stdenv.hostPlatform.system; config.allowUnfree = true; };
  #       ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning instance-in-module: 2 configurations (alpha and beta)
  in { environment.systemPackages = [ u.hello ]; }
  `,
    only,
  );
});

test('hosts read from a folder by `./machines + "/${name}"` are one configuration each (balsoft/nixos-config)', async () => {
  await checkDiagnostics(
    `
  #- /flake.nix
  {
    inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";
    outputs = { self, nixpkgs, ... }@inputs: {
      nixosConfigurations = with nixpkgs.lib;
        let
          mkHost = name: nixosSystem {
            specialArgs = { inherit inputs; };
            modules = [ (import (./machines + "/\${name}")) { device = name; } ];
          };
        in genAttrs (builtins.attrNames (builtins.readDir ./machines)) mkHost;
    };
  }
  #- /machines/desk/default.nix
  { ... }: { imports = [ ../../roles/desktop.nix ]; }
  #- /machines/laptop/default.nix
  { ... }: { imports = [ ../../roles/desktop.nix ]; }
  #- /roles/desktop.nix
  { inputs, ... }:
  let u = import inputs.nixpkgs { system = "x86_64-linux"; config.allowUnfree = true; };
  #       ^^^^^^^^^^^^^^^^^^^^^ warning instance-in-module: 2 configurations (desk and laptop)
  in { environment.systemPackages = [ u.firefox ]; }
  `,
    ['instance-in-module'],
  );
});
