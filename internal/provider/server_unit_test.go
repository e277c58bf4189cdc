package provider_test

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cerby-community/terraform-provider-cerby/internal/cerbysim"
	"github.com/cerby-community/terraform-provider-cerby/internal/provider"
)

// NewServer answers ReadDataSource itself; for every data source, in success
// and in failure, it must answer exactly what terraform-plugin-framework
// answers through the data source's Read.
func TestServerReadsWhatTheFrameworkReads(t *testing.T) {
	ws := cerbysim.Generate(7, cerbysim.Size{Accounts: 250, Members: 30, AccessPerMember: 4})
	sim := cerbysim.New(ws, cerbysim.Config{APIKey: testAPIKey})
	endpoint, err := sim.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sim.Close() })
	direct, schemas := configuredServer(t, provider.NewServer("test"), endpoint)
	framework, _ := configuredServer(t, provider.NewFrameworkServer, endpoint)

	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	account, member := ws.Accounts[3], ws.Members[5]
	for name, tc := range map[string]struct {
		dataSource string
		set        map[string]tftypes.Value
		wantError  bool
	}{
		"every account":           {dataSource: "cerby_accounts"},
		"accounts, filtered":      {dataSource: "cerby_accounts", set: map[string]tftypes.Value{"status": str("enabled"), "max_items": tftypes.NewValue(tftypes.Number, 7)}},
		"every member":            {dataSource: "cerby_users"},
		"account by id":           {dataSource: "cerby_account", set: map[string]tftypes.Value{"id": str(account.String("id"))}},
		"account by name":         {dataSource: "cerby_account", set: map[string]tftypes.Value{"name": str(account.String("name"))}},
		"account name unknown":    {dataSource: "cerby_account", set: map[string]tftypes.Value{"name": str("no such account")}, wantError: true},
		"user accounts by email":  {dataSource: "cerby_user_accounts", set: map[string]tftypes.Value{"user_email": str(member.String("email"))}},
		"user accounts, no user":  {dataSource: "cerby_user_accounts", set: map[string]tftypes.Value{"user_id": str("00000000-0000-4000-8000-000000000000")}, wantError: true},
		"a timeout that is wrong": {dataSource: "cerby_users", set: map[string]tftypes.Value{"timeouts": timeoutsValue(t, schemas, "cerby_users", "soon")}, wantError: true},
		"every member's access":   {dataSource: "cerby_access"},
		"access, selected": {dataSource: "cerby_access", set: map[string]tftypes.Value{
			"statuses": strList("live", "disabled"), "is_guest": tftypes.NewValue(tftypes.Bool, false), "concurrency": tftypes.NewValue(tftypes.Number, 3),
		}},
		"access by user ids, one no member has": {dataSource: "cerby_access", set: map[string]tftypes.Value{
			"user_ids": strList(ws.Members[5].String("id"), "00000000-0000-4000-8000-000000000000", ws.Members[2].String("id")),
		}},
		"access, a concurrency no validator checked": {dataSource: "cerby_access", set: map[string]tftypes.Value{"concurrency": tftypes.NewValue(tftypes.Number, 0)}, wantError: true},
		"access, a timeout that is wrong":            {dataSource: "cerby_access", set: map[string]tftypes.Value{"timeouts": timeoutsValue(t, schemas, "cerby_access", "soon")}, wantError: true},
	} {
		t.Run(name, func(t *testing.T) {
			schema := schemas.DataSourceSchemas[tc.dataSource]
			req := &tfprotov6.ReadDataSourceRequest{TypeName: tc.dataSource, Config: dataSourceConfig(t, schema, tc.set)}
			got, want := readDataSource(t, direct, req), readDataSource(t, framework, req)
			if gotError := slices.ContainsFunc(got.Diagnostics, isError); gotError != tc.wantError {
				t.Fatalf("error = %v, want %v: %v", gotError, tc.wantError, got.Diagnostics)
			}
			if !slices.EqualFunc(got.Diagnostics, want.Diagnostics, sameDiagnostic) {
				t.Errorf("diagnostics:\n%s\nthe framework's:\n%s", describeDiagnostics(got.Diagnostics), describeDiagnostics(want.Diagnostics))
			}
			gotState, wantState := decodeState(t, schema, got.State), decodeState(t, schema, want.State)
			if !gotState.Equal(wantState) {
				t.Errorf("state:\n%s\nthe framework's:\n%s", gotState, wantState)
			}
			if !tc.wantError && gotState.IsNull() {
				t.Error("a successful read returned a null state")
			}
		})
	}
}

// An unknown type name is left to the framework, which fails it; a read
// without configuration fails too, rather than dereference nil.
func TestServerFailsReadsItCannotServe(t *testing.T) {
	for name, typeName := range map[string]string{
		"an unknown data source, as the framework fails it": "cerby_nothing",
		"a read without configuration":                      "cerby_users",
	} {
		t.Run(name, func(t *testing.T) {
			server, err := provider.NewServer("test")()
			if err != nil {
				t.Fatal(err)
			}
			resp := readDataSource(t, server, &tfprotov6.ReadDataSourceRequest{TypeName: typeName})
			if !slices.ContainsFunc(resp.Diagnostics, isError) {
				t.Errorf("reading %s should fail, got %v", name, resp.Diagnostics)
			}
		})
	}
}

