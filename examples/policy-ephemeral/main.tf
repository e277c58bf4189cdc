# The five policies of examples/policy, judged over ephemeral reads: the
# workspace is read during plan (and again during apply), and neither the
# state nor the plan file ever holds an account, a member, a name or an
# email. Needs Terraform 1.10 or later, or OpenTofu 1.11 or later.

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
# -var api=read_api (or TF_VAR_api=read_api) and those two are skipped.
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

ephemeral "cerby_accounts" "all" {}

ephemeral "cerby_users" "guests" {
  statuses = ["live", "pending", "disabled"]
  is_guest = true
}

# What each removed member can still reach, in one read.
ephemeral "cerby_access" "disabled" {
  statuses = ["disabled"]
}

# Live members with their MFA enrollment: the Cerby API's alone. count
# derives from the variable, never from an ephemeral value.
ephemeral "cerby_users" "live" {
  count              = local.cerby_api ? 1 : 0
  statuses           = ["live"]
  include_mfa_status = true
}

# The vaults and how each is encrypted: the Cerby API's alone (a vault's
# creator is a member id, kept out of the state too).
ephemeral "cerby_vaults" "all" {
  count = local.cerby_api ? 1 : 0
}

locals {
  cerby_api = var.api != "read_api"
  guest_ids = { for m in ephemeral.cerby_users.guests.users : m.id => true }

  # Policy => what breaks it. Derived from ephemeral reads, so ephemeral too:
  # usable in a condition, never in a stored value nor in a message.
  policy_violations = merge({
    "every account has MFA" = [
      for a in ephemeral.cerby_accounts.all.accounts : a.id if a.mfa_enabled != true
    ]
    "no disabled member retains access" = distinct([
      for g in ephemeral.cerby_access.disabled.grants : g.user_id
    ])
    # An account's role is the caller's own, so the owner is taken to be the
    # member who created it (created_by), as in examples/policy.
    "no guest owns an account" = [
      for a in ephemeral.cerby_accounts.all.accounts : a.id if try(local.guest_ids[a.created_by], false)
    ]
    }, local.cerby_api ? {
    # A live member whose mfa_enabled is false, or null (no MFA status sent).
    "every live member has MFA enrolled" = [
      for m in flatten(ephemeral.cerby_users.live[*].users) : m.id if m.mfa_enabled != true
    ]
    # A vault not encrypted with the customer's own AWS KMS (kms_byo) or
    # Azure Key Vault (akv) key, or whose scheme was not sent.
    "every vault uses a customer-managed key" = [
      for v in flatten(ephemeral.cerby_vaults.all[*].vaults) : v.id if !contains(["kms_byo", "akv"], coalesce(v.scheme, "(none)"))
    ]
  } : {})

  # One message per policy. Terraform and OpenTofu refuse to show a message
  # that refers to an ephemeral value (they print a warning instead), so the
  # messages are static: they name the policy, not what breaks it.
  policy_breaks = merge({
    "every account has MFA"             = "at least one account has MFA turned off"
    "no disabled member retains access" = "at least one removed (disabled) member still reaches an account"
    "no guest owns an account"          = "at least one account was created by a guest"
    }, local.cerby_api ? {
    "every live member has MFA enrolled"      = "at least one live member has not enrolled MFA"
    "every vault uses a customer-managed key" = "at least one vault is not encrypted with a customer-managed key (kms_byo or akv)"
  } : {})
  policy_messages = {
    for policy, breaks in local.policy_breaks : policy => format(
      "Policy %q is broken: %s. This gate reads Cerby ephemerally, so it cannot say which: run examples/policy, whose reads are kept in state, to list them.",
      policy, breaks,
    )
  }

  # On the Read API: the policies it cannot judge, each with the reason.
  policies_skipped = local.cerby_api ? {} : {
    for policy in ["every live member has MFA enrolled", "every vault uses a customer-managed key"] :
    policy => "needs the Cerby API (members' MFA status and vaults); the provider reads the Read API (var.api = \"read_api\")"
  }
}
