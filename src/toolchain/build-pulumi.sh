#!/usr/bin/env bash
# Makes a complete Pulumi CLI for Node.js programs from the Go module proxy:
# `pulumi`, the Node.js language host (`pulumi-language-nodejs`) and the
# dynamic-provider plugin (`pulumi-resource-pulumi-nodejs`), the three files an
# installed CLI brings for a TypeScript stack. Caches them per version outside
# the repository and prints the absolute path of the folder holding them as the
# LAST line of stdout. All progress goes to stderr, each line with the time
# since start; a silent `go build` gets a line every 30 s.
#
#   BIN=$(bash src/toolchain/build-pulumi.sh | tail -1)        # in this repository
#   BIN=$(bash node_modules/pulumi-fansly/dist/toolchain/build-pulumi.sh | tail -1)
#
#   --cached     no Go, no network: print a complete cached CLI (the wanted
#                version, else the newest complete one) and exit 0, or print
#                where the wanted version would go and exit 4.
#   --check-go   print the Go toolchain a build would use, or exit 3 saying
#                what to install.
#   --with-yaml  also put Pulumi YAML's language host (pulumi-language-yaml,
#                PULUMI_YAML_VERSION, default v1.25.0) beside `pulumi`, as an
#                installed CLI has it: what a Pulumi YAML program needs.
#                With --cached: exit 4 when it is not cached.
#   --with-policy
#                also make a CLI folder that runs Node.js policy packs
#                (`pulumi preview --policy-pack <dir>`) and print it instead:
#                <version>/policy-bin, the files of bin/ (pulumi linked) with a
#                language host built from pulumi/pulumi's git tag. Why: CLI
#                3.222+ starts a Node.js pack through the language host's
#                RunPlugin (kind analyzer: @pulumi/pulumi/cmd/run-policy-pack),
#                no longer through a `pulumi-analyzer-policy` script (removed in
#                pulumi#21684), and the sdk/v3 v3.68.0 host that bin/ holds
#                answers RunPlugin "not supported". The newer host is a module
#                of its own that the Go proxy does not serve, so it is built
#                from git: PULUMI_GIT_DIR, else a shallow clone of
#                PULUMI_GIT_URL. With --cached: exit 4 when it is not cached.
#
# Exit status: 0 ready, 1 the build failed, 3 no usable Go, 4 (--cached) none cached.
#
# Environment:
#   PULUMI_CLI_VERSION        CLI version to build (e.g. 3.248.0 or v3.248.0).
#                             Default: the installed @pulumi/pulumi SDK version
#                             if the Go proxy serves it, else the newest served.
#   PULUMI_SDK_PACKAGE_JSON   the SDK package.json whose version to match and
#                             whose plugin script to take (default: the
#                             @pulumi/pulumi Node resolves from the current
#                             folder, else from this script's folder)
#   PULUMI_FANSLY_CLI_CACHE   cache root (default ~/.cache/pulumi-fansly/pulumi-cli)
#   PULUMI_FANSLY_GO          the Go binary (default: go on PATH, else /usr/local/go/bin/go)
#
#   PULUMI_YAML_VERSION       with --with-yaml: the pulumi-yaml release (default v1.25.0)
#   PULUMI_GIT_DIR            with --with-policy: a clone (or bare mirror) of pulumi/pulumi
#                             holding the release tags; default: a shallow, blob-less clone
#                             of PULUMI_GIT_URL (default https://github.com/pulumi/pulumi.git)
#                             of the one tag needed. Its newest tag not newer than the CLI
#                             is used (a language host older than the CLI is supported).
#
# Cache layout: <cache root>/v<version>/bin/{pulumi,pulumi-language-nodejs,pulumi-resource-pulumi-nodejs}
# (+ pulumi-language-yaml and .pulumi-language-yaml.version with --with-yaml;
# + <cache root>/v<version>/policy-bin/ with --with-policy).
# Remove it with `rm -rf ~/.cache/pulumi-fansly/pulumi-cli`; Go keeps its own
# download and build caches (`go clean -modcache -cache` empties them).
set -euo pipefail

