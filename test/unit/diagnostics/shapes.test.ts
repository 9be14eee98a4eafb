/**
 * Every diagnostic at once on whole workspaces shaped like the real ones (flake-parts,
 * snowfall-lib, a helper-file builder, a channel-era configuration, a template sub-flake):
 * what must fire and, by its absence from the annotations, everything that must not (a
 * diagnostic no annotation names fails the test). Each shape is reduced from repositories of
 * the real corpus (test/real).
 */
import { test } from 'node:test';
import { checkDiagnostics } from '../../support/fixture.js';

test('flake-parts: perSystem pkgs and withSystem hosts; a module both hosts load instantiates (hoist to the flake-parts module that builds them)', async () => {
  await checkDiagnostics(`
#- /flake.nix
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
  inputs.flake-parts.url = "github:hercules-ci/flake-parts";
  outputs = inputs@{ flake-parts, ... }:
    flake-parts.lib.mkFlake { inherit inputs; } {
      systems = [ "x86_64-linux" "aarch64-linux" ];
      imports = [ ./parts/hosts.nix ];
      perSystem = { system, ... }: {
        _module.args.pkgs = import inputs.nixpkgs { inherit system; config.allowUnfree = true; };
      };
    };
}
#- /parts/hosts.nix
{ inputs, withSystem, ... }:
let
  mkHost = name: system: withSystem system ({ pkgs, ... }: inputs.nixpkgs.lib.nixosSystem {
    inherit system;
    specialArgs = { inherit inputs; };
    modules = [ { nixpkgs.pkgs = pkgs; } ../hosts/\${name} ../modules/common.nix ];
  });
in {
  flake.nixosConfigurations = {
    alpha = mkHost "alpha" "x86_64-linux";
    beta = mkHost "beta" "x86_64-linux";
  };
}
#- /hosts/alpha/default.nix
{ ... }: { networking.hostName = "alpha"; }
#- /hosts/beta/default.nix
{ ... }: { networking.hostName = "beta"; }
#- /modules/common.nix
{ pkgs, inputs, ... }:
let
  unstable = import inputs.nixpkgs-unstable { system = pkgs.stdenv.hostPlatform.system; };
#            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning instance-in-module: Create it where parts/hosts.nix builds the hosts; pass it through specialArgs. This module instantiates nixpkgs itself: 2 configurations (alpha and beta)
#            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ information prefer-legacy-packages
in { environment.systemPackages = [ unstable.helix ]; }
`);
});

test('snowfall-lib: systems/<system>/<host> are configurations and modules/nixos/* reach them all; an overlay reading channels creates nothing', async () => {
  await checkDiagnostics(`
#- /flake.nix
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
  inputs.snowfall-lib.url = "github:snowfallorg/lib";
  outputs = inputs: inputs.snowfall-lib.mkFlake {
    inherit inputs;
    src = ./.;
    channels-config.allowUnfree = true;
  };
}
#- /systems/x86_64-linux/alpha/default.nix
{ pkgs, ... }: { environment.systemPackages = [ pkgs.hello ]; }
#- /systems/x86_64-linux/beta/default.nix
{ pkgs, ... }: { environment.systemPackages = [ pkgs.git ]; }
#- /overlays/unstable/default.nix
{ channels, ... }: final: prev: { inherit (channels.nixpkgs-unstable) helix; }
#- /overlays/master/default.nix
{ inputs, ... }: final: prev: { master = import inputs.nixpkgs-unstable { inherit (prev) system; }; }
#                                        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ information prefer-legacy-packages
#- /modules/nixos/tools/default.nix
{ pkgs, inputs, ... }:
let stable = import inputs.nixpkgs { system = pkgs.system; config.allowUnfree = true; };
#            ^^^^^^^^^^^^^^^^^^^^^ warning instance-in-module: Use a snowfall-lib channel instead (an overlay with { channels, ... }). This module instantiates nixpkgs itself: 2 configurations (alpha and beta)
in { environment.systemPackages = [ stable.hello ]; }
`);
});

