package provider

import (
	"context"
	"fmt"
	"maps"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	ephschema "github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cerby-community/terraform-provider-cerby/internal/cerbysim"
)

const ephemeralTestKey = "eph-unit-key-3c7a"

// schemaAttribute is what the data source and ephemeral schema packages'
// attributes have in common.
type schemaAttribute interface {
	GetType() attr.Type
	IsRequired() bool
	IsOptional() bool
	IsComputed() bool
	IsSensitive() bool
	GetDescription() string
	GetMarkdownDescription() string
	GetDeprecationMessage() string
}

// Each ephemeral resource's schema is its data source's, converted: the same
// attributes, each of the same type, optional, computed, sensitive,
// description and validators, nested attributes included; and the same
// blocks, the timeouts block being the ephemeral package's, whose open limit
// is described and checked as the data source's read limit.
func TestEphemeralSchemaIsTheDataSourceSchema(t *testing.T) {
	ctx := context.Background()
	if len(ephemeralResources()) != len(ephemeralDataSources) {
		t.Fatalf("%d ephemeral resources for %d data sources", len(ephemeralResources()), len(ephemeralDataSources))
	}
	for i, newResource := range ephemeralResources() {
		ds := ephemeralDataSources[i]()
		e := newResource()
		var dsMeta datasource.MetadataResponse
		ds.Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: providerTypeName}, &dsMeta)
		var meta ephemeral.MetadataResponse
		e.Metadata(ctx, ephemeral.MetadataRequest{ProviderTypeName: providerTypeName}, &meta)
		t.Run(dsMeta.TypeName, func(t *testing.T) {
			if meta.TypeName != dsMeta.TypeName {
				t.Errorf("ephemeral resource %q for data source %q", meta.TypeName, dsMeta.TypeName)
			}
			var resp ephemeral.SchemaResponse
			e.Schema(ctx, ephemeral.SchemaRequest{}, &resp)
			if resp.Diagnostics.HasError() {
				t.Fatal(resp.Diagnostics)
			}
			if diags := resp.Schema.ValidateImplementation(ctx); diags.HasError() {
				t.Fatalf("the framework refuses the converted schema: %v", diags)
			}
			want := dataSourceSchema(ctx, ds)
			got := resp.Schema
			if !strings.HasPrefix(got.MarkdownDescription, want.MarkdownDescription) || !strings.HasSuffix(got.MarkdownDescription, ephemeralNote) {
				t.Errorf("description %q, want the data source's and then ephemeralNote", got.MarkdownDescription)
			}
			if got.Description != want.Description || got.DeprecationMessage != want.DeprecationMessage {
				t.Errorf("description %q, deprecation %q; the data source's: %q, %q", got.Description, got.DeprecationMessage, want.Description, want.DeprecationMessage)
			}
			n := compareAttributes(t, "", attributesOf(want.Attributes), attributesOf(got.Attributes))
			if n <= len(want.Attributes) {
				t.Errorf("only %d attributes compared: the nested ones were not", n)
			}
			if names, wantNames := slices.Sorted(maps.Keys(got.Blocks)), slices.Sorted(maps.Keys(want.Blocks)); !slices.Equal(names, wantNames) {
				t.Fatalf("blocks %q, the data source's %q", names, wantNames)
			}
			compareTimeouts(t, want.Blocks[timeoutsBlockName], got.Blocks[timeoutsBlockName])
		})
	}
}

func attributesOf[A schemaAttribute](in map[string]A) map[string]schemaAttribute {
	out := make(map[string]schemaAttribute, len(in))
	for name, a := range in {
		out[name] = a
	}
	return out
}

