#!/usr/bin/env bash
# Runs the acceptance tests (TestAcc*) against one pinned CLI built by
# scripts/install-clis.sh.
#   scripts/testacc.sh <cli> [packages...]
# <cli> is an id of scripts/clis.txt (e.g. terraform-1.16.2) or a kind
# (terraform, tofu) for the newest of it; packages default to
# ./internal/provider/. terraform-plugin-testing gets the CLI through
# TF_ACC_TERRAFORM_PATH, clitest-based packages through CERBY_TEST_CLIS.
# TESTFLAGS adds go test flags (a later -run wins over the default).
# VERBOSE=1 shows every test's output; otherwise only failures, the package
# results and a summary line naming the CLI. The run fails on a failure, on
# no test run, and on any skip but a tfversion version gate
# (scripts/testsummary).
set -euo pipefail
cd "$(dirname "$0")/.."

[ $# -ge 1 ] || { echo "usage: $0 <cli id or kind> [packages...]" >&2; exit 2; }
id="$(bash scripts/clis.sh "$1")"
shift
packages=("${@:-./internal/provider/}")
bin="$(bash scripts/clis.sh --path "$id")"
if [ ! -x "$bin" ]; then
  echo "error: $bin is missing; build it with scripts/install-clis.sh $id (or make test)" >&2
  exit 1
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# An empty CLI config: a TF_CLI_CONFIG_FILE pointing nowhere breaks tofu's
# version output, and a developer's own config must not change the run.
: >"$work/cli.tfrc"

# The developer's Cerby settings must not leak into the tests' provider.
unset CERBY_API CERBY_API_KEY CERBY_BEARER_TOKEN CERBY_WORKSPACE CERBY_ENDPOINT CERBY_CA_CERTIFICATE_FILE
export TF_ACC=1 CERBY_TEST_CLIS="$id" TF_ACC_TERRAFORM_PATH="$bin" TF_CLI_CONFIG_FILE="$work/cli.tfrc" CHECKPOINT_DISABLE=1
# OpenTofu rejects the legacy "-" namespace the test configurations would
# otherwise get, and expands unqualified providers to its own registry.
export TF_ACC_PROVIDER_NAMESPACE=hashicorp
if [ "${id%%-*}" = tofu ]; then
  export TF_ACC_PROVIDER_HOST=registry.opentofu.org
else
  unset TF_ACC_PROVIDER_HOST
fi

echo "acceptance tests of ${packages[*]} with $("$bin" version | head -n 1)"
go build -o "$work/testsummary" ./scripts/testsummary
verbose=()
[ "${VERBOSE:-0}" = 1 ] && verbose=(-v)

# shellcheck disable=SC2086 # TESTFLAGS is a list of flags
go test -json -count=1 -timeout 30m -run '^TestAcc[A-Z_]' ${TESTFLAGS:-} "${packages[@]}" 2>&1 |
  "$work/testsummary" -label "$id" "${verbose[@]}"
