#!/usr/bin/env bash
# Installs what Attest needs on a Debian machine: system packages (when they are
# missing and we may install them) and the npm dependencies. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

# libsecret-1-dev: keytar builds against it; gnome-keyring + dbus: the OS keychain
# the console stores credentials in (and the tests use); chromium: e2e tests;
# poppler-utils: pdftotext, which the e2e reads exported PDFs with; testssl.sh: the
# TLS profile check (service/security/tls-downgrade.test.ts); strace: the test that
# the service's key files are written durably (service/start/key-files.test.ts).
packages=(libsecret-1-dev gnome-keyring dbus dbus-user-session chromium poppler-utils testssl.sh strace python3 make g++)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then sudo=(); elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo=(sudo -n); else
    echo "setup: missing system packages: ${missing[*]}" >&2
    echo "setup: install them with: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "setup: installing ${missing[*]}" >&2
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

# npm dependencies: install when node_modules is missing or older than the lock file.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm dependencies" >&2
  # Electron's postinstall downloads its binary from the Electron release host; where that
  # is unreachable it would roll back the whole install. Install without it, then try the
  # download on its own: if it fails the console runs in browser mode.
  ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm ci --no-audit --no-fund >&2
  if [ "${ATTEST_SKIP_ELECTRON_DOWNLOAD:-}" != "1" ] && [ "${CI:-}" != "true" ]; then
    timeout 120 node node_modules/electron/install.js >/dev/null 2>&1 \
      || echo "setup: Electron binary not downloaded (no access to its release host): the console will run in browser mode" >&2
  fi
  touch node_modules/.package-lock.json
fi

# electronegativity (the Electron configuration check in the tests) in a tree of its own:
# see tools/electronegativity/package.json for why.
eneg=tools/electronegativity
if [ ! -f $eneg/node_modules/.package-lock.json ] || [ $eneg/package-lock.json -nt $eneg/node_modules/.package-lock.json ]; then
  echo "setup: installing electronegativity" >&2
  npm ci --prefix $eneg --no-audit --no-fund >&2
  touch $eneg/node_modules/.package-lock.json
fi
