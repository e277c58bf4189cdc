package provider

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"

	dstimeouts "github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	ephtimeouts "github.com/hashicorp/terraform-plugin-framework-timeouts/ephemeral/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	ephschema "github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// The ephemeral resources are the list data sources again (cerby_accounts,
// cerby_users, cerby_access, cerby_vaults), for policy gates: Terraform (1.10 and later)
// and OpenTofu (1.11 and later) open them during plan and apply and never
// write their result to the state or the plan file, so a gate can judge
// every member's name and email without storing them.
//
// Each one is its data source: one schema definition, converted here
// (ephemeralSchemaOf), and one read, the data source's readState, so the
// filters, the refusals on the Cerby API and the errors are the data
// source's. The only difference is the timeouts block, which is
// terraform-plugin-framework-timeouts' ephemeral one: `timeouts { open = … }`
// here for the data source's `timeouts { read = … }`.

// ephemeralDataSources are the data sources also served as ephemeral
// resources, under the same type names.
var ephemeralDataSources = []func() datasource.DataSource{
	newAccountsDataSource,
	newUsersDataSource,
	newAccessDataSource,
	newVaultsDataSource, // no personal data, but a policy gate on vault encryption wants nothing stored either
}

// ephemeralResources is the provider's EphemeralResources.
func ephemeralResources() []func() ephemeral.EphemeralResource {
	out := make([]func() ephemeral.EphemeralResource, 0, len(ephemeralDataSources))
	for _, newDataSource := range ephemeralDataSources {
		out = append(out, func() ephemeral.EphemeralResource {
			return &ephemeralRead{reader: newDataSource().(stateReader)}
		})
	}
	return out
}

var _ ephemeral.EphemeralResourceWithConfigure = (*ephemeralRead)(nil)

// ephemeralRead serves a data source as an ephemeral resource.
type ephemeralRead struct {
	reader stateReader
}

func (e *ephemeralRead) Metadata(ctx context.Context, req ephemeral.MetadataRequest, resp *ephemeral.MetadataResponse) {
	var meta datasource.MetadataResponse
	e.reader.Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: req.ProviderTypeName}, &meta)
	resp.TypeName = meta.TypeName
}

func (e *ephemeralRead) Schema(ctx context.Context, _ ephemeral.SchemaRequest, resp *ephemeral.SchemaResponse) {
	s, err := ephemeralSchemaOf(ctx, dataSourceSchema(ctx, e.reader))
	if err != nil {
		resp.Diagnostics.AddError("Cannot build the ephemeral resource's schema", bugReport(err))
		return
	}
	resp.Schema = s
}

func (e *ephemeralRead) Configure(ctx context.Context, req ephemeral.ConfigureRequest, resp *ephemeral.ConfigureResponse) {
	var configured datasource.ConfigureResponse
	e.reader.Configure(ctx, datasource.ConfigureRequest{ProviderData: req.ProviderData}, &configured)
	resp.Diagnostics.Append(configured.Diagnostics...)
}

// Open is the framework's Open, for a server without NewServer's wrapper;
// tests hold the two paths to the same result.
func (e *ephemeralRead) Open(ctx context.Context, req ephemeral.OpenRequest, resp *ephemeral.OpenResponse) {
	ds := dataSourceSchema(ctx, e.reader)
	model := openEphemeral(ctx, e.reader, ds, ds.Type().TerraformType(ctx), req.Config.Raw, &resp.Diagnostics)
	if model == nil {
		return
	}
	typ := req.Config.Schema.Type().TerraformType(ctx)
	raw, err := encodeState(ctx, typ, model)
	if err == nil {
		resp.Result.Raw, err = (&tfprotov6.DynamicValue{MsgPack: raw}).Unmarshal(typ)
	}
	if err != nil {
		resp.Diagnostics.AddError("Cannot write the ephemeral resource's result", bugReport(err))
	}
}

