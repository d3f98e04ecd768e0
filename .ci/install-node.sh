#!/usr/bin/env bash
# Usage: .ci/install-node.sh <major>
#
# Installs the latest Node.js <major>.x from the npm registry package
# node-linux-<arch>@<major> into .ci/cache/node-<major>/ (ignored by git) and
# prints that install's bin directory on stdout. Progress goes to stderr.
#
# An existing install is reused when its bin/node runs and reports the right
# major. Set CI_NODE_REFRESH=1 to throw it away and fetch the latest again.
#
# The package is fetched with `npm pack` and unpacked with tar: no install
# scripts are involved, so npm's install-script policy does not matter.
set -euo pipefail

major="${1:-}"
if [[ ! "$major" =~ ^[0-9]+$ ]]; then
  echo "usage: $0 <node-major-version>" >&2
  exit 2
fi

case "$(uname -m)" in
  x86_64 | amd64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *)
    echo "install-node: unsupported CPU architecture $(uname -m)" >&2
    exit 1
    ;;
esac
pkg="node-linux-${arch}"

ci_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache_dir="${ci_dir}/cache"
dest="${cache_dir}/node-${major}"

# Prints the version of <dir>/bin/node if it runs and is of the wanted major.
installed_version() {
  local v
  [[ -x "$1/bin/node" ]] || return 1
  v="$("$1/bin/node" --version 2>/dev/null)" || return 1
  [[ "$v" == "v${major}."* ]] || return 1
  printf '%s\n' "$v"
}

if [[ "${CI_NODE_REFRESH:-0}" == 1 ]]; then
  rm -rf "$dest"
fi

if version="$(installed_version "$dest")"; then
  echo "install-node: reusing ${version} from ${dest}" >&2
  printf '%s\n' "${dest}/bin"
  exit 0
fi

mkdir -p "$cache_dir"
tmp="$(mktemp -d "${cache_dir}/.node-${major}.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

echo "install-node: fetching ${pkg}@${major} from the npm registry" >&2
# npm pack resolves the range to the highest published version and checks the
# tarball's integrity against the registry metadata.
(cd "$tmp" && npm pack "${pkg}@${major}" --pack-destination "$tmp" --loglevel=error >/dev/null)

shopt -s nullglob
tarballs=("$tmp"/"${pkg}"-*.tgz)
shopt -u nullglob
if [[ ${#tarballs[@]} -ne 1 ]]; then
  echo "install-node: expected one ${pkg} tarball, found ${#tarballs[@]}" >&2
  exit 1
fi

# Only the binary is needed (the headers and docs are ~60 MB more).
mkdir -p "$tmp/node/bin"
tar -xzf "${tarballs[0]}" -C "$tmp/node/bin" --strip-components=2 package/bin/node

if ! version="$(installed_version "$tmp/node")"; then
  echo "install-node: the fetched ${pkg} binary does not run as Node ${major}:" >&2
  "$tmp/node/bin/node" --version >&2 || true
  exit 1
fi

# Move into place only once verified, so an interrupted run never leaves a
# half-written install behind for the next run to reuse.
rm -rf "$dest"
mv "$tmp/node" "$dest"
echo "install-node: installed ${version} into ${dest}" >&2
printf '%s\n' "${dest}/bin"
