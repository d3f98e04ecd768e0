#!/usr/bin/env bash
# Builds the Pulumi CLI (`pulumi`) and the Node.js language host
# (`pulumi-language-nodejs`) from the Go module proxy, caches them per version
# outside the repository and prints the absolute path of the folder holding
# them as the LAST line of stdout. All progress goes to stderr.
#
#   BIN=$(bash test/e2e/build-pulumi.sh | tail -1)
#
# Environment:
#   PULUMI_CLI_VERSION        CLI version to build (e.g. 3.248.0 or v3.248.0).
#                             Default: the installed @pulumi/pulumi SDK version
#                             if the Go proxy serves it, else the newest served.
#   PULUMI_SDK_PACKAGE_JSON   the SDK package.json whose version to match (default: the repo's)
#   PULUMI_FANSLY_CLI_CACHE   cache root (default ~/.cache/pulumi-fansly/pulumi-cli)
#
# Cache layout: <cache root>/v<version>/bin/{pulumi,pulumi-language-nodejs}
set -euo pipefail

CLI_MODULE=github.com/pulumi/pulumi/pkg/v3
CLI_PACKAGE=github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
SDK_MODULE=github.com/pulumi/pulumi/sdk/v3
VERSION_VAR=github.com/pulumi/pulumi/sdk/v3/go/common/version.Version
# The language host left sdk/v3 for its own (unpublished) module after v3.68.0.
LANGHOST_SDK_VERSION=v3.68.0
LANGHOST_PACKAGE=github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs
MIN_GO=1.25 # go directive of pkg/v3 (v3.248.0: go 1.25.11)

log() { printf '[build-pulumi] %s\n' "$*" >&2; }
die() { printf '[build-pulumi] ERROR: %s\n' "$*" >&2; exit 1; }
# shellcheck source=../tools/go-build-lib.sh
source "$(dirname -- "${BASH_SOURCE[0]}")/../tools/go-build-lib.sh"

SCRIPT_DIR=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd -- "$SCRIPT_DIR/../.." && pwd)
CACHE_ROOT=${PULUMI_FANSLY_CLI_CACHE:-$HOME/.cache/pulumi-fansly/pulumi-cli}
export PULUMI_SKIP_UPDATE_CHECK=true

# ---------------------------------------------------------------- Go toolchain
require_go "$MIN_GO" "the Pulumi CLI"

