provider "cerby" {}

data "cerby_users" "all" {}

output "count" {
  value = length(data.cerby_users.all.ids)
}