// compareAttributes compares two attribute maps attribute by attribute, at
// every depth, and returns how many it compared.
func compareAttributes(t *testing.T, at string, want, got map[string]schemaAttribute) int {
	t.Helper()
	if names, wantNames := slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(want)); !slices.Equal(names, wantNames) {
		t.Errorf("%s: attributes %q, the data source's %q", at, names, wantNames)
	}
	n := 0
	for name, w := range want {
		g, ok := got[name]
		if !ok {
			continue
		}
		n++
		p := strings.TrimPrefix(at+"."+name, ".")
		if reflect.TypeOf(g).Name() != reflect.TypeOf(w).Name() {
			t.Errorf("%s: a %T, the data source's is a %T", p, g, w)
		}
		if !g.GetType().Equal(w.GetType()) {
			t.Errorf("%s: type %s, the data source's %s", p, g.GetType(), w.GetType())
		}
		for _, c := range []struct {
			what      string
			got, want any
		}{
			{"required", g.IsRequired(), w.IsRequired()},
			{"optional", g.IsOptional(), w.IsOptional()},
			{"computed", g.IsComputed(), w.IsComputed()},
			{"sensitive", g.IsSensitive(), w.IsSensitive()},
			{"description", g.GetDescription(), w.GetDescription()},
			{"markdown description", g.GetMarkdownDescription(), w.GetMarkdownDescription()},
			{"deprecation message", g.GetDeprecationMessage(), w.GetDeprecationMessage()},
			{"validators", validatorsOf(g), validatorsOf(w)},
		} {
			if !reflect.DeepEqual(c.got, c.want) {
				t.Errorf("%s: %s %v, the data source's %v", p, c.what, c.got, c.want)
			}
		}
		if wn, gn := nestedOf(t, w), nestedOf(t, g); wn != nil || gn != nil {
			n += compareAttributes(t, p, wn, gn)
		}
	}
	return n
}

// validatorsOf names the validators of an attribute (or nested object): each
// one's type and description, which say what it checks.
func validatorsOf(a any) []string {
	v := reflect.ValueOf(a)
	if v.Kind() != reflect.Struct {
		return nil
	}
	field := v.FieldByName("Validators")
	if !field.IsValid() {
		return nil
	}
	var out []string
	for i := range field.Len() {
		described := field.Index(i).Interface().(interface {
			Description(context.Context) string
		})
		out = append(out, fmt.Sprintf("%T: %s", described, described.Description(context.Background())))
	}
	return out
}

// nestedOf is the nested attributes of a nested attribute, nil for another.
func nestedOf(t *testing.T, a any) map[string]schemaAttribute {
	t.Helper()
	v := reflect.ValueOf(a)
	if object := v.FieldByName("NestedObject"); object.IsValid() {
		if got, want := validatorsOf(object.Interface()), []string(nil); !reflect.DeepEqual(got, want) {
			t.Errorf("a nested object has validators %v; compareAttributes does not compare them", got)
		}
		v = object
	}
	attrs := v.FieldByName("Attributes")
	if !attrs.IsValid() {
		return nil
	}
	out := map[string]schemaAttribute{}
	for _, key := range attrs.MapKeys() {
		out[key.String()] = attrs.MapIndex(key).Interface().(schemaAttribute)
	}
	return out
}

// compareTimeouts checks that the ephemeral timeouts block is the timeouts
// package's with the data source's read limit as its open limit.
func compareTimeouts(t *testing.T, ds dsschema.Block, eph ephschema.Block) {
	t.Helper()
	read := ds.(dsschema.SingleNestedBlock).Attributes[dataSourceTimeoutName].(dsschema.StringAttribute)
	block, ok := eph.(ephschema.SingleNestedBlock)
	if !ok {
		t.Fatalf("the ephemeral timeouts block is a %T", eph)
	}
	if names := slices.Sorted(maps.Keys(block.Attributes)); !slices.Equal(names, []string{ephemeralTimeoutName}) || len(block.Blocks) != 0 {
		t.Fatalf("the ephemeral timeouts block holds %q and %d blocks, want %q alone", names, len(block.Blocks), ephemeralTimeoutName)
	}
	open := block.Attributes[ephemeralTimeoutName].(ephschema.StringAttribute)
	if open.Description != read.Description || open.MarkdownDescription != read.MarkdownDescription || read.Description == "" {
		t.Errorf("open is described %q / %q, want the data source's read: %q / %q", open.Description, open.MarkdownDescription, read.Description, read.MarkdownDescription)
	}
	if !open.Optional || open.Required || open.Computed || open.Sensitive || !open.GetType().Equal(read.GetType()) {
		t.Errorf("open is %+v, want an optional string as the data source's read", open)
	}
	if got, want := validatorsOf(open), validatorsOf(read); !reflect.DeepEqual(got, want) || len(want) == 0 {
		t.Errorf("open's validators %v, the data source's read's %v", got, want)
	}
	if block.MarkdownDescription != ephemeralTimeoutsBlock {
		t.Errorf("timeouts described %q", block.MarkdownDescription)
	}
	if !strings.Contains(block.Type().String(), "timeouts.Type") {
		t.Errorf("the timeouts block's type is %s, not the timeouts package's", block.Type())
	}
}

