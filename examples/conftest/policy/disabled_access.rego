# Policy "no disabled member retains access": a removed member reaches no
# account, as the cerby_user_accounts read for that member tells.
package main

deny contains msg if {
	some m in members
	m.status == "disabled"
	some reach in read("cerby_user_accounts")
	reach.user_id == m.id
	count(reach.ids) > 0
	names := concat(", ", sort([a.name | some a in reach.accounts]))
	msg := sprintf("no disabled member retains access: %s still reaches %d account(s): %s", [member_label(m), count(reach.ids), names])
}

deny contains msg if {
	some m in members
	m.status == "disabled"
	not reach_read(m.id)
	msg := sprintf("no disabled member retains access: the plan read no cerby_user_accounts for %s, so their access is unknown", [member_label(m)])
}

reach_read(id) if {
	some reach in read("cerby_user_accounts")
	reach.user_id == id
}
