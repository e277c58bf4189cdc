package provider

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cerby-community/terraform-provider-cerby/internal/client"
)

// encodeState writes model, a pointer to a data source's model, as the
// msgpack state of type typ, by the same tfsdk tags and null rules as the
// framework's State.Set: nil pointers and slices are null. A read of 100k
// accounts spent most of its CPU and memory in State.Set and in the
// framework's handling of the tftypes.Value it builds (bench/RESULTS.md);
// this writes the protocol's bytes in one pass, with each model type's
// layout worked out once.
func encodeState(ctx context.Context, typ tftypes.Type, model any) ([]byte, error) {
	v := reflect.ValueOf(model)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		return nil, fmt.Errorf("the model must be a non-nil pointer, got a %T", model)
	}
	encode, err := stateEncoderFor(typ, v.Type().Elem())
	if err != nil {
		return nil, err
	}
	e := &stateEncoder{ctx: ctx, scratches: map[reflect.Type]reflect.Value{}}
	if err := encode(e, v.Elem()); err != nil {
		return nil, err
	}
	return e.buf, nil
}

// setState writes model into state through encodeState, for the framework's
// own Read path and for tests that compare it with State.Set.
func setState(ctx context.Context, state *tfsdk.State, model any) diag.Diagnostics {
	var diags diag.Diagnostics
	typ := state.Schema.Type().TerraformType(ctx)
	raw, err := encodeState(ctx, typ, model)
	if err == nil {
		state.Raw, err = (&tfprotov6.DynamicValue{MsgPack: raw}).Unmarshal(typ)
	}
	if err != nil {
		diags.AddError("Cannot write the data source's state", bugReport(err))
	}
	return diags
}

func bugReport(err error) string {
	return "This is a bug in the provider: please report it at " + repositoryURL + "/issues.\n\n" + err.Error()
}

// stateEncoder accumulates one state's msgpack bytes.
type stateEncoder struct {
	ctx       context.Context
	buf       []byte
	err       error // set by nullOrUnknown
	scratches map[reflect.Type]reflect.Value
}

// encodeFunc writes v, an addressable value, to e.
type encodeFunc func(e *stateEncoder, v reflect.Value) error

type encoderKey struct {
	model reflect.Type
	typ   string // the state type's String(): a model type may in principle serve two schemas
}

var encoderCache sync.Map // encoderKey → encodeFunc

func stateEncoderFor(typ tftypes.Type, model reflect.Type) (encodeFunc, error) {
	key := encoderKey{model, typ.String()}
	if cached, ok := encoderCache.Load(key); ok {
		return cached.(encodeFunc), nil
	}
	encode, err := compileEncoder(typ, model)
	if err != nil {
		return nil, err
	}
	encoderCache.Store(key, encode)
	return encode, nil
}

var (
	stringValueType    = reflect.TypeFor[types.String]()
	boolValueType      = reflect.TypeFor[types.Bool]()
	int64ValueType     = reflect.TypeFor[types.Int64]()
	attrValueInterface = reflect.TypeFor[attr.Value]()
)

// compileEncoder works out once how a Go type t is written as typ.
func compileEncoder(typ tftypes.Type, t reflect.Type) (encodeFunc, error) {
	switch {
	case t == stringValueType && typ.Is(tftypes.String):
		return encodePrimitive(types.String.ValueString, appendMsgpackString), nil
	case t == boolValueType && typ.Is(tftypes.Bool):
		return encodePrimitive(types.Bool.ValueBool, appendMsgpackBool), nil
	case t == int64ValueType && typ.Is(tftypes.Number):
		return encodePrimitive(types.Int64.ValueInt64, appendMsgpackInt), nil
	case t.Implements(attrValueInterface):
		return encodeAnyValue(typ), nil
	}
	if view := stateViewOf(t); view != nil {
		encodeModel, err := compileEncoder(typ, view.model)
		if err != nil {
			return nil, err
		}
		return view.compile(encodeModel), nil
	}
	switch t.Kind() {
	case reflect.String:
		if !typ.Is(tftypes.String) {
			break
		}
		return func(e *stateEncoder, v reflect.Value) error {
			e.buf = appendMsgpackString(e.buf, v.String())
			return nil
		}, nil
	case reflect.Pointer:
		return compilePointer(typ, t)
	case reflect.Slice:
		return compileSlice(typ, t)
	case reflect.Struct:
		return compileStruct(typ, t)
	}
	return nil, fmt.Errorf("no conversion of a Go %s to %s", t, typ)
}

