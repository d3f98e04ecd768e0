#!/usr/bin/env bash
# Makes the GitHub Actions the workflow pins runnable offline by act (test/gitops/github.pipeline.ts) and prints,
# as the LAST line of stdout, the folder holding one runnable copy per action (named as in the vendor folder,
# e.g. checkout@v4.2.2). Progress goes to stderr.
#
#   ACTIONS=$(bash test/gitops/build-actions.sh | tail -1)
#
# The actions come from the vendor folder (each the action's repository at the commit the workflow pins, with its
# licence; default ../shared/vendor/github-actions beside this repository, or PULUMI_FANSLY_ACTIONS_VENDOR). Most
# ship their built dist/; pulumi/actions, upload-artifact and download-artifact do not, so they are built here from their sources with
# their own build commands (@vercel/ncc; dependencies from the npm registry), into a cache outside the repository
# (~/.cache/pulumi-fansly/github-actions, or PULUMI_FANSLY_RUNNER_CACHE/github-actions) reused by later runs.
set -euo pipefail

log() { printf '[build-actions] %s\n' "$*" >&2; }
die() { printf '[build-actions] ERROR: %s\n' "$*" >&2; exit 1; }

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
vendor=${PULUMI_FANSLY_ACTIONS_VENDOR:-$repo/../shared/vendor/github-actions}
cache="${PULUMI_FANSLY_RUNNER_CACHE:-$HOME/.cache/pulumi-fansly}/github-actions"
need_vendor() {
  [[ -d $vendor/$1 ]] || die "no vendored $1 in $vendor: set PULUMI_FANSLY_ACTIONS_VENDOR to the folder holding checkout@v4.2.2 etc."
}

# build <folder> <marker file> <build commands…>: copies the vendored source, installs its dependencies, builds.
build() {
  local name=$1 marker=$2 tmp
  shift 2
  if [[ -s $cache/$name/$marker ]]; then
    log "cached $name"
    return 0
  fi
  need_vendor "$name"
  log "building $name from its sources (npm install, ncc)"
  mkdir -p "$cache"
  tmp=$(mktemp -d "$cache/.$name.XXXXXX")
  cp -R "$vendor/$name/." "$tmp/"
  # Their install scripts (husky) only set up git hooks for their developers.
  (cd "$tmp" && npm install --ignore-scripts --no-audit --no-fund --loglevel=error >&2 && "$@" >&2)
  [[ -s $tmp/$marker ]] || die "$name: the build wrote no $marker"
  # The build bundles every dependency into dist/; act copies the whole folder into each job, so they go.
  rm -rf "$tmp/node_modules"
  # Moved into place only once built, so an interrupted build is never reused.
  rm -rf "${cache:?}/$name" && mv "$tmp" "$cache/$name"
}

# pulumi/actions: package.json's build and postbuild (ncc cannot bundle typescript, which the action never loads).
build pulumi-actions@v7.0.0 dist/index.js \
  bash -c 'npx --no -- ncc build src/main.ts -e typescript -o dist --source-map && node scripts/replace-ts.js'
# upload-artifact: package.json's release script.
build upload-artifact@v4.6.2 dist/upload/index.js \
  bash -c 'npx --no -- ncc build src/upload/index.ts -o dist/upload && npx --no -- ncc build src/merge/index.ts -o dist/merge'
# download-artifact (only the fleet mode's summary jobs use it): its release script. Its repository commits dist/, but
# the vendor folder may hold the sources alone. Without it the single-stack workflow still runs; the fleet test fails.
if [[ -d $vendor/download-artifact@v4.3.0 || -s $cache/download-artifact@v4.3.0/dist/index.js ]]; then
  build download-artifact@v4.3.0 dist/index.js \
    bash -c 'npx --no -- ncc build src/download-artifact.ts -o dist'
else
  log "WARNING: no vendored download-artifact@v4.3.0 (actions/download-artifact d3f86a106a0bac45b974a628896c90dbdf5c8093) in $vendor: the fleet mode's summary jobs cannot run"
fi

# The others run as vendored: copied beside the built ones, so one folder holds every action (act reads a
# --local-repository folder itself, not through a symbolic link).
for name in checkout@v4.2.2 setup-node@v4.1.0 github-script@v7.0.1 cache@v4.2.3; do
  [[ -e $cache/$name ]] && continue
  need_vendor "$name"
  cp -R "$vendor/$name" "$cache/$name"
done
echo "$cache"
