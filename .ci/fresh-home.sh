#!/usr/bin/env bash
# A newcomer's paths, from a fresh machine: a copy of the repository as a clone holds it (tracked and unignored
# files: no node_modules, no dist, no .pulumi-demo), HOME an empty folder (no ~/.cache, no ~/.pulumi, no
# ~/.npmrc), and no `pulumi` on PATH. Kept from the real machine, to save time only: Go's module and build caches,
# npm's download cache, and the Go and npm settings that point at their package sources.
#
# Then, as the READMEs say:
#   1. `npm install && npm run demo` (the README's first command): exit 0, the links made, then 0 left;
#   2. `npm run demo` again: the cached CLI, nothing built;
#   3. `npm run demo -- --keep`, Ctrl-C, `npm run demo`: the second run starts over and creates the links anew;
#   4. each example's README walkthrough (the sh blocks between <!-- walkthrough --> and <!-- /walkthrough -->), in
#      its folder, with only the CLI the demo made on PATH and every `npx` pointed at a registry that does not
#      answer, so an npx that tried to download would fail.
#   5. `npm run demo` with no CLI, no Go and no installer: one screen naming both ways out, exit non-zero.
# No output may hold Pulumi's "using … from $PATH" warning (a plugin taken from PATH, not the CLI's own).
#
#   bash .ci/fresh-home.sh            # prints one summary line per step last; exits non-zero if any failed
#   FRESH_HOME_EXAMPLES="agency-fleet" bash .ci/fresh-home.sh   # step 4 for these examples only (space-separated);
#                                     # steps 1-3 and 5 still run (step 1 makes the CLI the examples use)
set -uo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/pulumi-fansly-fresh-home.XXXXXX")"
logs="${repo}/.ci/cache/results/fresh-home"
rm -rf "$logs" && mkdir -p "$logs"
read -r -a EXAMPLES <<<"${FRESH_HOME_EXAMPLES:-quickstart from-file multi-account import-existing yaml agency-fleet}"
AMBIENT_PLUGIN_WARNING='from $PATH'
STEP_TIMEOUT=${FRESH_HOME_STEP_TIMEOUT:-1200}   # seconds; a cold CLI build is ~4 min on 2 cores

cleanup() { rm -rf -- "$work"; }
trap cleanup EXIT

say() { printf '[fresh-home] %s\n' "$*"; }
summary=()
failed=0
record() { # record <step> <status text>
  summary+=("fresh-home $1: $2")
  [[ $2 == passed* ]] || failed=1
}

# ------------------------------------------------------------------ the machine
if command -v go >/dev/null 2>&1 || [[ -x /usr/local/go/bin/go ]]; then
  go_bin="$(command -v go || echo /usr/local/go/bin/go)"
  for name in GOMODCACHE GOCACHE GOPROXY GOSUMDB GONOSUMDB GOPRIVATE GOFLAGS GOTOOLCHAIN; do
    export "${name}=$("$go_bin" env "$name")"
  done
fi
npm_config_cache="$(npm config get cache)"
npm_config_registry="$(npm config get registry)"
export npm_config_cache npm_config_registry

export HOME="${work}/home"
mkdir -p "$HOME"
unset PULUMI_HOME PULUMI_BACKEND_URL PULUMI_ACCESS_TOKEN PULUMI_CONFIG_PASSPHRASE PULUMI_FANSLY_CLI_CACHE \
  PULUMI_SKIP_UPDATE_CHECK PULUMI_FANSLY_SKIP_INSTALLER

# PATH without any folder that holds a `pulumi`.
clean_path=""
IFS=: read -r -a path_dirs <<<"$PATH"
for dir in "${path_dirs[@]}"; do
  [[ -n $dir && ! -e $dir/pulumi ]] && clean_path="${clean_path:+${clean_path}:}${dir}"
done
export PATH="$clean_path"
if command -v pulumi >/dev/null 2>&1; then
  say "a pulumi is still on PATH: $(command -v pulumi)" >&2
  exit 1
fi

say "repository copy: ${work}/repo, HOME=${HOME}, logs in ${logs}"
mkdir -p "${work}/repo"
(cd "$repo" && git ls-files -z --cached --others --exclude-standard | tar --null -T - --ignore-failed-read -cf -) |
  tar -C "${work}/repo" -xf -
cd "${work}/repo" || exit 1

