#!/usr/bin/env bash
# Makes sure this checkout has the command line built (dist/cli.js), for the GitHub Action
# (action.yml) and the pre-commit hook (.pre-commit-hooks.yaml), which run from a plain clone of
# this repository: the first run installs the dependencies (npm ci) and builds; later runs find
# the build and do nothing. Needs Node 20.19+ and npm. Prints the path of the CLI.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
if [ ! -f "$root/dist/cli.js" ]; then
  echo "nixpkgs-instances: building the command line in $root (once)" >&2
  (cd "$root" && npm ci --no-audit --no-fund >&2 && node scripts/build.mjs >&2)
fi
echo "$root/dist/cli.js"
