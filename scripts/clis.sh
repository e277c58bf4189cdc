#!/usr/bin/env bash
# The CLI table of scripts/clis.txt for scripts and the Makefile.
#   clis.sh              every id, one a line
#   clis.sh NAME         the id NAME stands for: an exact id, or a kind
#                        (terraform, tofu) for the newest of that kind, so
#                        DEMO_CLI=tofu works
#   clis.sh --path NAME  where scripts/install-clis.sh puts that CLI's binary
set -euo pipefail
ids="$(grep -vE '^\s*(#|$)' "$(dirname "$0")/clis.txt")"

resolve() {
  case "$1" in
    terraform | tofu) grep "^$1-" <<<"$ids" | sort -V | tail -n 1 ;;
    *) grep -Fx -- "$1" <<<"$ids" || { echo "unknown CLI '$1'; the ids are: $(echo $ids), or terraform or tofu" >&2; return 2; } ;;
  esac
}

case "${1:-}" in
  "") echo "$ids" ;;
  --path)
    id="$(resolve "${2:?usage: clis.sh --path NAME}")"
    echo "${CERBY_TOOLS_DIR:-$HOME/.cache/terraform-provider-cerby}/clis/$id/${id%%-*}" ;;
  *) resolve "$1" ;;
esac
