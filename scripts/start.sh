#!/usr/bin/env bash
# Command 1: sets up whatever is missing and starts the demo portal on the embedded defaults
# (app on :3000, backend on :7007, SQLite files under data/).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
mkdir -p "$ROOT/data/sqlite"
exec yarn start "$@"
