package provider

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cerby-community/terraform-provider-cerby/internal/client"
)

var attrValueType = reflect.TypeFor[attr.Value]()

// errorReporter is the part of *testing.T the helper uses, so that the
// helper itself can be tested.
type errorReporter interface {
	Helper()
	Errorf(format string, args ...any)
}

// assertModelMatchesType checks, recursively, that every tfsdk field of the
// model has an attribute or block of a matching type and that every attribute
// or block has a field. The framework only finds a mismatch when a read runs.
func assertModelMatchesType(t errorReporter, where string, model reflect.Type, typ attr.Type) {
	t.Helper()
	ctx := context.Background()
	if model.Implements(attrValueType) {
		if want := reflect.TypeOf(typ.ValueType(ctx)); model != want {
			t.Errorf("%s: field is %s, schema wants %s", where, model, want)
		}
		return
	}
	if view := stateViewOf(model); view != nil {
		model = view.model // written as that model
	}
	switch model.Kind() {
	case reflect.Pointer:
		assertModelMatchesType(t, where, model.Elem(), typ)
	case reflect.Slice:
		list, ok := typ.(attr.TypeWithElementType)
		if !ok {
			t.Errorf("%s: field is a slice, schema type is %s", where, typ)
			return
		}
		assertModelMatchesType(t, where+"[]", model.Elem(), list.ElementType())
	case reflect.Struct:
		object, ok := typ.(attr.TypeWithAttributeTypes)
		if !ok {
			t.Errorf("%s: field is a struct, schema type is %s", where, typ)
			return
		}
		fields := tfsdkFields(model)
		for name, field := range fields {
			if attrType, ok := object.AttributeTypes()[name]; ok {
				assertModelMatchesType(t, where+"."+name, field, attrType)
			} else {
				t.Errorf("%s.%s: the model has the field, the schema has no such attribute or block", where, name)
			}
		}
		for name := range object.AttributeTypes() {
			if _, ok := fields[name]; !ok {
				t.Errorf("%s.%s: the schema has the attribute or block, the model has no field for it", where, name)
			}
		}
	default:
		if want, ok := primitiveTypes[model.Kind()]; !ok || !typ.Equal(want) {
			t.Errorf("%s: field is %s, schema type is %s", where, model, typ)
		}
	}
}

// primitiveTypes are the attribute types plain Go fields stand for.
var primitiveTypes = map[reflect.Kind]attr.Type{
	reflect.String:  types.StringType,
	reflect.Bool:    types.BoolType,
	reflect.Int64:   types.Int64Type,
	reflect.Float64: types.Float64Type,
}

// tfsdkFields maps tfsdk tags to field types, flattening embedded structs as
// the framework does.
func tfsdkFields(model reflect.Type) map[string]reflect.Type {
	fields := map[string]reflect.Type{}
	for i := range model.NumField() {
		f := model.Field(i)
		if f.Anonymous {
			for name, typ := range tfsdkFields(f.Type) {
				fields[name] = typ
			}
			continue
		}
		if tag := f.Tag.Get("tfsdk"); tag != "" && tag != "-" {
			fields[tag] = f.Type
		}
	}
	return fields
}

type recordedErrors []string

func (r *recordedErrors) Helper() {}
func (r *recordedErrors) Errorf(format string, args ...any) {
	*r = append(*r, fmt.Sprintf(format, args...))
}

func TestAssertModelMatchesTypeFindsMismatches(t *testing.T) {
	type nested struct {
		Flag types.Bool `tfsdk:"flag"`
	}
	type model struct {
		Name   types.String `tfsdk:"name"`
		Extra  types.String `tfsdk:"extra"`
		Count  types.String `tfsdk:"count"`
		Items  []nested     `tfsdk:"items"`
		Hidden string       `tfsdk:"-"`
	}
	schemaType := types.ObjectType{AttrTypes: map[string]attr.Type{
		"name":    types.StringType,
		"count":   types.Int64Type,
		"items":   types.ListType{ElemType: types.ObjectType{AttrTypes: map[string]attr.Type{"flag": types.BoolType, "other": types.StringType}}},
		"missing": types.StringType,
	}}
	var got recordedErrors
	assertModelMatchesType(&got, "m", reflect.TypeFor[model](), schemaType)
	for _, want := range []string{"m.extra: the model has the field", "m.count: field is basetypes.StringValue", "m.items[].other: the schema has", "m.missing: the schema has"} {
		if !slices.ContainsFunc(got, func(e string) bool { return strings.HasPrefix(e, want) }) {
			t.Errorf("no error starting %q among %q", want, got)
		}
	}
	if len(got) != 4 {
		t.Errorf("got %d errors, want 4: %q", len(got), got)
	}
}

