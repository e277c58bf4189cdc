# The policies' own tests: `conftest verify -p policy`. Each rule fires on a
# plan made to break it and stays quiet on a clean one.
package main

# --- plan JSON as `terraform show -json` writes it ---------------------------

plan(resources) := {"prior_state": {"values": {"root_module": {"resources": resources}}}}

read_of(t, name, values) := {"address": sprintf("data.%s.%s", [t, name]), "mode": "data", "type": t, "name": name, "values": values}

accounts_read(accounts) := read_of("cerby_accounts", "all", {"accounts": accounts})

users_read(users) := read_of("cerby_users", "all", {"include_mfa_status": true, "users": users})

vaults_read(vaults) := read_of("cerby_vaults", "all", {"vaults": vaults})

# The plan JSON's variables, as `terraform show -json` writes them.
on_api(p, api) := object.union(p, {"variables": {"api": {"value": api}}})

reach_read_of(member, accounts) := read_of("cerby_user_accounts", "disabled", {
	"user_id": member.id,
	"ids": [a.id | some a in accounts],
	"accounts": accounts,
})

# --- a small workspace --------------------------------------------------------

olivia := {"id": "u1", "first_name": "Olivia", "last_name": "Owner", "email": "olivia@example.com", "status": "live", "is_guest": false, "mfa_enabled": true}

# Disabled, so not judged by the MFA policy.
dan := {"id": "u2", "first_name": "Dan", "last_name": "Departed", "email": "dan@example.com", "status": "disabled", "is_guest": false, "mfa_enabled": false}

gina := {"id": "u3", "first_name": "Gina", "last_name": "Guest", "email": "gina@agency.example.org", "status": "live", "is_guest": true, "mfa_enabled": true}

instagram := {"id": "a1", "name": "Brand Instagram", "application": "instagram", "mfa_enabled": true, "created_by": "u1"}

tiktok := {"id": "a2", "name": "Brand TikTok", "application": "tiktok", "mfa_enabled": true, "created_by": "u1"}

kms_vault := {"id": "v1", "name": "Brand vault", "scheme": "kms_byo"}

akv_vault := {"id": "v2", "name": "Support vault", "scheme": "akv"}

clean_vaults := vaults_read([kms_vault, akv_vault])

clean := [
	accounts_read([instagram, tiktok]),
	users_read([olivia, dan, gina]),
	reach_read_of(dan, []),
	clean_vaults,
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
		clean_vaults,
	])
}

test_account_with_unknown_mfa_fails if {
	unknown := object.union(tiktok, {"mfa_enabled": null})
	count(deny) == 1 with input as plan([
		accounts_read([instagram, unknown]),
		users_read([olivia, dan, gina]),
		reach_read_of(dan, []),
		clean_vaults,
	])
}

# --- no disabled member retains access ----------------------------------------

test_disabled_member_with_access_fails if {
	deny == {"no disabled member retains access: Dan Departed <dan@example.com> (id u2) still reaches 2 account(s): Brand Instagram, Brand TikTok"} with input as plan([
		accounts_read([instagram, tiktok]),
		users_read([olivia, dan, gina]),
		reach_read_of(dan, [tiktok, instagram]),
		clean_vaults,
	])
}

test_live_member_with_access_passes if {
	count(deny) == 0 with input as plan(array.concat(clean, [reach_read_of(olivia, [instagram])]))
}

test_disabled_member_not_read_fails if {
	deny == {"no disabled member retains access: the plan read no cerby_user_accounts for Dan Departed <dan@example.com> (id u2), so their access is unknown"} with input as plan([
		accounts_read([instagram, tiktok]),
		users_read([olivia, dan, gina]),
		clean_vaults,
	])
}

# --- no guest owns an account -------------------------------------------------

test_guest_created_account_fails if {
	by_gina := object.union(tiktok, {"created_by": "u3"})
	deny == {`no guest owns an account: tiktok account "Brand TikTok" (id a2) was created by guest Gina Guest <gina@agency.example.org> (id u3)`} with input as plan([
		accounts_read([instagram, by_gina]),
		users_read([olivia, dan, gina]),
		reach_read_of(dan, []),
		clean_vaults,
	])
}

test_account_created_by_unlisted_member_passes if {
	by_stranger := object.union(tiktok, {"created_by": "u9"})
	count(deny) == 0 with input as plan([
		accounts_read([instagram, by_stranger]),
		users_read([olivia, dan, gina]),
		reach_read_of(dan, []),
		clean_vaults,
	])
}

# --- what the policies read ---------------------------------------------------

test_reads_in_a_child_module_are_judged if {
	no_mfa := object.union(tiktok, {"mfa_enabled": false})
	count(deny) == 1 with input as {"prior_state": {"values": {"root_module": {
		"resources": [users_read([olivia, dan, gina]), reach_read_of(dan, []), clean_vaults],
		"child_modules": [{"address": "module.cerby", "resources": [accounts_read([instagram, no_mfa])]}],
	}}}}
}

