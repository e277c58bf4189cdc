# One cerby_user_accounts per member, at the CLI's default parallelism (10).
variable "requests_per_second" {
  type    = number
  default = null
}

provider "cerby" {
  requests_per_second = var.requests_per_second
}

data "cerby_users" "some" {
  max_items = 1000
}

data "cerby_user_accounts" "each" {
  for_each = toset(data.cerby_users.some.ids)
  user_id  = each.value
}

output "count" {
  value = length(data.cerby_user_accounts.each)
}
