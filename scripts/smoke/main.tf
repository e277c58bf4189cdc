# Smoke test against a real Cerby workspace (make smoke). Outputs are counts
# and booleans only: the accounts and members themselves are personal data
# and stay out of CI logs.

terraform {
  required_providers {
    cerby = { source = "cerby-community/cerby" }
  }
}

variable "read_users" {
  description = "Also read workspace members (needs the Read users scope and an Admin role)."
  type        = bool
  default     = true
}

provider "cerby" {
  max_retries = 3
}

data "cerby_accounts" "sample" {
  max_items = 5
}

data "cerby_account" "first" {
  count = length(data.cerby_accounts.sample.ids) > 0 ? 1 : 0
  id    = data.cerby_accounts.sample.ids[0]
}

data "cerby_users" "sample" {
  count     = var.read_users ? 1 : 0
  max_items = 5
}

data "cerby_user_accounts" "first" {
  count   = var.read_users && length(try(data.cerby_users.sample[0].ids, [])) > 0 ? 1 : 0
  user_id = data.cerby_users.sample[0].ids[0]
}

output "accounts_read" {
  value = length(data.cerby_accounts.sample.ids)
}

output "first_account_found_by_id" {
  value = [for a in data.cerby_account.first : a.id == data.cerby_accounts.sample.ids[0]]
}

output "members_read" {
  value = [for u in data.cerby_users.sample : length(u.ids)]
}

output "accounts_of_first_member" {
  value = [for ua in data.cerby_user_accounts.first : length(ua.ids)]
}
