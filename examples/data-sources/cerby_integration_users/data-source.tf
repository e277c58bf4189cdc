# Who holds a seat in each business hub integration (Cerby API only).
data "cerby_integrations" "all" {}

data "cerby_integration_users" "seats" {
  for_each       = toset(data.cerby_integrations.all.ids)
  integration_id = each.value
}

# Seats still held by members removed from the workspace, by integration id.
output "seats_of_disabled_members" {
  value = {
    for id, seats in data.cerby_integration_users.seats :
    id => [for seat in seats.users : seat.email if seat.status == "disabled"]
  }
}

# Each seat's entitlement keys, by integration id and email.
output "entitlements" {
  value = {
    for id, seats in data.cerby_integration_users.seats :
    id => { for seat in seats.users : coalesce(seat.email, seat.id) => [for e in coalesce(seat.entitlements, []) : e.key] }
  }
}