// openEphemeral reads config, an ephemeral resource's configuration, as the
// configuration of its data source (schema ds, of type dsType) and returns
// the data source's model, whose timeouts are then those of config again; nil
// when diags say why it could not.
func openEphemeral(ctx context.Context, reader stateReader, ds dsschema.Schema, dsType tftypes.Type, config tftypes.Value, diags *diag.Diagnostics) any {
	dsConfig, err := dataSourceConfigOf(config, dsType)
	if err != nil {
		diags.AddError("Cannot decode the ephemeral resource's configuration", bugReport(err))
		return nil
	}
	var read diag.Diagnostics
	model := reader.readState(ctx, tfsdk.Config{Raw: dsConfig, Schema: ds}, &read)
	diags.Append(inEphemeralTerms(read)...)
	if model == nil || diags.HasError() {
		return nil
	}
	if err := restoreTimeouts(ctx, model, config); err != nil {
		diags.AddError("Cannot write the ephemeral resource's result", bugReport(err))
		return nil
	}
	return model
}

func dataSourceSchema(ctx context.Context, d datasource.DataSource) dsschema.Schema {
	var resp datasource.SchemaResponse
	d.Schema(ctx, datasource.SchemaRequest{}, &resp)
	return resp.Schema
}

// The timeouts block and its one attribute, in a data source and in an
// ephemeral resource.
const (
	timeoutsBlockName      = "timeouts"
	dataSourceTimeoutName  = "read"
	ephemeralTimeoutName   = "open"
	ephemeralTimeoutsBlock = "Time limits of this ephemeral resource."
)

// ephemeralNote ends the description of every ephemeral resource.
const ephemeralNote = "\n\nAs an ephemeral resource (Terraform 1.10 or later, OpenTofu 1.11 or later) it reads exactly as the data source of the same name, " +
	"with the same arguments and attributes, but its result is never written to the state or the plan file: " +
	"a policy gate can judge names and emails without storing them (`examples/policy-ephemeral`). " +
	"The time limit of the whole read is `timeouts { open = \"30m\" }` here, for the data source's `timeouts { read = \"30m\" }`."

// ephemeralSchemaOf converts a data source's schema into the ephemeral
// resource's: every attribute and block as it is (the framework's structs
// for both are field for field the same), except the timeouts block, which
// is terraform-plugin-framework-timeouts' ephemeral one with the data
// source's description of its time limit.
func ephemeralSchemaOf(ctx context.Context, ds dsschema.Schema) (ephschema.Schema, error) {
	attrs, err := ephemeralAttributes(ds.Attributes)
	if err != nil {
		return ephschema.Schema{}, err
	}
	blocks := make(map[string]ephschema.Block, len(ds.Blocks))
	for name, b := range ds.Blocks {
		if name == timeoutsBlockName {
			blocks[name], err = ephemeralTimeouts(ctx, b)
		} else {
			blocks[name], err = ephemeralBlock(b)
		}
		if err != nil {
			return ephschema.Schema{}, fmt.Errorf("block %s: %w", name, err)
		}
	}
	return ephschema.Schema{
		Attributes:          attrs,
		Blocks:              blocks,
		Description:         ds.Description,
		MarkdownDescription: ds.MarkdownDescription + ephemeralNote,
		DeprecationMessage:  ds.DeprecationMessage,
	}, nil
}

func ephemeralAttributes(in map[string]dsschema.Attribute) (map[string]ephschema.Attribute, error) {
	out := make(map[string]ephschema.Attribute, len(in))
	for name, a := range in {
		converted, err := ephemeralAttribute(a)
		if err != nil {
			return nil, fmt.Errorf("attribute %s: %w", name, err)
		}
		out[name] = converted
	}
	return out, nil
}