func requireNoDiags(t *testing.T, what string, diags diag.Diagnostics) {
	t.Helper()
	if diags.HasError() {
		t.Fatalf("%s: %v", what, diags)
	}
}

func TestDataSourceModelsMatchTheirSchemas(t *testing.T) {
	ctx := context.Background()
	models := map[string]reflect.Type{
		"cerby_accounts":          reflect.TypeFor[accountsModel](),
		"cerby_account":           reflect.TypeFor[accountDataSourceModel](),
		"cerby_users":             reflect.TypeFor[usersModel](),
		"cerby_user_accounts":     reflect.TypeFor[userAccountsModel](),
		"cerby_access":            reflect.TypeFor[accessModel](),
		"cerby_teams":             reflect.TypeFor[teamsModel](),
		"cerby_team":              reflect.TypeFor[teamDataSourceModel](),
		"cerby_vaults":            reflect.TypeFor[vaultsModel](),
		"cerby_integrations":      reflect.TypeFor[integrationsModel](),
		"cerby_integration_users": reflect.TypeFor[integrationUsersModel](),
	}
	p := &cerbyProvider{version: "test"}
	for _, newDataSource := range p.DataSources(ctx) {
		ds := newDataSource()
		var meta datasource.MetadataResponse
		ds.Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: "cerby"}, &meta)
		model, ok := models[meta.TypeName]
		if !ok {
			t.Errorf("data source %s has no model listed in this test", meta.TypeName)
			continue
		}
		delete(models, meta.TypeName)
		var resp datasource.SchemaResponse
		ds.Schema(ctx, datasource.SchemaRequest{}, &resp)
		requireNoDiags(t, meta.TypeName+" schema", resp.Diagnostics)
		requireNoDiags(t, meta.TypeName+" schema implementation", resp.Schema.ValidateImplementation(ctx))
		assertModelMatchesType(t, meta.TypeName, model, resp.Schema.Type())
	}
	for name := range models {
		t.Errorf("data source %s is not registered by the provider", name)
	}
}

func TestProviderModelMatchesItsSchema(t *testing.T) {
	var resp provider.SchemaResponse
	(&cerbyProvider{version: "test"}).Schema(context.Background(), provider.SchemaRequest{}, &resp)
	assertModelMatchesType(t, "provider", reflect.TypeFor[providerModel](), resp.Schema.Type())
}

func TestProviderMetadataAndSchema(t *testing.T) {
	ctx := context.Background()
	p := &cerbyProvider{version: "1.2.3"}

	var meta provider.MetadataResponse
	p.Metadata(ctx, provider.MetadataRequest{}, &meta)
	if meta.TypeName != "cerby" || meta.Version != "1.2.3" {
		t.Errorf("metadata = %q %q, want cerby 1.2.3", meta.TypeName, meta.Version)
	}

	var resp provider.SchemaResponse
	p.Schema(ctx, provider.SchemaRequest{}, &resp)
	requireNoDiags(t, "provider schema", resp.Diagnostics)
	requireNoDiags(t, "provider schema implementation", resp.Schema.ValidateImplementation(ctx))
	for _, name := range []string{"api_key", "bearer_token"} {
		if !resp.Schema.Attributes[name].IsSensitive() {
			t.Errorf("%s must be sensitive", name)
		}
	}
}

func TestEveryAttributeHasAMarkdownDescription(t *testing.T) {
	ctx := context.Background()
	p := &cerbyProvider{version: "test"}
	var providerSchema provider.SchemaResponse
	p.Schema(ctx, provider.SchemaRequest{}, &providerSchema)
	for name, a := range providerSchema.Schema.Attributes {
		if a.GetMarkdownDescription() == "" {
			t.Errorf("provider attribute %s has no MarkdownDescription", name)
		}
	}
	for _, newDataSource := range p.DataSources(ctx) {
		ds := newDataSource()
		var meta datasource.MetadataResponse
		ds.Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: "cerby"}, &meta)
		var resp datasource.SchemaResponse
		ds.Schema(ctx, datasource.SchemaRequest{}, &resp)
		if resp.Schema.MarkdownDescription == "" {
			t.Errorf("%s has no MarkdownDescription", meta.TypeName)
		}
		for name, a := range resp.Schema.Attributes {
			if a.GetMarkdownDescription() == "" {
				t.Errorf("%s.%s has no MarkdownDescription", meta.TypeName, name)
			}
		}
	}
	for _, f := range accountFields {
		if f.description == "" {
			t.Errorf("account attribute %s has no description", f.name)
		}
	}
}

