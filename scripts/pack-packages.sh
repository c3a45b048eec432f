#!/usr/bin/env bash
# Builds every publishable package (types, then dist/) and packs each into <out-dir> as
# <unscoped-name>.tgz, exactly as `npm publish` would ship it (backstage-cli prepack rewrites
# main, types and exports to dist/ and compiles config.d.ts into config.schema.json).
# Usage: scripts/pack-packages.sh <out-dir>
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"

out="${1:?usage: scripts/pack-packages.sh <out-dir>}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

yarn build:packages
# The publishable packages are the workspaces that are not private.
yarn workspaces list --json --no-private | node -e '
  for (const line of require("fs").readFileSync(0, "utf8").split("\n").filter(Boolean)) {
    console.log(JSON.parse(line).name);
  }' | while read -r name; do
  yarn workspace "$name" pack --out "$out/${name#*/}.tgz"
done
ls -1 "$out"