// ephemeralAttribute converts one attribute. A struct conversion copies
// every field, and stops compiling if the two packages' structs ever differ;
// nested attributes convert their nested attributes in turn.
func ephemeralAttribute(a dsschema.Attribute) (ephschema.Attribute, error) {
	switch a := a.(type) {
	case dsschema.StringAttribute:
		return ephschema.StringAttribute(a), nil
	case dsschema.BoolAttribute:
		return ephschema.BoolAttribute(a), nil
	case dsschema.Int64Attribute:
		return ephschema.Int64Attribute(a), nil
	case dsschema.Float64Attribute:
		return ephschema.Float64Attribute(a), nil
	case dsschema.NumberAttribute:
		return ephschema.NumberAttribute(a), nil
	case dsschema.ListAttribute:
		return ephschema.ListAttribute(a), nil
	case dsschema.SetAttribute:
		return ephschema.SetAttribute(a), nil
	case dsschema.MapAttribute:
		return ephschema.MapAttribute(a), nil
	case dsschema.ObjectAttribute:
		return ephschema.ObjectAttribute(a), nil
	case dsschema.ListNestedAttribute:
		nested, err := ephemeralNestedObject(a.NestedObject)
		return ephschema.ListNestedAttribute{
			NestedObject: nested, CustomType: a.CustomType,
			Required: a.Required, Optional: a.Optional, Computed: a.Computed, Sensitive: a.Sensitive,
			Description: a.Description, MarkdownDescription: a.MarkdownDescription, DeprecationMessage: a.DeprecationMessage,
			Validators: a.Validators,
		}, err
	case dsschema.SingleNestedAttribute:
		attrs, err := ephemeralAttributes(a.Attributes)
		return ephschema.SingleNestedAttribute{
			Attributes: attrs, CustomType: a.CustomType,
			Required: a.Required, Optional: a.Optional, Computed: a.Computed, Sensitive: a.Sensitive,
			Description: a.Description, MarkdownDescription: a.MarkdownDescription, DeprecationMessage: a.DeprecationMessage,
			Validators: a.Validators,
		}, err
	}
	return nil, fmt.Errorf("no ephemeral conversion of a %T: add it to ephemeralAttribute", a)
}

func ephemeralNestedObject(o dsschema.NestedAttributeObject) (ephschema.NestedAttributeObject, error) {
	attrs, err := ephemeralAttributes(o.Attributes)
	return ephschema.NestedAttributeObject{Attributes: attrs, CustomType: o.CustomType, Validators: o.Validators}, err
}

func ephemeralBlock(b dsschema.Block) (ephschema.Block, error) {
	if b, ok := b.(dsschema.SingleNestedBlock); ok {
		attrs, err := ephemeralAttributes(b.Attributes)
		if err != nil {
			return nil, err
		}
		blocks := make(map[string]ephschema.Block, len(b.Blocks))
		for name, nested := range b.Blocks {
			if blocks[name], err = ephemeralBlock(nested); err != nil {
				return nil, fmt.Errorf("block %s: %w", name, err)
			}
		}
		return ephschema.SingleNestedBlock{
			Attributes: attrs, Blocks: blocks, CustomType: b.CustomType,
			Description: b.Description, MarkdownDescription: b.MarkdownDescription, DeprecationMessage: b.DeprecationMessage,
			Validators: b.Validators,
		}, nil
	}
	return nil, fmt.Errorf("no ephemeral conversion of a %T: add it to ephemeralBlock", b)
}

// ephemeralTimeouts is the ephemeral timeouts block for the data source's
// block b, whose read limit becomes the open limit.
func ephemeralTimeouts(ctx context.Context, b dsschema.Block) (ephschema.Block, error) {
	nested, ok := b.(dsschema.SingleNestedBlock)
	if !ok {
		return nil, fmt.Errorf("a %T, not the timeouts package's block", b)
	}
	read, ok := nested.Attributes[dataSourceTimeoutName].(dsschema.StringAttribute)
	if !ok || len(nested.Attributes) != 1 {
		return nil, fmt.Errorf("the data source's timeouts are %v, want %s alone", nested.Attributes, dataSourceTimeoutName)
	}
	block, ok := ephtimeouts.BlockWithOpts(ctx, ephtimeouts.Opts{OpenDescription: read.Description}).(ephschema.SingleNestedBlock)
	if !ok {
		return nil, errors.New("the ephemeral timeouts block is no longer a single nested block")
	}
	open := block.Attributes[ephemeralTimeoutName].(ephschema.StringAttribute)
	open.MarkdownDescription = read.MarkdownDescription
	block.Attributes[ephemeralTimeoutName] = open
	block.MarkdownDescription = ephemeralTimeoutsBlock
	return block, nil
}

