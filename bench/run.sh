#!/usr/bin/env bash
# make bench: the floor, the client and the provider under each CLI of
# scripts/clis.txt (terraform and tofu), against cerbysim on loopback, written
# to bench/RESULTS.md.
#
#   BENCH_QUICK=1   1k and 10k accounts only; the inventory at 1k members,
#                   the gates at 10k accounts, the ceiling in process only,
#                   without the reads at it (development)
#   BENCH_RUNS=n    runs per figure (default 3); the median is reported
#   BENCH_CLIS=ids  the CLIs to plan with, space- or comma-separated ids of
#                   scripts/clis.txt or a kind (terraform, tofu) for the
#                   newest of it (default: all of them, in clis.txt's order)
#   BENCH_SIZES=ns  the account counts (default 1000 10000 100000; development)
#   BENCH_FANOUT=0  no fan-out (development)
#   BENCH_LISTINGS=0  no listing plans per size, no touch (development;
#                   with BENCH_FANOUT=0, only the two APIs' comparison and
#                   the jobs below run)
#   BENCH_APIS=0    no comparison of the two APIs (development)
# The jobs (issue 12), each of which can run alone with the others at 0:
#   BENCH_INVENTORY=0  no inventory: cerby_access against the for_each
#                   fan-out of cerby_user_accounts, at 50 ms
#   BENCH_INVENTORY_MEMBERS=ns  its member counts (default 1000 10000)
#   BENCH_GATE=0    no policy gates: examples/policy against
#                   examples/policy-ephemeral
#   BENCH_GATE_SIZES=ns  their account counts (default 10000 100000)
#   BENCH_GATE_LIMIT=s  stop a data-source gate after s seconds (default
#                   300; 0: never), reported as a lower bound
#   BENCH_CEILING=0 no ceiling: the state per item on both APIs and the
#                   largest full read that fits the protocol's 256 MiB
#   BENCH_CEILING_CLI=id  the CLI of that read (default: the newest
#                   terraform of the run, else the first CLI)
#   BENCH_OUT=file  where to write the table (default bench/RESULTS.md)
#
# What runs on which CLI: the floor, the client and touch do not depend on the
# CLI and run once. Every plan runs on each CLI, the runs taking turns across
# the CLIs so that a change in the machine's load falls on all of them, except
# two that run on the first CLI only (terraform-1.5.7 by default, the base the
# other CLIs are compared with): the 100k-account plans at 50 ms (a CLI's own
# CPU is the same as at 0 s; 4 minutes a CLI) and the rate-limited fan-out
# (a test of the provider's limiter, which the CLI only paces; 2 minutes).
# The unlimited fan-out runs once on each CLI. The comparison of the Cerby
# API with the Read API (10k accounts, 0 s) plans on the first CLI only too:
# what it compares is the provider's CPU, not the CLI's. Of the jobs: the
# inventory and the data-source gate plan on each CLI, the ephemeral gate on
# those that have ephemeral resources (terraform >= 1.10, tofu >= 1.11), each
# BENCH_RUNS times except the inventory's fan-out and the gates from 10k
# accounts, once a CLI (each takes minutes); the largest read at the ceiling
# plans once, on one CLI (BENCH_CEILING_CLI), a Terraform holding a 255 MiB
# state using about 5 GB.
#
# CPU times are user+sys of the measured process (getrusage), so that they
# hold on a busy machine better than wall times do. About 110 minutes of two
# cores with the three CLIs (one run on a busy machine): the listings 30
# (terraform 1.16 is the fastest, tofu the slowest), the listings' fan-out 6,
# the inventory 31 (its 10k-member fan-out cut at BENCH_FANOUT_LIMIT on each
# CLI), the gates 34 (terraform 1.5.7's data-source gates cut at
# BENCH_GATE_LIMIT), the ceiling 6, and the two APIs' comparison 1.
# BENCH_QUICK=1 takes about 11 minutes (5 with BENCH_FANOUT=0), twice that on
# a machine busy with other work; the log says how long each section took.
set -euo pipefail
cd "$(dirname "$0")/.."
# Only the simulator's settings (CERBY_ENDPOINT, CERBY_API_KEY, and CERBY_API
# where the bench sets it) reach the provider, never the developer's.
unset CERBY_API CERBY_BEARER_TOKEN CERBY_WORKSPACE CERBY_CA_CERTIFICATE_FILE TF_LOG

runs=${BENCH_RUNS:-3}
sizes=(1000 10000 100000)
[ "${BENCH_QUICK:-0}" = 1 ] && sizes=(1000 10000)
if [ -n "${BENCH_SIZES:-}" ]; then read -ra sizes <<<"${BENCH_SIZES//,/ }"; fi
latencies=(0s 50ms)
# From this many accounts, the plans at latencies other than the first run on
# the first CLI only.
once_from=100000
members=10000
out=${BENCH_OUT:-bench/RESULTS.md}

