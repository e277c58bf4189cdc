# A machine-readable inventory for pipelines: every member, every account and
# who can reach what. Read it with `terraform output -json` (or one part, e.g.
# `terraform output -json access`). The outputs and the state hold personal
# data (names and emails): store and ship them like any secret.

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

# Who can reach what, in one read: the same members, then each one's
# accounts, read inside the provider a few members at a time (GET
# /api/v1/users/{id}/accounts on the Cerby API, GET /v1/users/{id}/accounts on
# the Read API). One data source rather than one cerby_user_accounts per
# member through for_each, whose cost in Terraform grows with every member.
data "cerby_access" "all" {
  statuses = ["live", "pending", "disabled"]
}

locals {
  # Member id => ids of the accounts that member reaches, in id order; a
  # member who reaches none has no grant, so no key here.
  reach = { for g in data.cerby_access.all.grants : g.user_id => g.account_id... }
}

output "members" {
  description = "Workspace members (live, pending and disabled), ordered by email, then id."
  value = [
    for m in data.cerby_users.all.users : {
      id         = m.id
      email      = m.email
      first_name = m.first_name
      last_name  = m.last_name
      status     = m.status
      role       = m.role
      is_guest   = m.is_guest
    }
  ]
}

output "accounts" {
  description = "Accounts visible to the credentials, ordered by name, then id."
  value = [
    for a in data.cerby_accounts.all.accounts : {
      id          = a.id
      name        = a.name
      application = a.application
      type        = a.type
      status      = a.status
      mfa_enabled = a.mfa_enabled
      created_by  = a.created_by
    }
  ]
}

output "access" {
  description = "Member id => ids of the accounts that member created or can reach, ordered by id; every member listed is a key."
  value       = { for id in data.cerby_access.all.user_ids : id => lookup(local.reach, id, []) }
}
