# Fail the plan when the workspace has more than five active or invited
# guests, without writing a member to the state or the plan file.
ephemeral "cerby_users" "guests" {
  statuses = ["live", "pending"]
  is_guest = true
}

resource "terraform_data" "guest_budget" {
  lifecycle {
    precondition {
      condition     = length(ephemeral.cerby_users.guests.ids) <= 5
      error_message = "The workspace has more than five active or invited guests."
    }
  }
}