// encodePrimitive writes a string, bool or number framework value: value
// reads it, write appends it as msgpack.
func encodePrimitive[V any, PV interface {
	*V
	attr.Value
}, T any](value func(V) T, write func([]byte, T) []byte) encodeFunc {
	return func(e *stateEncoder, v reflect.Value) error {
		p := PV(v.Addr().Interface().(*V))
		if e.nullOrUnknown(p) {
			return e.err
		}
		e.buf = write(e.buf, value(*p))
		return nil
	}
}

// nullOrUnknown writes a null value and reports true when value is null or
// unknown. State never holds an unknown value: that is a bug in the data
// source, left in e.err.
func (e *stateEncoder) nullOrUnknown(value attr.Value) bool {
	switch {
	case value.IsUnknown():
		e.err = errors.New("a data source's state cannot hold an unknown value")
		return true
	case value.IsNull():
		e.buf = appendMsgpackNil(e.buf)
		return true
	}
	return false
}

// encodeAnyValue writes any other attr.Value (such as the timeouts block)
// through the framework's own conversion: these are few per read.
func encodeAnyValue(typ tftypes.Type) encodeFunc {
	return func(e *stateEncoder, v reflect.Value) error {
		value, err := v.Interface().(attr.Value).ToTerraformValue(e.ctx)
		if err != nil {
			return err
		}
		dv, err := tfprotov6.NewDynamicValue(typ, value)
		if err != nil {
			return err
		}
		e.buf = append(e.buf, dv.MsgPack...)
		return nil
	}
}

// nullWhenNil writes a nil pointer or slice as null, anything else by
// encode, as State.Set does.
func nullWhenNil(encode encodeFunc) encodeFunc {
	return func(e *stateEncoder, v reflect.Value) error {
		if v.IsNil() {
			e.buf = appendMsgpackNil(e.buf)
			return nil
		}
		return encode(e, v)
	}
}

func compilePointer(typ tftypes.Type, t reflect.Type) (encodeFunc, error) {
	elem, err := compileEncoder(typ, t.Elem())
	if err != nil {
		return nil, err
	}
	return nullWhenNil(func(e *stateEncoder, v reflect.Value) error {
		return elem(e, v.Elem())
	}), nil
}

func compileSlice(typ tftypes.Type, t reflect.Type) (encodeFunc, error) {
	list, ok := typ.(tftypes.List)
	if !ok {
		return nil, fmt.Errorf("a Go %s needs a list type, the schema has %s", t, typ)
	}
	elem, err := compileEncoder(list.ElementType, t.Elem())
	if err != nil {
		return nil, err
	}
	return nullWhenNil(func(e *stateEncoder, v reflect.Value) error {
		n := v.Len()
		e.buf = appendMsgpackArrayLen(e.buf, n)
		start := len(e.buf)
		for i := range n {
			if i == sampleElements {
				e.reserve(n-i, (len(e.buf)-start)/i)
			}
			if err := elem(e, v.Index(i)); err != nil {
				return err
			}
		}
		return nil
	}), nil
}

// sampleElements is how many elements of a long list are written before the
// buffer is grown once for the rest, at their average size.
const sampleElements = 64

// reserve grows the buffer once for n more elements of about size bytes
// each. Growing by append alone copied a 150 MB state a dozen times into
// fresh memory, which cost more than writing it. It allocates with make
// rather than slices.Grow: append clears the new room in one
// non-preemptible memclr, and on a machine where first touches of memory
// are slow the garbage collector then spent a third of a 10k read
// signalling this goroutine to stop; make clears in preemptible chunks.
//
// The room left over also holds a short list written after a long one
// (cerby_accounts' ids after its accounts), so that list never copies the
// whole state to grow.
func (e *stateEncoder) reserve(n, size int) {
	if cap(e.buf)-len(e.buf) >= n*size {
		return
	}
	buf := make([]byte, len(e.buf), len(e.buf)+n*size+n*size/8)
	copy(buf, e.buf)
	e.buf = buf
}

