# The three policies of examples/policy, judged over ephemeral reads: the
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

# Workspace (or endpoint) and API key come from the environment:
# CERBY_WORKSPACE or CERBY_ENDPOINT, and CERBY_API_KEY.
provider "cerby" {}

ephemeral "cerby_accounts" "all" {}

ephemeral "cerby_users" "guests" {
  statuses = ["live", "pending", "disabled"]
  is_guest = true
}

# What each removed member can still reach, in one read.
ephemeral "cerby_access" "disabled" {
  statuses = ["disabled"]
}

locals {
  guest_ids = { for m in ephemeral.cerby_users.guests.users : m.id => true }

  # Policy => what breaks it. Derived from ephemeral reads, so ephemeral too:
  # usable in a condition, never in a stored value nor in a message.
  policy_violations = {
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
  }

  # One message per policy. Terraform and OpenTofu refuse to show a message
  # that refers to an ephemeral value (they print a warning instead), so the
  # messages are static: they name the policy, not what breaks it.
  policy_breaks = {
    "every account has MFA"             = "at least one account has MFA turned off"
    "no disabled member retains access" = "at least one removed (disabled) member still reaches an account"
    "no guest owns an account"          = "at least one account was created by a guest"
  }
  policy_messages = {
    for policy, breaks in local.policy_breaks : policy => format(
      "Policy %q is broken: %s. This gate reads Cerby ephemerally, so it cannot say which: run examples/policy, whose reads are kept in state, to list them.",
      policy, breaks,
    )
  }
}
