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

# Workspace (or endpoint) and API key come from the environment:
# CERBY_WORKSPACE or CERBY_ENDPOINT, and CERBY_API_KEY.
provider "cerby" {}

data "cerby_accounts" "all" {}

data "cerby_users" "all" {
  statuses = ["live", "pending", "disabled"]
}

locals {
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

  # Policy => its violations, as readable lines.
  policy_violations = {
    "every account has MFA" = local.accounts_without_mfa
    "no disabled member retains access" = [
      for email, names in local.disabled_members_with_access : "${email} still reaches ${join(", ", names)}"
    ]
    "no guest owns an account" = local.guest_owned_accounts
  }
  failing_policies = [for policy, violations in local.policy_violations : policy if length(violations) > 0]

  # One readable message per policy, with at most five of its violations.
  policy_messages = {
    for policy, v in local.policy_violations : policy => format("Policy %q has %d violation(s): %s.", policy, length(v), join("; ", concat(
      slice(v, 0, min(5, length(v))),
      length(v) > 5 ? ["and ${length(v) - 5} more"] : [],
    )))
  }
}
