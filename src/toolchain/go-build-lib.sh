# Shared by the scripts that build Go tools from the Go module proxy into a
# per-version cache outside the repository (src/toolchain/build-pulumi.sh,
# test/gitops/build-actionlint.sh). Source it after defining log() and die().

# The exit status of a script that needs Go and finds none it can use, so a
# caller (the demo) can tell "install Go" apart from a failed build.
GO_UNUSABLE_EXIT=3

# find_go: prints the Go binary: $PULUMI_FANSLY_GO when set, else `go` on PATH,
# else /usr/local/go/bin/go (Go's default install folder, often not on PATH).
find_go() {
  if [[ -n ${PULUMI_FANSLY_GO:-} ]]; then
    [[ -x $PULUMI_FANSLY_GO ]] && echo "$PULUMI_FANSLY_GO"
  elif command -v go >/dev/null 2>&1; then command -v go
  elif [[ -x /usr/local/go/bin/go ]]; then echo /usr/local/go/bin/go
  else return 1
  fi
}

# go_ok <goX.Y[.Z]> <X.Y>: is the first version at least the second?
go_ok() {
  local v=${1#go} maj min wmaj wmin
  maj=${v%%.*}; min=${v#*.}; min=${min%%[!0-9]*}
  wmaj=${2%%.*}; wmin=${2#*.}
  [[ $maj =~ ^[0-9]+$ && $min =~ ^[0-9]+$ ]] || return 1
  (( maj > wmaj || (maj == wmaj && min >= wmin) ))
}

# require_go <min X.Y> <what is being built> [extra hint]: sets GO and
# GO_VERSION, or exits with GO_UNUSABLE_EXIT saying what to install. A missing
# toolchain is a failure, never a skip.
require_go() {
  local min=$1 what=$2 hint=${3:-} where
  if [[ -n ${PULUMI_FANSLY_GO:-} ]]; then where="PULUMI_FANSLY_GO=${PULUMI_FANSLY_GO}"
  else where="'go' on PATH and /usr/local/go/bin/go"
  fi
  if ! GO=$(find_go); then
    log "ERROR: no Go toolchain found (looked for ${where}).
  Building ${what} needs Go >= ${min}. Install it from https://go.dev/dl/
  (e.g. unpack into /usr/local/go) and re-run.${hint}"
    exit "$GO_UNUSABLE_EXIT"
  fi
  GO_VERSION=$("$GO" env GOVERSION 2>/dev/null || true)   # e.g. go1.26.8
  if ! go_ok "$GO_VERSION" "$min"; then
    log "ERROR: Go at $GO is '${GO_VERSION:-unknown}', but Go >= ${min} is needed.
  Install a newer Go from https://go.dev/dl/ and re-run."
    exit "$GO_UNUSABLE_EXIT"
  fi
}

# with_heartbeat <what> <command...>: runs the command in the foreground (so
# Ctrl-C reaches it) and logs a line every HEARTBEAT_SECONDS while it runs (a
# `go build` is silent for minutes); returns its status. The heartbeat stops
# with the command, or with this shell if it dies first.
HEARTBEAT_SECONDS=${HEARTBEAT_SECONDS:-30}
with_heartbeat() {
  local what=$1 owner=$BASHPID started=$SECONDS beat rc=0
  shift
  (
    ticks=0
    while sleep 1 && kill -0 "$owner" 2>/dev/null; do
      ticks=$((ticks + 1))
      if (( ticks % HEARTBEAT_SECONDS == 0 )); then log "  ... still ${what} ($((SECONDS - started)) s so far)"; fi
    done
  ) &
  beat=$!
  "$@" || rc=$?
  kill "$beat" 2>/dev/null || true
  wait "$beat" 2>/dev/null || true
  return "$rc"
}

# lock_version_dir <version dir>: one builder per version at a time (parallel
# test workers wait on the lock); holding it, any leftover build dir is from a
# SIGKILLed run and is removed.
lock_version_dir() {
  mkdir -p "$1/bin"
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$1/.lock"
    flock 9
    rm -rf -- "$1"/.build.*
  fi
}

# make_build_dir <version dir>: sets TMP to a fresh build dir on the cache's
# filesystem (so the final `mv` is an atomic rename), removed on exit.
make_build_dir() {
  TMP=$(mktemp -d "$1/.build.XXXXXX")
  trap 'rm -rf -- "$TMP"' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}
