# Reads the workspace once and lists what breaks each policy. examples/policy
# fails the plan on any finding; examples/demo reports them (it links to this
# file, so both judge the workspace the same way).

terraform {
  required_providers {
    cerby = {
      source = "cerby-community/cerby"
    }
  }
}

# Two policies need what only the Cerby API sends (members' MFA enrollment,
# vaults), so the configuration must know which API it reads: this variable
# picks it for the provider and for the policies alike. Left unset, the
# provider infers the API as usual (CERBY_API, or the endpoint) and the
# policies take it to be the Cerby API, its default. On the legacy Read API
# pass -var api=read_api (or TF_VAR_api=read_api): the two policies are then
# skipped, and the output policies_skipped says so.
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

data "cerby_accounts" "all" {}

data "cerby_users" "all" {
  statuses = ["live", "pending", "disabled"]
  # Each member's MFA enrollment: the Cerby API's alone.
  include_mfa_status = local.cerby_api
}

# The vaults and how each is encrypted: the Cerby API's alone.
data "cerby_vaults" "all" {
  count = local.cerby_api ? 1 : 0
}

locals {
  cerby_api = var.api != "read_api"

  members_by_id       = { for m in data.cerby_users.all.users : m.id => m }
  disabled_member_ids = [for m in data.cerby_users.all.users : m.id if m.status == "disabled"]
  guest_ids           = [for m in data.cerby_users.all.users : m.id if m.is_guest == true]
}

# What each removed member can still reach.
data "cerby_user_accounts" "disabled" {
  for_each = toset(local.disabled_member_ids)
  user_id  = each.value
}

locals {
  # Any attribute may be null (the Cerby API may leave any out), and a null
  # in a string template is an error: hence the coalesce() calls.
  account_labels = {
    for a in data.cerby_accounts.all.accounts : a.id => "${coalesce(a.application, "(none)")}: ${coalesce(a.name, a.id)}"
  }

  accounts_without_mfa = [
    for a in data.cerby_accounts.all.accounts : local.account_labels[a.id] if a.mfa_enabled != true
  ]

  # Removed member's email => names of the accounts they still reach.
  disabled_members_with_access = {
    for id, reach in data.cerby_user_accounts.disabled :
    coalesce(local.members_by_id[id].email, id) => [for a in reach.accounts : coalesce(a.name, a.id)] if length(reach.ids) > 0
  }

  # An account's role is the caller's own, so the owner is taken to be the
  # member who created it (createdBy).
  guest_owned_accounts = [
    for a in data.cerby_accounts.all.accounts :
    "${local.account_labels[a.id]} (created by ${coalesce(local.members_by_id[a.created_by].email, a.created_by)})"
    if try(local.members_by_id[a.created_by].is_guest, false) == true
  ]

  # Live members whose MFA is not enrolled: mfa_enabled false, or null when
  # the Cerby API sent no MFA status for the member (not known to be enrolled).
  live_members_without_mfa = [
    for m in data.cerby_users.all.users :
    "${coalesce(m.email, m.id)} (${m.mfa_enabled == false ? "not enrolled" : "no MFA status sent"})"
    if m.status == "live" && m.mfa_enabled != true
  ]

  # Vaults not encrypted with a key of the customer's own: AWS KMS (kms_byo)
  # or Azure Key Vault (akv).
  customer_managed_schemes = ["kms_byo", "akv"]
  vaults_without_own_key = [
    for v in flatten(data.cerby_vaults.all[*].vaults) :
    v.scheme == null ? "${coalesce(v.name, v.id)} (id ${v.id}) has no scheme (the Cerby API sent none)" : "${coalesce(v.name, v.id)} (id ${v.id}) uses ${v.scheme}"
    if !contains(local.customer_managed_schemes, coalesce(v.scheme, "(none)"))
  ]

  # The policies that need the Cerby API, and why they are skipped elsewhere.
  cerby_api_policies = {
    "every live member has MFA enrolled"      = local.live_members_without_mfa
    "every vault uses a customer-managed key" = local.vaults_without_own_key
  }
  policies_skipped = local.cerby_api ? {} : {
    for policy in keys(local.cerby_api_policies) :
    policy => "needs the Cerby API (members' MFA status and vaults); the provider reads the Read API (var.api = \"read_api\")"
  }

  # Policy => its violations, as readable lines; only the policies judged.
  policy_violations = merge({
    "every account has MFA" = local.accounts_without_mfa
    "no disabled member retains access" = [
      for email, names in local.disabled_members_with_access : "${email} still reaches ${join(", ", names)}"
    ]
    "no guest owns an account" = local.guest_owned_accounts
  }, local.cerby_api ? local.cerby_api_policies : {})
  failing_policies = [for policy, violations in local.policy_violations : policy if length(violations) > 0]

  # One readable message per policy, with at most five of its violations.
  policy_messages = {
    for policy, v in local.policy_violations : policy => format("Policy %q has %d violation(s): %s.", policy, length(v), join("; ", concat(
      slice(v, 0, min(5, length(v))),
      length(v) > 5 ? ["and ${length(v) - 5} more"] : [],
    )))
  }
}
