import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDiagnostics } from '../../support/fixture.js';
import { checkDiagnosticsWith, relatedOf } from '../../support/diagnostics.js';

const only = ['pkgs-with-config'];

test('nixpkgs.config beside nixpkgs.pkgs in one module is an error, pointing at nixpkgs.pkgs', async () => {
  const source = `
    #- /modules/server.nix
    { inputs, ... }:
    {
      nixpkgs.pkgs = inputs.nixpkgs.legacyPackages.x86_64-linux;
      nixpkgs.config.allowUnfree = true;
    # ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ error pkgs-with-config: NixOS asserts that nixpkgs.config is empty when nixpkgs.pkgs is set
    }
    #- /modules/nested.nix
    { config, inputs, ... }:
    {
      nixpkgs = {
        pkgs = import inputs.nixpkgs { system = "x86_64-linux"; };
        config = {
      # ^^^^^^^^ error pkgs-with-config: Move this config into the instance given to nixpkgs.pkgs.
          allowUnfree = true;
        };
      };
    }
  `;
  await checkDiagnostics(source, only);
  assert.deepEqual(await relatedOf(source, 'pkgs-with-config'), {
    '/modules/server.nix:4:3': ['/modules/server.nix:3:3 nixpkgs.pkgs is set here'],
    '/modules/nested.nix:5:5': ['/modules/nested.nix:4:5 nixpkgs.pkgs is set here'],
  });
});

const HOSTS = `
  #- /flake.nix
  {
    inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
    outputs = { self, nixpkgs, ... }@inputs:
      let
        mkHost = name: nixpkgs.lib.nixosSystem {
          specialArgs = { inherit inputs; };
          modules = [
            ./hosts/\${name}
            ./modules/shared-pkgs.nix
          ];
        };
      in {
        nixosConfigurations.alpha = mkHost "alpha";
        nixosConfigurations.beta = mkHost "beta";
        nixosConfigurations.gamma = nixpkgs.lib.nixosSystem { modules = [ ./hosts/gamma ]; };
      };
  }
  #- /modules/shared-pkgs.nix
  { inputs, ... }:
  {
    nixpkgs.pkgs = inputs.nixpkgs.legacyPackages.x86_64-linux;
  }
`;

test('across the modules of one host, through mkHost: config is an error, overlays a warning', async () => {
  const source =
    HOSTS +
    `
  #- /hosts/alpha/default.nix
  { ... }:
  {
    nixpkgs.config.allowUnfree = true;
  # ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ error pkgs-with-config: NixOS asserts that nixpkgs.config is empty when nixpkgs.pkgs is set
  }
  #- /hosts/beta/default.nix
  { ... }:
  {
    imports = [ ../../modules/overlays.nix ];
  }
  #- /modules/overlays.nix
  { ... }:
  {
    nixpkgs.overlays = [ (final: prev: { hello = prev.hello; }) ];
  # ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning pkgs-with-config: which evaluates another instance
  }
  #- /hosts/gamma/default.nix
  { ... }:
  {
    # gamma has no nixpkgs.pkgs: its own config and overlays are fine.
    nixpkgs.config.allowUnfree = true;
    imports = [ ../../modules/overlays.nix ];
  }
  `;
  await checkDiagnostics(source, only);
  assert.deepEqual(await relatedOf(source, 'pkgs-with-config'), {
    '/hosts/alpha/default.nix:3:3': ['/modules/shared-pkgs.nix:3:3 nixpkgs.pkgs is set here'],
    '/modules/overlays.nix:3:3': ['/modules/shared-pkgs.nix:3:3 nixpkgs.pkgs is set here'],
  });
});

