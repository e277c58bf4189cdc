# Every Instagram and TikTok account visible to the credentials.
data "cerby_accounts" "social" {
  applications = ["instagram", "tiktok"]
}

# Accounts that still have no multi-factor authentication.
output "social_accounts_without_mfa" {
  value = [
    for account in data.cerby_accounts.social.accounts :
    "${account.application}: ${account.name}" if account.mfa_enabled != true
  ]
}

# Disabled secrets whose name mentions "legacy", at most 50 of them. Read API
# only: the Cerby API has no search or type filter and refuses them before any
# request (with api = "cerby_api", filter on applications, status and
# account_ids, or on the attributes in a for expression).
data "cerby_accounts" "legacy_secrets" {
  search    = "legacy"
  type      = "secret"
  status    = "disabled"
  max_items = 50
}

output "legacy_secret_ids" {
  value = data.cerby_accounts.legacy_secrets.ids
}
