# Look an account up by its id...
data "cerby_account" "by_id" {
  id = "6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f"
}

# ...or by its exact name (an error if no account or several share the name).
data "cerby_account" "brand_instagram" {
  name = "Brand Instagram"
}

output "brand_instagram_security" {
  value = {
    mfa_enabled       = data.cerby_account.brand_instagram.mfa_enabled
    mfa_types         = data.cerby_account.brand_instagram.mfa_types
    password_rotation = try(data.cerby_account.brand_instagram.workspace_policy_result.password_rotation, null)
    last_rotated_at   = data.cerby_account.brand_instagram.rotated_at
  }
}