func TestServerReportsAnUnconfiguredProvider(t *testing.T) {
	server, err := provider.NewServer("test")()
	if err != nil {
		t.Fatal(err)
	}
	schemas, err := server.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	resp := readDataSource(t, server, &tfprotov6.ReadDataSourceRequest{TypeName: "cerby_users", Config: dataSourceConfig(t, schemas.DataSourceSchemas["cerby_users"], nil)})
	if len(resp.Diagnostics) != 1 || resp.Diagnostics[0].Summary != "Cerby provider not configured" {
		t.Errorf("diagnostics = %v, want one saying the provider is not configured", resp.Diagnostics)
	}
}

func readDataSource(t *testing.T, server tfprotov6.ProviderServer, req *tfprotov6.ReadDataSourceRequest) *tfprotov6.ReadDataSourceResponse {
	t.Helper()
	resp, err := server.ReadDataSource(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

func isError(d *tfprotov6.Diagnostic) bool { return d.Severity == tfprotov6.DiagnosticSeverityError }

// requestID differs between two reads of the same thing.
var requestID = regexp.MustCompile(`request id sim-[0-9]+`)

func sameDiagnostic(a, b *tfprotov6.Diagnostic) bool {
	detail := func(d *tfprotov6.Diagnostic) string { return requestID.ReplaceAllString(d.Detail, "request id …") }
	return a.Severity == b.Severity && a.Summary == b.Summary && detail(a) == detail(b) && a.Attribute.Equal(b.Attribute)
}

func decodeState(t *testing.T, schema *tfprotov6.Schema, state *tfprotov6.DynamicValue) tftypes.Value {
	t.Helper()
	if state == nil {
		t.Fatal("no state in the response")
	}
	value, err := state.Unmarshal(schema.ValueType())
	if err != nil {
		t.Fatal(err)
	}
	return value
}

func timeoutsValue(t *testing.T, schemas *tfprotov6.GetProviderSchemaResponse, dataSource, read string) tftypes.Value {
	t.Helper()
	typ := schemas.DataSourceSchemas[dataSource].ValueType().(tftypes.Object).AttributeTypes["timeouts"]
	return tftypes.NewValue(typ, map[string]tftypes.Value{"read": tftypes.NewValue(tftypes.String, read)})
}

func describeDiagnostics(diags []*tfprotov6.Diagnostic) string {
	var lines []string
	for _, d := range diags {
		lines = append(lines, fmt.Sprintf("%s %q %q at %s", d.Severity, d.Summary, d.Detail, d.Attribute))
	}
	return strings.Join(lines, "\n")
}

// A state over the protocol's ceiling is refused with a diagnostic that says
// how many items and bytes, why, and how to narrow the read, instead of the
// gRPC error Terraform would otherwise show; one under it is served. The
// ceiling is lowered as the fault matrix lowers it for a real CLI.
func TestServerRefusesAStateOverTheProtocolCeiling(t *testing.T) {
	ws := cerbysim.Generate(7, cerbysim.Size{Accounts: 250, Members: 30, AccessPerMember: 4})
	sim := cerbysim.New(ws, cerbysim.Config{APIKey: testAPIKey})
	endpoint, err := sim.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sim.Close() })
	direct, schemas := configuredServer(t, provider.NewServer("test"), endpoint)
	for _, tc := range []struct {
		dataSource, what, narrowing string
	}{
		{"cerby_accounts", "250 accounts", "filter with applications, status or account_ids, or set max_items"},
		{"cerby_users", "28 members", "filter with search, statuses, user_ids or is_guest, or set max_items"}, // the 30 less the 2 only in the IdP
		{"cerby_access", "112 grants", "select fewer members with search, statuses, user_ids or is_guest"},    // those 28, 4 accounts each
	} {
		schema := schemas.DataSourceSchemas[tc.dataSource]
		req := &tfprotov6.ReadDataSourceRequest{TypeName: tc.dataSource, Config: dataSourceConfig(t, schema, nil)}
		t.Setenv("CERBY_TEST_STATE_CEILING_BYTES", "")
		size := len(readDataSource(t, direct, req).State.MsgPack)
		t.Setenv("CERBY_TEST_STATE_CEILING_BYTES", fmt.Sprint(size))
		if got := readDataSource(t, direct, req); slices.ContainsFunc(got.Diagnostics, isError) {
			t.Errorf("%s: a state of exactly the ceiling was refused: %v", tc.dataSource, describeDiagnostics(got.Diagnostics))
		}
		t.Setenv("CERBY_TEST_STATE_CEILING_BYTES", fmt.Sprint(size-1))
		got := readDataSource(t, direct, req)
		if len(got.Diagnostics) != 1 || !isError(got.Diagnostics[0]) {
			t.Fatalf("%s: diagnostics = %s; want one error", tc.dataSource, describeDiagnostics(got.Diagnostics))
		}
		detail := got.Diagnostics[0].Detail
		for _, want := range []string{
			"The read returned " + tc.what + ", whose state is ",
			fmt.Sprintf("(%s bytes)", groupedDigits(size)),
			"Terraform accepts at most", "a limit of its plugin protocol", tc.narrowing,
		} {
			if !strings.Contains(detail, want) {
				t.Errorf("%s: the error lacks %q:\n%s", tc.dataSource, want, detail)
			}
		}
	}
}

func groupedDigits(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func strList(values ...string) tftypes.Value {
	elems := make([]tftypes.Value, len(values))
	for i, v := range values {
		elems[i] = tftypes.NewValue(tftypes.String, v)
	}
	return tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, elems)
}