test_plan_without_reads_fails if {
	deny == {
		"the plan read no cerby_accounts, so the Cerby policies cannot judge the workspace",
		"the plan read no cerby_users, so the Cerby policies cannot judge the workspace",
		"every live member has MFA enrolled: the plan read no cerby_users with include_mfa_status = true, so the policy cannot judge the workspace",
		"every vault uses a customer-managed key: the plan read no cerby_vaults, so the policy cannot judge the workspace",
	} with input as plan([])
}

test_managed_resources_are_not_read if {
	managed := object.union(accounts_read([object.union(tiktok, {"mfa_enabled": false})]), {"mode": "managed"})
	count(deny) == 0 with input as plan(array.concat(clean, [managed]))
}

# --- every live member has MFA enrolled (Cerby API) ---------------------------

test_live_member_without_mfa_fails if {
	deny == {"every live member has MFA enrolled: Gina Guest <gina@agency.example.org> (id u3) has not enrolled MFA"} with input as plan([
		accounts_read([instagram, tiktok]),
		users_read([olivia, dan, object.union(gina, {"mfa_enabled": false})]),
		reach_read_of(dan, []),
		clean_vaults,
	])
}

test_live_member_without_mfa_status_fails if {
	deny == {"every live member has MFA enrolled: Olivia Owner <olivia@example.com> (id u1) has no MFA status (the Cerby API sent none)"} with input as plan([
		accounts_read([instagram, tiktok]),
		users_read([object.union(olivia, {"mfa_enabled": null}), dan, gina]),
		reach_read_of(dan, []),
		clean_vaults,
	])
}

test_pending_member_without_mfa_passes if {
	pending := {"id": "u4", "first_name": "Pat", "last_name": "Pending", "email": "pat@example.com", "status": "pending", "is_guest": false, "mfa_enabled": null}
	count(deny) == 0 with input as plan([
		accounts_read([instagram, tiktok]),
		users_read([olivia, dan, gina, pending]),
		reach_read_of(dan, []),
		clean_vaults,
	])
}

test_users_read_without_mfa_status_fails if {
	without := read_of("cerby_users", "all", {"include_mfa_status": false, "users": [olivia, dan, gina]})
	deny == {"every live member has MFA enrolled: the plan read no cerby_users with include_mfa_status = true, so the policy cannot judge the workspace"} with input as plan([
		accounts_read([instagram, tiktok]),
		without,
		reach_read_of(dan, []),
		clean_vaults,
	])
}

# --- every vault uses a customer-managed key (Cerby API) ----------------------

test_vault_with_cerby_key_fails if {
	deny == {`every vault uses a customer-managed key: vault "Support vault" (id v2) uses local_encryption_key, not kms_byo or akv`} with input as plan([
		accounts_read([instagram, tiktok]),
		users_read([olivia, dan, gina]),
		reach_read_of(dan, []),
		vaults_read([kms_vault, object.union(akv_vault, {"scheme": "local_encryption_key"})]),
	])
}

test_vault_without_scheme_fails if {
	deny == {`every vault uses a customer-managed key: vault "Brand vault" (id v1) has no scheme (the Cerby API sent none)`} with input as plan([
		accounts_read([instagram, tiktok]),
		users_read([olivia, dan, gina]),
		reach_read_of(dan, []),
		vaults_read([object.union(kms_vault, {"scheme": null}), akv_vault]),
	])
}

test_workspace_without_vaults_passes if {
	count(deny) == 0 with input as plan([
		accounts_read([instagram, tiktok]),
		users_read([olivia, dan, gina]),
		reach_read_of(dan, []),
		vaults_read([]),
	])
}

# --- on the Read API (var.api = "read_api") -----------------------------------

read_api_plan := on_api(
	plan([
		accounts_read([instagram, tiktok]),
		read_of("cerby_users", "all", {"include_mfa_status": false, "users": [
			object.union(olivia, {"mfa_enabled": null}),
			object.union(dan, {"mfa_enabled": null}),
			object.union(gina, {"mfa_enabled": null}),
		]}),
		reach_read_of(dan, []),
	]),
	"read_api",
)

test_read_api_skips_the_cerby_api_policies if {
	count(deny) == 0 with input as read_api_plan
	warn == {
		`every live member has MFA enrolled: skipped, as the plan reads the Read API (var.api = "read_api"), which sends no member's MFA status`,
		`every vault uses a customer-managed key: skipped, as the plan reads the Read API (var.api = "read_api"), which has no vaults`,
	} with input as read_api_plan
}

test_read_api_still_judges_the_others if {
	no_mfa := object.union(tiktok, {"mfa_enabled": false})
	deny == {`every account has MFA: tiktok account "Brand TikTok" (id a2) has MFA disabled`} with input as on_api(
		plan([
			accounts_read([instagram, no_mfa]),
			users_read([olivia, dan, gina]),
			reach_read_of(dan, []),
		]),
		"read_api",
	)
}

test_cerby_api_set_explicitly_judges_all if {
	count(warn) == 0 with input as on_api(plan(clean), "cerby_api")
	count(deny) == 1 with input as on_api(
		plan([
			accounts_read([instagram, tiktok]),
			users_read([olivia, dan, gina]),
			reach_read_of(dan, []),
		]),
		"cerby_api",
	)
}
