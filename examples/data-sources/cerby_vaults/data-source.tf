# The workspace's vaults and how each is encrypted (Cerby API only).
data "cerby_vaults" "all" {}

# Vaults not on a customer-managed key (AWS KMS or Azure Key Vault).
output "vaults_on_cerbys_own_key" {
  value = [for vault in data.cerby_vaults.all.vaults : vault.name if !contains(["kms_byo", "akv"], vault.scheme)]
}

output "vault_schemes" {
  value = { for vault in data.cerby_vaults.all.vaults : vault.name => vault.scheme }
}
