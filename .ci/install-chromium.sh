#!/usr/bin/env bash
# Usage: .ci/install-chromium.sh
#
# Makes sure a headless-capable Chromium is installed, for the HTML report's browser tests
# (test/report/htmlChromium.test.ts), and prints its path on stdout. Progress goes to stderr.
#
# Uses Debian's `chromium` package (apt-get update first, as the package lists of a fresh machine are empty);
# no npm package downloads a browser. An installed one (chromium or chromium-browser on PATH) is left as it is.
set -euo pipefail

for name in chromium chromium-browser; do
  if found="$(command -v "$name")"; then
    echo "chromium: already installed at ${found} ($("$found" --version 2>/dev/null || echo 'version unknown'))" >&2
    echo "$found"
    exit 0
  fi
done

if ! command -v apt-get >/dev/null; then
  echo "install-chromium: no chromium on PATH and no apt-get to install it: install Chromium by hand, or set PULUMI_FANSLY_CHROMIUM to its path" >&2
  exit 1
fi

# apt-get needs root: use sudo where the CI user is not root.
as_root=()
if [[ "$(id -u)" -ne 0 ]]; then
  if ! command -v sudo >/dev/null; then
    echo "install-chromium: not root and no sudo: run \`apt-get install -y chromium\` as root" >&2
    exit 1
  fi
  as_root=(sudo)
fi

echo "chromium: installing Debian's chromium package…" >&2
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update >&2
"${as_root[@]}" apt-get install -y chromium >&2

found="$(command -v chromium)"
echo "chromium: installed at ${found} ($("$found" --version 2>/dev/null || echo 'version unknown'))" >&2
echo "$found"
