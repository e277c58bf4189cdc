# Accounts a member created or can reach, looked up by email.
data "cerby_user_accounts" "alex" {
  user_email = "alex.rivera@example.com"
}

output "accounts_alex_reaches" {
  value = [for account in data.cerby_user_accounts.alex.accounts : account.name]
}

# Accounts still reachable by every removed member: candidates for a password
# rotation.
data "cerby_users" "removed" {
  statuses = ["disabled"]
}

data "cerby_user_accounts" "removed" {
  for_each = toset(data.cerby_users.removed.ids)
  user_id  = each.value
}

output "accounts_reachable_by_removed_members" {
  value = distinct(flatten([
    for member in data.cerby_user_accounts.removed : member.ids
  ]))
}
