package provider

// SKELETON: replaced by the real provider implementation.

import "github.com/hashicorp/terraform-plugin-framework/provider"

// New returns a constructor of the provider at the given version.
func New(version string) func() provider.Provider {
	return func() provider.Provider { return nil }
}
