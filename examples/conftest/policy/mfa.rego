# Policy "every account has MFA".
package main

deny contains msg if {
	some a in accounts
	a.mfa_enabled != true
	msg := sprintf("every account has MFA: %s has MFA disabled", [account_label(a)])
}
