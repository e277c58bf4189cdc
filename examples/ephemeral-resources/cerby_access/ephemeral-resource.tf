# Fail the plan while a removed (disabled) member still reaches an account.
# Who can reach what is read during plan and apply, never stored.
ephemeral "cerby_access" "removed" {
  statuses = ["disabled"]
}

resource "terraform_data" "offboarding_gate" {
  lifecycle {
    precondition {
      condition     = length(ephemeral.cerby_access.removed.grants) == 0
      error_message = "A removed member still reaches an account: revoke the access, or list it with the cerby_access data source."
    }
  }
}