test('does not fire for an empty config or overlays list, other hosts, or look-alike text', async () => {
  await checkDiagnosticsWith(
    HOSTS +
      `
  #- /hosts/alpha/default.nix
  { ... }:
  {
    nixpkgs.config = { };
    nixpkgs.overlays = [ ];
    nixpkgs.hostPlatform = "x86_64-linux";
    environment.etc.note.text = "nixpkgs.config.allowUnfree = true;";
    # nixpkgs.config.allowUnfree = true;
  }
  #- /hosts/beta/default.nix
  { ... }: { }
  #- /hosts/gamma/default.nix
  { ... }:
  {
    nixpkgs.config.allowUnfree = true;
    nixpkgs.overlays = [ (final: prev: { }) ];
  }
  #- /modules/unused.nix
  { ... }:
  {
    nixpkgs.config.allowUnfree = true;
  }
  `,
    only,
    { crlf: true },
  );
});

test('a module evaluated inside an overlay (nixvim with `nixpkgs.pkgs = prev;`) is not the configuration (mightyiam/infra)', async () => {
  await checkDiagnostics(
    `
    #- /flake.nix
    {
      inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
      outputs = { nixpkgs, nixvim, ... }: {
        nixosConfigurations.a = nixpkgs.lib.nixosSystem { modules = [ ./editor.nix ]; };
        nixosConfigurations.b = nixpkgs.lib.nixosSystem { modules = [ ./editor.nix ]; };
      };
    }
    #- /editor.nix
    { nixvim, ... }:
    {
      nixpkgs.config.allowUnfree = true;
      nixpkgs.overlays = [
        (final: prev: {
          editor = nixvim.evalNixvim {
            modules = [ { nixpkgs.pkgs = prev; } ];
          };
        })
      ];
    }
    `,
    only,
  );
});

test('each builder call in flake.nix is its own configuration: inline modules count for the call that lists them', async () => {
  const source = `
    #- /flake.nix
    {
      inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
      outputs = { self, nixpkgs, ... }@inputs: {
        nixosConfigurations.given = nixpkgs.lib.nixosSystem {
          specialArgs = { inherit inputs; };
          modules = [ ./modules/shared-pkgs.nix ];
        };
        nixosConfigurations.own = nixpkgs.lib.nixosSystem {
          modules = [ { nixpkgs.config.allowUnfree = true; nixpkgs.hostPlatform = "x86_64-linux"; } ];
        };
        nixosConfigurations.inlinePkgs = nixpkgs.lib.nixosSystem {
          modules = [ { nixpkgs.pkgs = nixpkgs.legacyPackages.x86_64-linux; } ];
        };
        nixosConfigurations.inlineConfig = nixpkgs.lib.nixosSystem {
          modules = [ { nixpkgs.config.allowBroken = true; nixpkgs.hostPlatform = "x86_64-linux"; } ];
        };
        nixosConfigurations.both = nixpkgs.lib.nixosSystem {
          specialArgs = { inherit inputs; };
          modules = [
            ./modules/shared-pkgs.nix
            { nixpkgs.overlays = [ (final: prev: { }) ]; }
            # ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning pkgs-with-config: applied on top of the given package set
          ];
        };
      };
    }
    #- /modules/shared-pkgs.nix
    { inputs, ... }:
    {
      nixpkgs.pkgs = inputs.nixpkgs.legacyPackages.x86_64-linux;
    }
  `;
  await checkDiagnostics(source, only);
  assert.deepEqual(await relatedOf(source, 'pkgs-with-config'), {
    '/flake.nix:21:11': ['/modules/shared-pkgs.nix:3:3 nixpkgs.pkgs is set here'],
  });
});

test('inline modules of one builder call in flake.nix: nixpkgs.config beside an inline nixpkgs.pkgs is an error', async () => {
  await checkDiagnostics(
    `
    #- /flake.nix
    {
      outputs = { self, nixpkgs, ... }: {
        nixosConfigurations.box = nixpkgs.lib.nixosSystem {
          modules = [
            { nixpkgs.pkgs = nixpkgs.legacyPackages.x86_64-linux; }
            { nixpkgs.config.allowUnfree = true; }
            # ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ error pkgs-with-config: NixOS asserts that nixpkgs.config is empty
          ];
        };
      };
    }
  `,
    only,
  );
});
