# Policy "every vault uses a customer-managed key", on the Cerby API: each
# vault cerby_vaults read is encrypted with the customer's own AWS KMS key
# (kms_byo) or Azure Key Vault key (akv), not with Cerby's own
# (local_encryption_key) nor with a scheme the API did not send.
package main

customer_managed_schemes := {"kms_byo", "akv"}

deny contains msg if {
	not read_api
	some v in vaults
	v.scheme != null
	not v.scheme in customer_managed_schemes
	msg := sprintf("every vault uses a customer-managed key: %s uses %s, not kms_byo or akv", [vault_label(v), v.scheme])
}

deny contains msg if {
	not read_api
	some v in vaults
	v.scheme == null
	msg := sprintf("every vault uses a customer-managed key: %s has no scheme (the Cerby API sent none)", [vault_label(v)])
}

deny contains msg if {
	not read_api
	count(read("cerby_vaults")) == 0
	msg := "every vault uses a customer-managed key: the plan read no cerby_vaults, so the policy cannot judge the workspace"
}

warn contains msg if {
	read_api
	msg := "every vault uses a customer-managed key: skipped, as the plan reads the Read API (var.api = \"read_api\"), which has no vaults"
}

vaults := {v |
	some r in read("cerby_vaults")
	some v in r.vaults
}

vault_label(v) := sprintf("vault %q (id %s)", [v.name, v.id])
