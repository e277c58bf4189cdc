# The policies' own tests: `conftest verify -p policy`. Each rule fires on a
# plan made to break it and stays quiet on a clean one.
package main

# --- plan JSON as `terraform show -json` writes it ---------------------------

plan(resources) := {"prior_state": {"values": {"root_module": {"resources": resources}}}}

read_of(t, name, values) := {"address": sprintf("data.%s.%s", [t, name]), "mode": "data", "type": t, "name": name, "values": values}

accounts_read(accounts) := read_of("cerby_accounts", "all", {"accounts": accounts})

users_read(users) := read_of("cerby_users", "all", {"users": users})

reach_read_of(member, accounts) := read_of("cerby_user_accounts", "disabled", {
	"user_id": member.id,
	"ids": [a.id | some a in accounts],
	"accounts": accounts,
})

# --- a small workspace --------------------------------------------------------

olivia := {"id": "u1", "first_name": "Olivia", "last_name": "Owner", "email": "olivia@example.com", "status": "live", "is_guest": false}

dan := {"id": "u2", "first_name": "Dan", "last_name": "Departed", "email": "dan@example.com", "status": "disabled", "is_guest": false}

gina := {"id": "u3", "first_name": "Gina", "last_name": "Guest", "email": "gina@agency.example.org", "status": "live", "is_guest": true}

instagram := {"id": "a1", "name": "Brand Instagram", "application": "instagram", "mfa_enabled": true, "created_by": "u1"}

tiktok := {"id": "a2", "name": "Brand TikTok", "application": "tiktok", "mfa_enabled": true, "created_by": "u1"}

clean := [
	accounts_read([instagram, tiktok]),
	users_read([olivia, dan, gina]),
	reach_read_of(dan, []),
]

# --- every account has MFA ----------------------------------------------------

test_clean_plan_passes if {
	count(deny) == 0 with input as plan(clean)
}

test_account_without_mfa_fails if {
	no_mfa := object.union(tiktok, {"mfa_enabled": false})
	deny == {`every account has MFA: tiktok account "Brand TikTok" (id a2) has MFA disabled`} with input as plan([
		accounts_read([instagram, no_mfa]),
		users_read([olivia, dan, gina]),
		reach_read_of(dan, []),
	])
}

test_account_with_unknown_mfa_fails if {
	unknown := object.union(tiktok, {"mfa_enabled": null})
	count(deny) == 1 with input as plan([
		accounts_read([instagram, unknown]),
		users_read([olivia, dan, gina]),
		reach_read_of(dan, []),
	])
}

# --- no disabled member retains access ----------------------------------------

test_disabled_member_with_access_fails if {
	deny == {"no disabled member retains access: Dan Departed <dan@example.com> (id u2) still reaches 2 account(s): Brand Instagram, Brand TikTok"} with input as plan([
		accounts_read([instagram, tiktok]),
		users_read([olivia, dan, gina]),
		reach_read_of(dan, [tiktok, instagram]),
	])
}

test_live_member_with_access_passes if {
	count(deny) == 0 with input as plan(array.concat(clean, [reach_read_of(olivia, [instagram])]))
}

test_disabled_member_not_read_fails if {
	deny == {"no disabled member retains access: the plan read no cerby_user_accounts for Dan Departed <dan@example.com> (id u2), so their access is unknown"} with input as plan([
		accounts_read([instagram, tiktok]),
		users_read([olivia, dan, gina]),
	])
}

# --- no guest owns an account -------------------------------------------------

test_guest_created_account_fails if {
	by_gina := object.union(tiktok, {"created_by": "u3"})
	deny == {`no guest owns an account: tiktok account "Brand TikTok" (id a2) was created by guest Gina Guest <gina@agency.example.org> (id u3)`} with input as plan([
		accounts_read([instagram, by_gina]),
		users_read([olivia, dan, gina]),
		reach_read_of(dan, []),
	])
}

test_account_created_by_unlisted_member_passes if {
	by_stranger := object.union(tiktok, {"created_by": "u9"})
	count(deny) == 0 with input as plan([
		accounts_read([instagram, by_stranger]),
		users_read([olivia, dan, gina]),
		reach_read_of(dan, []),
	])
}

# --- what the policies read ---------------------------------------------------

test_reads_in_a_child_module_are_judged if {
	no_mfa := object.union(tiktok, {"mfa_enabled": false})
	count(deny) == 1 with input as {"prior_state": {"values": {"root_module": {
		"resources": [users_read([olivia, dan, gina]), reach_read_of(dan, [])],
		"child_modules": [{"address": "module.cerby", "resources": [accounts_read([instagram, no_mfa])]}],
	}}}}
}

test_plan_without_reads_fails if {
	deny == {
		"the plan read no cerby_accounts, so the Cerby policies cannot judge the workspace",
		"the plan read no cerby_users, so the Cerby policies cannot judge the workspace",
	} with input as plan([])
}

test_managed_resources_are_not_read if {
	managed := object.union(accounts_read([object.union(tiktok, {"mfa_enabled": false})]), {"mode": "managed"})
	count(deny) == 0 with input as plan(array.concat(clean, [managed]))
}
