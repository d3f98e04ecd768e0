#!/usr/bin/env bash
# Makes Debian's PostgreSQL server available for test/e2e/postgres.e2e.ts (the team-backend test) and prints the
# folder holding initdb and pg_ctl as the LAST line of stdout. Installs the `postgresql` package (apt-get update
# first) only when no server is there; progress goes to stderr.
#
#   PG_BIN=$(bash .ci/install-postgres.sh | tail -1)
#
# Debian puts the server programs in /usr/lib/postgresql/<major>/bin, off PATH; the newest major wins. The test
# starts its own server as an unprivileged user on a free loopback port (PostgreSQL refuses to run as root), so
# the cluster the package may create and start on port 5432 is not used.
set -euo pipefail

log() { printf '[install-postgres] %s\n' "$*" >&2; }

server_bin() {
  local dir
  while IFS= read -r dir; do
    if [[ -x $dir/initdb && -x $dir/pg_ctl ]]; then echo "$dir"; return 0; fi
  done < <(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5,5 -n -r)
  if command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then dirname "$(command -v initdb)"; return 0; fi
  return 1
}

if bin=$(server_bin); then
  log "PostgreSQL server programs found in $bin"
  echo "$bin"
  exit 0
fi

sudo=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { log "ERROR: not root and no sudo: install the postgresql package by hand"; exit 1; }
  sudo=(sudo)
fi
log "installing Debian's postgresql package..."
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update >&2
"${sudo[@]}" apt-get install -y --no-install-recommends postgresql >&2
bin=$(server_bin) || { log "ERROR: postgresql is installed, yet no initdb/pg_ctl was found under /usr/lib/postgresql"; exit 1; }
log "PostgreSQL server programs in $bin"
echo "$bin"
