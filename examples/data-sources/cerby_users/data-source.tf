# Members removed from the workspace (status "disabled").
data "cerby_users" "removed" {
  statuses = ["disabled"]
}

output "removed_member_emails" {
  value = [for user in data.cerby_users.removed.users : user.email]
}

# Guests, active or invited.
data "cerby_users" "guests" {
  statuses = ["live", "pending"]
  is_guest = true
}

output "guest_count" {
  value = length(data.cerby_users.guests.ids)
}
