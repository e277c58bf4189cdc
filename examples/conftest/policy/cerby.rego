# What the policies share: the results of the Cerby data sources a saved plan
# read (`terraform show -json tfplan`). A plan holds them under prior_state,
# in the root module or in any child module.
package main

# read(t) is the set of the values of every data source of type t.
read(t) := {r.values |
	walk(input.prior_state.values.root_module, [path, r])
	path[count(path) - 2] == "resources"
	r.mode == "data"
	r.type == t
}

accounts := {a |
	some v in read("cerby_accounts")
	some a in v.accounts
}

members := {m |
	some v in read("cerby_users")
	some m in v.users
}

members_by_id := {m.id: m | some m in members}

account_label(a) := sprintf("%s account %q (id %s)", [a.application, a.name, a.id])

member_label(m) := sprintf("%s %s <%s> (id %s)", [m.first_name, m.last_name, m.email, m.id])

# The plan reads the legacy Read API, as its variable api says: the policies
# that need the Cerby API (members' MFA status, vaults) are skipped, with a
# warning. Unset (null), the provider inferred the API and every policy runs.
read_api if input.variables.api.value == "read_api"

# Without the reads the policies would pass on nothing, for instance on the
# plan of another configuration, or when the reads were deferred to apply.
deny contains msg if {
	some t in ["cerby_accounts", "cerby_users"]
	count(read(t)) == 0
	msg := sprintf("the plan read no %s, so the Cerby policies cannot judge the workspace", [t])
}
