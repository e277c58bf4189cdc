package provider_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cerby-community/terraform-provider-cerby/internal/cerbysim"
	"github.com/cerby-community/terraform-provider-cerby/internal/provider"
)

// BenchmarkReadDataSource is the provider's side of a plan that reads a large
// listing, in-process and through the protocol the CLI speaks (config decode,
// client, mapping, state encode), so that it can be profiled with
// -cpuprofile/-memprofile. The simulator serves from the same process; its
// share shows under internal/cerbysim in a profile. bench/run.sh measures the
// same reads under the real CLI.
func BenchmarkReadDataSource(b *testing.B) {
	for _, bc := range []struct {
		dataSource string
		size       cerbysim.Size
	}{
		{"cerby_accounts", cerbysim.Size{Accounts: 10_000, Members: 10, AccessPerMember: 1}},
		{"cerby_accounts", cerbysim.Size{Accounts: 100_000, Members: 10, AccessPerMember: 1}},
		{"cerby_users", cerbysim.Size{Accounts: 10, Members: 10_000, AccessPerMember: 1}},
	} {
		b.Run(fmt.Sprintf("%s/accounts=%d/members=%d", bc.dataSource, bc.size.Accounts, bc.size.Members), func(b *testing.B) {
			server, config := configuredProvider(b, bc.size)
			for b.Loop() {
				resp, err := server.ReadDataSource(context.Background(), &tfprotov6.ReadDataSourceRequest{TypeName: bc.dataSource, Config: config[bc.dataSource]})
				if err != nil || len(resp.Diagnostics) > 0 {
					b.Fatalf("read: %v %v", err, resp.Diagnostics)
				}
				b.ReportMetric(float64(len(resp.State.MsgPack)), "state-bytes")
			}
		})
	}
}

// configuredProvider starts a simulator of the given size and returns a
// provider configured for it, with an all-null configuration per data source.
func configuredProvider(b *testing.B, size cerbysim.Size) (tfprotov6.ProviderServer, map[string]*tfprotov6.DynamicValue) {
	sim := cerbysim.New(cerbysim.Generate(1, size), cerbysim.Config{APIKey: testAPIKey})
	endpoint, err := sim.Start("127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = sim.Close() })
	server, schemas := configuredServer(b, provider.NewServer("bench"), endpoint)
	configs := map[string]*tfprotov6.DynamicValue{}
	for name, s := range schemas.DataSourceSchemas {
		configs[name] = dataSourceConfig(b, s, nil)
	}
	return server, configs
}

// configuredServer starts a provider server and configures it for the API at
// endpoint, as a CLI does; it returns the schemas too.
func configuredServer(tb testing.TB, newServer func() (tfprotov6.ProviderServer, error), endpoint string) (tfprotov6.ProviderServer, *tfprotov6.GetProviderSchemaResponse) {
	tb.Helper()
	ctx := context.Background()
	server, err := newServer()
	if err != nil {
		tb.Fatal(err)
	}
	schemas, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		tb.Fatal(err)
	}
	providerConfig := dataSourceConfig(tb, schemas.Provider, map[string]tftypes.Value{
		"endpoint": tftypes.NewValue(tftypes.String, endpoint),
		"api_key":  tftypes.NewValue(tftypes.String, testAPIKey),
	})
	resp, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{Config: providerConfig})
	if err != nil || len(resp.Diagnostics) > 0 {
		tb.Fatalf("configure: %v %v", err, resp.Diagnostics)
	}
	return server, schemas
}

// dataSourceConfig encodes a configuration of schema s with every attribute
// and block null except those in set.
func dataSourceConfig(tb testing.TB, s *tfprotov6.Schema, set map[string]tftypes.Value) *tfprotov6.DynamicValue {
	tb.Helper()
	typ := s.ValueType().(tftypes.Object)
	values := map[string]tftypes.Value{}
	for name, t := range typ.AttributeTypes {
		values[name] = tftypes.NewValue(t, nil)
		if v, ok := set[name]; ok {
			values[name] = v
		}
	}
	dv, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, values))
	if err != nil {
		tb.Fatal(err)
	}
	return &dv
}