# The CLIs, in scripts/clis.txt's order; the first is the base.
mapfile -t clis < <(bash scripts/clis.sh)
if [ -n "${BENCH_CLIS:-}" ]; then
  declare -A wanted=()
  for name in ${BENCH_CLIS//,/ }; do
    id=$(bash scripts/clis.sh "$name") || exit 2
    wanted[$id]=1
  done
  picked=()
  for id in "${clis[@]}"; do if [ -n "${wanted[$id]:-}" ]; then picked+=("$id"); fi; done
  clis=("${picked[@]}")
fi
[ ${#clis[@]} -gt 0 ] || { echo "BENCH_CLIS='${BENCH_CLIS:-}' names no CLI" >&2; exit 2; }
base=${clis[0]}

work=$(mktemp -d)
sim_pid=
stop_sim() {
  if [ -n "$sim_pid" ]; then kill "$sim_pid" 2>/dev/null || true; wait "$sim_pid" 2>/dev/null || true; fi
  sim_pid=
}
trap 'stop_sim; rm -rf "$work"' EXIT
now_ms() { echo $(($(date +%s%N) / 1000000)); }
run_t0=$(now_ms)
# mmss MS: a duration as "3m07s".
mmss() { printf '%dm%02ds' $(($1 / 60000)) $(($1 / 1000 % 60)); }
log() { printf '==> [%s] %s\n' "$(mmss $(($(now_ms) - run_t0)))" "$*" >&2; }

# --- recording --------------------------------------------------------------
results=$work/results.tsv
: >"$results"
record() { printf '%s\t%s\n' "$1" "$2" >>"$results"; }

# section NAME: ends the section running (recording its seconds under
# time/NAME) and starts NAME; "section" alone only ends it.
sections=()
section_name= section_t0=
section() {
  local t
  t=$(now_ms)
  if [ -n "$section_name" ]; then
    record "time/$section_name" $(((t - section_t0 + 500) / 1000))
    log "$section_name took $(mmss $((t - section_t0)))"
  fi
  section_name=${1:-} section_t0=$t
  if [ -n "$section_name" ]; then sections+=("$section_name"); fi
}

# --- build ------------------------------------------------------------------
section build
bash scripts/install-clis.sh "${clis[@]}" >&2
declare -A cli_bin=() cli_version=() plan_ms=()
for cli in "${clis[@]}"; do
  cli_bin[$cli]=$(bash scripts/clis.sh --path "$cli")
  # tofu prints a warning on stdout for a TF_CLI_CONFIG_FILE that points
  # nowhere. sed reads all of it: head would leave the CLI a broken pipe, and
  # pipefail would end the bench without a word.
  cli_version[$cli]=$(env -u TF_CLI_CONFIG_FILE CHECKPOINT_DISABLE=1 "${cli_bin[$cli]}" version | sed -n 1p)
  plan_ms[$cli]=0
  record "$cli/version" "${cli_version[$cli]}"
done
log "CLIs: ${clis[*]}"
log "building cerbysim, the floor, touch, the client benchmark and the provider"
go build -o "$work/cerbysim" ./cmd/cerbysim
go build -o "$work/floor" ./bench/floor
go build -o "$work/touch" ./bench/touch
go test -c -o "$work/listing.test" ./bench/listing
go test -c -o "$work/ceiling.test" ./bench/ceiling
go build -o "$work/gatews" ./bench/gatews
mkdir -p "$work/real" "$work/override"
go build -trimpath -o "$work/real/terraform-provider-cerby" .
# dev_overrides points at this wrapper, which records the provider process's
# own CPU time and peak RSS (one line per process the CLI starts). Both
# registry addresses are listed: terraform expands the bench configurations'
# source = "cerby-community/cerby" to registry.terraform.io, tofu to
# registry.opentofu.org.
cat >"$work/override/terraform-provider-cerby" <<EOF
#!/bin/sh
exec /usr/bin/time -f '%U %S %M' -a -o "\$BENCH_PROVIDER_TIMES" "$work/real/terraform-provider-cerby" "\$@"
EOF
chmod +x "$work/override/terraform-provider-cerby"
cat >"$work/cli.tfrc" <<EOF
provider_installation {
  dev_overrides {
    "registry.terraform.io/cerby-community/cerby" = "$work/override"
    "registry.opentofu.org/cerby-community/cerby" = "$work/override"
  }
  direct {}
}
EOF


# start_sim ACCOUNTS LATENCY [LOGFILE [FLAGS...]]: a fresh simulator; its
# settings are exported as CERBY_ENDPOINT (the Read API's base URL),
# CERBY_API_KEY and CERBY_API_ENDPOINT (the Cerby API's). With LOGFILE, its
# request log goes there, each line starting with the Unix time in
# microseconds the request arrived (-log-arrival).
start_sim() {
  sim_start "${3:-}" -accounts "$1" -members "$members" -access 10 -latency "$2" "${@:4}"
}

# sim_start LOGFILE FLAGS...: start_sim with cerbysim's flags as given (a
# -workspace-file takes no -accounts); LOGFILE may be "".
sim_start() {
  local ready=$work/ready log=$1
  shift
  rm -f "$ready"
  local args=(-ready-file "$ready" "$@")
  if [ -n "$log" ]; then
    "$work/cerbysim" "${args[@]}" -log-arrival >/dev/null 2>"$log" &
  else
    "$work/cerbysim" "${args[@]}" -quiet >/dev/null 2>&1 &
  fi
  sim_pid=$!
  for _ in $(seq 600); do [ -s "$ready" ] && break; sleep 0.1; done
  [ -s "$ready" ] || { echo "cerbysim did not start" >&2; exit 1; }
  set -a; . "$ready"; set +a
}

# cpu_ms FILE: user+sys of /usr/bin/time -f '%U %S %M' lines, summed, in ms.
cpu_ms() { awk '/^[0-9.]+ [0-9.]+ [0-9]+$/ { s += $1 + $2 } END { printf "%d\n", s * 1000 }' "$1"; }
# sys_ms FILE: the system (kernel) part of cpu_ms, mostly page faults here.
sys_ms() { awk '/^[0-9.]+ [0-9.]+ [0-9]+$/ { s += $2 } END { printf "%d\n", s * 1000 }' "$1"; }
rss_mb() { awk '/^[0-9.]+ [0-9.]+ [0-9]+$/ { if ($3 > m) m = $3 } END { printf "%.1f\n", m / 1024 }' "$1"; }

# floor KEY KIND CONCURRENCY: one run of the floor program.
floor() {
  local line
  line=$(/usr/bin/time -f '%U %S %M' -o "$work/floor.time" "$work/floor" -kind "$2" -concurrency "$3")
  record "$1/wall_ms" "$(jq -r '.wall_ns / 1e6 | floor' <<<"$line")"
  record "$1/fetch_cpu_ms" "$(jq -r '.cpu_ns / 1e6 | floor' <<<"$line")"
  record "$1/bytes" "$(jq -r .bytes <<<"$line")"
  record "$1/items" "$(jq -r .items <<<"$line")"
  record "$1/cpu_ms" "$(cpu_ms "$work/floor.time")"
  record "$1/sys_ms" "$(sys_ms "$work/floor.time")"
  record "$1/rss_mb" "$(rss_mb "$work/floor.time")"
}

# touch_state KEY BYTES: one run of the touch program, writing BYTES of state into
# fresh memory and copying it once into more (what any provider must add).
touch_state() {
  local line
  line=$("$work/touch" -bytes "$2")
  record "$1/bytes" "$(jq -r .bytes <<<"$line")"
  record "$1/cpu_ms" "$(jq -r '.cpu_ns / 1e6 | floor' <<<"$line")"
  record "$1/sys_ms" "$(jq -r '.sys_ns / 1e6 | floor' <<<"$line")"
}

# client KEY BENCHMARK: the client listing, BENCH_RUNS times in one process.
client() {
  local line
  line=$("$work/listing.test" -test.run '^$' -test.bench "^Benchmark$2\$" -test.benchmem -test.benchtime "${runs}x" | grep "^Benchmark$2")
  record "$1/wall_ms" "$(awk '{ for (i = 1; i < NF; i++) if ($(i+1) == "ns/op") printf "%d\n", $i / 1e6 }' <<<"$line")"
  record "$1/cpu_ms" "$(awk '{ for (i = 1; i < NF; i++) if ($(i+1) == "cpu-ns/op") printf "%d\n", $i / 1e6 }' <<<"$line")"
  record "$1/alloc_mb" "$(awk '{ for (i = 1; i < NF; i++) if ($(i+1) == "B/op") printf "%d\n", $i / 1048576 }' <<<"$line")"
  record "$1/allocs" "$(awk '{ for (i = 1; i < NF; i++) if ($(i+1) == "allocs/op") print $i }' <<<"$line")"
}

# plan CLI KEY CONFIG [ARGS...]: one plan of bench/tf/CONFIG (or of CONFIG,
# an absolute path) by CLI (an id); records, under CLI/KEY, the CLI's wall
# time and CPU (its own and the provider's, which it waits for), the
# provider processes' CPU and peak RSS, and the largest RSS of the CLI's
# process tree (the CLI or a provider, whichever is larger). With
# plan_saved=1 the plan is saved (-out) and its file's size recorded, and the
# state in it (the plan file's tfstate, the prior state the plan read, as
# apply would write it). With plan_refusal set, the plan must fail and its
# output contain that text. With plan_limit_s set, a plan still running after
# that many seconds is stopped as Ctrl-C stops it (SIGINT, then SIGKILL if it
# has not ended plan_grace_s later) and recorded as cut short (KEY/cut_short 1; its
# figures are then lower bounds; KEY/cli_killed 1 when it took the SIGKILL,
# its CPU then the CLI's alone, without the providers it no longer waited
# for); it has no plan file.
# No CLI has been seen to end within 120 s of the SIGINT in the middle of a
# large fan-out: waiting longer only adds idle minutes.
plan_saved=0 plan_refusal= plan_limit_s= plan_grace_s=30
plan() {
  local cli=$1 key=$1/$2 dir=bench/tf/$3 t0 t1 saved=()
  [[ $3 == /* ]] && dir=$3
  shift 3
  rm -f "$work/plan.tfplan"
  [ "$plan_saved" = 1 ] && saved=(-out="$work/plan.tfplan")
  : >"$work/provider.time"
  rm -f "$work/sim.gone"
  rm -rf "$dir/.terraform" "$dir/terraform.tfstate"
  t0=$(now_ms)
  env -u TF_LOG TF_CLI_CONFIG_FILE="$work/cli.tfrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 \
    BENCH_PROVIDER_TIMES="$work/provider.time" \
    /usr/bin/time -f '%U %S %M' -o "$work/cli.time" \
    "${cli_bin[$cli]}" -chdir="$dir" plan -input=false -lock=false -no-color "${saved[@]}" "$@" >"$work/plan.log" 2>&1 &
  local timed=$! watchdog status=0
  # A simulator ended from outside would leave the provider retrying every
  # read for many minutes: stop the CLI (the child of /usr/bin/time) then.
  (
    while [ -z "$sim_pid" ] || kill -0 "$sim_pid" 2>/dev/null; do sleep 1; done
    echo "cerbysim ($sim_pid) ended during the plan of $dir" >"$work/sim.gone"
    kill $(pgrep -P "$timed") 2>/dev/null || kill "$timed" 2>/dev/null
  ) &
  watchdog=$!
  local limiter= cut=0 killed=0
  rm -f "$work/plan.cut"
  if [ -n "$plan_limit_s" ]; then
    (
      for ((i = 0; i < plan_limit_s; i++)); do kill -0 "$timed" 2>/dev/null || exit 0; sleep 1; done
      cli_pid=$(pgrep -P "$timed") || exit 0
      echo cut >"$work/plan.cut"
      kill -INT "$cli_pid" 2>/dev/null
      for _ in $(seq "$plan_grace_s"); do kill -0 "$cli_pid" 2>/dev/null || exit 0; sleep 1; done
      echo killed >>"$work/plan.cut"
      wrappers=$(pgrep -P "$cli_pid" || true)
      kill -KILL "$cli_pid" 2>/dev/null
      # The provider processes, children of their /usr/bin/time wrappers.
      for w in $wrappers; do kill $(pgrep -P "$w") 2>/dev/null || true; done
    ) &
    limiter=$!
  fi
  wait "$timed" || status=$?
  t1=$(now_ms)
  kill "$watchdog" 2>/dev/null || true
  wait "$watchdog" 2>/dev/null || true
  if [ -n "$limiter" ]; then
    kill "$limiter" 2>/dev/null || true
    wait "$limiter" 2>/dev/null || true
    # The wrappers write their lines as their providers end.
    sleep 1
  fi
  if [ -s "$work/plan.cut" ]; then
    cut=1
    grep -q killed "$work/plan.cut" && killed=1
    log "$cli: the plan of $dir was cut short after ${plan_limit_s}s$([ "$killed" = 1 ] && echo " (killed)")"
  fi
  if [ "$cut" = 1 ] && [ ! -s "$work/sim.gone" ]; then
    : # cut short: recorded as such below
  elif [ -n "$plan_refusal" ] && [ "$status" != 0 ] && [ ! -s "$work/sim.gone" ]; then
    # Wrapped as the CLI wraps it: joined to one line before the search.
    if ! tr -s ' \n' ' ' <"$work/plan.log" | grep -qF "$plan_refusal"; then
      cat "$work/plan.log" >&2
      echo "$cli plan of $dir failed without \"$plan_refusal\"" >&2
      exit 1
    fi
  elif [ -n "$plan_refusal" ]; then
    cat "$work/plan.log" "$work/sim.gone" >&2 2>/dev/null || true
    echo "$cli plan of $dir did not fail with \"$plan_refusal\"" >&2
    exit 1
  elif [ "$status" != 0 ] || [ -s "$work/sim.gone" ]; then
    cat "$work/plan.log" "$work/sim.gone" >&2 2>/dev/null || true
    echo "$cli plan of $dir failed" >&2
    exit 1
  fi
  plan_ms[$cli]=$((plan_ms[$cli] + t1 - t0))
  record "$key/wall_ms" $((t1 - t0))
  record "$key/total_cpu_ms" "$(cpu_ms "$work/cli.time")"
  record "$key/provider_cpu_ms" "$(cpu_ms "$work/provider.time")"
  record "$key/provider_sys_ms" "$(sys_ms "$work/provider.time")"
  record "$key/provider_rss_mb" "$(rss_mb "$work/provider.time")"
  record "$key/providers_started" "$(grep -cE '^[0-9.]+ [0-9.]+ [0-9]+$' "$work/provider.time" || true)"
  record "$key/cli_rss_mb" "$(rss_mb "$work/cli.time")"
  record "$key/cut_short" "$cut"
  record "$key/cli_killed" "$killed"
  if [ "$plan_saved" = 1 ] && [ "$cut" = 0 ]; then
    record "$key/plan_file_bytes" "$(stat -c %s "$work/plan.tfplan")"
    record "$key/state_bytes" "$(unzip -p "$work/plan.tfplan" tfstate | wc -c)"
  fi
}

# clis_for LATENCY ACCOUNTS: the CLIs that plan that listing (see the top).
clis_for() {
  if [ "$2" -ge "$once_from" ] && [ "$1" != "${latencies[0]}" ]; then echo "$base"; else echo "${clis[*]}"; fi
}

# --- listings ---------------------------------------------------------------
# The runs of a plan take turns across the CLIs.
listing_latencies=("${latencies[@]}")
[ "${BENCH_LISTINGS:-1}" = 0 ] && listing_latencies=()
for lat in "${listing_latencies[@]}"; do
  for n in "${sizes[@]}"; do
    section "$lat/$n"
    log "latency $lat, $n accounts, $members members"
    start_sim "$n" "$lat"
    # Serial paging is compared with concurrent paging at 10k (issue 5's
    # target); at 100k it costs a minute at 50 ms and is not asked for.
    if [ "$n" -lt 100000 ]; then
      for _ in $(seq "$runs"); do floor "$lat/$n/floor1" accounts 1; done
    fi
    for _ in $(seq "$runs"); do floor "$lat/$n/floor4" accounts 4; done
    client "$lat/$n/client" ListAccounts
    read -ra here <<<"$(clis_for "$lat" "$n")"
    for _ in $(seq "$runs"); do
      for cli in "${here[@]}"; do plan "$cli" "$lat/$n/accounts" accounts; done
    done
    if [ "$n" = "${sizes[0]}" ]; then
      for _ in $(seq "$runs"); do
        floor "$lat/users/floor4" users 4
        for cli in "${clis[@]}"; do
          plan "$cli" "$lat/five" five
          plan "$cli" "$lat/users" users
          plan "$cli" "$lat/empty" empty
        done
      done
      client "$lat/users/client" ListUsers
    fi
    stop_sim
  done
done

# --- the two APIs -----------------------------------------------------------
# The Cerby API's listing next to the Read API's, at api_accounts accounts and
# the first latency, the provider pointed at the simulator's /api/v1 or /v1
# (CERBY_API says it too): the requests a listing takes, as the simulator's
# counters see them (bench/listing's BenchmarkRequestsPerListing serves its
# own workspace in process for that, and lists it once per API); the client's
# CPU; and the provider's under the plan of the first CLI, the runs taking
# turns across the APIs, with the plan's own requests counted from the
# simulator's request log. The simulator builds its Cerby API pages on first
# use, which takes it seconds at 10k: one listing unmeasured does that before
# anything is timed.
api_accounts=10000
apis=(read_api cerby_api)
apis_all=("${apis[@]}")
[ "${BENCH_APIS:-1}" = 0 ] && apis=()
# use_api API: points the provider and the client at API's base URL.
use_api() {
  export CERBY_API=$1 CERBY_ENDPOINT=$read_endpoint
  if [ "$1" = cerby_api ]; then CERBY_ENDPOINT=$cerby_endpoint; fi
}
# listing_requests LOG FROM: the requests to either API's accounts listing in
# a request log (-log-arrival lines), from line FROM on.
listing_requests() {
  tail -n "+$2" "$1" | awk '$2 == "GET" { split($3, p, "?"); if (p[1] == "/v1/accounts" || p[1] == "/api/v1/accounts") n++ } END { print n + 0 }'
}
if [ ${#apis[@]} -gt 0 ]; then
  section "apis/$api_accounts"
  log "the Read API and the Cerby API: $api_accounts accounts, latency ${latencies[0]}, plans under $base"
  counted=$(BENCH_ACCOUNTS=$api_accounts "$work/listing.test" -test.run '^$' -test.bench '^BenchmarkRequestsPerListing$' -test.benchtime 1x)
  for api in "${apis[@]}"; do
    for metric in requests pages; do
      value=$(awk -v b="BenchmarkRequestsPerListing/api=$api" -v m="$metric/op" 'index($1, b) == 1 { for (i = 1; i < NF; i++) if ($(i+1) == m) print $i + 0 }' <<<"$counted")
      [ -n "$value" ] || { echo "BenchmarkRequestsPerListing reported no $metric/op for $api:" >&2; echo "$counted" >&2; exit 1; }
      record "apis/$api/$metric" "$value"
    done
  done
  start_sim "$api_accounts" "${latencies[0]}" "$work/sim.log"
  read_endpoint=$CERBY_ENDPOINT cerby_endpoint=$CERBY_API_ENDPOINT
  use_api cerby_api
  "$work/listing.test" -test.run '^$' -test.bench '^BenchmarkListAccounts$' -test.benchtime 1x >/dev/null
  for api in "${apis[@]}"; do
    use_api "$api"
    client "apis/$api/client" ListAccounts
  done
  for _ in $(seq "$runs"); do
    for api in "${apis[@]}"; do
      use_api "$api"
      from=$(($(wc -l <"$work/sim.log") + 1))
      plan "$base" "apis/$api/accounts" accounts
      record "$base/apis/$api/accounts/requests" "$(listing_requests "$work/sim.log" "$from")"
    done
  done
  unset CERBY_API
  export CERBY_ENDPOINT=$read_endpoint
  stop_sim
fi

# --- touch ------------------------------------------------------------------
# The ideal provider's memory: the state (msgpack, 0.9 times the JSON the floor
# read, as BenchmarkReadDataSource's state-bytes metric measures) written once
# and copied once, each into fresh memory. Latency plays no part, so once per
# size, with the JSON bytes of the first latency's floor (the same at both).
touch_keys=("${sizes[@]}" users)
if [ "${BENCH_LISTINGS:-1}" = 0 ]; then touch_keys=(); else section touch; fi
[ ${#touch_keys[@]} = 0 ] || log "touch: the state written and copied into fresh memory"
for key in "${touch_keys[@]}"; do
  json=$(awk -F'\t' -v k="${latencies[0]}/$key/floor4/bytes" '$1 == k { print $2; exit }' "$results")
  for _ in $(seq "$runs"); do touch_state "touch/$key" "$(awk -v j="$json" 'BEGIN { printf "%d\n", j * 0.9 }')"; done
done

# --- fan-out ----------------------------------------------------------------
# requests_per_second is per provider process; the CLI's parallelism is 10.
# Without a limit the fan-out peaks at about 20 requests in a second on two
# busy cores (the CLI's own per-instance work sets the pace), so a limit of
# 10 binds. The limited run meets cerbysim's own rate limit, set between the
# two, so a limiter letting bursts through would be answered 429; the
# unlimited run meets none, so that its peak is not cut. A fan-out plan costs
# the CLI a minute or two of CPU for 1000 instances: one run each, at the
# 50 ms latency of a real network; the unlimited run on each CLI, the limited
# one on the first (the limiter is the provider's; the CLI only paces it).
fanout_rps=10
fanout_sim_limit=15
fanout_latencies=(50ms)

# fanout_counts LOG LIMIT: requests, the most in any sliding 1 s window, the
# most in one clock second, requests per second on average, the shortest time
# in ms that LIMIT + 1 consecutive requests took, and 429 answers, from a
# request log whose lines start with the arrival time in microseconds.
fanout_counts() {
  awk '$2 == "GET" { print $1, $4 }' "$1" | sort -n -k1,1 | awk -v limit="$2" '
    { t[NR] = $1; c[int($1 / 1e6)]++; if ($2 == 429) tooMany++ }
    END {
      i = 1
      for (j = 1; j <= NR; j++) {
        while (t[j] - t[i] >= 1e6) i++ # t[i..j] lie within 1 s (half-open)
        if (j - i + 1 > sliding) sliding = j - i + 1
        if (j > limit && (shortest == "" || t[j] - t[j - limit] < shortest)) shortest = t[j] - t[j - limit]
      }
      for (s in c) if (c[s] > clock) clock = c[s]
      span = NR > 1 ? (t[NR] - t[1]) / 1e6 : 0
      printf "%d %d %d %.1f %d %d\n", NR, sliding, clock, (span > 0 ? (NR - 1) / span : 0), (shortest == "" ? -1 : shortest / 1000), tooMany
    }'
}

[ "${BENCH_FANOUT:-1}" = 0 ] && fanout_latencies=()
for lat in "${fanout_latencies[@]}"; do
  for rps in none "$fanout_rps"; do
    fanout_clis=("${clis[@]}")
    [ "$rps" = none ] || fanout_clis=("$base")
    args=() sim_flags=()
    if [ "$rps" != none ]; then
      args=(-var "requests_per_second=$rps")
      sim_flags=(-rate-limit "$fanout_sim_limit")
    fi
    for cli in "${fanout_clis[@]}"; do
      section "fanout/$cli/$rps"
      log "fan-out over 1000 members under $cli, latency $lat, requests_per_second $rps"
      start_sim 10000 "$lat" "$work/sim.log" "${sim_flags[@]}"
      plan "$cli" "fanout/$lat/$rps" fanout "${args[@]}"
      stop_sim
      read -r requests sliding clock average shortest too_many < <(fanout_counts "$work/sim.log" "$fanout_rps")
      k=$cli/fanout/$lat/$rps
      record "$k/requests" "$requests"
      record "$k/max_sliding_second" "$sliding"
      record "$k/max_clock_second" "$clock"
      record "$k/average_per_second" "$average"
      record "$k/shortest_limit_plus_one_ms" "$shortest"
      record "$k/429s" "$too_many"
      record "$k/sim_rate_limit" "${sim_flags[1]:-none}"
    done
  done
done

# --- inventory --------------------------------------------------------------
# Who can reach what: cerby_access (bench/tf/access: one read, the members'
# accounts read inside the provider, concurrency 8) against one
# cerby_user_accounts per member through for_each (bench/tf/fanout, at the
# CLI's parallelism of 10), the same members, at inventory_latency_ms, each
# member reaching 10 of inventory_accounts accounts. Every plan is saved
# (-out) for the size of the state in it. The fixed cost the wall-time
# target adds is the 5-account plan at the same latency (bench/tf/five). The
# fan-out costs the CLI minutes from fanout_once_from members: from there it
# runs once per CLI, not BENCH_RUNS times, and a fan-out still running after
# fanout_limit_s (BENCH_FANOUT_LIMIT, seconds; 0: none) is stopped there and
# reported as cut short, its figures as lower bounds: each member costs the
# CLI more than the one before, and at 10k members terraform 1.5.7 read
# about 70 members a minute after ten minutes, which would have taken it
# hours.
inventory_members=(1000 10000)
[ "${BENCH_QUICK:-0}" = 1 ] && inventory_members=(1000)
if [ -n "${BENCH_INVENTORY_MEMBERS:-}" ]; then read -ra inventory_members <<<"${BENCH_INVENTORY_MEMBERS//,/ }"; fi
[ "${BENCH_INVENTORY:-1}" = 0 ] && inventory_members=()
inventory_latency_ms=50 inventory_accounts=1000 access_concurrency=8 fanout_parallelism=10 fanout_once_from=1000 cpu_target_from=10000
fanout_limit_s=${BENCH_FANOUT_LIMIT:-300}
[ "$fanout_limit_s" != 0 ] || fanout_limit_s=
# count_requests LOG FROM KEY: records under KEY the GET requests of a
# request log from line FROM on, and of them the members' accounts
# (/v1/users/{id}/accounts, one per member read).
count_requests() {
  read -r all member < <(tail -n "+$2" "$1" | awk '$2 == "GET" { n++; split($3, p, "?"); if (p[1] ~ /^\/v1\/users\/[^\/]+\/accounts$/) m++ } END { print n + 0, m + 0 }')
  record "$3/requests" "$all"
  record "$3/member_requests" "$member"
}
for n in "${inventory_members[@]}"; do
  section "inventory/$n"
  fan_runs=$runs
  [ "$n" -lt "$fanout_once_from" ] || fan_runs=1
  log "inventory: $n members of 10 accounts each, latency ${inventory_latency_ms}ms: cerby_access ($runs runs a CLI) and the fan-out ($fan_runs)"
  sim_start "$work/sim.log" -accounts "$inventory_accounts" -members "$n" -access 10 -latency "${inventory_latency_ms}ms"
  for r in $(seq "$runs"); do
    for cli in "${clis[@]}"; do
      plan "$cli" "inventory/five" five
      plan_saved=1
      from=$(($(wc -l <"$work/sim.log") + 1))
      plan "$cli" "inventory/$n/access" access
      count_requests "$work/sim.log" "$from" "$cli/inventory/$n/access"
      if [ "$r" -le "$fan_runs" ]; then
        [ "$fan_runs" = "$runs" ] || log "fan-out over $n members under $cli (once)"
        from=$(($(wc -l <"$work/sim.log") + 1))
        plan_limit_s=$fanout_limit_s
        plan "$cli" "inventory/$n/fanout" fanout -var "members=$n"
        plan_limit_s=
        count_requests "$work/sim.log" "$from" "$cli/inventory/$n/fanout"
      fi
      plan_saved=0
    done
  done
  stop_sim
done

# --- policy gates -----------------------------------------------------------
# examples/policy (data sources, kept in state) against
# examples/policy-ephemeral (ephemeral resources, kept nowhere) on a
# workspace that passes both (bench/gatews: cerbysim's generated workspace
# with MFA on everywhere, no account created by a guest, the disabled
# members reaching nothing;
# each gate still reads all it would read on a violating one), at latency
# gate_latency, members as the listings. The ephemeral gate only on the CLIs
# that have ephemeral resources (terraform 1.10 and later, tofu 1.11 and
# later). Each plan is saved (-out): the plan file and the state in it are
# what a pipeline keeps. From gate_once_from accounts each gate plans once
# per CLI.
gate_sizes=(10000 100000)
[ "${BENCH_QUICK:-0}" = 1 ] && gate_sizes=(10000)
if [ -n "${BENCH_GATE_SIZES:-}" ]; then read -ra gate_sizes <<<"${BENCH_GATE_SIZES//,/ }"; fi
[ "${BENCH_GATE:-1}" = 0 ] && gate_sizes=()
gate_latency=0s gate_once_from=10000
# The data-source gate holds every account in state and adds one
# cerby_user_accounts per disabled member; each instance costs the CLI a copy
# of that state, so at 10k accounts terraform 1.5.7 was still planning after
# 13 minutes. A data-source gate still running after gate_limit_s
# (BENCH_GATE_LIMIT, seconds; 0: none) is stopped as the fan-out is, and
# shown cut short, its figures lower bounds.
gate_limit_s=${BENCH_GATE_LIMIT:-300}
[ "$gate_limit_s" != 0 ] || gate_limit_s=
# ephemeral_ok CLI: whether the CLI (an id, kind-version) has ephemeral
# resources.
ephemeral_ok() {
  local kind=${1%%-*} version=${1#*-} major minor
  IFS=. read -r major minor _ <<<"$version"
  case $kind in
  terraform) [ "$major" -gt 1 ] || { [ "$major" = 1 ] && [ "$minor" -ge 10 ]; } ;;
  tofu) [ "$major" -gt 1 ] || { [ "$major" = 1 ] && [ "$minor" -ge 11 ]; } ;;
  *) return 1 ;;
  esac
}
gates=(datasource)
[ -d examples/policy-ephemeral ] && gates+=(ephemeral)
declare -A gate_dir=([datasource]=examples/policy [ephemeral]=examples/policy-ephemeral)
if [ ${#gate_sizes[@]} -gt 0 ]; then
  for gate in "${gates[@]}"; do
    mkdir -p "$work/gate/$gate"
    cp "${gate_dir[$gate]}"/*.tf "$work/gate/$gate/"
  done
fi
for n in "${gate_sizes[@]}"; do
  section "gate/$n"
  gate_runs=$runs
  [ "$n" -lt "$gate_once_from" ] || gate_runs=1
  log "policy gates: $n accounts, $members members, latency $gate_latency, ${gates[*]}, $gate_runs run(s) a CLI"
  "$work/gatews" -accounts "$n" -members "$members" -access 10 -out "$work/gate.json"
  sim_start "$work/sim.log" -workspace-file "$work/gate.json" -latency "$gate_latency"
  for _ in $(seq "$gate_runs"); do
    for cli in "${clis[@]}"; do
      for gate in "${gates[@]}"; do
        if [ "$gate" = ephemeral ] && ! ephemeral_ok "$cli"; then continue; fi
        plan_saved=1
        [ "$gate" = ephemeral ] || plan_limit_s=$gate_limit_s
        from=$(($(wc -l <"$work/sim.log") + 1))
        plan "$cli" "gate/$n/$gate" "$work/gate/$gate"
        count_requests "$work/sim.log" "$from" "$cli/gate/$n/$gate"
        plan_saved=0 plan_limit_s=
      done
    done
  done
  stop_sim
  rm -f "$work/gate.json"
done

# --- the ceiling ------------------------------------------------------------
# Where a full read reaches the plugin protocol's 256 MiB (less the
# provider's 1 MiB margin): bench/ceiling reads each listing through the
# provider's ReadDataSource in process on both APIs, at two sizes, for the
# state per item and the items at the ceiling, then (not with BENCH_QUICK)
# reads the accounts at that count, which must fit, and 2% more, which must
# be refused. Then the largest read that fits, through a real CLI: that many
# accounts of the Read API (the first to reach it; the Cerby API's accounts
# are smaller) planned once on ceiling_cli, and 2% more, refused with the
# provider's diagnostic. The workspace is the one bench/ceiling reads (10
# members, one account each), so the state is the one it measured.
ceiling_listings=(cerby_accounts cerby_users cerby_access)
ceiling_metrics=(bytes/item fixed-bytes items-at-ceiling state-bytes items confirm-items confirm-state-bytes over-items over-refused)
# ceiling_cli: BENCH_CEILING_CLI, else the newest terraform of the CLIs,
# else the first CLI.
ceiling_cli=
if [ -n "${BENCH_CEILING_CLI:-}" ]; then
  ceiling_cli=$(bash scripts/clis.sh "$BENCH_CEILING_CLI") || exit 2
  [ -n "${cli_bin[$ceiling_cli]:-}" ] || { echo "BENCH_CEILING_CLI=$BENCH_CEILING_CLI is not among the CLIs of this run (${clis[*]})" >&2; exit 2; }
else
  ceiling_cli=$(printf '%s\n' "${clis[@]}" | grep '^terraform-' | sort -V | tail -n 1)
  [ -n "$ceiling_cli" ] || ceiling_cli=$base
fi
ceiling_confirm=1
[ "${BENCH_QUICK:-0}" = 1 ] && ceiling_confirm=0
if [ "${BENCH_CEILING:-1}" != 0 ]; then
  section ceiling
  log "the ceiling: state per item in process on both APIs$([ "$ceiling_confirm" = 1 ] && echo ", reads at the ceiling, and the largest read under $ceiling_cli")"
  measured=$(BENCH_CEILING_CONFIRM=$ceiling_confirm "$work/ceiling.test" -test.run '^$' -test.bench '^BenchmarkStateBytes$' -test.benchtime 1x)
  for ds in "${ceiling_listings[@]}"; do
    for api in "${apis_all[@]}"; do
      for metric in "${ceiling_metrics[@]}"; do
        value=$(awk -v b="BenchmarkStateBytes/$ds/api=$api" -v m="$metric" 'index($1, b) == 1 { for (i = 1; i < NF; i++) if ($(i+1) == m) print $i + 0 }' <<<"$measured")
        if [ -z "$value" ]; then
          case $metric in confirm-* | over-*) continue ;; esac
          echo "BenchmarkStateBytes reported no $metric for $ds on $api:" >&2; echo "$measured" >&2; exit 1
        fi
        record "ceiling/$api/$ds/$metric" "$value"
      done
    done
  done
  if [ "$ceiling_confirm" = 1 ]; then
    fit=$(awk -F'\t' '$1 == "ceiling/read_api/cerby_accounts/confirm-items" { print $2; exit }' "$results")
    over=$(awk -F'\t' '$1 == "ceiling/read_api/cerby_accounts/over-items" { print $2; exit }' "$results")
    log "the largest read that fits: $fit accounts under $ceiling_cli"
    start_sim "$fit" 0s "" -members 10 -access 1
    plan "$ceiling_cli" "ceiling/fit" accounts
    stop_sim
    log "and $over accounts, refused"
    start_sim "$over" 0s "" -members 10 -access 1
    plan_refusal="The read is too large for Terraform"
    plan "$ceiling_cli" "ceiling/over" accounts
    plan_refusal=
    stop_sim
  fi
fi
section
run_ms=$(($(now_ms) - run_t0))
for cli in "${clis[@]}"; do record "time/plans/$cli" $(((plan_ms[$cli] + 500) / 1000)); done

# --- report -----------------------------------------------------------------
# ratio A B: A/B to two decimals, "-" when either is missing.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.2f\n", a / b }'; }
mb() { awk -v a="$1" 'BEGIN { if (a == "-") print "-"; else printf "%.1f\n", a / 1e6 }'; }
minus() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-") print "-"; else print a - b }'; }
# plus A B...: the sum, "-" when any is missing.
plus() { awk 'BEGIN { for (i = 1; i < ARGC; i++) { if (ARGV[i] == "-") { print "-"; exit } s += ARGV[i] } print s }' "$@"; }
# m KEY: the median of the values recorded under KEY, or "-". All medians are
# worked out in one pass: a pipeline per figure took a minute on a busy machine.
declare -A medians=()
while IFS=$'\t' read -r key value; do medians[$key]=$value; done < <(
  sort -t $'\t' -k1,1 -k2,2g "$results" | awk -F'\t' '
    function flush() { if (n) print key "\t" (n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2) }
    $1 != key { flush(); key = $1; n = 0 }
    { v[++n] = $2 }
    END { flush() }')
m() { echo "${medians[$1]:--}"; }

log "writing $out"
{
  echo "# Benchmarks"
  echo
  echo "Written by \`make bench\` (bench/run.sh) on $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . 2>/dev/null || echo ' plus uncommitted changes'); the run took $(mmss "$run_ms")."
  echo "Machine: $(nproc) CPUs ($(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)), $(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) memory,"
  echo "load average $(cut -d' ' -f1-3 /proc/loadavg) at the end$(awk -v n="$(nproc)" '{ if ($1 > n) print ": a busy machine, so wall times are noisy; CPU times (user+sys of the measured process) and ratios from the same run are the figures to trust" }' /proc/loadavg)."
  cli_list= sep=
  for cli in "${clis[@]}"; do cli_list+="$sep${cli_version[$cli]} ($cli)"; sep=', '; done
  echo "CLIs: $cli_list; $(go version | cut -d' ' -f3). cerbysim on loopback with $members members (10 accounts each), page size 100."
  echo "Each figure is the median of $runs run$([ "$runs" = 1 ] || echo s), except the fan-out, run once (one to four minutes per plan), and, in the sections on the jobs below, the inventory's fan-out from $fanout_once_from members, the policy gates from $gate_once_from accounts and the reads at the ceiling, each run once per CLI. Serial paging is measured at 1k and 10k accounts."
  # What only the base plans, as a phrase.
  only_base=()
  if [ "${sizes[-1]}" -ge "$once_from" ] && [ ${#latencies[@]} -gt 1 ]; then
    only_base+=("the plans of $once_from accounts or more at latencies other than ${latencies[0]} (a CLI's own CPU is the same as at ${latencies[0]})")
  fi
  if [ ${#fanout_latencies[@]} -gt 0 ]; then
    only_base+=("the rate-limited fan-out (a test of the provider's limiter, which the CLI only paces)")
  fi
  only_base_text=
  if [ ${#only_base[@]} -gt 0 ]; then
    only_base_text=$(printf '%s and ' "${only_base[@]}")
    only_base_text=", except ${only_base_text% and }, which $([ ${#only_base[@]} = 1 ] && echo runs || echo run) on $base only"
  fi
  if [ ${#clis[@]} -gt 1 ]; then
    echo "The floor, the client and touch do not depend on the CLI and run once; every plan runs on each CLI, the runs taking turns across the CLIs$only_base_text. $base is the base the other CLIs are compared with."
  fi
  printf 'Seconds per section:'
  sep=' '
  for name in "${sections[@]}"; do printf '%s%s %s' "$sep" "$name" "$(m "time/$name")"; sep=', '; done
  echo "."
  printf 'Seconds of plans per CLI:'
  sep=' '
  for cli in "${clis[@]}"; do printf '%s%s %s' "$sep" "$cli" "$(m "time/plans/$cli")"; sep=', '; done
  if [ ${#clis[@]} -gt 1 ] && [ ${#only_base[@]} -gt 0 ]; then echo " ($base with the plans the others do not run)."; else echo "."; fi
  echo
  echo "## Listing accounts: the floor and the client"
  echo
  echo "The floor (bench/floor) fetches the same pages and decodes them into plain structs, nothing else; the client is bench/listing's Go benchmark (\`client.ListAccounts\`, default page_concurrency 4). CPU is the process's user+sys during the listing."
  echo
  echo "| latency | accounts | JSON MB | floor serial wall ms | floor 4-concurrent wall ms | serial / concurrent | floor CPU ms | client wall ms | client CPU ms | **client / floor CPU** | client alloc MB/op | allocs/op |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
  for lat in "${latencies[@]}"; do
    for n in "${sizes[@]}"; do
      k=$lat/$n
      echo "| $lat | $n | $(mb "$(m "$k/floor4/bytes")") | $(m "$k/floor1/wall_ms") | $(m "$k/floor4/wall_ms") | $(ratio "$(m "$k/floor1/wall_ms")" "$(m "$k/floor4/wall_ms")") | $(m "$k/floor4/fetch_cpu_ms") | $(m "$k/client/wall_ms") | $(m "$k/client/cpu_ms") | **$(ratio "$(m "$k/client/cpu_ms")" "$(m "$k/floor4/fetch_cpu_ms")")** | $(m "$k/client/alloc_mb") | $(m "$k/client/allocs") |"
    done
    k=$lat/users
    echo "| $lat | users ($members) | $(mb "$(m "$k/floor4/bytes")") | - | $(m "$k/floor4/wall_ms") | - | $(m "$k/floor4/fetch_cpu_ms") | $(m "$k/client/wall_ms") | $(m "$k/client/cpu_ms") | **$(ratio "$(m "$k/client/cpu_ms")" "$(m "$k/floor4/fetch_cpu_ms")")** | $(m "$k/client/alloc_mb") | $(m "$k/client/allocs") |"
  done
  echo
  echo "## Listing accounts: the Cerby API next to the Read API"
  echo
  if [ ${#apis[@]} = 0 ]; then echo "Not run (BENCH_APIS=0)."; echo; else
  echo "$api_accounts accounts at latency ${latencies[0]}, page size 100 on both APIs (the Read API's \`count\`, the Cerby API's \`page[size]\`), page_concurrency 4, the provider pointed at cerbysim's /v1 or /api/v1. Requests per listing: one listing by the client of a cerbysim in the same process, as the simulator's counters count the requests to that API's accounts listing (bench/listing's BenchmarkRequestsPerListing); the least a listing can take is ceil(accounts / page size). The client: bench/listing's Go benchmark against cerbysim as above. The plan: bench/tf/accounts under ${cli_version[$base]} ($base) only, the runs taking turns across the APIs, its requests counted from cerbysim's request log; provider CPU and RSS as in the provider tables below."
  echo
  echo "| $api_accounts accounts | Read API | Cerby API | Cerby / Read |"
  echo "|---|---|---|---|"
  # arow LABEL KEY-AFTER-API [BOLD]: one figure on each API and their ratio.
  arow() {
    local r c
    r=$(m "apis/read_api/$2") c=$(m "apis/cerby_api/$2")
    if [ -n "${3:-}" ]; then echo "| **$1** | **$r** | **$c** | **$(ratio "$c" "$r")** |"; else echo "| $1 | $r | $c | $(ratio "$c" "$r") |"; fi
  }
  arow "requests per listing at $api_accounts accounts (cerbysim's counters)" requests bold
  arow "least possible: ceil($api_accounts / 100)" pages
  arow "client wall ms" client/wall_ms
  arow "client CPU ms" client/cpu_ms bold
  arow "client alloc MB/op" client/alloc_mb
  arow "client allocs/op" client/allocs
  # brow LABEL FIGURE [BOLD]: the same, for the plans on the base CLI.
  brow() {
    local r c
    r=$(m "$base/apis/read_api/accounts/$2") c=$(m "$base/apis/cerby_api/accounts/$2")
    if [ -n "${3:-}" ]; then echo "| **$1** | **$r** | **$c** | **$(ratio "$c" "$r")** |"; else echo "| $1 | $r | $c | $(ratio "$c" "$r") |"; fi
  }
  brow "requests of the plan's listing ($base, cerbysim's request log)" requests
  brow "plan wall ms ($base)" wall_ms
  brow "provider CPU ms ($base)" provider_cpu_ms bold
  brow "of it sys ms" provider_sys_ms
  brow "provider peak RSS MB ($base)" provider_rss_mb
  echo
  fi
  # The comparison: the first latency, the two largest listings, the
  # unlimited fan-out.
  lat0=${latencies[0]}
  cmp_sizes=("${sizes[@]}")
  [ ${#sizes[@]} -le 2 ] || cmp_sizes=("${sizes[@]: -2}")
  fan_key=
  if [ ${#fanout_latencies[@]} -gt 0 ]; then fan_key=fanout/${fanout_latencies[0]}/none; fi
  echo "## Terraform's share, per CLI"
  echo
  echo "What each CLI costs for the same plans, with the same provider build: the plan's wall time and the CLI's own CPU (its process tree's user+sys less the provider processes'), at latency $lat0, for the $(echo "${cmp_sizes[@]}" | sed 's/ / and /')-account listing$([ ${#cmp_sizes[@]} = 1 ] || echo s)$([ -n "$fan_key" ] && echo " and the unlimited fan-out (${fanout_latencies[0]}; below), where the CLI's whole CPU is shown too"). In parentheses, the ratio to $base. CLI own / provider is how many times the provider's CPU the CLI spends on its part of the same plan. Each CLI's full table is in the next section."
  echo
  head_row="| CLI |" rule="|---|"
  for n in "${cmp_sizes[@]}"; do
    head_row+=" $n accounts: plan wall ms | $n: **CLI own CPU ms** | $n: CLI own / provider CPU |"
    rule+="---|---|---|"
  done
  if [ -n "$fan_key" ]; then
    head_row+=" fan-out: plan wall ms | fan-out: CLI CPU ms | fan-out: **CLI own CPU ms** | fan-out: CLI own / provider CPU |"
    rule+="---|---|---|---|"
  fi
  echo "$head_row"
  echo "$rule"
  # vs A B: "A (A/B)", or "-".
  vs() { if [ "$1" = - ]; then echo -; else echo "$1 ($(ratio "$1" "$2"))"; fi; }
  own() { minus "$(m "$1/total_cpu_ms")" "$(m "$1/provider_cpu_ms")"; }
  for cli in "${clis[@]}"; do
    line="| ${cli_version[$cli]} ($cli) |"
    for n in "${cmp_sizes[@]}"; do
      k=$cli/$lat0/$n/accounts b=$base/$lat0/$n/accounts
      line+=" $(vs "$(m "$k/wall_ms")" "$(m "$b/wall_ms")") | **$(vs "$(own "$k")" "$(own "$b")")** | $(ratio "$(own "$k")" "$(m "$k/provider_cpu_ms")") |"
    done
    if [ -n "$fan_key" ]; then
      k=$cli/$fan_key b=$base/$fan_key
      line+=" $(vs "$(m "$k/wall_ms")" "$(m "$b/wall_ms")") | $(vs "$(m "$k/total_cpu_ms")" "$(m "$b/total_cpu_ms")") | **$(vs "$(own "$k")" "$(own "$b")")** | $(ratio "$(own "$k")" "$(m "$k/provider_cpu_ms")") |"
    fi
    echo "$line"
  done
  echo
  echo "## The provider under each CLI's plan"
  echo
  echo "dev_overrides points at a wrapper that runs the provider under \`/usr/bin/time\`: provider CPU and peak RSS are the provider processes' own (the CLI starts it a few times per plan, as each table's heading says; CPU is their sum, RSS the largest). CLI CPU is the CLI's whole process tree; CLI own = CLI − provider. The floor CPU here is the floor process's whole CPU time (4 concurrent), like the provider's, and the same for every CLI. The fixed cost is the plan reading 5 accounts: the variable cost of a read is the provider's CPU (and the plan's wall time) minus that plan's, over the floor's CPU (wall time, 4 concurrent). RSS growth is over the 5-account read. In parentheses, the kernel (sys) part of the CPU time: mostly page faults, the first touch of fresh memory, which costs much on this virtual machine; the floor keeps nothing and reuses the same few MB, while the provider must hold the whole state and gRPC's copy of it. The ideal provider is the least a provider served through terraform-plugin-go could cost on this machine: the floor's work, plus being started as many times as the CLI starts it (the 5-account read's provider CPU under that CLI, same latency), plus writing the state once and gRPC copying it once, each into fresh memory (bench/touch, run here; the state is taken as 0.9 times the JSON, the ratio of msgpack to JSON that BenchmarkReadDataSource measures). Ideal / floor is what the machine and the protocol cost; the gap between the provider and the ideal is ours. A CLI's table leaves out the plans it did not run (see the top)."
  # prow CLI LATENCY LABEL KEY FLOOR-KEY TOUCH-KEY: a row of CLI's table, none
  # when CLI did not plan KEY.
  prow() {
    local cli=$1 lat=$2 k=$1/$4 cpu rss wall floor=- floor_wall=- growth=- json=- floor_sys=- ideal=- ideal_sys=-
    local five=$1/$2/five five_rss five_cpu five_sys five_wall
    wall=$(m "$k/wall_ms")
    [ "$wall" != - ] || return 0
    five_rss=$(m "$five/provider_rss_mb") five_cpu=$(m "$five/provider_cpu_ms") five_sys=$(m "$five/provider_sys_ms") five_wall=$(m "$five/wall_ms")
    cpu=$(m "$k/provider_cpu_ms") rss=$(m "$k/provider_rss_mb")
    if [ -n "$5" ]; then
      floor=$(m "$5/cpu_ms") floor_wall=$(m "$5/wall_ms") json=$(m "$5/bytes") growth=$(minus "$rss" "$five_rss") floor_sys=$(m "$5/sys_ms")
      ideal=$(plus "$floor" "$five_cpu" "$(m "$6/cpu_ms")") ideal_sys=$(plus "$floor_sys" "$five_sys" "$(m "$6/sys_ms")")
    fi
    echo "| $lat | $3 | $wall | $(m "$k/total_cpu_ms") | $(minus "$(m "$k/total_cpu_ms")" "$cpu") | $cpu ($(m "$k/provider_sys_ms")) | $floor ($floor_sys) | **$(ratio "$cpu" "$floor")** | $ideal ($ideal_sys) | **$(ratio "$ideal" "$floor")** | **$(ratio "$(minus "$cpu" "$five_cpu")" "$floor")** | $(ratio "$(minus "$wall" "$five_wall")" "$floor_wall") | $rss | $growth | $(mb "$json") | **$(ratio "$growth" "$(awk -v j="$json" 'BEGIN { if (j == "-") print "-"; else print j / 1048576 }')")** |"
  }
  for cli in "${clis[@]}"; do
    echo
    echo "### ${cli_version[$cli]} ($cli): the provider started $(m "$cli/$lat0/five/providers_started") times per plan"
    echo
    echo "| latency | read | plan wall ms | CLI CPU ms | CLI own CPU ms | provider CPU ms (of it sys) | floor CPU ms (of it sys) | **provider / floor CPU** | ideal provider CPU ms (of it sys) | **ideal / floor CPU** | **(provider − 5-account read) / floor CPU** | (plan wall − 5-account plan) / floor wall | provider peak RSS MB | RSS growth MB | JSON MB | **growth / JSON** |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
    for lat in "${latencies[@]}"; do
      prow "$cli" "$lat" "empty configuration (the CLI alone)" "$lat/empty" "" ""
      prow "$cli" "$lat" "cerby_accounts, 5 accounts (fixed cost)" "$lat/five" "" ""
      for n in "${sizes[@]}"; do prow "$cli" "$lat" "cerby_accounts, $n accounts" "$lat/$n/accounts" "$lat/$n/floor4" "touch/$n"; done
      prow "$cli" "$lat" "cerby_users, $members members" "$lat/users" "$lat/users/floor4" "touch/users"
    done
  done
  echo
  echo "## Fan-out: cerby_user_accounts for each of 1000 members"
  echo
  if [ ${#fanout_latencies[@]} = 0 ]; then echo "Not run (BENCH_FANOUT=0)."; else
  echo "\`for_each\` over the ids of \`cerby_users\` (max_items 1000) at the CLI's default parallelism (10); 1000 requests plus the users' pages, one plan each: the unlimited run under each CLI, the limited run under $base. Requests are counted from cerbysim's request log, each line stamped with the time the request arrived (\`-log-arrival\`, microseconds). \"Never exceeds requests_per_second\" is counted as the most requests in any 1 s window, sliding and half-open (a request at t and one at t + 1 s fall in different windows): internal/client's limiter is a token bucket of size one (a burst of 1, per provider process, retries included), meant to start requests 1/requests_per_second apart, so no such window should hold more than requests_per_second of them. Also shown: the most in one clock second (coarser, as cerbysim's own rate limit counts), and the shortest time that requests_per_second + 1 consecutive requests took (under 1000 ms is a window over the limit). cerbysim's rate limit (\`-rate-limit\`, 429 beyond that many requests in one clock second) is on in the limited run, between the limit and the unlimited run's peak, and off in the unlimited run so that its peak is not cut. The limit binds when the unlimited run's peak is above it; the limited run passes when no 1 s window holds more than the limit and cerbysim answered no 429."
  echo
  echo "| CLI | latency | requests_per_second | cerbysim rate limit | plan wall ms | CLI CPU ms | CLI own CPU ms | provider CPU ms | provider peak RSS MB | requests | average req/s | **max in any 1 s (sliding)** | max in one clock second | shortest $((fanout_rps + 1)) consecutive, ms | 429 answers | verdict |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
  fi
  for lat in "${fanout_latencies[@]}"; do
    for rps in none "$fanout_rps"; do
      fanout_clis=("${clis[@]}")
      [ "$rps" = none ] || fanout_clis=("$base")
      for cli in "${fanout_clis[@]}"; do
        k=$cli/fanout/$lat/$rps
        if [ "$rps" = none ]; then
          verdict=$(awk -v p="$(m "$k/max_sliding_second")" -v l="$fanout_rps" 'BEGIN { if (p == "-") print "-"; else if (p > l) printf "peak %d > %d: the limit binds\n", p, l; else printf "peak %d ≤ %d: the limit does not bind\n", p, l }')
        else
          verdict=$(awk -v s="$(m "$k/max_sliding_second")" -v e="$(m "$k/429s")" -v l="$rps" 'BEGIN { if (s == "-") print "-"; else if (s <= l && e == 0) printf "**pass**: at most %d in any 1 s, no 429\n", l; else printf "**FAIL**: %d in 1 s over a limit of %d, %d answered 429\n", s, l, e }')
        fi
        echo "| $cli | $lat | $rps | $(m "$k/sim_rate_limit") | $(m "$k/wall_ms") | $(m "$k/total_cpu_ms") | $(own "$k") | $(m "$k/provider_cpu_ms") | $(m "$k/provider_rss_mb") | $(m "$k/requests") | $(m "$k/average_per_second") | **$(m "$k/max_sliding_second")** | $(m "$k/max_clock_second") | $(m "$k/shortest_limit_plus_one_ms") | $(m "$k/429s") | $verdict |"
      done
    done
  done
  echo
  # own_of KEY: the CLI's own CPU; a CLI killed at the limit did not wait
  # for its providers, so its CPU is its own alone.
  own_of() { if [ "$(m "$1/cli_killed")" = 1 ]; then m "$1/total_cpu_ms"; else own "$1"; fi; }
  # atleast KEY VALUE: VALUE, as a lower bound ("≥ VALUE") when KEY's plan
  # was cut short.
  atleast() { if [ "$(m "$1/cut_short")" = 1 ] && [ "$2" != - ]; then echo "≥ $2"; else echo "$2"; fi; }
  echo "## Inventory: cerby_access against the fan-out"
  echo
  if [ ${#inventory_members[@]} = 0 ]; then echo "Not run (BENCH_INVENTORY=0)."; else
  echo "Who can reach what, for every member cerby_users lists (all but the one in 13 that cerbysim generates as only in the IdP), each reaching 10 of $inventory_accounts accounts, at ${inventory_latency_ms} ms: \`cerby_access\` (bench/tf/access, one read; the provider reads the members' accounts $access_concurrency at a time) against the fan-out of one \`cerby_user_accounts\` per member through \`for_each\` (bench/tf/fanout, the CLI's parallelism of $fanout_parallelism). One \`plan -out\` each; the fan-out runs once per CLI from $fanout_once_from members (it takes minutes), every other figure is the median of $runs. CLI own CPU = the CLI's process tree less the provider processes. Peak RSS: the CLI's process tree (the CLI or a provider, whichever is larger) and the provider processes. State: the state the plan file holds (its tfstate, which apply writes as it is). Requests: cerbysim's request log, every GET of the plan (of them, one per member read). The latency bound is requests × ${inventory_latency_ms} ms ÷ concurrency ($access_concurrency for \`cerby_access\`, the CLI's $fanout_parallelism for the fan-out); the fixed cost is the 5-account plan at the same latency on the same CLI. Targets (issue 12): at $cpu_target_from members, the CLI's own CPU at least 10 times lower with \`cerby_access\` than with the fan-out on every CLI; \`cerby_access\`'s wall time within 1.25 times the latency bound plus the fixed cost.$([ -n "$fanout_limit_s" ] && echo " A fan-out still running after ${fanout_limit_s} s is stopped there (SIGINT, as Ctrl-C; BENCH_FANOUT_LIMIT) and shown cut short: its figures are what it had spent by then (≥), its requests how far it got; it leaves no plan file, so no state. A CLI's cost per member grows with the members it holds, so a full fan-out of 10k members would take far longer than ten times the 1k one.")"
  echo
  echo "| CLI | members | read | plan wall ms | CLI CPU ms | **CLI own CPU ms** | provider CPU ms | CLI tree peak RSS MB | provider peak RSS MB | state MB | requests (members read) | latency bound ms | fixed cost ms | **wall / (bound + fixed)** |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
  # bound REQUESTS CONCURRENCY: the latency bound in ms.
  bound() { awk -v r="$1" -v c="$2" -v l="$inventory_latency_ms" 'BEGIN { if (r == "-") print "-"; else printf "%d\n", r * l / c }'; }
  for cli in "${clis[@]}"; do
    fixed=$(m "$cli/inventory/five/wall_ms")
    for n in "${inventory_members[@]}"; do
      for read in access fanout; do
        k=$cli/inventory/$n/$read
        conc=$access_concurrency label="cerby_access"
        [ "$read" = access ] || { conc=$fanout_parallelism label="fan-out"; }
        b=$(bound "$(m "$k/requests")" "$conc") cut=
        [ "$(m "$k/cut_short")" != 1 ] || cut=" (cut short at ${fanout_limit_s}s)" b=-
        echo "| $cli | $n | $label$cut | $(atleast "$k" "$(m "$k/wall_ms")") | $(atleast "$k" "$(m "$k/total_cpu_ms")") | **$(atleast "$k" "$(own_of "$k")")** | $(atleast "$k" "$(m "$k/provider_cpu_ms")") | $(atleast "$k" "$(m "$k/cli_rss_mb")") | $(atleast "$k" "$(m "$k/provider_rss_mb")") | $(mb "$(m "$k/state_bytes")") | $(atleast "$k" "$(m "$k/requests")") ($(m "$k/member_requests")) | $b | $fixed | **$(ratio "$(m "$k/wall_ms")" "$(plus "$b" "$fixed")")** |"
      done
    done
  done
  echo
  echo "| CLI | members | fan-out / cerby_access: **CLI own CPU** | fan-out / cerby_access: CLI CPU | fan-out / cerby_access: wall | fan-out / cerby_access: state | **target: own CPU ratio ≥ 10 at $cpu_target_from** | **target: cerby_access wall ≤ 1.25 × (bound + fixed)** |"
  echo "|---|---|---|---|---|---|---|---|"
  for cli in "${clis[@]}"; do
    fixed=$(m "$cli/inventory/five/wall_ms")
    for n in "${inventory_members[@]}"; do
      a=$cli/inventory/$n/access f=$cli/inventory/$n/fanout
      cpu_ratio=$(ratio "$(own_of "$f")" "$(own "$a")")
      cpu_verdict=-
      if [ "$n" -ge "$cpu_target_from" ]; then
        cpu_verdict=$(awk -v r="$cpu_ratio" -v cut="$(m "$f/cut_short")" 'BEGIN { if (r == "-") print "-"; else if (r >= 10) print "**pass**"; else if (cut == 1) print "not known (cut short)"; else print "**FAIL**" }')
      fi
      wall_ratio=$(ratio "$(m "$a/wall_ms")" "$(plus "$(bound "$(m "$a/requests")" "$access_concurrency")" "$fixed")")
      wall_verdict=$(awk -v r="$wall_ratio" 'BEGIN { if (r == "-") print "-"; else if (r <= 1.25) printf "**pass** (%s)\n", r; else printf "**FAIL** (%s)\n", r }')
      echo "| $cli | $n | **$(atleast "$f" "$cpu_ratio")** | $(atleast "$f" "$(ratio "$(m "$f/total_cpu_ms")" "$(m "$a/total_cpu_ms")")") | $(atleast "$f" "$(ratio "$(m "$f/wall_ms")" "$(m "$a/wall_ms")")") | $(ratio "$(m "$f/state_bytes")" "$(m "$a/state_bytes")") | $cpu_verdict | $wall_verdict |"
    done
  done
  fi
  echo
  echo "## Policy gate: data sources against ephemeral reads"
  echo
  if [ ${#gate_sizes[@]} = 0 ]; then echo "Not run (BENCH_GATE=0)."; else
  # atmost KEY VALUE: VALUE, as an upper bound ("≤ VALUE") when KEY's plan,
  # the denominator, was cut short.
  atmost() { if [ "$(m "$1/cut_short")" = 1 ] && [ "$2" != - ]; then echo "≤ $2"; else echo "$2"; fi; }
  echo "The three policies of examples/policy (\`cerby_accounts\`, \`cerby_users\` and one \`cerby_user_accounts\` per disabled member, all kept in state) against examples/policy-ephemeral (ephemeral \`cerby_accounts\`, \`cerby_users\` of the guests and \`cerby_access\` of the disabled members, kept nowhere), at latency $gate_latency, $members members of 10 accounts each, on a workspace both pass (bench/gatews: cerbysim's with MFA on everywhere, the accounts guests created created by the workspace owner instead, and the disabled members reaching nothing; the gates still read all they read on a violating one). One \`plan -out\` each, the median of $runs, once per CLI from $gate_once_from accounts. The ephemeral gate runs only on the CLIs that have ephemeral resources (terraform 1.10 and later, tofu 1.11 and later)$([ -d examples/policy-ephemeral ] || echo "; examples/policy-ephemeral was missing, so it did not run"). State: the plan file's tfstate (what apply writes); plan file: its size on disk (a zip). Requests: every GET of the plan, from cerbysim's request log.$([ -n "$gate_limit_s" ] && echo " A data-source gate still running after ${gate_limit_s} s is stopped there (SIGINT, as Ctrl-C; BENCH_GATE_LIMIT) and shown cut short: its figures are what it had spent by then (≥), it leaves no plan file, and the ratios to it are upper bounds (≤).")"
  echo
  echo "| CLI | accounts | gate | plan wall ms | CLI CPU ms | **CLI own CPU ms** | provider CPU ms | CLI tree peak RSS MB | provider peak RSS MB | **state bytes** | **plan file bytes** | requests |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
  for cli in "${clis[@]}"; do
    for n in "${gate_sizes[@]}"; do
      for gate in "${gates[@]}"; do
        k=$cli/gate/$n/$gate
        [ "$(m "$k/wall_ms")" != - ] || continue
        label="data sources"
        [ "$gate" = datasource ] || label="ephemeral"
        echo "| $cli | $n | $label | $(atleast "$k" "$(m "$k/wall_ms")") | $(atleast "$k" "$(m "$k/total_cpu_ms")") | **$(atleast "$k" "$(own_of "$k")")** | $(atleast "$k" "$(m "$k/provider_cpu_ms")") | $(m "$k/cli_rss_mb") | $(m "$k/provider_rss_mb") | **$(m "$k/state_bytes")** | **$(m "$k/plan_file_bytes")** | $(atleast "$k" "$(m "$k/requests")") |"
      done
    done
  done
  echo
  echo "| CLI | accounts | ephemeral / data sources: wall | CLI CPU | **CLI own CPU** | provider CPU | state | plan file |"
  echo "|---|---|---|---|---|---|---|---|"
  for cli in "${clis[@]}"; do
    for n in "${gate_sizes[@]}"; do
      d=$cli/gate/$n/datasource e=$cli/gate/$n/ephemeral
      [ "$(m "$e/wall_ms")" != - ] || continue
      echo "| $cli | $n | $(atmost "$d" "$(ratio "$(m "$e/wall_ms")" "$(m "$d/wall_ms")")") | $(atmost "$d" "$(ratio "$(m "$e/total_cpu_ms")" "$(m "$d/total_cpu_ms")")") | **$(atmost "$d" "$(ratio "$(own "$e")" "$(own_of "$d")")")** | $(ratio "$(m "$e/provider_cpu_ms")" "$(m "$d/provider_cpu_ms")") | $(ratio "$(m "$e/state_bytes")" "$(m "$d/state_bytes")") | $(ratio "$(m "$e/plan_file_bytes")" "$(m "$d/plan_file_bytes")") |"
    done
  done
  fi
  echo
  echo "## The protocol ceiling: the largest full read"
  echo
  if [ "${BENCH_CEILING:-1}" = 0 ]; then echo "Not run (BENCH_CEILING=0)."; else
  echo "terraform-plugin-go sends at most 256 MiB in one message; the provider refuses a state over 256 MiB less 1 MiB (267,386,880 bytes) with a diagnostic that names the items, the bytes and how to narrow the read. bench/ceiling reads each listing in process through the provider's ReadDataSource (the msgpack state the CLI gets) at two workspace sizes, on each API; bytes per item is the slope between them, and the items at the ceiling are where that line reaches 267,386,880 bytes. Generated names and emails carry the item's number (accounts are measured at 100k and 150k, six digits as at the ceiling; members at 10k and 20k, a byte or so shorter than at the ceiling; grants, ten per member, have no names). The Cerby API's accounts are smaller: it leaves more attributes null. $([ "$ceiling_confirm" = 1 ] && echo "The accounts are then read at that count, which must fit, and 2% over it, which the provider must refuse with its diagnostic.")"
  echo
  echo "| listing | API | bytes per item | items at the ceiling | read at that count: state bytes | 2% over: items | refused with the diagnostic |"
  echo "|---|---|---|---|---|---|---|"
  for ds in "${ceiling_listings[@]}"; do
    for api in "${apis_all[@]}"; do
      k=ceiling/$api/$ds
      refused=$(m "$k/over-refused")
      case $refused in 1) refused="**yes**" ;; 0) refused="**NO**" ;; esac
      echo "| $ds | $api | $(m "$k/bytes/item") | **$(m "$k/items-at-ceiling")** | $(m "$k/confirm-state-bytes") | $(m "$k/over-items") | $refused |"
    done
  done
  if [ "$ceiling_confirm" = 1 ]; then
    echo
    echo "The largest full read through a real CLI: $(m ceiling/read_api/cerby_accounts/confirm-items) accounts on the Read API, a state of $(m ceiling/read_api/cerby_accounts/confirm-state-bytes) bytes, planned once (bench/tf/accounts, latency 0 s) under ${cli_version[$ceiling_cli]} ($ceiling_cli), and $(m ceiling/read_api/cerby_accounts/over-items) accounts, which the CLI reports refused with the provider's diagnostic."
    echo
    echo "| CLI | accounts | outcome | plan wall ms | CLI CPU ms | **CLI own CPU ms** | provider CPU ms | CLI tree peak RSS MB | provider peak RSS MB |"
    echo "|---|---|---|---|---|---|---|---|---|"
    for what in fit over; do
      k=$ceiling_cli/ceiling/$what
      items=$(m ceiling/read_api/cerby_accounts/confirm-items) outcome="planned"
      [ "$what" = fit ] || { items=$(m ceiling/read_api/cerby_accounts/over-items) outcome="refused: The read is too large for Terraform"; }
      echo "| $ceiling_cli | $items | $outcome | $(m "$k/wall_ms") | $(m "$k/total_cpu_ms") | **$(own "$k")** | $(m "$k/provider_cpu_ms") | $(m "$k/cli_rss_mb") | $(m "$k/provider_rss_mb") |"
    done
  fi
  fi
} >"$out.tmp"
if [ -f bench/NOTES.md ]; then { echo; cat bench/NOTES.md; } >>"$out.tmp"; fi
mv "$out.tmp" "$out"
cp "$results" "${out%.md}.tsv"
log "done: $out; the run took $(mmss "$run_ms")"
