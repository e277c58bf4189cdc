# One cerby_user_accounts per member, at the CLI's default parallelism (10).
variable "requests_per_second" {
  type    = number
  default = null
}

# The members read: the first this many of cerby_users' listing (the fan-out
# section reads 1000 of 10000; the inventory section every member).
variable "members" {
  type    = number
  default = 1000
}

provider "cerby" {
  requests_per_second = var.requests_per_second
}

data "cerby_users" "some" {
  max_items = var.members
}

data "cerby_user_accounts" "each" {
  for_each = toset(data.cerby_users.some.ids)
  user_id  = each.value
}

output "count" {
  value = length(data.cerby_user_accounts.each)
}
