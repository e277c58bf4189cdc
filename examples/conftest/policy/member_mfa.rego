# Policy "every live member has MFA enrolled", on the Cerby API: a live
# member's MFA status, read by cerby_users with include_mfa_status = true,
# says mfa_enabled = true. A false one is not enrolled; a null one was not
# sent by the API, so not known to be enrolled either.
package main

deny contains msg if {
	not read_api
	some m in mfa_members
	m.status == "live"
	m.mfa_enabled == false
	msg := sprintf("every live member has MFA enrolled: %s has not enrolled MFA", [member_label(m)])
}

deny contains msg if {
	not read_api
	some m in mfa_members
	m.status == "live"
	m.mfa_enabled == null
	msg := sprintf("every live member has MFA enrolled: %s has no MFA status (the Cerby API sent none)", [member_label(m)])
}

deny contains msg if {
	not read_api
	count(mfa_members) == 0
	msg := "every live member has MFA enrolled: the plan read no cerby_users with include_mfa_status = true, so the policy cannot judge the workspace"
}

warn contains msg if {
	read_api
	msg := "every live member has MFA enrolled: skipped, as the plan reads the Read API (var.api = \"read_api\"), which sends no member's MFA status"
}

# The members of the cerby_users reads that asked for their MFA status.
mfa_members := {m |
	some v in read("cerby_users")
	v.include_mfa_status == true
	some m in v.users
}
