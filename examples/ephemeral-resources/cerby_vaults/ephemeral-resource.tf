# Fail the plan when a vault is not encrypted with a key the organisation
# holds (its own AWS KMS key, or Azure Key Vault), without writing a vault to
# the state or the plan file. Cerby API only.
ephemeral "cerby_vaults" "all" {}

resource "terraform_data" "vault_keys" {
  lifecycle {
    precondition {
      condition = alltrue([
        for v in ephemeral.cerby_vaults.all.vaults : contains(["kms_byo", "akv"], coalesce(v.scheme, "none"))
      ])
      error_message = "A vault is not encrypted with a customer-managed key (kms_byo or akv)."
    }
  }
}
