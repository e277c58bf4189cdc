provider "cerby" {}

data "cerby_accounts" "all" {}

output "count" {
  value = length(data.cerby_accounts.all.ids)
}