func TestDefaultReadTimeoutTextMatchesTheDuration(t *testing.T) {
	if d, err := time.ParseDuration(defaultReadTimeoutText); err != nil || d != defaultReadTimeout {
		t.Errorf("defaultReadTimeoutText %q parses to %v (%v), want %v", defaultReadTimeoutText, d, err, defaultReadTimeout)
	}
}

func TestDataSourceConfigureToleratesNilAndRejectsWrongProviderData(t *testing.T) {
	ctx := context.Background()
	var d dataSourceBase

	var resp datasource.ConfigureResponse
	d.Configure(ctx, datasource.ConfigureRequest{ProviderData: nil}, &resp)
	if resp.Diagnostics.HasError() || d.data != nil {
		t.Errorf("nil provider data (validate time) must be accepted silently: %v", resp.Diagnostics)
	}

	resp = datasource.ConfigureResponse{}
	d.Configure(ctx, datasource.ConfigureRequest{ProviderData: "not provider data"}, &resp)
	if !resp.Diagnostics.HasError() || !strings.Contains(resp.Diagnostics.Errors()[0].Detail(), "string") {
		t.Errorf("wrong provider data must be a clear error naming the type received: %v", resp.Diagnostics)
	}

	resp = datasource.ConfigureResponse{}
	data := &providerData{}
	d.Configure(ctx, datasource.ConfigureRequest{ProviderData: data}, &resp)
	if resp.Diagnostics.HasError() || d.data != data {
		t.Errorf("provider data not kept: %v", resp.Diagnostics)
	}
}

func TestUserAgent(t *testing.T) {
	got := userAgent("1.2.3", "1.5.7")
	want := "terraform-provider-cerby/1.2.3 (+https://github.com/cerby-community/terraform-provider-cerby) Terraform/1.5.7"
	if got != want {
		t.Errorf("userAgent = %q, want %q", got, want)
	}
}

func TestFieldSourceSentence(t *testing.T) {
	for source, want := range map[fieldSource]string{
		both("mfaEnabled"):                     "Both APIs (`mfaEnabled`).",
		renamed("name", "label"):               "Both APIs: the Read API's `name`, the Cerby API's `label`.",
		reported("email"):                      "Both APIs (`email`); " + reportedOnly + ".",
		readAPIOnly("vaultId"):                 "Read API only (its `vaultId`); null on the Cerby API.",
		cerbyAPIOnly("hasPasskey"):             "Cerby API only (its `hasPasskey`); null on the Read API.",
		{readAPI: "a", cerbyAPINote: "a note"}: "Read API only (its `a`); null on the Cerby API; a note.",
	} {
		if got := source.sentence(); got != want {
			t.Errorf("%+v: sentence %q, want %q", source, got, want)
		}
	}
}

// objectAttributes are the attributes of every account and member object of
// the data sources: cerby_account's top level, and the elements of the lists.
func objectAttributes(t *testing.T) map[string]map[string]schema.Attribute {
	t.Helper()
	objects := map[string]map[string]schema.Attribute{}
	for name, s := range dataSourceSchemas(t) {
		if name == "cerby_account" || name == "cerby_team" {
			objects[name] = s.Attributes
			continue
		}
		for attrName, a := range s.Attributes {
			if list, ok := a.(schema.ListNestedAttribute); ok {
				objects[name+"."+attrName+"[*]"] = list.NestedObject.Attributes
			}
		}
	}
	if len(objects) != 10 {
		t.Fatalf("found %d objects, want 10 (cerby_account and cerby_team, the three account and member lists, cerby_access.grants "+
			"and the lists of the four Cerby API listings): %v", len(objects), slices.Sorted(maps.Keys(objects)))
	}
	return objects
}

func dataSourceSchemas(t *testing.T) map[string]schema.Schema {
	t.Helper()
	ctx := context.Background()
	schemas := map[string]schema.Schema{}
	for _, newDataSource := range (&cerbyProvider{version: "test"}).DataSources(ctx) {
		ds := newDataSource()
		var meta datasource.MetadataResponse
		ds.Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: "cerby"}, &meta)
		var resp datasource.SchemaResponse
		ds.Schema(ctx, datasource.SchemaRequest{}, &resp)
		requireNoDiags(t, meta.TypeName+" schema", resp.Diagnostics)
		schemas[meta.TypeName] = resp.Schema
	}
	return schemas
}