test('a helper file builds the hosts: a module they load instantiates, and sets nixpkgs.config beside nixpkgs.pkgs', async () => {
  await checkDiagnostics(`
#- /flake.nix
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
  outputs = { nixpkgs, ... }@inputs:
    let mkHost = import ./lib/mkHost.nix { inherit inputs; };
    in {
      nixosConfigurations = {
        alpha = mkHost { name = "alpha"; system = "x86_64-linux"; };
        beta = mkHost { name = "beta"; system = "aarch64-linux"; };
      };
    };
}
#- /lib/mkHost.nix
{ inputs }:
{ name, system }:
inputs.nixpkgs.lib.nixosSystem {
  inherit system;
  specialArgs = { inherit inputs; };
  modules = [
    { nixpkgs.pkgs = inputs.nixpkgs.legacyPackages.\${system}; }
    ../hosts/\${name}
    ../modules/common.nix
  ];
}
#- /hosts/alpha/default.nix
{ ... }: { networking.hostName = "alpha"; }
#- /hosts/beta/default.nix
{ ... }: { networking.hostName = "beta"; }
#- /modules/common.nix
{ pkgs, inputs, ... }:
let
  unstable = import inputs.nixpkgs-unstable { system = pkgs.stdenv.hostPlatform.system; config.allowUnfree = true; };
#            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning instance-in-module: Create it where lib/mkHost.nix builds the hosts; pass it through specialArgs. This module instantiates nixpkgs itself: 2 configurations (alpha and beta)
in
{
  nixpkgs.config.allowUnfree = true;
# ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ error pkgs-with-config: Move this config into the instance given to nixpkgs.pkgs.
  environment.systemPackages = [ unstable.helix ];
}
`);
});

test('channel-era configuration.nix: <nixos-unstable> is an instance, impure by design (a hint); a nix-shell file too', async () => {
  await checkDiagnostics(`
#- /configuration.nix
{ config, pkgs, ... }:
let
  unstable = import <nixos-unstable> { config = config.nixpkgs.config; };
#            ^^^^^^^^^^^^^^^^^^^^^^^ hint impure-system: Pass localSystem to pin the platform.
in
{
  imports = [ ./hardware-configuration.nix ./desktop.nix ];
  nixpkgs.config.allowUnfree = true;
  environment.systemPackages = [ unstable.helix ];
}
#- /hardware-configuration.nix
{ ... }: { nixpkgs.hostPlatform = "x86_64-linux"; }
#- /desktop.nix
{ pkgs, ... }: { environment.systemPackages = [ pkgs.firefox ]; }
#- /shell.nix
with import <nixpkgs> { };
#    ^^^^^^^^^^^^^^^^ hint impure-system: Nothing in the workspace evaluates this as part of an output
mkShell { packages = [ nixos-rebuild ]; }
`);
});

test('a template is a flake of its own: the same instance in the root flake and the template is no duplicate, and nothing fires', async () => {
  await checkDiagnostics(`
#- /flake.nix
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  outputs = { self, nixpkgs, ... }: {
    templates.default = { path = ./templates/default; description = "A host"; };
    packages.x86_64-linux.hello = (import nixpkgs { system = "x86_64-linux"; config.allowUnfree = true; }).hello;
  };
}
#- /templates/default/flake.nix
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";
  outputs = { self, nixpkgs, ... }: {
    packages.x86_64-linux.hello = (import nixpkgs { system = "x86_64-linux"; config.allowUnfree = true; }).hello;
    nixosConfigurations.box = nixpkgs.lib.nixosSystem { system = "x86_64-linux"; modules = [ ./configuration.nix ]; };
  };
}
#- /templates/default/configuration.nix
{ pkgs, ... }: { environment.systemPackages = [ pkgs.hello ]; }
`);
});