// A conversion that meets an attribute it does not know fails, naming it,
// rather than drop it.
func TestEphemeralSchemaRefusesAnUnknownAttribute(t *testing.T) {
	_, err := ephemeralSchemaOf(context.Background(), dsschema.Schema{Attributes: map[string]dsschema.Attribute{
		"fine":  dsschema.StringAttribute{Optional: true},
		"other": dsschema.MapNestedAttribute{Computed: true},
	}})
	if err == nil || !strings.Contains(err.Error(), "attribute other") || !strings.Contains(err.Error(), "MapNestedAttribute") {
		t.Errorf("err = %v, want one naming the attribute and its kind", err)
	}
}

// apiEndpoint is where cerbysim serves each API, for the provider's endpoint.
var apiEndpoints = []struct{ name, suffix string }{{"read_api", ""}, {"cerby_api", cerbysim.CerbyAPIPrefix}}

// NewServer answers OpenEphemeralResource itself; for every ephemeral
// resource, in success and in failure, on both APIs, it must answer exactly
// what terraform-plugin-framework answers through the resource's Open.
func TestServerOpensWhatTheFrameworkOpens(t *testing.T) {
	ws := cerbysim.Generate(7, cerbysim.Size{Accounts: 250, Members: 30, AccessPerMember: 4})
	endpoint := startWorkspace(t, ws)
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	strs := func(s ...string) tftypes.Value {
		values := make([]tftypes.Value, len(s))
		for i, v := range s {
			values[i] = str(v)
		}
		return tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, values)
	}
	for _, api := range apiEndpoints {
		t.Run(api.name, func(t *testing.T) {
			direct, _, schemas := ephemeralTestServer(t, endpoint+api.suffix, true)
			framework, _, _ := ephemeralTestServer(t, endpoint+api.suffix, false)
			onCerbyAPI := api.name == "cerby_api"
			for name, tc := range map[string]struct {
				typeName  string
				set       map[string]tftypes.Value
				wantError bool
			}{
				"every account":            {typeName: "cerby_accounts"},
				"accounts, filtered":       {typeName: "cerby_accounts", set: map[string]tftypes.Value{"status": str("enabled"), "max_items": tftypes.NewValue(tftypes.Number, 7)}},
				"accounts by id":           {typeName: "cerby_accounts", set: map[string]tftypes.Value{"account_ids": strs(ws.Accounts[3].String("id"), ws.Accounts[9].String("id"))}},
				"accounts searched":        {typeName: "cerby_accounts", set: map[string]tftypes.Value{"search": str("a")}, wantError: onCerbyAPI},
				"every member":             {typeName: "cerby_users"},
				"members, filtered":        {typeName: "cerby_users", set: map[string]tftypes.Value{"statuses": strs("disabled"), "is_guest": tftypes.NewValue(tftypes.Bool, false)}},
				"members only in IdP":      {typeName: "cerby_users", set: map[string]tftypes.Value{"only_in_idp": tftypes.NewValue(tftypes.Bool, true)}, wantError: onCerbyAPI},
				"access of every member":   {typeName: "cerby_access"},
				"access, members selected": {typeName: "cerby_access", set: map[string]tftypes.Value{"statuses": strs("disabled"), "concurrency": tftypes.NewValue(tftypes.Number, 2)}},
				"access of no such member": {typeName: "cerby_access", set: map[string]tftypes.Value{"user_ids": strs("00000000-0000-4000-8000-000000000000")}},
				"a time limit":             {typeName: "cerby_users", set: map[string]tftypes.Value{"timeouts": openTimeout(t, schemas, "cerby_users", "5m")}},
				"a time limit, wrong":      {typeName: "cerby_accounts", set: map[string]tftypes.Value{"timeouts": openTimeout(t, schemas, "cerby_accounts", "soon")}, wantError: true},
				"a time limit, too low":    {typeName: "cerby_accounts", set: map[string]tftypes.Value{"timeouts": openTimeout(t, schemas, "cerby_accounts", "1ns")}, wantError: true},
			} {
				t.Run(name, func(t *testing.T) {
					schema := schemas.EphemeralResourceSchemas[tc.typeName]
					req := &tfprotov6.OpenEphemeralResourceRequest{TypeName: tc.typeName, Config: nullValue(t, schema, tc.set)}
					got, want := openEphemeralResource(t, direct, req), openEphemeralResource(t, framework, req)
					if gotError := slices.ContainsFunc(got.Diagnostics, isErrorDiagnostic); gotError != tc.wantError {
						t.Fatalf("error = %v, want %v: %v", gotError, tc.wantError, describe(got.Diagnostics))
					}
					if !slices.EqualFunc(got.Diagnostics, want.Diagnostics, sameDiagnosticBut(requestIDs)) {
						t.Errorf("diagnostics:\n%s\nthe framework's:\n%s", describe(got.Diagnostics), describe(want.Diagnostics))
					}
					gotResult, wantResult := decodeResult(t, schema, got.Result), decodeResult(t, schema, want.Result)
					if !gotResult.Equal(wantResult) {
						t.Errorf("result:\n%s\nthe framework's:\n%s", gotResult, wantResult)
					}
					if !tc.wantError && gotResult.IsNull() {
						t.Error("a successful open returned a null result")
					}
					if got.RenewAt != want.RenewAt || !slices.Equal(got.Private, want.Private) || got.Deferred != want.Deferred {
						t.Errorf("renew at %v, private %q, deferred %v; the framework's: %v, %q, %v", got.RenewAt, got.Private, got.Deferred, want.RenewAt, want.Private, want.Deferred)
					}
				})
			}
		})
	}
}

