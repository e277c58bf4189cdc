# What the policies in policy/ judge: the reads of examples/policy without its
# gate, so the plan succeeds and conftest decides. See README.md.

terraform {
  required_providers {
    cerby = {
      source = "cerby-community/cerby"
    }
  }
}

# As in examples/policy: the MFA and vault policies need the Cerby API, so
# this variable picks the API for the provider and the policies alike. Unset,
# the provider infers it and every policy runs; on the legacy Read API pass
# -var api=read_api (or TF_VAR_api=read_api): the plan then skips those reads,
# and the policies, which find the variable in the plan JSON, warn that they
# were skipped.
variable "api" {
  description = "The API the provider reads: \"cerby_api\" or \"read_api\"; null (the default) to let the provider infer it and run every policy."
  type        = string
  default     = null
  validation {
    condition     = contains(["cerby_api", "read_api"], coalesce(var.api, "cerby_api"))
    error_message = "The api variable must be \"cerby_api\", \"read_api\" or unset."
  }
}

# Workspace (or endpoint) and API key come from the environment:
# CERBY_WORKSPACE or CERBY_ENDPOINT, and CERBY_API_KEY.
provider "cerby" {
  api = var.api
}

locals {
  cerby_api = var.api != "read_api"
}

data "cerby_accounts" "all" {}

data "cerby_users" "all" {
  statuses = ["live", "pending", "disabled"]
  # Each member's MFA enrollment: the Cerby API's alone.
  include_mfa_status = local.cerby_api
}

# What each removed member can still reach.
data "cerby_user_accounts" "disabled" {
  for_each = toset([for m in data.cerby_users.all.users : m.id if m.status == "disabled"])
  user_id  = each.value
}

# The vaults and how each is encrypted: the Cerby API's alone.
data "cerby_vaults" "all" {
  count = local.cerby_api ? 1 : 0
}
