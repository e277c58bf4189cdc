# The business hub integrations (Cerby API only).
data "cerby_integrations" "all" {}

output "integrations" {
  value = { for integration in data.cerby_integrations.all.integrations : integration.label => integration.application }
}
