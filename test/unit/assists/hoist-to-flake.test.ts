import { test } from 'node:test';
import { checkAssist, checkAssistDisabled, checkAssistNotApplicable } from '../../support/assists.js';

const FLAKE = `
#- /flake.nix
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
  outputs = { self, nixpkgs, ... }@inputs:
    let
      system = "x86_64-linux";
      mkHost = name: nixpkgs.lib.nixosSystem {
        inherit system;
        specialArgs = { inherit inputs; };
        modules = [ ./hosts/\${name} ];
      };
    in
    {
      nixosConfigurations = {
        alpha = mkHost "alpha";
        beta = mkHost "beta";
      };
    };
}
#- /hosts/alpha/default.nix
{ ... }: { imports = [ ../../modules/common.nix ]; }
#- /hosts/beta/default.nix
{ ... }: { imports = [ ../../modules/common.nix ]; }
`;

test('hoists a let-bound instance from a nixfmt-style module reached through mkHost', async () => {
  await checkAssist(
    'hoist-to-flake',
    FLAKE +
      `
#- /modules/common.nix
{
  config,
  pkgs,
  inputs,
  ...
}:
let
  # Newer tools for every host.
  unstable = $0import inputs.nixpkgs-unstable {
    system = pkgs.stdenv.hostPlatform.system;
    config.allowUnfree = true;
  };
in
{
  environment.systemPackages = [ unstable.helix ];
}
`,
    `
#- /flake.nix
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
  outputs = { self, nixpkgs, ... }@inputs:
    let
      system = "x86_64-linux";
      mkHost = name: nixpkgs.lib.nixosSystem {
        inherit system;
        specialArgs = { inherit inputs unstable; };
        modules = [ ./hosts/\${name} ];
      };
      unstable = import inputs.nixpkgs-unstable {
        system = "x86_64-linux";
        config.allowUnfree = true;
      };
    in
    {
      nixosConfigurations = {
        alpha = mkHost "alpha";
        beta = mkHost "beta";
      };
    };
}
#- /modules/common.nix
{
  config,
  pkgs,
  inputs,
  unstable,
  ...
}:
let
  # Newer tools for every host.
in
{
  environment.systemPackages = [ unstable.helix ];
}
`,
    { title: /^Hoist unstable to flake.nix \(evaluated once instead of 2 times\)$/ },
  );
});

test('hoists an inline use in a one-line module and creates specialArgs', async () => {
  await checkAssist(
    'hoist-to-flake',
    `
#- /flake.nix
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
  outputs = { nixpkgs, nixpkgs-unstable, ... }: {
    nixosConfigurations.box = nixpkgs.lib.nixosSystem {
      system = "aarch64-linux";
      modules = [ ./box.nix ];
    };
  };
}
#- /box.nix
{ pkgs, nixpkgs-unstable, ... }: { environment.systemPackages = [ ($0import nixpkgs-unstable { system = pkgs.system; }).hello ]; }
`,
    `
#- /flake.nix
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
  outputs = { nixpkgs, nixpkgs-unstable, ... }: let
      pkgs-unstable = import nixpkgs-unstable { system = "aarch64-linux"; };
    in
    {
    nixosConfigurations.box = nixpkgs.lib.nixosSystem {
      system = "aarch64-linux";
      modules = [ ./box.nix ];
      specialArgs = { inherit pkgs-unstable; };
    };
  };
}
#- /box.nix
{ pkgs, nixpkgs-unstable, pkgs-unstable, ... }: { environment.systemPackages = [ pkgs-unstable.hello ]; }
`,
  );
});