# run_logged <log> <command...>: runs it with output to the screen and the log, bounded by STEP_TIMEOUT; sets
# `took` to the seconds it ran and returns its status.
run_logged() {
  local log="$1" start=$SECONDS rc=0
  shift
  timeout --kill-after=10 "$STEP_TIMEOUT" "$@" 2>&1 | tee "$log" || rc=$?
  took=$((SECONDS - start))
  return "$rc"
}

# check_log <log> <pattern that must be there>...: the ambient-plugin warning must not be.
check_log() {
  local log="$1" pattern
  shift
  if grep -qF -- "$AMBIENT_PLUGIN_WARNING" "$log"; then
    echo "Pulumi ran a plugin from PATH: $(grep -F -- "$AMBIENT_PLUGIN_WARNING" "$log" | head -1)"
    return 1
  fi
  for pattern in "$@"; do
    grep -qF -- "$pattern" "$log" || { echo "missing from the output: ${pattern}"; return 1; }
  done
}

# ------------------------------------------------------------------ 1. the README's first command
problem=""
say "1. npm install && npm run demo (no CLI anywhere: the demo finds or makes one)"
if run_logged "${logs}/demo-first.log" bash -c 'npm install && npm run demo' &&
  problem=$(check_log "${logs}/demo-first.log" '"create":4' "now holds 0 custom link"); then
  record "first demo" "passed in ${took} s ($(grep -oE 'Pulumi CLI (built|installed) in [^:]*' "${logs}/demo-first.log" || echo 'no CLI made'))"
else
  record "first demo" "FAILED after ${took} s: ${problem:-exit status non-zero} (${logs}/demo-first.log)"
fi

# ------------------------------------------------------------------ 2. again: the cached CLI
problem=""
say "2. npm run demo again"
if run_logged "${logs}/demo-second.log" npm run demo &&
  problem=$(check_log "${logs}/demo-second.log" "cached by an earlier run" "now holds 0 custom link"); then
  record "second demo" "passed in ${took} s"
else
  record "second demo" "FAILED after ${took} s: ${problem:-exit status non-zero} (${logs}/demo-second.log)"
fi

# ------------------------------------------------------------------ 3. --keep, Ctrl-C, again
problem=""
say "3. npm run demo -- --keep, Ctrl-C, npm run demo"
keep_log="${logs}/demo-keep.log"
setsid npm run demo -- --keep >"$keep_log" 2>&1 &
keep_pid=$!
for _ in $(seq 1 300); do
  grep -qF "Press Ctrl-C" "$keep_log" && break
  kill -0 "$keep_pid" 2>/dev/null || break
  sleep 1
done
kill -INT -- "-${keep_pid}" 2>/dev/null   # what Ctrl-C in a terminal sends: SIGINT to the whole process group
wait "$keep_pid"
keep_rc=$?
# npm answers Ctrl-C with 130, as a shell does.
if [[ $keep_rc -ne 0 && $keep_rc -ne 130 ]] || ! grep -qF "now holds 3 custom link" "$keep_log" ||
  ! grep -qF "Emulator stopped" "$keep_log"; then
  record "--keep, Ctrl-C" "FAILED: exit ${keep_rc}, or the links were not kept until Ctrl-C (${keep_log})"
elif run_logged "${logs}/demo-after-keep.log" npm run demo &&
  problem=$(check_log "${logs}/demo-after-keep.log" "from an earlier run" '"create":4' "now holds 0 custom link"); then
  record "--keep, Ctrl-C, again" "passed: the second run removed the kept stack and created the links anew"
else
  record "--keep, Ctrl-C, again" "FAILED: ${problem:-exit status non-zero} (${logs}/demo-after-keep.log)"
fi

# ------------------------------------------------------------------ 4. each example's README
# The sh blocks of the walkthrough, in order, as one script. Every npx goes to a registry that does not answer
# (127.0.0.1 port 9, discard): only commands already installed in the example can run.
walkthrough_of() {
  # set -m: each background job (the emulator) gets its own process group, as in an interactive shell, so the
  # README's `kill %1` stops npx and the emulator it started; the trap stops what a failed step left running.
  printf '%s\n' 'set -em' \
    'npx() { npm_config_registry=http://127.0.0.1:9/ command npx "$@"; }' \
    'trap '\''for job in $(jobs -p); do kill -- "-$job" 2>/dev/null || true; done'\'' EXIT'
  awk '
    /<!-- walkthrough -->/ { inside = 1; next }
    /<!-- \/walkthrough -->/ { inside = 0 }
    inside && /^```sh$/ { code = 1; next }
    inside && code && /^```$/ { code = 0; next }
    inside && code { print }
  ' "$1"
}

