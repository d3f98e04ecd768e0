#!/usr/bin/env bash
# Builds actionlint (the GitHub Actions workflow linter) from the Go module
# proxy, caches it per version outside the repository and prints the absolute
# path of the folder holding it as the LAST line of stdout. All progress goes
# to stderr.
#
#   BIN=$(bash test/gitops/build-actionlint.sh | tail -1)
#   "$BIN/actionlint" examples/gitops/github/workflows/fansly.yml
#
# Environment:
#   ACTIONLINT_VERSION              version to build (e.g. 1.7.12 or v1.7.12).
#                                   Default: the newest cached build, else the
#                                   newest stable version the Go proxy serves.
#   ACTIONLINT_REFRESH=1            ask the proxy for its newest version even
#                                   when a build is cached.
#   PULUMI_FANSLY_ACTIONLINT_CACHE  cache root (default ~/.cache/pulumi-fansly/actionlint)
#
# Cache layout: <cache root>/v<version>/bin/actionlint
set -euo pipefail

MODULE=github.com/rhysd/actionlint
PACKAGE=github.com/rhysd/actionlint/cmd/actionlint
MIN_GO=1.25 # go directive of actionlint (v1.7.12: go 1.25.0)

log() { printf '[build-actionlint] %s\n' "$*" >&2; }
die() { printf '[build-actionlint] ERROR: %s\n' "$*" >&2; exit 1; }
# shellcheck source=../../src/toolchain/go-build-lib.sh
source "$(dirname -- "${BASH_SOURCE[0]}")/../../src/toolchain/go-build-lib.sh"

CACHE_ROOT=${PULUMI_FANSLY_ACTIONLINT_CACHE:-$HOME/.cache/pulumi-fansly/actionlint}

# ------------------------------------------------------------ version choice
norm() { local v=${1#v}; echo "v$v"; }

actionlint_ok() { # $1 = bin dir, $2 = version (vX.Y.Z)
  [[ -x $1/actionlint ]] || return 1
  local out
  out=$("$1/actionlint" -version 2>/dev/null | head -1 | tr -d '[:space:]') || return 1
  [[ $out == "$2" ]]
}

newest_cached() { # newest vX.Y.Z folder under the cache root holding a working build
  local dir v best=""
  [[ -d $CACHE_ROOT ]] || return 1
  while IFS= read -r dir; do
    v=${dir##*/}
    actionlint_ok "$dir/bin" "$v" && best=$v
  done < <(find "$CACHE_ROOT" -mindepth 1 -maxdepth 1 -type d -name 'v[0-9]*' | sort -V)
  [[ -n $best ]] && echo "$best"
}

# Fast path: an explicit version already built, or (by default) any cached
# build, needs neither Go nor the network.
if [[ -n ${ACTIONLINT_VERSION:-} ]]; then
  WANT=$(norm "$ACTIONLINT_VERSION")
  if actionlint_ok "$CACHE_ROOT/$WANT/bin" "$WANT"; then
    log "cached actionlint $WANT (ACTIONLINT_VERSION)"
    echo "$CACHE_ROOT/$WANT/bin"
    exit 0
  fi
elif [[ ${ACTIONLINT_REFRESH:-0} != 1 ]] && CACHED=$(newest_cached); then
  log "cached actionlint $CACHED (ACTIONLINT_REFRESH=1 to look for a newer one)"
  echo "$CACHE_ROOT/$CACHED/bin"
  exit 0
fi

# ---------------------------------------------------------------- Go toolchain
require_go "$MIN_GO" "actionlint" "
  Or put a prebuilt actionlint at ${CACHE_ROOT}/v<version>/bin/actionlint."

served_versions() { # stable versions of actionlint on the proxy, oldest first
  (cd / && "$GO" list -m -versions "$MODULE") | tr ' ' '\n' |
    grep -E '^v[0-9]+\.[0-9]+\.[0-9]+$' | sort -V || true
}

log "querying the Go module proxy for $MODULE versions..."
SERVED=$(served_versions)
[[ -n $SERVED ]] || die "could not list versions of $MODULE (is the Go module proxy reachable? GOPROXY=$("$GO" env GOPROXY))"
if [[ -n ${WANT:-} ]]; then
  grep -qxF -- "$WANT" <<<"$SERVED" ||
    die "ACTIONLINT_VERSION=$ACTIONLINT_VERSION is not served by the Go proxy; newest served: $(tail -5 <<<"$SERVED" | tr '\n' ' ')"
  VERSION=$WANT
else
  VERSION=$(tail -1 <<<"$SERVED")
fi
log "actionlint version: $VERSION"

BIN_DIR=$CACHE_ROOT/$VERSION/bin
lock_version_dir "$CACHE_ROOT/$VERSION"

if actionlint_ok "$BIN_DIR" "$VERSION"; then
  log "cached: $BIN_DIR"
  echo "$BIN_DIR"
  exit 0
fi

make_build_dir "$CACHE_ROOT/$VERSION"

log "building actionlint $VERSION (go install $PACKAGE@$VERSION)..."
start=$SECONDS
# `go install pkg@version` builds in module mode with actionlint's own go.mod
# (its pinned dependencies), whatever folder it runs in; the version printed
# by `actionlint -version` comes from the module's build info.
(cd / && GOBIN=$TMP "$GO" install -trimpath "$PACKAGE@$VERSION" >&2) ||
  die "go install $PACKAGE@$VERSION failed (see the Go output above)"
actionlint_ok "$TMP" "$VERSION" ||
  die "built actionlint does not report version $VERSION: $("$TMP/actionlint" -version 2>&1 | head -1 || true)"
mv -f "$TMP/actionlint" "$BIN_DIR/actionlint"
log "actionlint built in $((SECONDS - start)) s"

actionlint_ok "$BIN_DIR" "$VERSION" || die "cache check failed after build: $BIN_DIR"
log "ready: $BIN_DIR"
echo "$BIN_DIR"
