#!/usr/bin/env bash
# The check step of the GitHub Action (action.yml). Runs the command line twice on INPUT_PATH:
# SARIF into RUNNER_TEMP for code scanning, and the text report into the log. It never fails the
# step for findings, so that the SARIF is uploaded first: it writes the outcome to GITHUB_OUTPUT
# (`sarif-file`, and `status`: 0 clean, 1 findings at or above INPUT_SEVERITY or a file analysed
# only in part), and the action's last step fails on it. A usage or I/O error (2) fails at once.
set -uo pipefail
cli="${NIXPKGS_INSTANCES_CLI:?the install step sets it}"
path="${INPUT_PATH:-.}"
severity="${INPUT_SEVERITY:-warning}"
args=(check)
while IFS= read -r glob; do
  if [ -n "$glob" ]; then args+=(--exclude "$glob"); fi
done <<< "${INPUT_EXCLUDE:-}"
# `none` reports everything and fails on nothing.
threshold="$severity"
if [ "$severity" = none ]; then threshold=error; fi

sarif="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/nixpkgs-instances.sarif"
node "$cli" "${args[@]}" --severity "$threshold" --format sarif "$path" > "$sarif"
status=$?
if [ "$status" -gt 1 ]; then exit "$status"; fi
node "$cli" "${args[@]}" --severity "$threshold" "$path"
if [ "$severity" = none ]; then status=0; fi
{
  echo "sarif-file=$sarif"
  echo "status=$status"
} >> "${GITHUB_OUTPUT:?}"
exit 0