CLI_MODULE=github.com/pulumi/pulumi/pkg/v3
CLI_PACKAGE=github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
SDK_MODULE=github.com/pulumi/pulumi/sdk/v3
VERSION_VAR=github.com/pulumi/pulumi/sdk/v3/go/common/version.Version
# The language host left sdk/v3 for its own (unpublished) module after v3.68.0.
LANGHOST_SDK_VERSION=v3.68.0
LANGHOST_PACKAGE=github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs
# The dynamic-provider plugin is a shell script the @pulumi/pulumi npm package
# ships at its root; Pulumi's release copies that same file beside `pulumi`.
PLUGIN=pulumi-resource-pulumi-nodejs
MIN_GO=1.25 # go directive of pkg/v3 (v3.248.0: go 1.25.11)
NONE_CACHED_EXIT=4

elapsed() { printf '%d:%02d' $((SECONDS / 60)) $((SECONDS % 60)); }
log() { printf '[build-pulumi %s] %s\n' "$(elapsed)" "$*" >&2; }
die() { printf '[build-pulumi %s] ERROR: %s\n' "$(elapsed)" "$*" >&2; exit 1; }
# shellcheck source=go-build-lib.sh
source "$(dirname -- "${BASH_SOURCE[0]}")/go-build-lib.sh"

SCRIPT_DIR=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
CACHE_ROOT=${PULUMI_FANSLY_CLI_CACHE:-$HOME/.cache/pulumi-fansly/pulumi-cli}
export PULUMI_SKIP_UPDATE_CHECK=true

# Pulumi YAML's language host: its own module, built with `go install` (the CLI
# finds it beside `pulumi`, where an installed CLI keeps it; on PATH it warns).
YAML_VERSION=$(v=${PULUMI_YAML_VERSION:-v1.25.0}; echo "v${v#v}")
YAML_PACKAGE=github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml
YAML_HOST=pulumi-language-yaml

# The Node.js language host that runs policy packs (see --with-policy): its
# package inside pulumi/pulumi, and the folder of the CLI that uses it.
POLICY_HOST_DIR=sdk/nodejs/cmd/pulumi-language-nodejs
POLICY_BIN=policy-bin
PULUMI_GIT_URL=${PULUMI_GIT_URL:-https://github.com/pulumi/pulumi.git}

MODE=build
WITH_YAML=false
WITH_POLICY=false
for arg in "$@"; do
  case $arg in
    --cached) MODE=cached ;;
    --check-go) MODE=check-go ;;
    --with-yaml) WITH_YAML=true ;;
    --with-policy) WITH_POLICY=true ;;
    *) die "unknown argument '$arg' (known: --cached, --check-go, --with-yaml, --with-policy)" ;;
  esac
done

if [[ $MODE == check-go ]]; then
  require_go "$MIN_GO" "the Pulumi CLI"
  echo "$GO_VERSION at $GO"
  exit 0
fi

# ------------------------------------------------------------- the SDK
# The program's @pulumi/pulumi: its version is the CLI version to match, and it
# holds the plugin script. Node resolves it as the program will.
sdk_package_json() {
  if [[ -n ${PULUMI_SDK_PACKAGE_JSON:-} ]]; then echo "$PULUMI_SDK_PACKAGE_JSON"; return; fi
  node -e 'console.log(require.resolve("@pulumi/pulumi/package.json", { paths: process.argv.slice(1) }))' \
    "$PWD" "$SCRIPT_DIR" 2>/dev/null || true
}
SDK_PKG=$(sdk_package_json)
[[ -n $SDK_PKG && -f $SDK_PKG ]] ||
  die "@pulumi/pulumi not found from $PWD or $SCRIPT_DIR: run 'npm install' first (or set PULUMI_SDK_PACKAGE_JSON)"
SDK_DIR=$(dirname -- "$SDK_PKG")
[[ -f $SDK_DIR/$PLUGIN ]] || die "$SDK_DIR has no $PLUGIN script (every @pulumi/pulumi 3.x ships one): reinstall it with npm"

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
plugin_ok() { [[ -x $1/$PLUGIN && -s $1/$PLUGIN ]]; }
cache_ok() { pulumi_ok "$1" "$2" && langhost_ok "$1" && plugin_ok "$1"; }