// An ephemeral resource reads what its data source reads: for the same
// arguments, the same attributes, the same errors; only the timeouts block
// differs, and in the time limit's name.
func TestEphemeralOpensWhatTheDataSourceReads(t *testing.T) {
	ws := cerbysim.Generate(3, cerbysim.Size{Accounts: 120, Members: 25, AccessPerMember: 3})
	endpoint := startWorkspace(t, ws)
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	for _, api := range apiEndpoints {
		t.Run(api.name, func(t *testing.T) {
			srv, _, schemas := ephemeralTestServer(t, endpoint+api.suffix, true)
			for _, tc := range []struct {
				typeName string
				set      map[string]tftypes.Value
			}{
				{"cerby_accounts", nil},
				{"cerby_accounts", map[string]tftypes.Value{"max_items": tftypes.NewValue(tftypes.Number, 4)}},
				{"cerby_accounts", map[string]tftypes.Value{"type": str("secret")}}, // refused on the Cerby API
				{"cerby_users", nil},
				{"cerby_users", map[string]tftypes.Value{"search": str("e")}},
				{"cerby_access", nil},
				{"cerby_access", map[string]tftypes.Value{"search": str("e"), "concurrency": tftypes.NewValue(tftypes.Number, 3)}},
			} {
				ctx := context.Background()
				dsSchema, ephSchema := schemas.DataSourceSchemas[tc.typeName], schemas.EphemeralResourceSchemas[tc.typeName]
				read, err := srv.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{TypeName: tc.typeName, Config: nullValue(t, dsSchema, tc.set)})
				if err != nil {
					t.Fatal(err)
				}
				opened := openEphemeralResource(t, srv, &tfprotov6.OpenEphemeralResourceRequest{TypeName: tc.typeName, Config: nullValue(t, ephSchema, tc.set)})
				if !slices.EqualFunc(opened.Diagnostics, read.Diagnostics, sameDiagnosticBut(requestIDs)) {
					t.Errorf("%s %v: diagnostics\n%s\nthe data source's:\n%s", tc.typeName, tc.set, describe(opened.Diagnostics), describe(read.Diagnostics))
				}
				state, result := attributeValues(t, dsSchema, read.State), attributeValues(t, ephSchema, opened.Result)
				delete(state, timeoutsBlockName)
				delete(result, timeoutsBlockName)
				if !maps.EqualFunc(state, result, tftypes.Value.Equal) {
					t.Errorf("%s %v: the result differs from the data source's state", tc.typeName, tc.set)
				}
			}
		})
	}
}

