import { test } from 'node:test';
import { checkDiagnostics } from '../../support/fixture.js';
import { checkDiagnosticsWith } from '../../support/diagnostics.js';

const only = ['global-overlays'];

test('fires for nixpkgs.overlays that replace a low-level package, naming it', async () => {
  await checkDiagnostics(
    `
    #- /modules/desktop.nix
    { pkgs, ... }:
    {
      nixpkgs.overlays = [
    # ^^^^^^^^^^^^^^^^ information global-overlays: Apply this overlay to a separate instance if only some packages need it. It replaces openssl in the system's package set: every package that depends on it is rebuilt
        (final: prev: {
          openssl = prev.openssl.override { enableSSL3 = true; };
          hello = prev.hello.overrideAttrs { doCheck = false; };
        })
      ];
    }
    #- /modules/python.nix
    {
      config,
      lib,
      pkgs,
      ...
    }:
    {
      nixpkgs = {
        config.allowUnfree = true;
        overlays = [
      # ^^^^^^^^ information global-overlays: replaces python3 and stdenv in the system's package set: every package that depends on one of them
          (self: super: {
            python3 = super.python3.override { enableOptimizations = true; };
            stdenv = super.clangStdenv;
          })
        ];
      };
    }
    #- /modules/several.nix
    { config, ... }:
    {
      config.nixpkgs.overlays = [
    # ^^^^^^^^^^^^^^^^^^^^^^^ information global-overlays: systemd and glibc
        (final: prev: { inherit (prev.pkgsUnstable) systemd; })
        (final: prev: { glibc = prev.glibc.overrideAttrs (old: { patches = old.patches ++ [ ./fix.patch ]; }); })
      ];
    }
    `,
    only,
  );
});

test('does not fire for leaf packages, an instance of its own, or text that only looks like an overlay', async () => {
  await checkDiagnostics(
    `
    #- /modules/tools.nix
    { pkgs, inputs, ... }:
    let
      # The recommended shape: an instance of its own carries the overlay.
      ssl3 = import inputs.nixpkgs {
        system = "x86_64-linux";
        overlays = [ (final: prev: { openssl = prev.openssl.override { enableSSL3 = true; }; }) ];
      };
    in
    {
      nixpkgs.overlays = [
        (final: prev: {
          myTool = prev.callPackage ./tool.nix { };
          hello = prev.hello;
          opensslTools = prev.openssl.bin;
        })
      ];
      nixpkgs.config.packageOverrides = pkgs: { };
      environment.systemPackages = [ ssl3.curl pkgs.pkgsCross.riscv64.openssl ];
      environment.etc.note.text = "nixpkgs.overlays = [ (final: prev: { openssl = prev.libressl; }) ];";
      # nixpkgs.overlays = [ (final: prev: { stdenv = prev.clangStdenv; }) ];
    }
    `,
    only,
  );
});

test('CRLF files keep the range', async () => {
  await checkDiagnosticsWith(
    `
    #- /modules/ssl.nix
    { ... }:
    {
      nixpkgs.overlays = [ (final: prev: { curl = prev.curlHTTP3; }) ];
    # ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ information global-overlays: replaces curl in
    }
    `,
    only,
    { crlf: true },
  );
});