# complete_plugin <bin dir>: a CLI built before the plugin was part of it only
# lacks this copy; no Go, no network.
complete_plugin() {
  plugin_ok "$1" && return 0
  cp -- "$SDK_DIR/$PLUGIN" "$1/.$PLUGIN.tmp"
  chmod 0755 "$1/.$PLUGIN.tmp"
  mv -f -- "$1/.$PLUGIN.tmp" "$1/$PLUGIN"
  log "added $PLUGIN from $SDK_DIR"
}

# complete_cached <version>: is the cached build of this version complete
# (after adding the plugin if only that was missing)?
complete_cached() {
  local bin=$CACHE_ROOT/$1/bin
  pulumi_ok "$bin" "$1" && langhost_ok "$bin" || return 1
  complete_plugin "$bin"
}

newest_complete() { # newest vX.Y.Z folder of the cache holding a complete CLI
  local dir best=""
  [[ -d $CACHE_ROOT ]] || return 1
  while IFS= read -r dir; do
    complete_cached "${dir##*/}" 2>/dev/null && best=${dir##*/}
  done < <(find "$CACHE_ROOT" -mindepth 1 -maxdepth 1 -type d -name 'v[0-9]*' | sort -V)
  [[ -n $best ]] && echo "$best"
}

yaml_ok() { [[ -x $1/$YAML_HOST && -s $1/$YAML_HOST && $(cat "$1/.$YAML_HOST.version" 2>/dev/null) == "$YAML_VERSION" ]]; }

# start_addition <folder to print> <bin dir> <what> <check...>: before building
# something a complete CLI in <bin dir> lacks (<check> fails): with --cached,
# print the folder and exit 4; else hold the version folder's lock and, when
# <check> still fails (no other builder made it meanwhile), make the build dir
# and return 0; return 1 when there is nothing left to build.
start_addition() {
  local print=$1 bin=$2 what=$3; shift 3
  if [[ $MODE == cached ]]; then
    log "no $what cached for $print"
    echo "$print"
    exit "$NONE_CACHED_EXIT"
  fi
  require_go "$MIN_GO" "$what"
  lock_version_dir "$(dirname -- "$bin")"
  if "$@"; then return 1; fi
  [[ -n ${TMP:-} ]] || make_build_dir "$(dirname -- "$bin")"
}

# policy_ok <policy bin dir>: the policy CLI folder is complete when its
# language host is there with the version it was built for.
policy_ok() {
  [[ -x $1/pulumi && -x $1/$PLUGIN && -x $1/pulumi-language-nodejs && -s $1/.pulumi-language-nodejs.version ]]
}

# policy_tag <git dir> <version>: the newest release tag vX.Y.Z of the git
# dir not newer than <version>.
policy_tag() {
  git -C "$1" tag -l 'v[0-9]*.[0-9]*.[0-9]*' | grep -E '^v[0-9]+\.[0-9]+\.[0-9]+$' |
    { cat; echo "$2"; } | sort -V | awk -v want="$2" '$0 == want { print prev_or_self; exit } { prev_or_self = $0 }' |
    { read -r tag || true; [[ -n ${tag:-} ]] && echo "$tag"; }
}

# policy_host_source <dest> <version>: the language host's Go files at the
# tag, from PULUMI_GIT_DIR or a shallow clone; prints the tag used.
policy_host_source() {
  local dest=$1 version=$2 git_dir=${PULUMI_GIT_DIR:-} tag
  if [[ -z $git_dir ]]; then
    git_dir=$TMP/pulumi.git
    log "  cloning $PULUMI_GIT_URL at $version (shallow, no blobs but those read)..."
    git clone --quiet --bare --depth 1 --filter=blob:none --branch "$version" "$PULUMI_GIT_URL" "$git_dir" >&2 ||
      die "could not clone $PULUMI_GIT_URL at $version: set PULUMI_GIT_DIR to a clone of pulumi/pulumi holding the tag"
    # The clone is of that one tag: name its HEAD so, whether or not git wrote the tag's ref, the lookup below finds it.
    git -C "$git_dir" rev-parse -q --verify "refs/tags/$version" >/dev/null || git -C "$git_dir" tag "$version" HEAD
  fi
  tag=$(git -C "$git_dir" rev-parse -q --verify "refs/tags/$version" >/dev/null && echo "$version" || policy_tag "$git_dir" "$version") ||
    die "$git_dir has no release tag up to $version: fetch the tags of pulumi/pulumi (git fetch --tags)"
  [[ -n $tag ]] || die "$git_dir has no release tag up to $version: fetch the tags of pulumi/pulumi (git fetch --tags)"
  mkdir -p "$dest"
  git -C "$git_dir" archive "$tag" -- "$POLICY_HOST_DIR/go.mod" "$POLICY_HOST_DIR/go.sum" ":(glob)$POLICY_HOST_DIR/*.go" |
    tar -x -C "$dest" --strip-components=4 || die "could not read $POLICY_HOST_DIR at $tag from $git_dir"
  rm -f -- "$dest"/*_test.go
  echo "$tag"
}

# complete_policy_bin <bin dir>: adds <version>/policy-bin beside <bin dir>
# when missing or incomplete (--cached: exit 4 instead); prints its path.
complete_policy_bin() {
  local bin=$1 pbin start tag src name
  pbin=$(dirname -- "$bin")/$POLICY_BIN
  if policy_ok "$pbin"; then echo "$pbin"; return 0; fi
  if start_addition "$pbin" "$bin" "pulumi-language-nodejs for policy packs" policy_ok "$pbin"; then
    start=$SECONDS
    src=$TMP/policy-host
    tag=$(policy_host_source "$src" "$(basename -- "$(dirname -- "$bin")")")
    log "--with-policy: the Node.js language host at $tag (RunPlugin for policy packs), with pkg/v3 and sdk/v3 $tag from the Go proxy"
    (
      cd "$src"
      "$GO" mod edit -dropreplace=github.com/pulumi/pulumi/pkg/v3 -dropreplace=github.com/pulumi/pulumi/sdk/v3 \
        -require="github.com/pulumi/pulumi/pkg/v3@$tag" -require="github.com/pulumi/pulumi/sdk/v3@$tag"
      with_heartbeat "downloading modules" "$GO" mod tidy >&2
      with_heartbeat "compiling pulumi-language-nodejs $tag" "$GO" build -o "$TMP/policy-langhost" -ldflags "-X $VERSION_VAR=$tag" . >&2
    ) || die "could not build the language host at $tag (is the Go module proxy reachable? GOPROXY=$("$GO" env GOPROXY))"
    rm -rf -- "$TMP/$POLICY_BIN" && mkdir -p "$TMP/$POLICY_BIN"
    for name in pulumi "$PLUGIN" "$YAML_HOST" ".$YAML_HOST.version"; do
      [[ -e $bin/$name ]] || continue
      # A hard link: the CLI finds its plugins beside its own path, and costs no second 160 MB.
      ln -- "$bin/$name" "$TMP/$POLICY_BIN/$name" 2>/dev/null || cp -p -- "$bin/$name" "$TMP/$POLICY_BIN/$name"
    done
    mv -- "$TMP/policy-langhost" "$TMP/$POLICY_BIN/pulumi-language-nodejs"
    echo "$tag" >"$TMP/$POLICY_BIN/.pulumi-language-nodejs.version"
    rm -rf -- "$pbin" && mv -- "$TMP/$POLICY_BIN" "$pbin"
    log "policy-capable CLI in $pbin ($((SECONDS - start)) s)"
  fi
  echo "$pbin"
}

# finish <bin dir>: with --with-yaml, adds the YAML language host when missing
# (--cached: exit 4 instead); with --with-policy, the policy-capable CLI
# folder (printed instead of <bin dir>); then prints the folder and exits 0.
finish() {
  local bin=$1 start
  if [[ $WITH_YAML == true ]] && ! yaml_ok "$bin"; then
    if start_addition "$bin" "$bin" "Pulumi YAML's language host $YAML_HOST $YAML_VERSION" yaml_ok "$bin"; then
      log "--with-yaml: Pulumi YAML's language host $YAML_HOST $YAML_VERSION, from $YAML_PACKAGE (~1 min cold)"
      start=$SECONDS
      (cd / && GOBIN=$TMP with_heartbeat "compiling $YAML_HOST" "$GO" install "$YAML_PACKAGE@$YAML_VERSION" >&2) ||
        die "could not build $YAML_PACKAGE@$YAML_VERSION (is the Go module proxy reachable? GOPROXY=$("$GO" env GOPROXY))"
      mv -f -- "$TMP/$YAML_HOST" "$bin/$YAML_HOST"
      echo "$YAML_VERSION" >"$bin/.$YAML_HOST.version"
      log "$YAML_HOST built in $((SECONDS - start)) s"
    fi
  fi
  if [[ $WITH_POLICY == true ]]; then
    complete_policy_bin "$bin"
    exit 0
  fi
  echo "$bin"
  exit 0
}

if [[ -n ${PULUMI_CLI_VERSION:-} ]]; then
  WANT=$(norm "$PULUMI_CLI_VERSION"); WANT_SRC="PULUMI_CLI_VERSION"
else
  SDK_VER=$(node -p 'require(process.argv[1]).version' "$SDK_PKG" 2>/dev/null ||
    sed -nE 's/^[[:space:]]*"version"[[:space:]]*:[[:space:]]*"([^"]+)".*/\1/p' "$SDK_PKG" | head -1)
  [[ -n $SDK_VER ]] || die "cannot read the version from $SDK_PKG"
  WANT=$(norm "$SDK_VER"); WANT_SRC="@pulumi/pulumi $SDK_VER"
fi

# Fast path: a complete cache for the wanted version needs no Go and no network.
if complete_cached "$WANT"; then
  log "cached Pulumi CLI $WANT ($WANT_SRC)"
  finish "$CACHE_ROOT/$WANT/bin"
fi

if [[ $MODE == cached ]]; then
  if CACHED=$(newest_complete); then
    log "cached Pulumi CLI $CACHED (none of $WANT, the version of $WANT_SRC)"
    finish "$CACHE_ROOT/$CACHED/bin"
  fi
  log "no complete Pulumi CLI cached in $CACHE_ROOT"
  echo "$CACHE_ROOT/$WANT/bin"
  exit "$NONE_CACHED_EXIT"
fi

require_go "$MIN_GO" "the Pulumi CLI"
log "Go: $GO_VERSION at $GO"

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

if complete_cached "$VERSION"; then
  log "cached: $BIN_DIR"
  finish "$BIN_DIR"
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
    log "  resolving and downloading its modules (go mod tidy; the Go module cache keeps them for next time)..."
    with_heartbeat "downloading modules" "$GO" mod tidy >&2
    log "  compiling $pkg (go build; the Go build cache makes a second build take seconds)..."
    with_heartbeat "compiling $name" "$GO" build -o "$out" -ldflags "$ldflags" "$pkg" >&2
  )
}