// Every account and member attribute says which API fills it (C11), in
// one of fieldSource's sentences; nested ones too.
func TestEveryAccountAndMemberAttributeSaysWhichAPIFillsIt(t *testing.T) {
	var check func(where string, attrs map[string]schema.Attribute)
	check = func(where string, attrs map[string]schema.Attribute) {
		for name, a := range attrs {
			d := a.GetMarkdownDescription()
			if !strings.Contains(d, "Both APIs") && !strings.Contains(d, "Read API only") && !strings.Contains(d, "Cerby API only") {
				t.Errorf("%s.%s does not say which API fills it: %q", where, name, d)
			}
			switch nested := a.(type) {
			case schema.SingleNestedAttribute:
				check(where+"."+name, nested.Attributes)
			case schema.ListNestedAttribute:
				check(where+"."+name+"[*]", nested.NestedObject.Attributes)
			}
		}
	}
	for where, attrs := range objectAttributes(t) {
		check(where, attrs)
	}
}

func TestDataSourceDescriptionsNameBothAPIs(t *testing.T) {
	for name, s := range dataSourceSchemas(t) {
		d := s.MarkdownDescription
		if cerbyAPIOnlyDataSources[name] {
			continue // TestCerbyAPIOnlyDataSourcesSaySo
		}
		for _, want := range []string{"`GET /v1/", "`GET /api/v1/", "Read API", "Cerby API"} {
			if !strings.Contains(d, want) {
				t.Errorf("%s's description does not mention %q: %s", name, want, d)
			}
		}
		if name == "cerby_accounts" || name == "cerby_account" {
			if !strings.Contains(d, ownerRuleText) {
				t.Errorf("%s's description does not state the Cerby API's owner rule (C21): %s", name, d)
			}
		}
	}
}

// refusals are the arguments each data source refuses on the Cerby API, as
// its read lists them.
func refusals() map[string][]argument {
	return map[string][]argument{
		"cerby_accounts": (&accountsModel{}).refusedOnCerbyAPI(),
		"cerby_users":    (&usersModel{}).refusedOnCerbyAPI(),
	}
}

// An argument is refused on the Cerby API exactly when its description says so.
func TestArgumentsRefusedOnTheCerbyAPISaySo(t *testing.T) {
	refused := refusals()
	for name, s := range dataSourceSchemas(t) {
		for attrName, a := range s.Attributes {
			says := strings.Contains(a.GetMarkdownDescription(), refusedOnCerbyAPIText)
			is := slices.ContainsFunc(refused[name], func(r argument) bool { return r.name == attrName })
			if says != is {
				t.Errorf("%s.%s: refused on the Cerby API %v, its description says so %v", name, attrName, is, says)
			}
		}
	}
	if got := len(refused["cerby_accounts"]) + len(refused["cerby_users"]); got != 4 {
		t.Errorf("%d arguments refused, want 4 (C5: search, type, role, only_in_idp)", got)
	}
}

func TestRefuseOnCerbyAPI(t *testing.T) {
	const instead = " Use something else."
	for name, tc := range map[string]struct {
		api     client.API
		args    []argument
		refused []string
	}{
		"Read API, all set":                 {client.ReadAPI, []argument{{"search", types.StringValue("x")}, {"only_in_idp", types.BoolValue(true)}}, nil},
		"Cerby API, none set":               {client.CerbyAPI, []argument{{"search", types.StringNull()}, {"only_in_idp", types.BoolNull()}}, nil},
		"Cerby API, no arguments":           {client.CerbyAPI, nil, nil},
		"Cerby API, an empty string is set": {client.CerbyAPI, []argument{{"search", types.StringValue("")}}, []string{"search"}},
		"Cerby API, false is set":           {client.CerbyAPI, []argument{{"only_in_idp", types.BoolValue(false)}}, []string{"only_in_idp"}},
		"Cerby API, every one set is reported": {client.CerbyAPI,
			[]argument{{"search", types.StringValue("a")}, {"type", types.StringNull()}, {"role", types.StringValue("account_owner")}},
			[]string{"search", "role"}},
	} {
		t.Run(name, func(t *testing.T) {
			var diags diag.Diagnostics
			goOn := refuseOnCerbyAPI(tc.api, instead, &diags, tc.args...)
			if goOn != (len(tc.refused) == 0) {
				t.Errorf("refuseOnCerbyAPI = %v with %d arguments to refuse", goOn, len(tc.refused))
			}
			if len(diags) != len(tc.refused) {
				t.Fatalf("%d diagnostics, want %d: %v", len(diags), len(tc.refused), diags)
			}
			for i, d := range diags {
				name := tc.refused[i]
				withPath, hasPath := d.(diag.DiagnosticWithPath)
				if d.Severity() != diag.SeverityError || !hasPath || !withPath.Path().Equal(path.Root(name)) {
					t.Errorf("diagnostic %d is not an error on %s: %v", i, name, d)
				}
				for _, want := range []string{"`" + name + "`", "Cerby API", "Remove `" + name + "`", instead, `api = "read_api"`, "Read API"} {
					if !strings.Contains(d.Summary()+" "+d.Detail(), want) {
						t.Errorf("diagnostic on %s does not say %q: %s: %s", name, want, d.Summary(), d.Detail())
					}
				}
			}
		})
	}
}

