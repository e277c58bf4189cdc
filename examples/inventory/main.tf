# A machine-readable inventory for pipelines: every member, every account and
# who can reach what, and on the Cerby API the teams and the integration
# seats too. Read it with `terraform output -json` (or one part, e.g.
# `terraform output -json access`). The outputs and the state hold personal
# data (names and emails): store and ship them like any secret.

terraform {
  required_providers {
    cerby = {
      source = "cerby-community/cerby"
    }
  }
}

# Teams and integration seats are the Cerby API's alone, so the configuration
# must know which API it reads: this variable picks it for the provider and
# the inventory alike. Unset, the provider infers the API as usual
# (CERBY_API, or the endpoint) and the inventory takes it to be the Cerby
# API, its default. On the legacy Read API pass -var api=read_api (or
# TF_VAR_api=read_api): teams and integrations are then empty lists.
variable "api" {
  description = "The API the provider reads: \"cerby_api\" or \"read_api\"; null (the default) to let the provider infer it and read teams and seats."
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

# The teams (Cerby API only), then each team's members and accounts (GET
# /api/v1/teams/{id}/members and /accounts, which the Cerby API announced in
# its release notes only: a workspace whose API lacks one fails the read
# saying so, and include_member_ids or include_account_ids = false skips it).
data "cerby_teams" "all" {
  count = local.cerby_api ? 1 : 0
}

data "cerby_team" "each" {
  for_each = toset(flatten(data.cerby_teams.all[*].ids))
  id       = each.value
}

# The business hub integrations (Cerby API only), then each one's seats.
data "cerby_integrations" "all" {
  count = local.cerby_api ? 1 : 0
}

data "cerby_integration_users" "each" {
  for_each       = toset(flatten(data.cerby_integrations.all[*].ids))
  integration_id = each.value
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

output "teams" {
  description = "Teams, ordered by name, then id, each with the ids of its members and of its accounts, ordered by id. Cerby API only: empty on the Read API."
  value = [
    for t in flatten(data.cerby_teams.all[*].teams) : {
      id          = t.id
      name        = t.name
      type        = t.type
      vault_id    = t.vault_id
      member_ids  = data.cerby_team.each[t.id].member_ids
      account_ids = data.cerby_team.each[t.id].account_ids
    }
  ]
}

output "integrations" {
  description = "Business hub integrations, ordered by label, then id, each with its seats (ordered by email, then id) and their entitlements. Cerby API only: empty on the Read API."
  value = [
    for i in flatten(data.cerby_integrations.all[*].integrations) : {
      id          = i.id
      label       = i.label
      application = i.application
      seats = [
        for u in data.cerby_integration_users.each[i.id].users : {
          id           = u.id
          email        = u.email
          first_name   = u.first_name
          last_name    = u.last_name
          status       = u.status
          role         = u.role
          is_guest     = u.is_guest
          entitlements = u.entitlements
        }
      ]
    }
  ]
}
