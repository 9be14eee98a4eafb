/**
 * The workspace of the editing session benchmark (session.ts): a flake whose
 * hosts all import `modules/` (its default.nix), which imports N module files, each
 * with its own nixpkgs instance (`import inputs.nixpkgs-unstable { ... }`,
 * three spellings of arguments in turn) and the usual options around it. So N
 * module instances, each evaluated once per host: what the issue measured
 * code actions with (300). Deterministic; every file is valid Nix.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SESSION_HOSTS = 4;

/** Module `k`: its instance's first line is line 2 (0-based), its `{ config, ... }` formals line 0. */
export function moduleText(k: number): string {
  const args = [
    ['system = pkgs.system;'],
    ['system = pkgs.system;', 'config.allowUnfree = true;'],
    ['inherit (pkgs) system;', 'overlays = [ ];'],
  ][k % 3]!;
  return [
    '{ config, lib, pkgs, inputs, ... }:',
    'let',
    `  unstable${k} = import inputs.nixpkgs-unstable {`,
    ...args.map((a) => `    ${a}`),
    '  };',
    `  cfg = config.custom.m${k};`,
    'in',
    '{',
    `  options.custom.m${k}.enable = lib.mkEnableOption "module ${k}";`,
    '  config = lib.mkIf cfg.enable {',
    `    environment.systemPackages = [ unstable${k}.hello pkgs.git ];`,
    '    services.openssh.enable = true;',
    `    boot.loader.timeout = ${k % 10};`,
    '    networking.firewall.allowedTCPPorts = [ 22 ];',
    '    programs.zsh.enable = false;',
    `    environment.variables.EDITOR = "vim${k}";`,
    '    time.timeZone = "Europe/Berlin";',
    '  };',
    '}',
    '',
  ].join('\n');
}

/** Writes the workspace into `root`; returns the module files (relative), in order. */
export function writeInstancesWorkspace(root: string, modules: number): string[] {
  mkdirSync(join(root, 'modules'), { recursive: true });
  mkdirSync(join(root, 'hosts'), { recursive: true });
  const hosts = Array.from({ length: SESSION_HOSTS }, (_, i) => `h${i}`);
  writeFileSync(
    join(root, 'flake.nix'),
    [
      '{',
      '  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";',
      '  inputs.nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";',
      '  outputs = { self, nixpkgs, ... }@inputs: {',
      ...hosts.flatMap((h) => [
        `    nixosConfigurations.${h} = nixpkgs.lib.nixosSystem {`,
        '      system = "x86_64-linux";',
        '      specialArgs = { inherit inputs; };',
        `      modules = [ ./hosts/${h}.nix ];`,
        '    };',
      ]),
      '  };',
      '}',
      '',
    ].join('\n'),
  );
  for (const h of hosts) writeFileSync(join(root, 'hosts', `${h}.nix`), `{ ... }: {\n  imports = [ ../modules ];\n  networking.hostName = "${h}";\n}\n`);
  const files = Array.from({ length: modules }, (_, k) => `modules/m${k}.nix`);
  writeFileSync(join(root, 'modules', 'default.nix'), `{ ... }:\n{\n  imports = [\n${files.map((f) => `    ./${f.slice('modules/'.length)}`).join('\n')}\n  ];\n}\n`);
  files.forEach((f, k) => writeFileSync(join(root, f), moduleText(k)));
  return files;
}
