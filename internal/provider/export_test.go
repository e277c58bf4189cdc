package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// NewFrameworkServer serves the provider through terraform-plugin-framework
// alone, with its own ReadDataSource: tests hold NewServer to its answers.
func NewFrameworkServer() (tfprotov6.ProviderServer, error) {
	return providerserver.NewProtocol6WithError(&cerbyProvider{version: "test"})()
}
