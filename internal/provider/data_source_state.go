package provider

import (
	"context"
	"fmt"
	"reflect"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// setState writes model into state by the same tfsdk tags as State.Set, but
// with each struct's layout worked out once per type. State.Set reflects on
// every value anew (it compiles a regular expression per field) and rebuilds
// the result several times: for 100k accounts that was most of the provider's
// CPU time and memory (bench/RESULTS.md).
func setState(ctx context.Context, state *tfsdk.State, model any) diag.Diagnostics {
	var diags diag.Diagnostics
	value, err := terraformValue(ctx, state.Schema.Type().TerraformType(ctx), reflect.ValueOf(model))
	if err != nil {
		diags.AddError("Cannot write the data source's state",
			"This is a bug in the provider: please report it at "+repositoryURL+"/issues.\n\n"+err.Error())
		return diags
	}
	state.Raw = value
	return diags
}

var attrValueInterface = reflect.TypeFor[attr.Value]()

// terraformValue converts v, a model or a part of one, to a value of typ. Nil
// pointers and slices are null, as with State.Set.
func terraformValue(ctx context.Context, typ tftypes.Type, v reflect.Value) (tftypes.Value, error) {
	if v.Type().Implements(attrValueInterface) {
		return v.Interface().(attr.Value).ToTerraformValue(ctx)
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return tftypes.NewValue(typ, nil), nil
		}
		return terraformValue(ctx, typ, v.Elem())
	case reflect.String:
		return tftypes.NewValue(typ, v.String()), nil
	case reflect.Slice:
		return listValue(ctx, typ, v)
	case reflect.Struct:
		return objectValue(ctx, typ, v)
	}
	return tftypes.Value{}, fmt.Errorf("no conversion of a Go %s to %s", v.Type(), typ)
}

func listValue(ctx context.Context, typ tftypes.Type, v reflect.Value) (tftypes.Value, error) {
	list, ok := typ.(tftypes.List)
	if !ok {
		return tftypes.Value{}, fmt.Errorf("a Go %s needs a list type, the schema has %s", v.Type(), typ)
	}
	if v.IsNil() {
		return tftypes.NewValue(typ, nil), nil
	}
	elems := make([]tftypes.Value, v.Len())
	for i := range elems {
		var err error
		if elems[i], err = terraformValue(ctx, list.ElementType, v.Index(i)); err != nil {
			return tftypes.Value{}, err
		}
	}
	return tftypes.NewValue(typ, elems), nil
}

func objectValue(ctx context.Context, typ tftypes.Type, v reflect.Value) (tftypes.Value, error) {
	object, ok := typ.(tftypes.Object)
	if !ok {
		return tftypes.Value{}, fmt.Errorf("a Go %s needs an object type, the schema has %s", v.Type(), typ)
	}
	fields := tfsdkFieldsOf(v.Type())
	if len(fields) != len(object.AttributeTypes) {
		return tftypes.Value{}, fmt.Errorf("a Go %s has %d tfsdk fields, the schema's object %d attributes", v.Type(), len(fields), len(object.AttributeTypes))
	}
	attrs := make(map[string]tftypes.Value, len(fields))
	for _, f := range fields {
		attrType, ok := object.AttributeTypes[f.name]
		if !ok {
			return tftypes.Value{}, fmt.Errorf("the schema has no attribute %q for the field of a Go %s", f.name, v.Type())
		}
		value, err := terraformValue(ctx, attrType, v.FieldByIndex(f.index))
		if err != nil {
			return tftypes.Value{}, fmt.Errorf("%s: %w", f.name, err)
		}
		attrs[f.name] = value
	}
	return tftypes.NewValue(typ, attrs), nil
}

type tfsdkField struct {
	name  string
	index []int
}

var tfsdkFieldCache sync.Map // reflect.Type → []tfsdkField

// tfsdkFieldsOf lists a struct's tagged fields, those of embedded structs
// included (cerby_account embeds accountModel).
func tfsdkFieldsOf(t reflect.Type) []tfsdkField {
	if cached, ok := tfsdkFieldCache.Load(t); ok {
		return cached.([]tfsdkField)
	}
	var fields []tfsdkField
	for _, f := range reflect.VisibleFields(t) {
		if name := f.Tag.Get("tfsdk"); name != "" && name != "-" {
			fields = append(fields, tfsdkField{name: name, index: f.Index})
		}
	}
	tfsdkFieldCache.Store(t, fields)
	return fields
}
