# The fixed cost: the provider starts and reads one page, keeping 5 accounts.
provider "cerby" {}

data "cerby_accounts" "five" {
  max_items = 5
}

output "count" {
  value = length(data.cerby_accounts.five.ids)
}
