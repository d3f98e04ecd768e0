#!/usr/bin/env bash
# Makes rsync available for the GitLab pipeline test (test/gitops/gitlab.pipeline.ts): gitlab-ci-local copies the
# repository with it. Installs Debian's rsync package (apt-get update first) only when it is missing.
set -euo pipefail

log() { printf '[install-rsync] %s\n' "$*" >&2; }

if command -v rsync >/dev/null; then
  log "rsync found at $(command -v rsync)"
  exit 0
fi
sudo=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { log "ERROR: not root and no sudo: install the rsync package by hand"; exit 1; }
  sudo=(sudo)
fi
log "installing Debian's rsync package..."
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update >&2
"${sudo[@]}" apt-get install -y --no-install-recommends rsync >&2
command -v rsync >/dev/null || { log "ERROR: the rsync package is installed, yet rsync is not on PATH"; exit 1; }
