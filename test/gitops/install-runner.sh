#!/usr/bin/env bash
# Installs a local CI runner for the pipeline tests (test/gitops/*.pipeline.ts), cached per version outside the
# repository like the CLI builds, and prints the folder holding its executable as the LAST line of stdout. Progress
# goes to stderr.
#
#   BIN=$(bash test/gitops/install-runner.sh gitlab-ci-local | tail -1)   # npm package gitlab-ci-local@4.75.1
#   BIN=$(bash test/gitops/install-runner.sh act | tail -1)               # go install github.com/nektos/act@v0.2.89
#
# gitlab-ci-local needs Node 22 or later to run (it calls Set.prototype.union) and rsync on PATH (it copies the
# repository with it); act needs Go to build. A cached install is reused with neither network nor Go.
#
# Environment: PULUMI_FANSLY_RUNNER_CACHE  cache root (default ~/.cache/pulumi-fansly)
set -euo pipefail

GITLAB_CI_LOCAL_VERSION=4.75.1
ACT_VERSION=v0.2.89

log() { printf '[install-runner] %s\n' "$*" >&2; }
die() { printf '[install-runner] ERROR: %s\n' "$*" >&2; exit 1; }

CACHE_ROOT=${PULUMI_FANSLY_RUNNER_CACHE:-$HOME/.cache/pulumi-fansly}

case "${1:-}" in
  gitlab-ci-local)
    dest="$CACHE_ROOT/gitlab-ci-local/$GITLAB_CI_LOCAL_VERSION"
    bin="$dest/node_modules/.bin"
    command -v rsync >/dev/null || die "gitlab-ci-local copies the repository with rsync: install it (apt-get install rsync)"
    if [[ ! -x $bin/gitlab-ci-local ]]; then
      log "installing gitlab-ci-local@$GITLAB_CI_LOCAL_VERSION from the npm registry into $dest"
      tmp=$(mktemp -d "${TMPDIR:-/tmp}/gitlab-ci-local.XXXXXX")
      trap 'rm -rf "$tmp"' EXIT
      echo '{"private": true}' >"$tmp/package.json"
      npm install --prefix "$tmp" --no-audit --no-fund --loglevel=error "gitlab-ci-local@$GITLAB_CI_LOCAL_VERSION" >&2
      # Moved into place only once complete, so an interrupted install is never reused.
      mkdir -p "$(dirname "$dest")" && rm -rf "$dest" && mv "$tmp" "$dest"
      trap - EXIT
    else
      log "cached gitlab-ci-local $GITLAB_CI_LOCAL_VERSION"
    fi
    echo "$bin"
    ;;
  act)
    dest="$CACHE_ROOT/act/$ACT_VERSION/bin"
    if [[ ! -x $dest/act ]]; then
      command -v go >/dev/null || die "act is built with Go (go install github.com/nektos/act@$ACT_VERSION): install Go 1.24 or later"
      log "building act $ACT_VERSION from the Go module proxy into $dest (about a minute the first time)"
      tmp=$(mktemp -d "${TMPDIR:-/tmp}/act.XXXXXX")
      trap 'rm -rf "$tmp"' EXIT
      GOBIN="$tmp" go install "github.com/nektos/act@$ACT_VERSION" >&2
      mkdir -p "$dest" && mv "$tmp/act" "$dest/act"
    else
      log "cached act $ACT_VERSION"
    fi
    echo "$dest"
    ;;
  *)
    die "usage: $0 gitlab-ci-local|act"
    ;;
esac