// objectField is one attribute of an object, in the order msgpack wants
// them: sorted by name, as tftypes writes objects.
type objectField struct {
	name   string
	key    []byte // name, already msgpack-encoded
	index  []int
	encode encodeFunc
}

func compileStruct(typ tftypes.Type, t reflect.Type) (encodeFunc, error) {
	object, ok := typ.(tftypes.Object)
	if !ok {
		return nil, fmt.Errorf("a Go %s needs an object type, the schema has %s", t, typ)
	}
	tagged := tfsdkFieldsOf(t)
	if len(tagged) != len(object.AttributeTypes) {
		return nil, fmt.Errorf("a Go %s has %d tfsdk fields, the schema's object %d attributes", t, len(tagged), len(object.AttributeTypes))
	}
	fields := make([]objectField, 0, len(tagged))
	for _, f := range tagged {
		attrType, ok := object.AttributeTypes[f.name]
		if !ok {
			return nil, fmt.Errorf("the schema has no attribute %q for the field of a Go %s", f.name, t)
		}
		encode, err := compileEncoder(attrType, t.FieldByIndex(f.index).Type)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.name, err)
		}
		fields = append(fields, objectField{name: f.name, key: appendMsgpackString(nil, f.name), index: f.index, encode: encode})
	}
	slices.SortFunc(fields, func(a, b objectField) int { return strings.Compare(a.name, b.name) })
	return func(e *stateEncoder, v reflect.Value) error {
		e.buf = appendMsgpackMapLen(e.buf, len(fields))
		for _, f := range fields {
			e.buf = append(e.buf, f.key...)
			if err := f.encode(e, v.FieldByIndex(f.index)); err != nil {
				return err
			}
		}
		return nil
	}, nil
}

// stateView lets a list attribute hold the client's items as they are: each
// is mapped to its model only while the state is written, so that a read of
// 100k accounts never holds all their models at once.
type stateView struct {
	model   reflect.Type
	compile func(encodeModel encodeFunc) encodeFunc
}

func viewAs[S, M any](toModel func(*S) M) *stateView {
	model := reflect.TypeFor[M]()
	return &stateView{model: model, compile: func(encodeModel encodeFunc) encodeFunc {
		return func(e *stateEncoder, v reflect.Value) error {
			m := e.scratch(model).Interface().(*M)
			*m = toModel(v.Addr().Interface().(*S))
			return encodeModel(e, reflect.ValueOf(m).Elem())
		}
	}}
}

// scratch is one value of type t that this encoding reuses for every item
// of a view, rather than allocating a model per item.
func (e *stateEncoder) scratch(t reflect.Type) reflect.Value {
	v, ok := e.scratches[t]
	if !ok {
		v = reflect.New(t)
		e.scratches[t] = v
	}
	return v
}

// stateViewOf is how items of type t are written, when as a model.
func stateViewOf(t reflect.Type) *stateView {
	switch t {
	case reflect.TypeFor[client.Account]():
		return viewAs(accountModelFrom)
	case reflect.TypeFor[client.Member]():
		return viewAs(memberModelFrom)
	}
	return nil
}

type tfsdkField struct {
	name  string
	index []int
}

// tfsdkFieldsOf lists a struct's tagged fields, those of embedded structs
// included (cerby_account embeds accountModel).
func tfsdkFieldsOf(t reflect.Type) []tfsdkField {
	var fields []tfsdkField
	for _, f := range reflect.VisibleFields(t) {
		if name := f.Tag.Get("tfsdk"); name != "" && name != "-" {
			fields = append(fields, tfsdkField{name: name, index: f.Index})
		}
	}
	return fields
}
