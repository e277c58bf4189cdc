#!/usr/bin/env bash
# make bench: the floor, the client and the provider under the pinned
# terraform, against cerbysim on loopback, written to bench/RESULTS.md.
#
#   BENCH_QUICK=1   1k and 10k accounts only (development)
#   BENCH_RUNS=n    runs per figure (default 3); the median is reported
#   BENCH_OUT=file  where to write the table (default bench/RESULTS.md)
#
# CPU times are user+sys of the measured process (getrusage), so that they
# hold on a busy machine better than wall times do.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${BENCH_RUNS:-3}
sizes=(1000 10000 100000)
[ "${BENCH_QUICK:-0}" = 1 ] && sizes=(1000 10000)
latencies=(0s 50ms)
members=10000
out=${BENCH_OUT:-bench/RESULTS.md}
tools_bin="${CERBY_TOOLS_DIR:-$HOME/.cache/terraform-provider-cerby}/bin"

work=$(mktemp -d)
sim_pid=
stop_sim() {
  if [ -n "$sim_pid" ]; then kill "$sim_pid" 2>/dev/null || true; wait "$sim_pid" 2>/dev/null || true; fi
  sim_pid=
}
trap 'stop_sim; rm -rf "$work"' EXIT
log() { printf '==> %s\n' "$*" >&2; }

# --- build ------------------------------------------------------------------
bash scripts/install-clis.sh terraform >&2
terraform=$tools_bin/terraform
log "building cerbysim, the floor, the client benchmark and the provider"
go build -o "$work/cerbysim" ./cmd/cerbysim
go build -o "$work/floor" ./bench/floor
go test -c -o "$work/listing.test" ./bench/listing
mkdir -p "$work/real" "$work/override"
go build -trimpath -o "$work/real/terraform-provider-cerby" .
# dev_overrides points at this wrapper, which records the provider process's
# own CPU time and peak RSS (one line per process the CLI starts).
cat >"$work/override/terraform-provider-cerby" <<EOF
#!/bin/sh
exec /usr/bin/time -f '%U %S %M' -a -o "\$BENCH_PROVIDER_TIMES" "$work/real/terraform-provider-cerby" "\$@"
EOF
chmod +x "$work/override/terraform-provider-cerby"
cat >"$work/cli.tfrc" <<EOF
provider_installation {
  dev_overrides {
    "registry.terraform.io/cerby-community/cerby" = "$work/override"
  }
  direct {}
}
EOF

