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
step "API reports" yarn api-reports:check

# A runner's counts are taken only from a report that proves its tests ran (read-test-results.js);
# a runner that exits non-zero is never green, whatever its report says.
count_report() { # count_report <runner exit status> <read-test-results.js arguments...>
  local status="$1" counts
  shift
  if counts="$(node "$ROOT/scripts/read-test-results.js" "$@")"; then
    read -r p f s <<<"$counts"
    record "$p" "$f" "$s"
    if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
      echo "!! $1 exited with $status"
      record 0 1 0
    fi
  else
    record 0 1 0
  fi
}

echo "== unit and integration tests"
yarn backstage-cli repo test --json --outputFile="$results/jest.json"
# The databases each database test must have run on (TestDatabases ids).
count_report $? jest "$results/jest.json" POSTGRES_15 SQLITE_3

# The benchmark's figures are printed, not asserted: the run only proves the bench still works.
step "benchmark smoke run (yarn bench --quick)" yarn bench --quick

echo "== end-to-end tests (Chromium)"
bash "$ROOT/scripts/build-app.sh" || record 0 1 0
PLAYWRIGHT_JSON_OUTPUT_NAME="$results/e2e-list.json" yarn playwright test --list --reporter=json >/dev/null
PLAYWRIGHT_JSON_OUTPUT_NAME="$results/e2e.json" yarn playwright test --reporter=list,json
count_report $? playwright "$results/e2e.json" "$results/e2e-list.json"

echo "== adopter tests (stock Backstage apps with the packed plugins, Chromium)"
# adopter-test/prepare-app.sh: a stock app per release line, our tarballs installed by the
# README's steps; the browser checks then run against both (adopter-test/playwright.config.ts).
adopter="$ROOT/e2e-results/adopter"
rm -rf "$adopter" && mkdir -p "$adopter"
# The cached stock apps are shared by every checkout on this machine: one adopter run at a time.
export ADOPTER_CACHE="${ADOPTER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ingestion-keys-adopter}"
mkdir -p "$ADOPTER_CACHE"
exec {adopter_lock}>"$ADOPTER_CACHE/.lock"
flock "$adopter_lock"
started=$SECONDS
step "adopter: pack the plugins" bash "$ROOT/scripts/pack-packages.sh" "$adopter/tarballs"
for variant in 1.55 newest newest-legacy; do
  step "adopter $variant: the stock app with our packages" \
    bash "$ROOT/adopter-test/prepare-app.sh" "$variant" "$adopter/tarballs" "$adopter/$variant"
  step "adopter $variant: our install adds no framework version" \
    node "$ROOT/adopter-test/versions.js" compare "$adopter/$variant/before.json" "$adopter/$variant/after.json"
done
adopter_e2e=(yarn playwright test --config adopter-test/playwright.config.ts)
PLAYWRIGHT_JSON_OUTPUT_NAME="$results/adopter-list.json" "${adopter_e2e[@]}" --list --reporter=json >/dev/null
PLAYWRIGHT_JSON_OUTPUT_NAME="$results/adopter.json" "${adopter_e2e[@]}" --reporter=list,json
count_report $? playwright "$results/adopter.json" "$results/adopter-list.json"
echo "adopter tests took $((SECONDS - started)) s"
flock -u "$adopter_lock"

echo
summary="$passed passed, $failed failed"
if [ "$skipped" -gt 0 ]; then
  # A skipped test (`.skip`, `.todo`, or the rest of a file with a `.only`) is not a passed one.
  echo "!! $skipped tests were skipped"
  summary="$summary, $skipped skipped"
fi
echo "$summary"
[ "$failed" -eq 0 ] && [ "$skipped" -eq 0 ]