# ------------------------------------------------------------ version choice
norm() { local v=${1#v}; echo "v$v"; }
served_versions() { # stable versions of the CLI module on the proxy, oldest first
  (cd / && "$GO" list -m -versions "$CLI_MODULE") | tr ' ' '\n' |
    grep -E '^v[0-9]+\.[0-9]+\.[0-9]+$' || true
}

pulumi_ok() { # $1 = bin dir, $2 = version (vX.Y.Z)
  [[ -x $1/pulumi ]] || return 1
  local out
  out=$("$1/pulumi" version 2>/dev/null | tr -d '[:space:]') || return 1
  [[ $out == "$2" ]]
}
langhost_ok() { [[ -x $1/pulumi-language-nodejs && -s $1/pulumi-language-nodejs ]]; }
cache_ok() { pulumi_ok "$1" "$2" && langhost_ok "$1"; }

if [[ -n ${PULUMI_CLI_VERSION:-} ]]; then
  WANT=$(norm "$PULUMI_CLI_VERSION"); WANT_SRC="PULUMI_CLI_VERSION"
else
  SDK_PKG=${PULUMI_SDK_PACKAGE_JSON:-$REPO_ROOT/node_modules/@pulumi/pulumi/package.json}
  [[ -f $SDK_PKG ]] || die "$SDK_PKG not found; run 'npm ci' first or set PULUMI_CLI_VERSION"
  SDK_VER=$(node -p 'require(process.argv[1]).version' "$SDK_PKG" 2>/dev/null ||
    sed -nE 's/^[[:space:]]*"version"[[:space:]]*:[[:space:]]*"([^"]+)".*/\1/p' "$SDK_PKG" | head -1)
  [[ -n $SDK_VER ]] || die "cannot read the version from $SDK_PKG"
  WANT=$(norm "$SDK_VER"); WANT_SRC="@pulumi/pulumi SDK"
fi

# Fast path: a complete cache for the wanted version needs no network at all.
if cache_ok "$CACHE_ROOT/$WANT/bin" "$WANT"; then
  log "cached Pulumi CLI $WANT ($WANT_SRC)"
  echo "$CACHE_ROOT/$WANT/bin"
  exit 0
fi

log "querying the Go module proxy for $CLI_MODULE versions..."
SERVED=$(served_versions)
[[ -n $SERVED ]] || die "could not list versions of $CLI_MODULE (is the Go module proxy reachable? GOPROXY=$("$GO" env GOPROXY))"
if grep -qxF -- "$WANT" <<<"$SERVED"; then
  VERSION=$WANT
elif [[ $WANT_SRC == PULUMI_CLI_VERSION ]]; then
  die "PULUMI_CLI_VERSION=$PULUMI_CLI_VERSION is not served by the Go proxy; served: $(tail -5 <<<"$SERVED" | tr '\n' ' ')"
else
  VERSION=$(tail -1 <<<"$SERVED")
  log "SDK version $WANT is not served by the Go proxy; using the newest served version $VERSION"
fi
log "Pulumi CLI version: $VERSION"

BIN_DIR=$CACHE_ROOT/$VERSION/bin
lock_version_dir "$CACHE_ROOT/$VERSION"

if cache_ok "$BIN_DIR" "$VERSION"; then
  log "cached: $BIN_DIR"
  echo "$BIN_DIR"
  exit 0
fi

make_build_dir "$CACHE_ROOT/$VERSION"

# Prints "old[@v]=new@v" for each replace in a go.mod that targets a module
# version (not a local path), so the wrapper module can repeat it.
module_replaces() {
  awk '
    function emit(s,   n, a, i, arrow, lhs, rhs) {
      sub(/\/\/.*/, "", s); n = split(s, a, /[ \t]+/)
      arrow = 0; lhs = ""; rhs = ""
      for (i = 1; i <= n; i++) if (a[i] == "=>") arrow = i
      if (!arrow || n - arrow != 2) return          # local path replace: skip
      for (i = 1; i < arrow; i++) if (a[i] != "") lhs = lhs (lhs == "" ? "" : "@") a[i]
      print lhs "=" a[arrow + 1] "@" a[arrow + 2]
    }
    /^replace[ \t]*\(/ { blk = 1; next }
    blk && /^[ \t]*\)/ { blk = 0; next }
    blk { emit($0); next }
    /^replace[ \t]/ { l = $0; sub(/^replace[ \t]+/, "", l); emit(l) }
  ' "$1"
}

# build_in_wrapper <name> <go package> <output> <ldflags> <module@version>...
# The first module@version's go.mod supplies the go directive and replaces.
build_in_wrapper() {
  local name=$1 pkg=$2 out=$3 ldflags=$4; shift 4
  local dir=$TMP/$name-mod gomod godir r
  mkdir -p "$dir"
  gomod=$(cd / && "$GO" mod download -json "$1" | sed -nE 's/^[[:space:]]*"GoMod": "(.*)",?$/\1/p')
  [[ -f $gomod ]] || die "could not download $1 from the Go proxy"
  godir=$(sed -nE 's/^go[[:space:]]+([0-9.]+).*/\1/p' "$gomod" | head -1)
  (
    cd "$dir"
    "$GO" mod init "pulumi-fansly-build/$name" >/dev/null 2>&1
    if [[ -n $godir ]]; then "$GO" mod edit -go="$godir"; fi
    for m in "$@"; do "$GO" mod edit -require="$m"; done
    while IFS= read -r r; do
      [[ -n $r ]] || continue
      log "  replace ${r%%=*} => ${r#*=}"
      "$GO" mod edit -replace="$r"
    done < <(module_replaces "$gomod")
    printf '//go:build tools\n\npackage tools\n\nimport _ "%s"\n' "$pkg" >tools.go
    log "  resolving dependencies (go mod tidy)..."
    "$GO" mod tidy >&2
    log "  go build $pkg"
    "$GO" build -o "$out" -ldflags "$ldflags" "$pkg" >&2
  )
}

if ! pulumi_ok "$BIN_DIR" "$VERSION"; then
  log "building pulumi $VERSION (cold: ~3 min on 2 cores, warm Go cache: seconds)..."
  start=$SECONDS
  build_in_wrapper cli "$CLI_PACKAGE" "$TMP/pulumi" \
    "-X $VERSION_VAR=$VERSION" "$CLI_MODULE@$VERSION" "$SDK_MODULE@$VERSION"
  pulumi_ok "$TMP" "$VERSION" || die "built pulumi does not report version $VERSION: $("$TMP/pulumi" version 2>&1 || true)"
  mv -f "$TMP/pulumi" "$BIN_DIR/pulumi"
  log "pulumi built in $((SECONDS - start)) s"
fi

if ! langhost_ok "$BIN_DIR"; then
  log "building pulumi-language-nodejs (sdk/v3 $LANGHOST_SDK_VERSION)..."
  start=$SECONDS
  build_in_wrapper langhost "$LANGHOST_PACKAGE" "$TMP/pulumi-language-nodejs" \
    "-X $VERSION_VAR=$LANGHOST_SDK_VERSION" "$SDK_MODULE@$LANGHOST_SDK_VERSION"
  mv -f "$TMP/pulumi-language-nodejs" "$BIN_DIR/pulumi-language-nodejs"
  log "pulumi-language-nodejs built in $((SECONDS - start)) s"
fi

cache_ok "$BIN_DIR" "$VERSION" || die "cache check failed after build: $BIN_DIR"
log "ready: $BIN_DIR"
echo "$BIN_DIR"
