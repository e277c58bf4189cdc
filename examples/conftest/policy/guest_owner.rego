# Policy "no guest owns an account". An account's role is the caller's own,
# so the owner is taken to be the member who created it (created_by).
package main

deny contains msg if {
	some a in accounts
	creator := members_by_id[a.created_by]
	creator.is_guest == true
	msg := sprintf("no guest owns an account: %s was created by guest %s", [account_label(a), member_label(creator)])
}
