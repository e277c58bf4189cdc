# The gate: a failed precondition stops the plan with an error (a check
# block would only warn), so a pipeline running `terraform plan` fails here.
# Its conditions read ephemeral values; terraform_data itself stores nothing
# of them.
resource "terraform_data" "policy_gate" {
  lifecycle {
    precondition {
      condition     = length(local.policy_violations["every account has MFA"]) == 0
      error_message = local.policy_messages["every account has MFA"]
    }
    precondition {
      condition     = length(lookup(local.policy_violations, "every live member has MFA enrolled", [])) == 0
      error_message = lookup(local.policy_messages, "every live member has MFA enrolled", "")
    }
    precondition {
      condition     = length(lookup(local.policy_violations, "every vault uses a customer-managed key", [])) == 0
      error_message = lookup(local.policy_messages, "every vault uses a customer-managed key", "")
    }
    precondition {
      condition     = length(local.policy_violations["no disabled member retains access"]) == 0
      error_message = local.policy_messages["no disabled member retains access"]
    }
    precondition {
      condition     = length(local.policy_violations["no guest owns an account"]) == 0
      error_message = local.policy_messages["no guest owns an account"]
    }
  }
}

# A stored value cannot derive from an ephemeral one: this lists the
# policies, not their findings.
output "policies_checked" {
  value = keys(local.policy_messages)
}

# On the Read API: the policies it cannot judge, each with the reason.
output "policies_skipped" {
  value = local.policies_skipped
}