// The time limit is called open in what an ephemeral resource says, as in
// its configuration: the data source's hints about read are rewritten.
func TestEphemeralDiagnosticsNameTheOpenLimit(t *testing.T) {
	endpoint := startWorkspace(t, cerbysim.Generate(1, cerbysim.Size{Accounts: 20, Members: 5, AccessPerMember: 1}))
	srv, _, schemas := ephemeralTestServer(t, endpoint, true)
	for limit, want := range map[string]string{
		"1ns":  "`timeouts { open = \"30m\" }`",
		"soon": `timeout for "open" cannot be parsed`,
	} {
		schema := schemas.EphemeralResourceSchemas["cerby_accounts"]
		got := openEphemeralResource(t, srv, &tfprotov6.OpenEphemeralResourceRequest{TypeName: "cerby_accounts",
			Config: nullValue(t, schema, map[string]tftypes.Value{"timeouts": openTimeout(t, schemas, "cerby_accounts", limit)})})
		var text string
		for _, d := range got.Diagnostics {
			text += d.Summary + ": " + d.Detail + "\n"
		}
		if !strings.Contains(text, want) || strings.Contains(text, "read =") || strings.Contains(text, `"read"`) {
			t.Errorf("open = %q: diagnostics\n%s\nwant %s, and no read", limit, text, want)
		}
	}
	warning := diag.NewAttributeWarningDiagnostic(path.Root("x"), "s", "use `timeouts { read = \"30m\" }`")
	if got := inEphemeralTerms(diag.Diagnostics{warning}); got[0].Severity() != diag.SeverityWarning ||
		got[0].Detail() != "use `timeouts { open = \"30m\" }`" || !got[0].(diag.DiagnosticWithPath).Path().Equal(path.Root("x")) {
		t.Errorf("rewritten %v", got)
	}
}

// A result over the protocol's ceiling is refused as a data source's state
// is, with the same diagnostic; one of exactly the ceiling is served.
func TestServerRefusesAnEphemeralResultOverTheProtocolCeiling(t *testing.T) {
	endpoint := startWorkspace(t, cerbysim.Generate(7, cerbysim.Size{Accounts: 250, Members: 30, AccessPerMember: 4}))
	srv, _, schemas := ephemeralTestServer(t, endpoint, true)
	for _, tc := range []struct{ typeName, what, narrowing string }{
		{"cerby_accounts", "250 accounts", "filter with applications, status or account_ids, or set max_items"},
		{"cerby_users", "28 members", "filter with search, statuses, user_ids or is_guest, or set max_items"},
		{"cerby_access", "112 grants", "select fewer members with search, statuses, user_ids or is_guest"},
	} {
		req := &tfprotov6.OpenEphemeralResourceRequest{TypeName: tc.typeName, Config: nullValue(t, schemas.EphemeralResourceSchemas[tc.typeName], nil)}
		t.Setenv(envStateCeiling, "")
		size := len(openEphemeralResource(t, srv, req).Result.MsgPack)
		t.Setenv(envStateCeiling, fmt.Sprint(size))
		if got := openEphemeralResource(t, srv, req); slices.ContainsFunc(got.Diagnostics, isErrorDiagnostic) {
			t.Errorf("%s: a result of exactly the ceiling was refused: %s", tc.typeName, describe(got.Diagnostics))
		}
		t.Setenv(envStateCeiling, fmt.Sprint(size-1))
		got := openEphemeralResource(t, srv, req)
		if len(got.Diagnostics) != 1 || !isErrorDiagnostic(got.Diagnostics[0]) {
			t.Fatalf("%s: diagnostics = %s; want one error", tc.typeName, describe(got.Diagnostics))
		}
		for _, want := range []string{
			"The read returned " + tc.what + ", whose result is ", fmt.Sprintf("(%s bytes)", groupDigits(size)),
			"Terraform accepts at most", "a limit of its plugin protocol", tc.narrowing,
		} {
			if !strings.Contains(got.Diagnostics[0].Detail, want) {
				t.Errorf("%s: the error lacks %q:\n%s", tc.typeName, want, got.Diagnostics[0].Detail)
			}
		}
	}
}

