# Shared by the scripts that build Go tools from the Go module proxy into a
# per-version cache outside the repository (test/e2e/build-pulumi.sh,
# test/gitops/build-actionlint.sh). Source it after defining log() and die().

# find_go: prints the Go binary (PATH first, then /usr/local/go/bin/go).
find_go() {
  if command -v go >/dev/null 2>&1; then command -v go
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

# require_go <min X.Y> <what is being built> [extra hint]: sets GO, or dies
# with what to install. A missing toolchain is a failure, never a skip.
require_go() {
  local min=$1 what=$2 hint=${3:-} version
  GO=$(find_go) || die "no Go toolchain found (looked for 'go' on PATH and /usr/local/go/bin/go).
  Building ${what} needs Go >= ${min}. Install it from https://go.dev/dl/
  (e.g. unpack into /usr/local/go) and re-run.${hint}"
  version=$("$GO" env GOVERSION 2>/dev/null || true)   # e.g. go1.26.8
  go_ok "$version" "$min" || die "Go at $GO is '${version:-unknown}', but Go >= ${min} is needed.
  Install a newer Go from https://go.dev/dl/ and re-run."
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