// dataSourceConfigOf is config, an ephemeral resource's configuration, as its
// data source's (of type dsType): the same values, the timeouts block's open
// given as read.
func dataSourceConfigOf(config tftypes.Value, dsType tftypes.Type) (tftypes.Value, error) {
	object, ok := dsType.(tftypes.Object)
	if !ok {
		return tftypes.Value{}, fmt.Errorf("the data source's type is %s, not an object", dsType)
	}
	var values map[string]tftypes.Value
	if err := config.As(&values); err != nil {
		return tftypes.Value{}, fmt.Errorf("the configuration is not an object: %w", err)
	}
	out := make(map[string]tftypes.Value, len(object.AttributeTypes))
	for name, typ := range object.AttributeTypes {
		v, ok := values[name]
		if !ok {
			return tftypes.Value{}, fmt.Errorf("the configuration has no %s", name)
		}
		if name == timeoutsBlockName {
			var err error
			if v, err = renameTimeout(v, typ, ephemeralTimeoutName, dataSourceTimeoutName); err != nil {
				return tftypes.Value{}, err
			}
		}
		out[name] = v
	}
	if err := tftypes.ValidateValue(object, out); err != nil {
		return tftypes.Value{}, err
	}
	return tftypes.NewValue(object, out), nil
}

// renameTimeout gives the timeouts object v, whose one attribute is from, as
// an object of typ whose one attribute is to.
func renameTimeout(v tftypes.Value, typ tftypes.Type, from, to string) (tftypes.Value, error) {
	switch {
	case !v.IsKnown():
		return tftypes.NewValue(typ, tftypes.UnknownValue), nil
	case v.IsNull():
		return tftypes.NewValue(typ, nil), nil
	}
	var values map[string]tftypes.Value
	if err := v.As(&values); err != nil {
		return tftypes.Value{}, fmt.Errorf("timeouts: %w", err)
	}
	limit, ok := values[from]
	if !ok || len(values) != 1 {
		return tftypes.Value{}, fmt.Errorf("timeouts holds %v, want %s alone", values, from)
	}
	out := map[string]tftypes.Value{to: limit}
	if err := tftypes.ValidateValue(typ, out); err != nil {
		return tftypes.Value{}, fmt.Errorf("timeouts: %w", err)
	}
	return tftypes.NewValue(typ, out), nil
}

var dataSourceTimeoutsType = reflect.TypeFor[dstimeouts.Value]()

// restoreTimeouts sets the timeouts of model, a pointer to a data source's
// model, to those of config, the ephemeral resource's configuration, so that
// the result holds them as configured (`open`, not `read`).
func restoreTimeouts(ctx context.Context, model any, config tftypes.Value) error {
	v := reflect.ValueOf(model).Elem()
	var field reflect.Value
	for _, f := range tfsdkFieldsOf(v.Type()) {
		if f.name == timeoutsBlockName {
			field = v.FieldByIndex(f.index)
		}
	}
	if !field.IsValid() || field.Type() != dataSourceTimeoutsType {
		return fmt.Errorf("the model %T has no %s field of type %s", model, timeoutsBlockName, dataSourceTimeoutsType)
	}
	var values map[string]tftypes.Value
	if err := config.As(&values); err != nil {
		return err
	}
	object, err := types.ObjectType{AttrTypes: map[string]attr.Type{ephemeralTimeoutName: types.StringType}}.ValueFromTerraform(ctx, values[timeoutsBlockName])
	if err != nil {
		return fmt.Errorf("timeouts: %w", err)
	}
	field.Set(reflect.ValueOf(dstimeouts.Value{Object: object.(types.Object)}))
	return nil
}

