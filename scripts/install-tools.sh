#!/usr/bin/env bash
# Builds the pinned lint, release and policy (conftest) tools from the Go module
# proxy into the same cache folder as the CLIs (see install-clis.sh).
# Idempotent: a tool already built at the pinned version is kept. Pinned here
# rather than as `go tool` dependencies so their large module graphs stay out
# of go.mod.
set -euo pipefail

GOLANGCI_LINT_VERSION="${GOLANGCI_LINT_VERSION:-2.15.0}"
GORELEASER_VERSION="${GORELEASER_VERSION:-2.15.1}"
CONFTEST_VERSION="${CONFTEST_VERSION:-0.71.1}"
TOOLS_DIR="${CERBY_TOOLS_DIR:-$HOME/.cache/terraform-provider-cerby}"
BIN="$TOOLS_DIR/bin"
mkdir -p "$BIN"

export GOFLAGS=-buildvcs=false GOWORK=off CGO_ENABLED=0

install_tool() { # name, version, version command, module path[, extra ldflags]
  local name="$1" version="$2" version_cmd="$3" module="$4" ldflags="${5:-}"
  if [ -x "$BIN/$name" ] && $version_cmd "$BIN/$name" 2>/dev/null | grep -qx "v\{0,1\}$version"; then
    echo "$name v$version already in $BIN"
    return
  fi
  echo "building $name v$version into $BIN"
  GOBIN="$BIN" go install -trimpath -ldflags="-s -w $ldflags" "$module@v$version"
}

golangci_lint_version() { "$1" version --short; }
# goreleaser prints a banner; its GitVersion line holds the module version.
goreleaser_version() { "$1" --version | sed -n 's/^GitVersion: *//p'; }
# conftest prints "Conftest: <version>" then OPA's; the version is only there
# when set at link time, as its releases do (a plain go install says "dev").
conftest_version() { "$1" --version | sed -n 's/^Conftest: *//p'; }

want="${1:-all}"

if [ "$want" = all ] || [ "$want" = golangci-lint ]; then
  install_tool golangci-lint "$GOLANGCI_LINT_VERSION" golangci_lint_version \
    github.com/golangci/golangci-lint/v2/cmd/golangci-lint
fi

if [ "$want" = all ] || [ "$want" = goreleaser ]; then
  install_tool goreleaser "$GORELEASER_VERSION" goreleaser_version \
    github.com/goreleaser/goreleaser/v2
fi

if [ "$want" = all ] || [ "$want" = conftest ]; then
  install_tool conftest "$CONFTEST_VERSION" conftest_version \
    github.com/open-policy-agent/conftest \
    "-X github.com/open-policy-agent/conftest/internal/version.Version=$CONFTEST_VERSION"
fi
