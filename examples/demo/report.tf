# The demo's report: what a security lead wants to see first. The policy
# findings come from ../policy/findings.tf (linked here); unlike
# examples/policy, nothing here fails the run.

data "cerby_user_accounts" "guests" {
  for_each = toset(local.guest_ids)
  user_id  = each.value
}

locals {
  accounts_per_application = {
    for app, ids in { for a in data.cerby_accounts.all.accounts : coalesce(a.application, "(none)") => a.id... } :
    app => length(ids)
  }

  # Guest's email => how many accounts they reach.
  guests_with_access = {
    for id, reach in data.cerby_user_accounts.guests :
    coalesce(local.members_by_id[id].email, id) => length(reach.ids) if length(reach.ids) > 0
  }
}

output "accounts_per_application" {
  value = local.accounts_per_application
}

output "accounts_without_mfa" {
  value = local.accounts_without_mfa
}

output "disabled_members_with_access" {
  value = local.disabled_members_with_access
}

output "guests_with_access" {
  value = local.guests_with_access
}

output "failing_policies" {
  value = local.failing_policies
}

# On the Read API: the policies it cannot judge (members' MFA status, vaults).
output "policies_skipped" {
  value = local.policies_skipped
}

# Printed by `make demo` with `terraform output -raw report`.
output "report" {
  value = join("\n", concat(
    ["Cerby workspace: ${length(data.cerby_accounts.all.ids)} accounts, ${length(data.cerby_users.all.ids)} members", ""],
    ["Accounts per application"],
    [for app, count in local.accounts_per_application : format("  %-12s %4d", app, count)],
    ["", "Accounts without MFA: ${length(local.accounts_without_mfa)}"],
    [for line in slice(local.accounts_without_mfa, 0, min(5, length(local.accounts_without_mfa))) : "  ${line}"],
    length(local.accounts_without_mfa) > 5 ? ["  ... and ${length(local.accounts_without_mfa) - 5} more"] : [],
    ["", "Disabled members who still reach accounts: ${length(local.disabled_members_with_access)}"],
    [for email, names in local.disabled_members_with_access : format("  %-40s %3d account(s)", email, length(names))],
    ["", "Guests with access: ${length(local.guests_with_access)}"],
    [for email, count in local.guests_with_access : format("  %-40s %3d account(s)", email, count)],
    # What only the Cerby API sends: members' MFA enrollment and vaults.
    local.cerby_api ? concat(
      ["", "Live members without MFA enrolled: ${length(local.live_members_without_mfa)}"],
      [for line in slice(local.live_members_without_mfa, 0, min(5, length(local.live_members_without_mfa))) : "  ${line}"],
      length(local.live_members_without_mfa) > 5 ? ["  ... and ${length(local.live_members_without_mfa) - 5} more"] : [],
      ["", "Vaults without a customer-managed key: ${length(local.vaults_without_own_key)} of ${length(flatten(data.cerby_vaults.all[*].ids))}"],
      [for line in slice(local.vaults_without_own_key, 0, min(5, length(local.vaults_without_own_key))) : "  ${line}"],
      length(local.vaults_without_own_key) > 5 ? ["  ... and ${length(local.vaults_without_own_key) - 5} more"] : [],
    ) : ["", "Members' MFA enrollment and vaults: not read (the Read API has neither)"],
    ["", "Policy checks"],
    [for policy, violations in local.policy_violations : length(violations) > 0 ? "  FAIL  ${policy} (${length(violations)} violation(s))" : "  pass  ${policy}"],
    [for policy, why in local.policies_skipped : "  skip  ${policy} (needs the Cerby API)"],
    [""],
  ))
}