// readTerms are what the data source's diagnostics say of its time limit,
// and what the ephemeral resource calls it.
var readTerms = strings.NewReplacer(
	"`timeouts { read = ", "`timeouts { open = ",
	`timeout for "read"`, `timeout for "open"`,
)

// inEphemeralTerms rewrites the data source's diagnostics where they name its
// timeouts block's read limit, which is open here.
func inEphemeralTerms(diags diag.Diagnostics) diag.Diagnostics {
	out := make(diag.Diagnostics, 0, len(diags))
	for _, d := range diags {
		detail := readTerms.Replace(d.Detail())
		if detail == d.Detail() {
			out = append(out, d)
			continue
		}
		withPath, hasPath := d.(diag.DiagnosticWithPath)
		switch {
		case hasPath && d.Severity() == diag.SeverityError:
			out = append(out, diag.NewAttributeErrorDiagnostic(withPath.Path(), d.Summary(), detail))
		case hasPath:
			out = append(out, diag.NewAttributeWarningDiagnostic(withPath.Path(), d.Summary(), detail))
		case d.Severity() == diag.SeverityError:
			out = append(out, diag.NewErrorDiagnostic(d.Summary(), detail))
		default:
			out = append(out, diag.NewWarningDiagnostic(d.Summary(), detail))
		}
	}
	return out
}

// ephemeralType is what OpenEphemeralResource needs to know of one
// ephemeral resource, worked out once per server.
type ephemeralType struct {
	newResource func() *ephemeralRead
	ds          dsschema.Schema // its data source's schema
	dsType, typ tftypes.Type    // the data source's type, and its own
}

// ephemeralType finds the ephemeral resource named typeName.
func (s *server) ephemeralType(ctx context.Context, typeName string) *ephemeralType {
	if cached, ok := s.ephemerals.Load(typeName); ok {
		return cached.(*ephemeralType)
	}
	for _, newResource := range s.provider.EphemeralResources(ctx) {
		e, ok := newResource().(*ephemeralRead)
		if !ok {
			continue
		}
		var meta ephemeral.MetadataResponse
		e.Metadata(ctx, ephemeral.MetadataRequest{ProviderTypeName: providerTypeName}, &meta)
		if meta.TypeName != typeName {
			continue
		}
		var resp ephemeral.SchemaResponse
		e.Schema(ctx, ephemeral.SchemaRequest{}, &resp)
		if resp.Diagnostics.HasError() {
			return nil // the framework reports it
		}
		ds := dataSourceSchema(ctx, e.reader)
		t := &ephemeralType{
			newResource: func() *ephemeralRead { return newResource().(*ephemeralRead) },
			ds:          ds,
			dsType:      ds.Type().TerraformType(ctx),
			typ:         resp.Schema.Type().TerraformType(ctx),
		}
		s.ephemerals.Store(typeName, t)
		return t
	}
	return nil
}

// open is OpenEphemeralResource's answer below the framework, as
// stateReaderType.read is ReadDataSource's: the configuration decoded, a
// fresh ephemeral resource configured, the data source's read, and its model
// written as msgpack, under the same ceiling as a state.
func (t *ephemeralType) open(ctx context.Context, data *providerData, config *tfprotov6.DynamicValue, diags *diag.Diagnostics) *tfprotov6.DynamicValue {
	return answerBelowFramework(ctx, t.typ, config, ephemeralAnswer, diags, func(raw tftypes.Value) any {
		e := t.newResource()
		if data != nil {
			var resp ephemeral.ConfigureResponse
			e.Configure(ctx, ephemeral.ConfigureRequest{ProviderData: data}, &resp)
			diags.Append(resp.Diagnostics...)
		}
		return openEphemeral(ctx, e.reader, t.ds, t.dsType, raw, diags)
	})
}
