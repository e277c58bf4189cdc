# What the policies in policy/ judge: the reads of examples/policy without its
# gate, so the plan succeeds and conftest decides. See README.md.

terraform {
  required_providers {
    cerby = {
      source = "cerby-community/cerby"
    }
  }
}

# Workspace (or endpoint) and API key come from the environment:
# CERBY_WORKSPACE or CERBY_ENDPOINT, and CERBY_API_KEY.
provider "cerby" {}

data "cerby_accounts" "all" {}

data "cerby_users" "all" {
  statuses = ["live", "pending", "disabled"]
}

# What each removed member can still reach.
data "cerby_user_accounts" "disabled" {
  for_each = toset([for m in data.cerby_users.all.users : m.id if m.status == "disabled"])
  user_id  = each.value
}
