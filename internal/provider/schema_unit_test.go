package provider

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/types"
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
		"cerby_accounts":      reflect.TypeFor[accountsModel](),
		"cerby_account":       reflect.TypeFor[accountDataSourceModel](),
		"cerby_users":         reflect.TypeFor[usersModel](),
		"cerby_user_accounts": reflect.TypeFor[userAccountsModel](),
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
