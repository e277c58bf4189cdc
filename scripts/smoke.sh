#!/usr/bin/env bash
# Opt-in smoke test: plans scripts/smoke/main.tf with the provider built from
# this checkout against a real Cerby workspace. Not part of `make test`.
set -euo pipefail

if [ -z "${CERBY_API_KEY:-}" ] && [ -z "${CERBY_BEARER_TOKEN:-}" ]; then
  cat <<'MSG'
make smoke: skipped, no credential in the environment.
It runs a few reads against a real Cerby workspace and needs:
  CERBY_API_KEY       an API key with the "Read accounts" and "Read users" scopes
                      (or CERBY_BEARER_TOKEN, a bearer token from Profile -> Dev Tools)
  CERBY_WORKSPACE     optional, your workspace subdomain
  CERBY_ENDPOINT      optional, defaults to https://api.cerby.com
  SMOKE_READ_USERS=0  optional, skip the member reads (no "Read users" scope or Admin role)
MSG
  exit 0
fi

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$repo/scripts/install-clis.sh" terraform
terraform="$(bash "$repo/scripts/clis.sh" --path terraform)"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "building the provider into $work/plugin"
(cd "$repo" && go build -trimpath -o "$work/plugin/terraform-provider-cerby" .)

# dev_overrides: terraform uses the binary just built, no init, no registry.
cat >"$work/cli.tfrc" <<TFRC
provider_installation {
  dev_overrides {
    "registry.terraform.io/cerby-community/cerby"  = "$work/plugin"
    "registry.opentofu.org/cerby-community/cerby" = "$work/plugin"
  }
  direct {}
}
TFRC
mkdir "$work/config"
cp "$repo/scripts/smoke/main.tf" "$work/config/"

read_users=true
[ "${SMOKE_READ_USERS:-1}" = 0 ] && read_users=false

# Colour codes only help on a terminal; CI logs get plain text.
color=()
[ -t 1 ] || color=(-no-color)

cd "$work/config"
TF_CLI_CONFIG_FILE="$work/cli.tfrc" CHECKPOINT_DISABLE=1 \
  "$terraform" plan -input=false -lock=false "${color[@]}" -var "read_users=$read_users"
