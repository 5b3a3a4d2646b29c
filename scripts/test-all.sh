#!/usr/bin/env bash
# `npm test`: everything, in order: build (esbuild), compile-tests (tsc, also the type check of src/test/bench),
# the webview's type check, then the unit, extension-host (real VS Code) and end-to-end (Playwright) suites.
# Every step runs even when an earlier one failed (so one run shows every failure); a summary comes last and
# the exit code is 1 if any step failed.
set -uo pipefail
cd "$(dirname "$0")/.."
export FORCE_COLOR="${FORCE_COLOR:-0}"

names=(); results=(); times=()
step() {
  local name=$1; shift
  echo
  echo "=== $name: $* ==="
  local t0=$SECONDS
  "$@"
  local rc=$?
  names+=("$name"); results+=("$rc"); times+=("$((SECONDS - t0))")
  [ "$rc" -eq 0 ] || echo "=== $name FAILED (exit $rc) ==="
  return 0
}

step build          node esbuild.mjs
step compile-tests  node scripts/compile-tests.mjs
step typecheck-webview node scripts/typecheck.mjs --webview-only
step test:unit      node_modules/.bin/mocha --config .mocharc.json
step test:vscode    node out/test/runVsCodeTests.js
step test:e2e       node_modules/.bin/mocha --config test/e2e/.mocharc.js

echo
echo "=== summary ==="
failed=0
for i in "${!names[@]}"; do
  if [ "${results[$i]}" -eq 0 ]; then s=ok; else s="FAILED (exit ${results[$i]})"; failed=1; fi
  printf '  %-18s %-16s %4ss\n' "${names[$i]}" "$s" "${times[$i]}"
done
exit $failed
