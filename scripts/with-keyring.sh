#!/usr/bin/env bash
# Runs a command with an OS keychain: the desktop's Secret Service when there is a
# session bus, else a temporary gnome-keyring inside a private D-Bus session whose
# data lives in a temp folder removed on exit (nothing is kept).
set -euo pipefail
if [ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ] && [ "${ATTEST_PRIVATE_KEYRING:-}" != "1" ]; then
  exec "$@"
fi
keyring_home=$(mktemp -d)
trap 'rm -rf "$keyring_home"' EXIT
export ATTEST_KEYRING_HOME="$keyring_home"
dbus-run-session -- bash -c '
  # The temporary keyring is unlocked with a random password that is never stored.
  eval "$(head -c 24 /dev/urandom | base64 | tr -d "\n" \
    | XDG_DATA_HOME="$ATTEST_KEYRING_HOME" gnome-keyring-daemon --unlock --components=secrets)"
  export GNOME_KEYRING_CONTROL
  exec "$@"
' bash "$@" 2> >(grep --line-buffered -v "Failed to set fd limit" >&2)
