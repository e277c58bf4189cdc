#!/usr/bin/env bash
# Runs every Fuzz target of internal/client for FUZZTIME each (default 10s),
# starting from the seed corpora in internal/client/testdata/fuzz, and prints
# the executions of each. A failure leaves the failing input in that folder:
# fix the defect and commit the input as a regression seed.
set -euo pipefail
cd "$(dirname "$0")/.."

fuzztime="${FUZZTIME:-10s}"
pkg=./internal/client/
targets="$(go test -list '^Fuzz' "$pkg" | grep '^Fuzz' || true)"
if [ -z "$targets" ]; then
  echo "error: no Fuzz target found in $pkg" >&2
  exit 1
fi

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
summary=""
corpus_size() { find "internal/client/testdata/fuzz/$1" -type f 2>/dev/null | wc -l; }

# The Go fuzzer sometimes ends a clean run with a bare "context deadline
# exceeded" when -fuzztime runs out mid-execution, writing no failing input;
# that run is tried once more rather than failing the build. A real failure
# always writes its input.
# -fuzzminimizetime 2s: the default minimizes each new interesting input for
# up to 60s, which on a cold cache can take the whole FUZZTIME and leave a
# target at a few executions.
fuzz_once() {
  local target=$1 before
  before="$(corpus_size "$target")"
  go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" -fuzzminimizetime 2s "$pkg" >"$log" 2>&1 && return 0
  [ "$(corpus_size "$target")" = "$before" ] && grep -q 'context deadline exceeded' "$log" && return 2
  return 1
}

for target in $targets; do
  status=0
  fuzz_once "$target" || status=$?
  if [ "$status" = 2 ]; then
    echo "note: $target ended on the fuzzer's own deadline without a failing input; running it again"
    status=0
    fuzz_once "$target" || status=$?
  fi
  if [ "$status" != 0 ]; then
    cat "$log"
    echo "error: $target failed; the failing input was written under internal/client/testdata/fuzz/$target" >&2
    exit 1
  fi
  # A run too short for a progress line has no count: "?", not a silent exit
  # (grep finding nothing fails the pipeline under pipefail).
  execs="$(grep -o 'execs: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2 || true)"
  summary+="$(printf '%-34s %12s executions in %s' "$target" "${execs:-?}" "$fuzztime")"$'\n'
done
printf '%s' "$summary"
echo "fuzzing passed: $(wc -w <<<"$targets") targets in ${SECONDS}s"
