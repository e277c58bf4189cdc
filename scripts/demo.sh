#!/usr/bin/env bash
# make demo: runs examples/demo against a local Cerby simulator and prints its
# report. Needs nothing but Go: the pinned CLI is built if missing (DEMO_CLI:
# terraform, the default, for the newest terraform of scripts/clis.txt; tofu;
# or an exact id such as terraform-1.5.7), the provider is built and used
# through dev_overrides (no init, so no registry is needed), and the simulator
# is stopped on exit, whatever happens. The simulator serves both APIs at
# once; DEMO_API picks the one the provider reads: cerby_api, the default
# (the Cerby API, what a key made today is for), or read_api (the legacy Read
# API).
set -euo pipefail
cd "$(dirname "$0")/.."

api="${DEMO_API:-cerby_api}"
case "$api" in
  cerby_api) api_name="the Cerby API" ;;
  read_api) api_name="the Read API" ;;
  *) echo "DEMO_API=$api: use cerby_api (the default) or read_api" >&2; exit 2 ;;
esac
cli="$(bash scripts/clis.sh "${DEMO_CLI:-terraform}")" || { echo "DEMO_CLI: see above" >&2; exit 2; }
bash scripts/install-clis.sh "$cli"
bin="$(bash scripts/clis.sh --path "$cli")"
SECONDS=0

work="$(mktemp -d)"
sim_pid=""
cleanup() {
  if [ -n "$sim_pid" ]; then
    kill "$sim_pid" 2>/dev/null || true
    wait "$sim_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "building the provider and the simulator"
go build -trimpath -o "$work/provider/terraform-provider-cerby" .
go build -trimpath -o "$work/cerbysim" ./cmd/cerbysim

"$work/cerbysim" -quiet -ready-file "$work/ready" >/dev/null 2>"$work/cerbysim.log" &
sim_pid=$!
for _ in $(seq 100); do
  [ -f "$work/ready" ] && break
  if ! kill -0 "$sim_pid" 2>/dev/null; then
    echo "cerbysim did not start:" >&2; cat "$work/cerbysim.log" >&2; exit 1
  fi
  sleep 0.1
done
[ -f "$work/ready" ] || { echo "cerbysim did not get ready within 10s" >&2; exit 1; }

# Only the simulator's settings reach the provider, never the developer's.
unset CERBY_API CERBY_API_KEY CERBY_BEARER_TOKEN CERBY_WORKSPACE CERBY_ENDPOINT CERBY_CA_CERTIFICATE_FILE TF_LOG
set -a
# shellcheck source=/dev/null
. "$work/ready" # CERBY_ENDPOINT (the Read API's), CERBY_API_KEY, CERBY_API_ENDPOINT (the Cerby API's)
set +a
# The endpoint's path would pick the API by itself; CERBY_API says it too.
export CERBY_API="$api"
# The demo's configuration cannot see CERBY_API: var.api tells it which
# policies it can judge (the Read API has no MFA status and no vaults).
export TF_VAR_api="$api"
if [ "$api" = cerby_api ]; then
  CERBY_ENDPOINT="${CERBY_API_ENDPOINT:?the ready file of cerbysim names no Cerby API endpoint}"
fi
unset CERBY_API_ENDPOINT

cat >"$work/cli.tfrc" <<EOT
provider_installation {
  dev_overrides {
    "registry.terraform.io/cerby-community/cerby" = "$work/provider"
    "registry.opentofu.org/cerby-community/cerby" = "$work/provider"
  }
  direct {}
}
EOT
export TF_CLI_CONFIG_FILE="$work/cli.tfrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1

# A copy, so no state lands in the checkout; -L follows the link to the
# policy findings.
mkdir "$work/demo"
cp -L examples/demo/*.tf "$work/demo/"

echo "running $("$bin" version | head -n 1) apply over examples/demo on $api_name (CERBY_API=$api) against cerbysim at $CERBY_ENDPOINT"
if ! "$bin" -chdir="$work/demo" apply -auto-approve -no-color >"$work/apply.log" 2>&1; then
  cat "$work/apply.log" >&2
  exit 1
fi
echo
"$bin" -chdir="$work/demo" output -raw report
echo "demo done on $api_name (DEMO_API=$api) in ${SECONDS}s (after the CLI build); the simulator is stopped"