// An unknown type name is left to the framework, which fails it; an open
// without configuration fails too; so does one before the provider is
// configured.
func TestServerFailsOpensItCannotServe(t *testing.T) {
	srv, err := NewServer("test")()
	if err != nil {
		t.Fatal(err)
	}
	schemas, err := srv.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for name, req := range map[string]*tfprotov6.OpenEphemeralResourceRequest{
		"an unknown ephemeral resource":      {TypeName: "cerby_nothing", Config: nullValue(t, schemas.EphemeralResourceSchemas["cerby_users"], nil)},
		"an open without configuration":      {TypeName: "cerby_users"},
		"an open before the provider is set": {TypeName: "cerby_users", Config: nullValue(t, schemas.EphemeralResourceSchemas["cerby_users"], nil)},
	} {
		if resp := openEphemeralResource(t, srv, req); !slices.ContainsFunc(resp.Diagnostics, isErrorDiagnostic) {
			t.Errorf("%s should fail, got %s", name, describe(resp.Diagnostics))
		}
	}
}

func openTimeout(t *testing.T, schemas *tfprotov6.GetProviderSchemaResponse, typeName, limit string) tftypes.Value {
	t.Helper()
	typ := schemas.EphemeralResourceSchemas[typeName].ValueType().(tftypes.Object).AttributeTypes[timeoutsBlockName]
	return tftypes.NewValue(typ, map[string]tftypes.Value{ephemeralTimeoutName: tftypes.NewValue(tftypes.String, limit)})
}

