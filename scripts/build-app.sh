#!/usr/bin/env bash
# Builds the production app bundle that the end-to-end tests are served, unless the sources it
# is built from are unchanged since the last build.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
stamp="packages/app/dist/.build-stamp"
inputs="$(find packages/app/src packages/app/public plugins/ingestion-keys/src plugins/ingestion-keys-common/src \
  -type f -not -name '*.test.*' -print0 | sort -z | xargs -0 sha256sum |
  cat - yarn.lock packages/app/package.json plugins/ingestion-keys/package.json | sha256sum | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$inputs" ]; then
  echo "app: build is up to date"
  exit 0
fi
yarn workspace app build
echo "$inputs" > "$stamp"
