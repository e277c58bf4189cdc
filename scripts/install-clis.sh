#!/usr/bin/env bash
# Builds the pinned Terraform and OpenTofu CLIs from the Go module proxy
# (hc-install cannot be used: no internet beyond the module proxy).
# Usage: scripts/install-clis.sh [id...], ids as in scripts/clis.txt (default:
# all of them), e.g. terraform-1.16.2, or a kind (terraform, tofu) for the
# newest of it. Each goes to $CERBY_TOOLS_DIR/clis/<id>/<terraform|tofu>
# (scripts/clis.sh --path), so a folder can be put first on PATH
# (tfplugindocs looks `terraform` up there). Idempotent: a CLI already built
# at its version is kept. Prints nothing but progress.
set -euo pipefail
cd "$(dirname "$0")/.."

# A TF_CLI_CONFIG_FILE that points nowhere makes tofu print a warning on stdout,
# which breaks version parsing; the builds do not need any CLI config.
unset TF_CLI_CONFIG_FILE
export CHECKPOINT_DISABLE=1 GOFLAGS=-buildvcs=false GOWORK=off CGO_ENABLED=0

# The first line of `version`, e.g. "Terraform v1.5.7"; not a pipe into head,
# whose early exit would fail the check under pipefail (SIGPIPE).
has_version() { # binary, version
  local out
  [ -x "$1" ] && out="$("$1" version 2>/dev/null)" || return 1
  [[ "${out%%$'\n'*}" == *" v$2" ]]
}

# module_src <module> <version>: the read-only module tree in the module cache.
module_src() {
  (cd "$(mktemp -d)" && go mod download "$1@v$2")
  echo "$(go env GOMODCACHE)/$1@v$2"
}

# Up to v1.5 terraform is a plain module: go install works.
build_terraform_plain() { # version, out
  GOBIN="$(dirname "$2")" go install -trimpath -ldflags='-s -w' "github.com/hashicorp/terraform@v$1"
}

# From v1.6 terraform's go.mod replaces nine remote-state backends (and
# internal/legacy) with nested modules, which a module zip does not contain, so
# neither go install nor an in-place build works. A writable copy with those
# backends left out builds; tests only ever use the local backend, so a
# configuration naming azurerm, consul, cos, gcs, kubernetes, oss, pg, s3 or
# oci as its backend is refused by this build as an unknown backend.
build_terraform_modern() { # version, out
  local src work backends=(azure consul cos gcs kubernetes oss pg s3 oci)
  src="$(module_src github.com/hashicorp/terraform "$1")"
  work="$(mktemp -d)"
  cp -r "$src" "$work/terraform"
  chmod -R u+w "$work/terraform"
  (
    cd "$work/terraform"
    sed -i -E '/\<backend(Azure|Consul|Cos|GCS|Kubernetes|OCI|OSS|Pg|S3)\>/d' internal/backend/init/init.go
    for m in "${backends[@]}"; do
      go mod edit -dropreplace "github.com/hashicorp/terraform/internal/backend/remote-state/$m" \
        -droprequire "github.com/hashicorp/terraform/internal/backend/remote-state/$m"
    done
    go mod edit -dropreplace github.com/hashicorp/terraform/internal/legacy \
      -droprequire github.com/hashicorp/terraform/internal/legacy
    go build -mod=mod -trimpath \
      -ldflags "-s -w -X 'github.com/hashicorp/terraform/version.dev=no'" -o "$2" .
  )
  rm -rf "$work"
}

# `go install` refuses a module with replace directives: build it in place.
# Without version.dev=no it reports a -dev prerelease, which version checks
# treat as older than the release.
build_tofu() { # version, out
  local src
  src="$(module_src github.com/opentofu/opentofu "$1")"
  (cd "$src" && go build -mod=readonly -trimpath \
    -ldflags "-s -w -X 'github.com/opentofu/opentofu/version.dev=no'" -o "$2" ./cmd/tofu)
}

install_cli() { # id or kind, as scripts/clis.sh takes it
  local id kind version out
  id="$(bash scripts/clis.sh "$1")"
  kind="${id%%-*}" version="${id#*-}"
  out="$(bash scripts/clis.sh --path "$id")"
  if has_version "$out" "$version"; then
    echo "$id already in $(dirname "$out")"
    return
  fi
  mkdir -p "$(dirname "$out")"
  echo "building $id into $(dirname "$out") (3 to 6 minutes cold)"
  case "$kind" in
    terraform)
      case "$version" in
        1.[0-5].*) build_terraform_plain "$version" "$out" ;;
        *) build_terraform_modern "$version" "$out" ;;
      esac ;;
    tofu) build_tofu "$version" "$out" ;;
    *) echo "scripts/clis.txt: '$id' is neither terraform-<version> nor tofu-<version>" >&2; exit 2 ;;
  esac
  has_version "$out" "$version" || { echo "$out does not report v$version" >&2; exit 1; }
}

ids=("$@")
[ ${#ids[@]} -gt 0 ] || mapfile -t ids < <(bash scripts/clis.sh)
for id in "${ids[@]}"; do install_cli "$id"; done
