# Who can reach what in one read: every member's accounts, read inside the
# provider (concurrency 8 by default), against bench/tf/fanout's one
# cerby_user_accounts per member. The same members: neither selects any.
provider "cerby" {}

data "cerby_access" "all" {}

output "grants" {
  value = length(data.cerby_access.all.grants)
}
