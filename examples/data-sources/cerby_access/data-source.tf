# Who can reach what, in one read: every live member's accounts. Each grant
# holds ids, and the member's role on the account where the API gives it (the
# Read API); names and emails come from cerby_users and cerby_accounts,
# joined by id through locals.
data "cerby_access" "live" {
  statuses = ["live"]
}

data "cerby_users" "live" {
  statuses = ["live"]
}

data "cerby_accounts" "all" {}

locals {
  email_of        = { for u in data.cerby_users.live.users : u.id => u.email }
  account_name_of = { for a in data.cerby_accounts.all.accounts : a.id => a.name }
  # Member id => ids of the accounts that member reaches (grouped with "...").
  accounts_of = { for g in data.cerby_access.live.grants : g.user_id => g.account_id... }
}

output "who_reaches_what" {
  # An id stands in for a name the other reads lack: on the Cerby API,
  # cerby_accounts lists only the accounts the API key's creator owns.
  value = [
    for g in data.cerby_access.live.grants : {
      member  = coalesce(lookup(local.email_of, g.user_id, null), g.user_id)
      account = coalesce(lookup(local.account_name_of, g.account_id, null), g.account_id)
      role    = g.role
    }
  ]
}

output "accounts_per_member" {
  value = {
    for id in data.cerby_access.live.user_ids :
    coalesce(lookup(local.email_of, id, null), id) => length(lookup(local.accounts_of, id, []))
  }
}
