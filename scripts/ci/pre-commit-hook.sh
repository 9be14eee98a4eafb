#!/usr/bin/env bash
# The pre-commit hook (.pre-commit-hooks.yaml): checks the repository being committed, as
# `nixpkgs-instances check [ARGS] .` does. The hook's `args` (for example `--severity error` or
# `--exclude 'vendor/**'`) go before the folder. Exit status: the check's (1 when it finds
# problems at the threshold or a file it could analyse only in part).
set -euo pipefail
cli="$(bash "$(dirname "${BASH_SOURCE[0]}")/ensure-cli.sh")"
exec node "$cli" check "$@" .