func openEphemeralResource(t *testing.T, srv tfprotov6.ProviderServer, req *tfprotov6.OpenEphemeralResourceRequest) *tfprotov6.OpenEphemeralResourceResponse {
	t.Helper()
	resp, err := srv.OpenEphemeralResource(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

func decodeResult(t *testing.T, schema *tfprotov6.Schema, result *tfprotov6.DynamicValue) tftypes.Value {
	t.Helper()
	if result == nil {
		t.Fatal("no result in the response")
	}
	value, err := result.Unmarshal(schema.ValueType())
	if err != nil {
		t.Fatal(err)
	}
	return value
}

func attributeValues(t *testing.T, schema *tfprotov6.Schema, value *tfprotov6.DynamicValue) map[string]tftypes.Value {
	t.Helper()
	var values map[string]tftypes.Value
	if err := decodeResult(t, schema, value).As(&values); err != nil {
		t.Fatal(err)
	}
	return values
}

func isErrorDiagnostic(d *tfprotov6.Diagnostic) bool {
	return d.Severity == tfprotov6.DiagnosticSeverityError
}

// requestIDs differ between two reads of the same thing.
var requestIDs = regexp.MustCompile(`request id sim-[0-9]+`)

func sameDiagnosticBut(varying *regexp.Regexp) func(a, b *tfprotov6.Diagnostic) bool {
	return func(a, b *tfprotov6.Diagnostic) bool {
		detail := func(d *tfprotov6.Diagnostic) string { return varying.ReplaceAllString(d.Detail, "…") }
		return a.Severity == b.Severity && a.Summary == b.Summary && detail(a) == detail(b) && a.Attribute.Equal(b.Attribute)
	}
}

func describe(diags []*tfprotov6.Diagnostic) string {
	var lines []string
	for _, d := range diags {
		lines = append(lines, fmt.Sprintf("%s %q %q at %s", d.Severity, d.Summary, d.Detail, d.Attribute))
	}
	return strings.Join(lines, "\n")
}

// startWorkspace serves ws on loopback for the test.
func startWorkspace(tb testing.TB, ws *cerbysim.Workspace) string {
	tb.Helper()
	sim := cerbysim.New(ws, cerbysim.Config{APIKey: ephemeralTestKey})
	endpoint, err := sim.Start("127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = sim.Close() })
	return endpoint
}

// BenchmarkOpenEphemeralResource opens cerby_accounts and cerby_users in
// process as the CLI does, through each path: the framework's
// OpenEphemeralResource, NewServer's, and the read alone (readState and
// encodeState, which is what a data source read costs below the framework).
func BenchmarkOpenEphemeralResource(b *testing.B) {
	for _, bc := range []struct {
		typeName string
		size     cerbysim.Size
	}{
		{"cerby_accounts", cerbysim.Size{Accounts: 10_000, Members: 10, AccessPerMember: 1}},
		{"cerby_users", cerbysim.Size{Accounts: 10, Members: 10_000, AccessPerMember: 1}},
	} {
		endpoint := startWorkspace(b, cerbysim.Generate(1, bc.size))
		for _, path := range []string{"framework", "server", "readState+encodeState"} {
			b.Run(fmt.Sprintf("%s/accounts=%d/members=%d/%s", bc.typeName, bc.size.Accounts, bc.size.Members, path), func(b *testing.B) {
				srv, p, schemas := ephemeralTestServer(b, endpoint, path != "framework")
				schema := schemas.EphemeralResourceSchemas[bc.typeName]
				config := nullValue(b, schema, nil)
				if path == "readState+encodeState" {
					benchmarkReadAlone(b, p, bc.typeName, config)
					return
				}
				req := &tfprotov6.OpenEphemeralResourceRequest{TypeName: bc.typeName, Config: config}
				for b.Loop() {
					resp, err := srv.OpenEphemeralResource(context.Background(), req)
					if err != nil || len(resp.Diagnostics) > 0 {
						b.Fatalf("open: %v %v", err, resp.Diagnostics)
					}
					b.ReportMetric(float64(len(resp.Result.MsgPack)), "result-bytes")
				}
			})
		}
	}
}

func benchmarkReadAlone(b *testing.B, p *cerbyProvider, typeName string, config *tfprotov6.DynamicValue) {
	ctx := context.Background()
	var e *ephemeralRead
	for _, newResource := range ephemeralResources() {
		r := newResource().(*ephemeralRead)
		var meta ephemeral.MetadataResponse
		r.Metadata(ctx, ephemeral.MetadataRequest{ProviderTypeName: providerTypeName}, &meta)
		if meta.TypeName == typeName {
			e = r
		}
	}
	ds := dataSourceSchema(ctx, e.reader)
	dsType := ds.Type().TerraformType(ctx)
	var schemaResp ephemeral.SchemaResponse
	e.Schema(ctx, ephemeral.SchemaRequest{}, &schemaResp)
	typ := schemaResp.Schema.Type().TerraformType(ctx)
	raw, err := config.Unmarshal(typ)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		e.Configure(ctx, ephemeral.ConfigureRequest{ProviderData: p.data.Load()}, &ephemeral.ConfigureResponse{})
		var diags diag.Diagnostics
		model := openEphemeral(ctx, e.reader, ds, dsType, raw, &diags)
		if model == nil || diags.HasError() {
			b.Fatal(diags)
		}
		state, err := encodeState(ctx, typ, model)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(len(state)), "result-bytes")
	}
}

// ephemeralTestServer is a provider server configured for the API at
// endpoint, as a CLI configures it: NewServer's when wrapped, else the
// framework's alone.
func ephemeralTestServer(tb testing.TB, endpoint string, wrapped bool) (tfprotov6.ProviderServer, *cerbyProvider, *tfprotov6.GetProviderSchemaResponse) {
	tb.Helper()
	ctx := context.Background()
	var (
		srv tfprotov6.ProviderServer
		p   *cerbyProvider
		err error
	)
	if wrapped {
		srv, err = NewServer("test")()
		if err == nil {
			p = srv.(*server).provider
		}
	} else {
		p = &cerbyProvider{version: "test"}
		srv, err = providerserver.NewProtocol6WithError(p)()
	}
	if err != nil {
		tb.Fatal(err)
	}
	schemas, err := srv.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		tb.Fatal(err)
	}
	config := nullValue(tb, schemas.Provider, map[string]tftypes.Value{
		"endpoint": tftypes.NewValue(tftypes.String, endpoint),
		"api_key":  tftypes.NewValue(tftypes.String, ephemeralTestKey),
	})
	resp, err := srv.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{Config: config})
	if err != nil || len(resp.Diagnostics) > 0 {
		tb.Fatalf("configure: %v %v", err, resp.Diagnostics)
	}
	return srv, p, schemas
}

// nullValue encodes a value of schema s with every attribute and block null
// except those in set.
func nullValue(tb testing.TB, s *tfprotov6.Schema, set map[string]tftypes.Value) *tfprotov6.DynamicValue {
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
