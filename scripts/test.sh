#!/usr/bin/env bash
# Command 2: sets up whatever is missing and runs every test: type check, lint, unit and
# integration tests (SQLite and PostgreSQL) and the browser end-to-end tests. Ends with
# "N passed, N failed" over all suites and exits non-zero on any failure.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh" || exit 1
source "$ROOT/scripts/ensure-services.sh" || exit 1
set +e
export CI="${CI:-true}"

results="$ROOT/node_modules/.cache/test-results"
rm -rf "$results" && mkdir -p "$results"
passed=0
failed=0
skipped=0

record() { # record <passed> <failed> <skipped>
  passed=$((passed + $1))
  failed=$((failed + $2))
  skipped=$((skipped + $3))
}

step() { # step <name> <command...>: a check that counts as one test
  local name="$1"
  shift
  echo "== $name"
  if "$@"; then record 1 0 0; else
    echo "!! $name failed"
    record 0 1 0
  fi
}

step "type check" yarn tsc
step "lint" yarn backstage-cli repo lint
step "format" yarn prettier --check --loglevel warn .

echo "== unit and integration tests"
yarn backstage-cli repo test --json --outputFile="$results/jest.json"
jest_status=$?
if [ -f "$results/jest.json" ]; then
  read -r p f s < <(node -e '
    const r = require(process.argv[1]);
    // A suite that fails to run has no failed tests: count it as one failure.
    const broken = r.testResults.filter(t => t.status === "failed" && t.assertionResults.length === 0).length;
    console.log(r.numPassedTests, r.numFailedTests + broken, r.numPendingTests + r.numTodoTests);
  ' "$results/jest.json")
  record "$p" "$f" "$s"
  if [ "$jest_status" -ne 0 ] && [ "$f" -eq 0 ]; then record 0 1 0; fi
else
  record 0 1 0
fi

echo "== end-to-end tests (Chromium)"
bash "$ROOT/scripts/build-app.sh" || record 0 1 0
PLAYWRIGHT_JSON_OUTPUT_NAME="$results/e2e.json" yarn playwright test --reporter=list,json
if [ -f "$results/e2e.json" ]; then
  read -r p f s < <(node -e '
    const { stats } = require(process.argv[1]);
    console.log(stats.expected + stats.flaky, stats.unexpected, stats.skipped);
  ' "$results/e2e.json")
  record "$p" "$f" "$s"
else
  record 0 1 0
fi

echo
summary="$passed passed, $failed failed"
if [ "$skipped" -gt 0 ]; then summary="$summary, $skipped skipped"; fi
echo "$summary"
[ "$failed" -eq 0 ]
