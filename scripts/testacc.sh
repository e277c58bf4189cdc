#!/usr/bin/env bash
# Runs the acceptance tests (TestAcc*) against one pinned CLI built by
# scripts/install-clis.sh. Usage: scripts/testacc.sh <terraform|tofu> [packages...]
# (default ./internal/provider/; clitest-based packages pick the CLI from
# CERBY_TEST_CLIS, set here to the one CLI).
# VERBOSE=1 shows every test's output; otherwise only failures and a summary.
set -euo pipefail

cli="${1:-}"
shift || true
packages=("${@:-./internal/provider/}")
case "$cli" in
  terraform | tofu) ;;
  *) echo "usage: $0 <terraform|tofu> [packages...]" >&2; exit 2 ;;
esac

bin="${CERBY_TOOLS_DIR:-$HOME/.cache/terraform-provider-cerby}/bin/$cli"
if [ ! -x "$bin" ]; then
  echo "error: $bin is missing; build it with scripts/install-clis.sh $cli (or make test)" >&2
  exit 1
fi

cd "$(dirname "$0")/.."

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# An empty CLI config: a TF_CLI_CONFIG_FILE pointing nowhere breaks tofu's
# version output, and a developer's own config must not change the run.
: >"$work/cli.tfrc"

# The developer's Cerby settings must not leak into the tests' provider.
unset CERBY_API_KEY CERBY_BEARER_TOKEN CERBY_WORKSPACE CERBY_ENDPOINT
export TF_ACC=1 CERBY_TEST_CLIS="$cli" TF_ACC_TERRAFORM_PATH="$bin" TF_CLI_CONFIG_FILE="$work/cli.tfrc" CHECKPOINT_DISABLE=1
# OpenTofu rejects the legacy "-" namespace the test configurations would
# otherwise get, and expands unqualified providers to its own registry.
export TF_ACC_PROVIDER_NAMESPACE=hashicorp
if [ "$cli" = tofu ]; then
  export TF_ACC_PROVIDER_HOST=registry.opentofu.org
else
  unset TF_ACC_PROVIDER_HOST
fi

echo "acceptance tests with $("$bin" version | head -n 1)"
log="$work/test.log"
show_all() { cat; }
# Without VERBOSE, hide the per-test progress lines -v adds: what is left is
# what a plain `go test` prints (failures and the package result).
show_failures() { grep --line-buffered -vE '^\s*(=== (RUN|PAUSE|CONT|NAME)|--- (PASS|SKIP))' || true; }
filter=show_failures
[ "${VERBOSE:-0}" = 1 ] && filter=show_all

set +e
go test -count=1 -timeout 30m -v -run '^TestAcc' "${packages[@]}" 2>&1 | tee "$log" | "$filter"
status=${PIPESTATUS[0]}
set -e

count() { grep -cE "^\s*--- $1:" "$log" || true; }
passed="$(count PASS)" failed="$(count FAIL)" skipped="$(count SKIP)"
echo "$cli: $((passed + failed + skipped)) tests run (subtests included): $passed passed, $failed failed, $skipped skipped in ${SECONDS}s"

if [ "$skipped" -gt 0 ]; then
  echo "error: acceptance tests must not skip under TF_ACC" >&2
  grep -E '^\s*--- SKIP:' "$log" >&2
  exit 1
fi
if [ "$((passed + failed))" -eq 0 ] && [ "$status" -eq 0 ]; then
  echo "error: no acceptance test ran" >&2
  exit 1
fi
exit "$status"