if ! pulumi_ok "$BIN_DIR" "$VERSION"; then
  log "stage 1/3: the pulumi CLI $VERSION, from $CLI_MODULE (Go's caches empty: ~4 min on 2 idle cores, ~10 min on busy ones; warm: under a minute)"
  start=$SECONDS
  build_in_wrapper cli "$CLI_PACKAGE" "$TMP/pulumi" \
    "-X $VERSION_VAR=$VERSION" "$CLI_MODULE@$VERSION" "$SDK_MODULE@$VERSION"
  pulumi_ok "$TMP" "$VERSION" || die "built pulumi does not report version $VERSION: $("$TMP/pulumi" version 2>&1 || true)"
  mv -f "$TMP/pulumi" "$BIN_DIR/pulumi"
  log "pulumi built in $((SECONDS - start)) s"
fi

if ! langhost_ok "$BIN_DIR"; then
  log "stage 2/3: the Node.js language host pulumi-language-nodejs, from sdk/v3 $LANGHOST_SDK_VERSION (the last release that held it as a plain Go package; ~1 min cold)"
  start=$SECONDS
  build_in_wrapper langhost "$LANGHOST_PACKAGE" "$TMP/pulumi-language-nodejs" \
    "-X $VERSION_VAR=$LANGHOST_SDK_VERSION" "$SDK_MODULE@$LANGHOST_SDK_VERSION"
  mv -f "$TMP/pulumi-language-nodejs" "$BIN_DIR/pulumi-language-nodejs"
  log "pulumi-language-nodejs built in $((SECONDS - start)) s"
fi

log "stage 3/3: the dynamic-provider plugin $PLUGIN, copied from $SDK_DIR"
complete_plugin "$BIN_DIR"

cache_ok "$BIN_DIR" "$VERSION" || die "cache check failed after build: $BIN_DIR"
log "ready: $BIN_DIR"
finish "$BIN_DIR"
