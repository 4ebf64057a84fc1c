#!/usr/bin/env bash
# The one command that runs every check: lint, types, layering, build, unit and
# integration tests (PGlite always, PostgreSQL when TEST_DATABASE_URL is set),
# vault tests against a real Secret Service, and e2e in Debian's Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

step() { printf '\n== %s\n' "$*"; }
step "lint";      npx eslint . --max-warnings 0
step "types";     npx tsc -b
step "layering";  npx depcruise --config .dependency-cruiser.cjs shared service electron renderer e2e bench build scripts
step "build";     npm run --silent build
mkdir -p test-results
step "unit and integration (PostgreSQL: ${TEST_DATABASE_URL:+on}${TEST_DATABASE_URL:-off: set TEST_DATABASE_URL})"
ATTEST_PRIVATE_KEYRING=1 bash scripts/with-keyring.sh npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json
step "e2e (Chromium, browser mode)"
ATTEST_PRIVATE_KEYRING=1 bash scripts/with-keyring.sh npx playwright test --config e2e/playwright.config.ts
node scripts/test-summary.mjs test-results/vitest.json test-results/playwright.json
