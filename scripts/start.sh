#!/usr/bin/env bash
# `npm start`: install what is missing, then run the console with the embedded
# service (in a temporary keychain session when there is no desktop session bus).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec bash scripts/with-keyring.sh node_modules/.bin/tsx scripts/start-console.ts "$@"
