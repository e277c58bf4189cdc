#!/usr/bin/env bash
# Builds the pinned Terraform and OpenTofu CLIs from the Go module proxy into a
# cache folder and prints nothing but progress. Idempotent: a CLI already built
# at the pinned version is kept. hc-install cannot be used here (no internet
# beyond the module proxy), see ../shared/terraform-cli.md.
set -euo pipefail

TERRAFORM_VERSION="${TERRAFORM_VERSION:-1.5.7}"
TOFU_VERSION="${TOFU_VERSION:-1.12.6}"
TOOLS_DIR="${CERBY_TOOLS_DIR:-$HOME/.cache/terraform-provider-cerby}"
BIN="$TOOLS_DIR/bin"
mkdir -p "$BIN"

# A TF_CLI_CONFIG_FILE that points nowhere makes tofu print a warning on stdout,
# which breaks version parsing; the builds do not need any CLI config.
unset TF_CLI_CONFIG_FILE
export CHECKPOINT_DISABLE=1 GOFLAGS=-buildvcs=false GOWORK=off CGO_ENABLED=0

has_version() { # binary, version
  [ -x "$1" ] && "$1" version 2>/dev/null | head -n 1 | grep -qx ".* v$2"
}

want="${1:-all}"

if [ "$want" = all ] || [ "$want" = terraform ]; then
  if has_version "$BIN/terraform" "$TERRAFORM_VERSION"; then
    echo "terraform v$TERRAFORM_VERSION already in $BIN"
  else
    echo "building terraform v$TERRAFORM_VERSION into $BIN (about 4 minutes cold)"
    GOBIN="$BIN" go install -trimpath -ldflags='-s -w' \
      "github.com/hashicorp/terraform@v$TERRAFORM_VERSION"
  fi
fi

if [ "$want" = all ] || [ "$want" = tofu ]; then
  if has_version "$BIN/tofu" "$TOFU_VERSION"; then
    echo "tofu v$TOFU_VERSION already in $BIN"
  else
    echo "building tofu v$TOFU_VERSION into $BIN (about 6 minutes cold)"
    # `go install` refuses a module with replace directives: build it in place.
    (cd "$(mktemp -d)" && go mod download "github.com/opentofu/opentofu@v$TOFU_VERSION")
    src="$(go env GOMODCACHE)/github.com/opentofu/opentofu@v$TOFU_VERSION"
    (cd "$src" && go build -mod=readonly -trimpath \
      -ldflags "-s -w -X 'github.com/opentofu/opentofu/version.dev=no'" \
      -o "$BIN/tofu" ./cmd/tofu)
  fi
fi