test('hosts of different systems: one set per system in flake.nix, the module selects its own', async () => {
  await checkAssist(
    'hoist-to-flake',
    `
#- /flake.nix
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs";
  outputs = { nixpkgs, ... }: {
    nixosConfigurations.a = nixpkgs.lib.nixosSystem { system = "x86_64-linux"; modules = [ ./m.nix ]; };
    nixosConfigurations.b = nixpkgs.lib.nixosSystem { system = "aarch64-linux"; modules = [ ./m.nix ]; };
  };
}
#- /m.nix
{ pkgs, nixpkgs, ... }: { x = $0import nixpkgs { system = pkgs.system; }; }
`,
    `
#- /flake.nix
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs";
  outputs = { nixpkgs, ... }: let
      x-by-system = nixpkgs.lib.genAttrs nixpkgs.lib.systems.flakeExposed (system: import nixpkgs { inherit system; });
    in
    {
    nixosConfigurations.a = nixpkgs.lib.nixosSystem { system = "x86_64-linux"; modules = [ ./m.nix ]; specialArgs = { inherit x-by-system; }; };
    nixosConfigurations.b = nixpkgs.lib.nixosSystem { system = "aarch64-linux"; modules = [ ./m.nix ]; specialArgs = { inherit x-by-system; }; };
  };
}
#- /m.nix
{ pkgs, nixpkgs, x-by-system, ... }: { x = x-by-system.\${pkgs.system}; }
`,
    { title: /Hoist x-by-system to flake.nix \(once per system instead of 2 times\)/ },
  );
});

test('is disabled when the arguments use something from the module', async () => {
  await checkAssistDisabled(
    'hoist-to-flake',
    FLAKE +
      `
#- /modules/common.nix
{ config, pkgs, inputs, ... }:
let
  myOverlay = final: prev: { };
  u = $0import inputs.nixpkgs-unstable { system = "x86_64-linux"; overlays = [ myOverlay ]; };
in { }
`,
    /use myOverlay from the module's scope/,
  );
});

test('is not offered in flake.nix itself or on legacyPackages', async () => {
  await checkAssistNotApplicable(
    'hoist-to-flake',
    `
#- /flake.nix
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs";
  outputs = { nixpkgs, ... }: { p = $0import nixpkgs { system = "x86_64-linux"; }; };
}
`,
  );
  await checkAssistNotApplicable(
    'hoist-to-flake',
    FLAKE +
      `
#- /modules/common.nix
{ inputs, ... }: { x = $0inputs.nixpkgs.legacyPackages.x86_64-linux.hello; }
`,
  );
});

test('an input the module gets whole through specialArgs (`import rust-overlay`) is named as flake.nix names it (`inputs.rust-overlay`)', async () => {
  await checkAssist(
    'hoist-to-flake',
    `
#- /flake.nix
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.rust-overlay.url = "github:oxalica/rust-overlay";
  outputs = { nixpkgs, ... }@inputs: {
    nixosConfigurations.box = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      specialArgs = { inherit nixpkgs; inherit (inputs) rust-overlay; };
      modules = [ ./box.nix ];
    };
  };
}
#- /box.nix
{ nixpkgs, rust-overlay, ... }:
{
  environment.systemPackages = [ ($0import nixpkgs { system = "x86_64-linux"; overlays = [ (import rust-overlay) ]; }).rust-bin.stable.latest.default ];
}
`,
    `
#- /flake.nix
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.rust-overlay.url = "github:oxalica/rust-overlay";
  outputs = { nixpkgs, ... }@inputs: let
      pkgs-custom = import nixpkgs { system = "x86_64-linux"; overlays = [ (import inputs.rust-overlay) ]; };
    in
    {
    nixosConfigurations.box = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      specialArgs = { inherit nixpkgs pkgs-custom; inherit (inputs) rust-overlay; };
      modules = [ ./box.nix ];
    };
  };
}
#- /box.nix
{ nixpkgs, rust-overlay, pkgs-custom, ... }:
{
  environment.systemPackages = [ pkgs-custom.rust-bin.stable.latest.default ];
}
`,
  );
});

test('is disabled for a module snowfall-lib loads into its hosts: the set belongs in a channel', async () => {
  await checkAssistDisabled(
    'hoist-to-flake',
    `
#- /flake.nix
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.snowfall-lib.url = "github:snowfallorg/lib";
  outputs = inputs: inputs.snowfall-lib.mkFlake { inherit inputs; src = ./.; };
}
#- /systems/x86_64-linux/alpha/default.nix
{ ... }: { }
#- /systems/x86_64-linux/beta/default.nix
{ ... }: { }
#- /modules/nixos/tools/default.nix
{ pkgs, inputs, ... }:
let stable = $0import inputs.nixpkgs { system = pkgs.system; config.allowUnfree = true; };
in { environment.systemPackages = [ stable.hello ]; }
`,
    /snowfall-lib builds these configurations from its folder layout/,
  );
});