// readState reads ds against c with the configuration values (the others
// null), as ReadDataSource does after the provider's Configure.
func readState(t *testing.T, ds stateReader, c *client.Client, values map[string]tftypes.Value) (any, diag.Diagnostics) {
	t.Helper()
	ctx := context.Background()
	var configured datasource.ConfigureResponse
	ds.Configure(ctx, datasource.ConfigureRequest{ProviderData: &providerData{client: c}}, &configured)
	requireNoDiags(t, "Configure", configured.Diagnostics)
	var s datasource.SchemaResponse
	ds.Schema(ctx, datasource.SchemaRequest{}, &s)
	config := nullConfig(ctx, s)
	var all map[string]tftypes.Value
	if err := config.Raw.As(&all); err != nil {
		t.Fatal(err)
	}
	for name, v := range values {
		if _, found := all[name]; !found {
			t.Fatalf("the schema has no attribute %s", name)
		}
		all[name] = v
	}
	config.Raw = tftypes.NewValue(config.Raw.Type(), all)
	var diags diag.Diagnostics
	model := ds.readState(ctx, config, &diags)
	return model, diags
}

func str(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }

func errorPaths(diags diag.Diagnostics) []string {
	var paths []string
	for _, d := range diags.Errors() {
		if p, ok := d.(diag.DiagnosticWithPath); ok {
			paths = append(paths, p.Path().String())
		} else {
			paths = append(paths, "(no path): "+d.Summary())
		}
	}
	return slices.Sorted(slices.Values(paths))
}

func TestReadsRefuseWhatTheCerbyAPICannotHonourBeforeAnyRequest(t *testing.T) {
	c := testClient(t, client.CerbyAPI, nil) // any request fails the test
	model, diags := readState(t, newAccountsDataSource().(stateReader), c, map[string]tftypes.Value{
		"search": str("mkt"), "type": str("identity"), "role": str("account_owner"), "status": str("enabled"),
		"applications": tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, []tftypes.Value{str("google")}),
	})
	if model != nil || !slices.Equal(errorPaths(diags), []string{"role", "search", "type"}) {
		t.Errorf("cerby_accounts: model %v, errors on %v; want none, errors on role, search, type", model, errorPaths(diags))
	}
	model, diags = readState(t, newUsersDataSource().(stateReader), c, map[string]tftypes.Value{
		"only_in_idp": tftypes.NewValue(tftypes.Bool, false), "search": str("jane"),
	})
	if model != nil || !slices.Equal(errorPaths(diags), []string{"only_in_idp"}) {
		t.Errorf("cerby_users: model %v, errors on %v; want none, an error on only_in_idp", model, errorPaths(diags))
	}
}

func TestReadAPIReadsSendWhatTheCerbyAPIRefuses(t *testing.T) {
	c := testClient(t, client.ReadAPI, map[string]answer{
		"/v1/accounts":    ok(`{"accounts": [], "totalResults": 0}`),
		"/v1/admin/users": ok(`{"resources": [], "totalResults": 0}`),
	})
	if _, diags := readState(t, newAccountsDataSource().(stateReader), c, map[string]tftypes.Value{
		"search": str("mkt"), "type": str("identity"), "role": str("account_owner"),
	}); diags.HasError() {
		t.Errorf("cerby_accounts on the Read API: %v", diags)
	}
	if _, diags := readState(t, newUsersDataSource().(stateReader), c, map[string]tftypes.Value{
		"only_in_idp": tftypes.NewValue(tftypes.Bool, true),
	}); diags.HasError() {
		t.Errorf("cerby_users on the Read API: %v", diags)
	}
}

