/**
 * Another real LSP client: headless Neovim (Debian's `neovim`, 0.7) starts the
 * server over stdio with its built-in client, opens a module of a fixture
 * workspace, and writes the diagnostics it receives to a file. In CI Neovim
 * is installed by .ci/run and a missing one fails; elsewhere the test is
 * reported as skipped, with the reason.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { requireProgram } from '../support/programs.js';
import { REPO_ROOT, writeWorkspace } from '../support/workspace.js';

const INIT_LUA = `
local out = os.getenv('NI_OUT')
local server = os.getenv('NI_SERVER')
local root = os.getenv('NI_ROOT')
local seen = false
local function on_diagnostics(err, result, ctx, config)
  if seen or not result.uri:match('common%.nix$') or #result.diagnostics == 0 then return end
  seen = true
  local f = io.open(out, 'w')
  for _, d in ipairs(result.diagnostics) do
    f:write(string.format('%d:%d %s %s\\n', d.range.start.line, d.range.start.character, d.source, d.code))
  end
  f:close()
  vim.schedule(function() vim.cmd('qall!') end)
end
-- Neovim 0.7's client API (vim.lsp.start arrived in 0.8).
local client_id = vim.lsp.start_client({
  name = 'nixpkgs-instances',
  cmd = { 'node', server, '--stdio' },
  root_dir = root,
  handlers = { ['textDocument/publishDiagnostics'] = on_diagnostics },
})
vim.api.nvim_create_autocmd({ 'BufReadPost', 'BufEnter' }, {
  pattern = '*.nix',
  callback = function(args) vim.lsp.buf_attach_client(args.buf, client_id) end,
})
-- A safety net so a broken server fails the test instead of hanging it.
vim.defer_fn(function() vim.cmd('cquit! 3') end, 60000)
`;

test('headless Neovim receives our diagnostics from the server over stdio', { timeout: 90_000 }, (t) => {
  if (!requireProgram(t, 'nvim', 'Neovim', 'Debian: apt-get install -y neovim')) return;
  const ws = writeWorkspace(`
    #- /flake.nix
    {
      inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
      inputs.nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
      outputs = { nixpkgs, ... }@inputs: {
        nixosConfigurations.a = nixpkgs.lib.nixosSystem {
          system = "x86_64-linux";
          specialArgs = { inherit inputs; };
          modules = [ ./common.nix ];
        };
        nixosConfigurations.b = nixpkgs.lib.nixosSystem {
          system = "x86_64-linux";
          specialArgs = { inherit inputs; };
          modules = [ ./common.nix ];
        };
      };
    }
    #- /common.nix
    { pkgs, inputs, ... }:
    let
      u = import inputs.nixpkgs-unstable { system = "x86_64-linux"; localSystem = "x86_64-linux"; };
    in { environment.systemPackages = [ u.hello ]; }
  `);
  try {
    const init = join(ws.root, 'init.lua');
    const out = join(ws.root, 'received.txt');
    writeFileSync(init, INIT_LUA);
    const r = spawnSync('nvim', ['--headless', '--clean', '-u', init, join(ws.root, 'common.nix')], {
      cwd: ws.root,
      encoding: 'utf8',
      timeout: 80_000,
      env: { ...process.env, NI_OUT: out, NI_SERVER: join(REPO_ROOT, 'dist', 'server.js'), NI_ROOT: ws.root, XDG_CONFIG_HOME: ws.root, XDG_DATA_HOME: ws.root, XDG_STATE_HOME: ws.root },
    });
    assert.equal(r.status, 0, `nvim exited with ${r.status}: ${r.stderr}`);
    assert.ok(existsSync(out), 'Neovim received no diagnostics for common.nix');
    const lines = readFileSync(out, 'utf8').trim().split('\n').sort();
    assert.deepEqual(lines, [
      '2:39 nixpkgs-instances system-and-local-system',
      '2:6 nixpkgs-instances instance-in-module',
    ]);
  } finally {
    ws.dispose();
  }
});