# --- recording --------------------------------------------------------------
results=$work/results.tsv
: >"$results"
record() { printf '%s\t%s\n' "$1" "$2" >>"$results"; }
# median KEY prints the median of the values recorded under KEY, or "-".
median() {
  awk -F'\t' -v k="$1" '$1 == k { print $2 }' "$results" | sort -g |
    awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
count() { awk -F'\t' -v k="$1" '$1 == k' "$results" | wc -l | tr -d ' '; }

# start_sim ACCOUNTS LATENCY [LOGFILE]: a fresh simulator; its settings are
# exported as CERBY_ENDPOINT and CERBY_API_KEY.
start_sim() {
  local ready=$work/ready log=${3:-}
  rm -f "$ready"
  local args=(-accounts "$1" -members "$members" -access 10 -latency "$2" -ready-file "$ready")
  if [ -n "$log" ]; then
    # Each log line stamped with the second it arrived in.
    "$work/cerbysim" "${args[@]}" >/dev/null 2> >(while IFS= read -r line; do printf '%(%s)T %s\n' -1 "$line"; done >"$log") &
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
rss_mb() { awk '/^[0-9.]+ [0-9.]+ [0-9]+$/ { if ($3 > m) m = $3 } END { printf "%.1f\n", m / 1024 }' "$1"; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# floor KEY KIND CONCURRENCY: one run of the floor program.
floor() {
  local line
  line=$(/usr/bin/time -f '%U %S %M' -o "$work/floor.time" "$work/floor" -kind "$2" -concurrency "$3")
  record "$1/wall_ms" "$(jq -r '.wall_ns / 1e6 | floor' <<<"$line")"
  record "$1/fetch_cpu_ms" "$(jq -r '.cpu_ns / 1e6 | floor' <<<"$line")"
  record "$1/bytes" "$(jq -r .bytes <<<"$line")"
  record "$1/items" "$(jq -r .items <<<"$line")"
  record "$1/cpu_ms" "$(cpu_ms "$work/floor.time")"
  record "$1/rss_mb" "$(rss_mb "$work/floor.time")"
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

# plan KEY CONFIG [ARGS...]: one terraform plan of bench/tf/CONFIG; records the
# CLI's wall time and CPU (its own and the provider's, which it waits for) and
# the provider processes' CPU and peak RSS.
plan() {
  local key=$1 dir=bench/tf/$2 t0 t1
  shift 2
  : >"$work/provider.time"
  rm -rf "$dir/.terraform" "$dir/terraform.tfstate"
  t0=$(now_ms)
  if ! env -u TF_LOG TF_CLI_CONFIG_FILE="$work/cli.tfrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 \
    BENCH_PROVIDER_TIMES="$work/provider.time" \
    /usr/bin/time -f '%U %S %M' -o "$work/cli.time" \
    "$terraform" -chdir="$dir" plan -input=false -lock=false -no-color "$@" >"$work/plan.log" 2>&1; then
    cat "$work/plan.log" >&2
    echo "terraform plan of $dir failed" >&2
    exit 1
  fi
  t1=$(now_ms)
  record "$key/wall_ms" $((t1 - t0))
  record "$key/total_cpu_ms" "$(cpu_ms "$work/cli.time")"
  record "$key/provider_cpu_ms" "$(cpu_ms "$work/provider.time")"
  record "$key/provider_rss_mb" "$(rss_mb "$work/provider.time")"
  record "$key/providers_started" "$(grep -cE '^[0-9.]+ [0-9.]+ [0-9]+$' "$work/provider.time" || true)"
}

# --- listings ---------------------------------------------------------------
for lat in "${latencies[@]}"; do
  for n in "${sizes[@]}"; do
    log "latency $lat, $n accounts, $members members"
    start_sim "$n" "$lat"
    # Serial paging at 50 ms costs a minute at 100k without telling more than
    # one run does.
    serial_runs=$runs
    [ "$lat" != 0s ] && [ "$n" -ge 100000 ] && serial_runs=1
    for _ in $(seq "$serial_runs"); do floor "$lat/$n/floor1" accounts 1; done
    for _ in $(seq "$runs"); do floor "$lat/$n/floor4" accounts 4; done
    client "$lat/$n/client" ListAccounts
    # A plan of 100k accounts takes minutes of terraform's own CPU: one run.
    plan_runs=$runs
    [ "$n" -ge 100000 ] && plan_runs=1
    for _ in $(seq "$plan_runs"); do plan "$lat/$n/accounts" accounts; done
    if [ "$n" = "${sizes[0]}" ]; then
      for _ in $(seq "$runs"); do
        floor "$lat/users/floor4" users 4
        plan "$lat/five" five
        plan "$lat/users" users
        plan "$lat/empty" empty
      done
      client "$lat/users/client" ListUsers
    fi
    stop_sim
  done
done

# --- fan-out ----------------------------------------------------------------
# rps is per provider process, the CLI's parallelism is 10; cerbysim counts
# nothing per second by itself, so its request log is stamped as it arrives.
# A fan-out plan costs terraform minutes of CPU for 1000 instances: one run
# each, at the 50 ms latency of a real network.
fanout_rps=50
fanout_latencies=(50ms)
for lat in "${fanout_latencies[@]}"; do
  for rps in none "$fanout_rps"; do
    for _ in 1; do
      log "fan-out over 1000 members, latency $lat, requests_per_second $rps"
      start_sim 10000 "$lat" "$work/sim.log"
      args=()
      [ "$rps" != none ] && args=(-var "requests_per_second=$rps")
      plan "fanout/$lat/$rps" fanout "${args[@]}"
      stop_sim
      sleep 0.2 # the stamping loop drains the last lines
      record "fanout/$lat/$rps/requests" "$(awk '$2 == "GET"' "$work/sim.log" | wc -l | tr -d ' ')"
      record "fanout/$lat/$rps/max_per_second" "$(awk '$2 == "GET" { c[$1]++ } END { for (s in c) if (c[s] > m) m = c[s]; print m + 0 }' "$work/sim.log")"
      record "fanout/$lat/$rps/429s" "$(awk '$2 == "GET" && $4 == 429' "$work/sim.log" | wc -l | tr -d ' ')"
    done
  done
done

# --- report -----------------------------------------------------------------
# ratio A B: A/B to two decimals, "-" when either is missing.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.2f\n", a / b }'; }
mb() { awk -v a="$1" 'BEGIN { if (a == "-") print "-"; else printf "%.1f\n", a / 1e6 }'; }
minus() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-") print "-"; else print a - b }'; }
m() { median "$1"; }

log "writing $out"
{
  echo "# Benchmarks"
  echo
  echo "Written by \`make bench\` (bench/run.sh) on $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . 2>/dev/null || echo ' plus uncommitted changes')."
  echo "Machine: $(nproc) CPUs ($(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)), $(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) memory,"
  echo "load average $(cut -d' ' -f1-3 /proc/loadavg) at the end$(awk -v n="$(nproc)" '{ if ($1 > n) print ": a busy machine, so wall times are noisy; CPU times (user+sys of the measured process) and ratios from the same run are the figures to trust" }' /proc/loadavg)."
  echo "$("$terraform" version | head -n 1), $(go version | cut -d' ' -f3). cerbysim on loopback with $members members (10 accounts each), page size 100."
  echo "Each figure is the median of $runs runs, except the heaviest, run once: terraform plans of 100k accounts, serial paging of 100k accounts at 50 ms, and the fan-out."
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
  echo "## The provider under terraform plan"
  echo
  echo "dev_overrides points at a wrapper that runs the provider under \`/usr/bin/time\`: provider CPU and peak RSS are the provider processes' own (terraform starts it $(m "0s/five/providers_started") times per plan; CPU is their sum, RSS the largest). CLI CPU is terraform's whole process tree; CLI own = CLI − provider. The floor CPU here is the floor process's whole CPU time (4 concurrent), like the provider's. RSS growth is over the 5-account read."
  echo
  echo "| latency | read | plan wall ms | CLI CPU ms | CLI own CPU ms | provider CPU ms | floor CPU ms | **provider / floor CPU** | provider peak RSS MB | RSS growth MB | JSON MB | **growth / JSON** |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
  for lat in "${latencies[@]}"; do
    five_rss=$(m "$lat/five/provider_rss_mb")
    row() { # label key floor-key
      local cpu rss floor growth json
      cpu=$(m "$2/provider_cpu_ms") rss=$(m "$2/provider_rss_mb")
      floor=- growth=- json=-
      if [ -n "$3" ]; then
        floor=$(m "$3/cpu_ms") json=$(m "$3/bytes") growth=$(minus "$rss" "$five_rss")
      fi
      echo "| $lat | $1 | $(m "$2/wall_ms") | $(m "$2/total_cpu_ms") | $(minus "$(m "$2/total_cpu_ms")" "$cpu") | $cpu | $floor | **$(ratio "$cpu" "$floor")** | $rss | $growth | $(mb "$json") | **$(ratio "$growth" "$(awk -v j="$json" 'BEGIN { if (j == "-") print "-"; else print j / 1048576 }')")** |"
    }
    row "empty configuration (Terraform alone)" "$lat/empty" ""
    row "cerby_accounts, 5 accounts (fixed cost)" "$lat/five" ""
    for n in "${sizes[@]}"; do row "cerby_accounts, $n accounts" "$lat/$n/accounts" "$lat/$n/floor4"; done
    row "cerby_users, $members members" "$lat/users" "$lat/users/floor4"
  done
  echo
  echo "## Fan-out: cerby_user_accounts for each of 1000 members"
  echo
  echo "\`for_each\` over the ids of \`cerby_users\` (max_items 1000) at terraform's default parallelism (10); 1000 requests plus the users' pages. Requests per second are counted from cerbysim's request log (the largest count in one wall-clock second)."
  echo
  echo "| latency | requests_per_second | plan wall ms | provider CPU ms | provider peak RSS MB | requests | max requests in one second | 429 answers |"
  echo "|---|---|---|---|---|---|---|---|"
  for lat in "${fanout_latencies[@]}"; do
    for rps in none "$fanout_rps"; do
      k=fanout/$lat/$rps
      echo "| $lat | $rps | $(m "$k/wall_ms") | $(m "$k/provider_cpu_ms") | $(m "$k/provider_rss_mb") | $(m "$k/requests") | $(m "$k/max_per_second") | $(m "$k/429s") |"
    done
  done
} >"$out.tmp"
if [ -f bench/NOTES.md ]; then { echo; cat bench/NOTES.md; } >>"$out.tmp"; fi
mv "$out.tmp" "$out"
cp "$results" "${out%.md}.tsv"
log "done: $out"
