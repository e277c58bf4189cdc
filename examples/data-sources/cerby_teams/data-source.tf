# Every team of the workspace (Cerby API only).
data "cerby_teams" "all" {}

output "team_names" {
  value = [for team in data.cerby_teams.all.teams : team.name]
}

# Teams synchronised from the identity provider, by name.
output "scim_managed_teams" {
  value = [for team in data.cerby_teams.all.teams : team.name if team.type == "scim_managed"]
}
