# One team by its exact name, with its members' and accounts' ids
# (Cerby API only).
data "cerby_team" "social" {
  name = "Social media"
}

output "social_media_team" {
  value = {
    id       = data.cerby_team.social.id
    type     = data.cerby_team.social.type
    members  = length(data.cerby_team.social.member_ids)
    accounts = length(data.cerby_team.social.account_ids)
  }
}

# Where the workspace's API does not offer a team's accounts listing, turn it
# off: account_ids is then null, and no such request is sent.
# data "cerby_team" "social_members_only" {
#   name                = "Social media"
#   include_account_ids = false
# }
