#!/usr/bin/env bash
# Sets up one stock Backstage app the way an adopter gets it, then installs our packed plugins
# into it exactly as the README's installation section says, and builds its frontend.
#
#   adopter-test/prepare-app.sh <1.55|newest|newest-legacy> <tarball-dir> <out-dir>
#
# 1.55:   the app `npx @backstage/create-app@0.9.2` scaffolds (the create-app release of
#         backstage.json's 1.55.0), its caret ranges resolved at install time as an adopter's are.
# newest: the same app with every @backstage/* dependency moved to the registry's latest.
# newest-legacy: create-app's legacy frontend system template (`--legacy`), moved likewise.
#
# The installed stock app (the slow part: ~2 GB of node_modules) is cached outside the repo,
# keyed on its package manifests, so a second run only restores it to its committed baseline,
# installs our packages and builds. Writes to <out-dir>: app-dir (where the app is),
# before.json and after.json (what its node_modules held before and after our install).
set -euo pipefail
ADOPTER_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$ADOPTER_DIR/../scripts/bootstrap.sh"

variant="${1:?usage: prepare-app.sh <1.55|newest|newest-legacy> <tarball-dir> <out-dir>}"
release="${variant%-legacy}"
system=new
template_flags=()
if [ "$variant" != "$release" ]; then
  system=legacy
  template_flags=(--legacy)
fi
tarballs="$(cd "${2:?tarball dir}" && pwd)"
out="${3:?out dir}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
CREATE_APP_VERSION="0.9.2"
cache="${ADOPTER_CACHE:?the folder the installed stock apps are cached in (scripts/test.sh sets it)}"
mkdir -p "$cache"

# create-app checks `yarn -v` outside any project, where corepack would look up the newest Yarn
# and fail its signature check on this registry; a global default version avoids the lookup.
node "$ROOT/.tools/corepack/node_modules/corepack/dist/corepack.js" install -g yarn@4.13.0 >/dev/null

# Scaffolding without installing takes seconds; its manifests are the cache key.
scaffold="$(mktemp -d "$cache/scaffold-XXXXXX")"
trap 'rm -rf "$scaffold"' EXIT
(cd "$scaffold" && BACKSTAGE_APP_NAME=adopter-app \
  npx -y "@backstage/create-app@$CREATE_APP_VERSION" --path app --skip-install "${template_flags[@]}" >"$out/create-app.log" 2>&1)
app="$scaffold/app"
stock_release="$(node -p "require('$app/backstage.json').version")"
if [ "$stock_release" != "$(node -p "require('$ROOT/backstage.json').version")" ]; then
  echo "!! create-app $CREATE_APP_VERSION scaffolds Backstage $stock_release, not this repo's release"
  exit 1
fi
case "$release" in
  1.55)
    # The stock app does not start as scaffolded today: its caret range floats
    # @backstage/plugin-signals-backend to 0.3.21 (the 1.57 line), which needs
    # @backstage/backend-defaults 0.19 while the app pins ^0.18.0 ("addWebSocketHandler is not
    # a function"). Every adopter of a 1.55 app has to make this move, with or without us.
    node -e '
      const fs = require("fs"), file = process.argv[1];
      const manifest = JSON.parse(fs.readFileSync(file, "utf8"));
      manifest.dependencies["@backstage/backend-defaults"] = "^0.19.0";
      fs.writeFileSync(file, JSON.stringify(manifest, null, 2) + "\n");' "$app/packages/backend/package.json"
    ;;
  newest)
    node "$ADOPTER_DIR/bump-to-newest.js" "$app" "$(npm config get registry)" >"$out/moved-to-newest.log"
    ;;
  *)
    echo "!! unknown variant '$variant' (1.55, newest or newest-legacy)"
    exit 1
    ;;
esac

# The key is what decides the installed tree: the manifests (after the move above), Node and
# Yarn, and how a baseline is made (BASELINE_FORMAT: raise it when the steps below change).
BASELINE_FORMAT=1
key="$(cat "$app/package.json" "$app"/packages/*/package.json "$app/.yarnrc.yml" "$app/backstage.json" |
  cat - <(echo "$BASELINE_FORMAT $NODE_VERSION $(yarn --version)") | sha256sum | cut -c1-16)"
cached="$cache/app-$variant-$key"
if [ ! -f "$cached/.git/adopter-baseline" ]; then
  echo "adopter $variant: installing the stock app (not cached yet: $cached)"
  rm -rf "$cached"
  mv "$app" "$cached"
  (
    cd "$cached"
    # The stock app has no lockfile yet: this install writes it, which CI=true (Yarn's immutable
    # default under CI) would refuse.
    YARN_ENABLE_IMMUTABLE_INSTALLS=false yarn install >"$out/stock-install.log" 2>&1 || {
      tail -30 "$out/stock-install.log"
      exit 1
    }
    rm -rf .git
    git init -q
    git add -A
    git -c user.name=adopter-test -c user.email=adopter-test@localhost commit -qm "stock app, installed"
    touch .git/adopter-baseline
  )
else
  echo "adopter $variant: the stock app is cached ($cached)"
fi
echo "$cached" >"$out/app-dir"

cd "$cached"
# Back to the stock app: files as committed (ignored ones such as node_modules stay), then an
# install that drops whatever an earlier run added.
git checkout -q -- .
git clean -fdq
yarn install >"$out/restore.log" 2>&1 || {
  tail -30 "$out/restore.log"
  exit 1
}
node "$ADOPTER_DIR/versions.js" snapshot . "$out/before.json"

# The packages come from a registry for our scope only (standing in for npmjs.com), under the
# same names and versions as a release. Yarn's cache is keyed on name and version, so copies of
# an earlier run's packages are removed first.
find "$(yarn config get cacheFolder)" -maxdepth 1 -name '@ingestion-keys-*' -delete
node "$ADOPTER_DIR/registry.js" "$tarballs" >"$out/registry.log" 2>&1 &
registry_pid=$!
trap 'kill $registry_pid 2>/dev/null || true; rm -rf "$scaffold"' EXIT
for _ in $(seq 1 100); do grep -q '^listening' "$out/registry.log" && break; sleep 0.1; done
registry="$(sed -n 's/^listening on \(http[^ ]*\) .*/\1/p' "$out/registry.log")"
if [ -z "$registry" ]; then
  echo "!! the local registry did not start:"
  cat "$out/registry.log"
  exit 1
fi
yarn config set "npmScopes[\"ingestion-keys\"].npmRegistryServer" "$registry" >/dev/null
yarn config set unsafeHttpWhitelist --json '["localhost"]' >/dev/null
# The stock app holds back releases younger than three days (npmMinimalAgeGate) except those it
# pre-approves; the packages here were published a minute ago.
approved="$(yarn config get npmPreapprovedPackages --json)"
yarn config set npmPreapprovedPackages --json \
  "$(node -p 'JSON.stringify([...JSON.parse(process.argv[1]), "@ingestion-keys/*"])' "$approved")" >/dev/null

node "$ADOPTER_DIR/readme-steps.js" "$ROOT/README.md" . "$system" >"$out/readme-steps.log" 2>&1 || {
  tail -30 "$out/readme-steps.log"
  exit 1
}
node "$ADOPTER_DIR/versions.js" snapshot . "$out/after.json"
node "$ADOPTER_DIR/versions.js" installed . "$tarballs"

yarn workspace app build >"$out/app-build.log" 2>&1 || {
  tail -30 "$out/app-build.log"
  exit 1
}
echo "adopter $variant: ready in $cached"
