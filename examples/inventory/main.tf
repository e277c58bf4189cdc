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

# One request per member: GET /api/v1/users/{id}/accounts on the Cerby API,
# GET /v1/users/{id}/accounts on the Read API.
data "cerby_user_accounts" "each" {
  for_each = toset(data.cerby_users.all.ids)
  user_id  = each.value
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
  description = "Member id => ids of the accounts that member created or can reach."
  value       = { for id, reach in data.cerby_user_accounts.each : id => reach.ids }
}