const cerbyAPIAccountsJSON = `{"data": [
  {"id": "33333333-3333-4333-8333-333333333333", "type": "account", "attributes": {"label": "Alpha"}},
  {"id": "44444444-4444-4444-8444-444444444444", "type": "account", "attributes": {"label": "alpha"}},
  {"id": "55555555-5555-4555-8555-555555555555", "type": "account", "attributes": {"label": "alpha beta"}}],
  "links": {"next": null}, "meta": {"page": {"maxSize": 100, "total": 3}}}`

// On the Cerby API, a name is looked up among every account (it cannot
// search), by an exact, case-sensitive match of its label.
func TestAccountByNameOnTheCerbyAPI(t *testing.T) {
	c := testClient(t, client.CerbyAPI, map[string]answer{"/api/v1/accounts": ok(cerbyAPIAccountsJSON)})
	model, diags := readState(t, newAccountDataSource().(stateReader), c, map[string]tftypes.Value{"name": str("alpha")})
	requireNoDiags(t, "by name", diags)
	if got := model.(*accountDataSourceModel).ID.ValueString(); got != "44444444-4444-4444-8444-444444444444" {
		t.Errorf("name alpha read account %s, want 44444444-…", got)
	}

	_, diags = readState(t, newAccountDataSource().(stateReader), c, map[string]tftypes.Value{"name": str("ALPHA")})
	if !slices.Equal(errorPaths(diags), []string{"name"}) {
		t.Fatalf("errors on %v, want one on name: %v", errorPaths(diags), diags)
	}
	detail := diags.Errors()[0].Detail()
	for _, want := range []string{`"ALPHA"`, "case-sensitive", "on the Cerby API, every visible account", "alpha beta", ownerRuleText} {
		if !strings.Contains(detail, want) {
			t.Errorf("the error does not say %q: %s", want, detail)
		}
	}
}

func TestAccountByIDNotFoundNamesTheOwnerRule(t *testing.T) {
	const id = "66666666-6666-4666-8666-666666666666"
	for _, api := range []client.API{client.ReadAPI, client.CerbyAPI} {
		t.Run(api.String(), func(t *testing.T) {
			notFound := answer{http.StatusNotFound, `{"errors": [{"status": "404", "code": "not_found", "title": "Not found"}]}`}
			c := testClient(t, api, map[string]answer{"/v1/accounts/" + id: notFound, "/api/v1/accounts/" + id: notFound})
			_, diags := readState(t, newAccountDataSource().(stateReader), c, map[string]tftypes.Value{"id": str(id)})
			if !slices.Equal(errorPaths(diags), []string{"id"}) {
				t.Fatalf("errors on %v, want one on id: %v", errorPaths(diags), diags)
			}
			if detail := diags.Errors()[0].Detail(); !strings.Contains(detail, "not found or not visible") || !strings.Contains(detail, ownerRuleText) {
				t.Errorf("the error does not say the account is missing or not visible, nor the owner rule: %s", detail)
			}
		})
	}
}

// On the Cerby API, a member's accounts answering 404 after the member was
// found is not "no such member" (C8): the client's message says the
// workspace does not offer them.
func TestUserAccountsNotOfferedIsNotAMissingMember(t *testing.T) {
	const id = "77777777-7777-4777-8777-777777777777"
	c := testClient(t, client.CerbyAPI, map[string]answer{
		"/api/v1/users/" + id:               ok(`{"data": {"id": "` + id + `", "type": "users", "attributes": {"email": "jane@example.com"}}}`),
		"/api/v1/users/" + id + "/accounts": {http.StatusNotFound, `{"errors": [{"status": 404, "title": "Not found"}]}`},
	})
	_, diags := readState(t, newUserAccountsDataSource().(stateReader), c, map[string]tftypes.Value{"user_id": str(id)})
	if len(diags.Errors()) != 1 {
		t.Fatalf("want one error: %v", diags)
	}
	if detail := diags.Errors()[0].Detail(); strings.Contains(detail, "not found.") || !strings.Contains(detail, `api = "read_api"`) {
		t.Errorf("the error must not say the user is missing, and must name api = \"read_api\": %s", detail)
	}
}