# What each walkthrough's output must hold: Pulumi's own summary, or, for a fleet (`pulumi-fansly fleet`, a line per
# stack and a table), every stack's file written, fansly-demo's two links created, unchanged at the drift check,
# then deleted, and no stack failing.
expected_output_of() {
  case "$1" in
    agency-fleet)
      printf '%s\n' "Pulumi.fansly-third.yaml" "(create 4)" "(same 4)" "(delete 4)" "3 succeeded, 0 failed" ;;
    *) printf '%s\n' "Resources:" "deleted" ;;
  esac
}

for example in "${EXAMPLES[@]}"; do
  readme="examples/${example}/README.md"
  script="${work}/walkthrough-${example}.sh"
  walkthrough_of "$readme" >"$script"
  if ! grep -Eq "pulumi( |-fansly fleet )up" "$script" || ! grep -Eq "pulumi( |-fansly fleet )destroy" "$script"; then
    record "$example" "FAILED: ${readme} has no walkthrough with (pulumi-fansly fleet) up and destroy"
    continue
  fi
  problem=""
  mapfile -t expected < <(expected_output_of "$example")
  example_start=$SECONDS
  say "4. ${readme}: $(grep -c . "$script") lines of its sh blocks"
  if (cd "examples/${example}" && run_logged "${logs}/example-${example}.log" bash "$script") &&
    problem=$(check_log "${logs}/example-${example}.log" "${expected[@]}"); then
    record "$example" "passed in $((SECONDS - example_start)) s"
  else
    record "$example" "FAILED after $((SECONDS - example_start)) s: ${problem:-exit status non-zero} (${logs}/example-${example}.log)"
  fi
done

# ------------------------------------------------------------------ 5. no CLI, no Go, no installer
# As on a machine without Go and without internet: PATH without go, Go's default folder hidden, an empty CLI cache,
# the installer off (this machine may reach get.pulumi.com). One screen, a non-zero exit, nothing left behind.
problem=""
say "5. npm run demo with no CLI, no Go and no installer"
no_go_path="$(dirname "$(command -v node)")"   # PULUMI_FANSLY_GO wins over PATH, should go live beside node
for dir in "${path_dirs[@]}"; do
  [[ -n $dir && ! -e $dir/pulumi && ! -e $dir/go ]] && no_go_path="${no_go_path:+${no_go_path}:}${dir}"
done
no_go_log="${logs}/demo-no-go.log"
PATH="$no_go_path" PULUMI_FANSLY_GO="${work}/no-go/go" PULUMI_FANSLY_CLI_CACHE="${work}/no-cli" PULUMI_FANSLY_SKIP_INSTALLER=1 \
  npm run demo >"$no_go_log" 2>&1
no_go_rc=$?
screen_lines=$(grep -c '^\[demo\]' "$no_go_log")
if [[ $no_go_rc -eq 0 ]]; then
  record "without Go" "FAILED: npm run demo exited 0 (${no_go_log})"
elif ! problem=$(check_log "$no_go_log" "Install the Pulumi CLI" "Install Go"); then
  record "without Go" "FAILED: ${problem} (${no_go_log})"
elif [[ $screen_lines -gt 24 || -e ${work}/no-cli ]]; then
  record "without Go" "FAILED: ${screen_lines} lines, or something left in ${work}/no-cli (${no_go_log})"
else
  record "without Go" "passed: exit ${no_go_rc}, ${screen_lines} lines naming both ways out, nothing left"
fi

# The one CLI every example used: the demo's, from the cache under the fresh HOME.
cli_dirs=("${HOME}"/.cache/pulumi-fansly/pulumi-cli/v*/bin)
say "CLI used: ${cli_dirs[*]} ($(ls "${cli_dirs[0]}" 2>/dev/null | tr '\n' ' '))"

say "took $((SECONDS / 60)) min $((SECONDS % 60)) s in all"
printf '%s\n' "${summary[@]}"
exit "$failed"
