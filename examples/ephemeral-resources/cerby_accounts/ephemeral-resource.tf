# Fail the plan while an enabled account has MFA turned off. The accounts are
# read during plan and apply, never written to the state or the plan file.
ephemeral "cerby_accounts" "enabled" {
  status = "enabled"
}

resource "terraform_data" "mfa_gate" {
  lifecycle {
    precondition {
      condition = alltrue([
        for a in ephemeral.cerby_accounts.enabled.accounts : a.mfa_enabled == true
      ])
      # A message may not refer to an ephemeral value (Terraform and OpenTofu
      # would not show it), so it names the policy, not the accounts.
      error_message = "An enabled account has MFA turned off: list them with the cerby_accounts data source."
    }
  }
}
