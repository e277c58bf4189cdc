package provider

import (
	"math"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Every length form of the msgpack writers must read back through tftypes,
// which decodes state the way Terraform does.
func TestMsgpackWritersReadBackThroughTftypes(t *testing.T) {
	for _, n := range []int{0, 1, 31, 32, 255, 256, math.MaxUint16, math.MaxUint16 + 1} {
		s := strings.Repeat("é", n/2) + strings.Repeat("x", n%2)
		assertReadsBack(t, appendMsgpackString(nil, s), tftypes.String, tftypes.NewValue(tftypes.String, s))

		list := make([]tftypes.Value, n)
		buf := appendMsgpackArrayLen(nil, n)
		for i := range list {
			list[i] = tftypes.NewValue(tftypes.Bool, i%2 == 0)
			buf = appendMsgpackBool(buf, i%2 == 0)
		}
		listType := tftypes.List{ElementType: tftypes.Bool}
		assertReadsBack(t, buf, listType, tftypes.NewValue(listType, list))
	}
	for _, n := range []int64{0, 1, 127, 128, -1, -32, -33, math.MaxInt64, math.MinInt64} {
		assertReadsBack(t, appendMsgpackInt(nil, n), tftypes.Number, tftypes.NewValue(tftypes.Number, n))
	}
	assertReadsBack(t, appendMsgpackNil(nil), tftypes.String, tftypes.NewValue(tftypes.String, nil))
}

func TestMsgpackMapLengthsReadBackThroughTftypes(t *testing.T) {
	for _, n := range []int{0, 15, 16} { // the longer forms share appendMsgpackLen with arrays
		attrTypes := map[string]tftypes.Type{}
		values := map[string]tftypes.Value{}
		buf := appendMsgpackMapLen(nil, n)
		for i := range n {
			name := string(rune('a'+i%26)) + strings.Repeat("z", i/26) // distinct and sorted as written
			attrTypes[name], values[name] = tftypes.Bool, tftypes.NewValue(tftypes.Bool, true)
			buf = appendMsgpackBool(appendMsgpackString(buf, name), true)
		}
		typ := tftypes.Object{AttributeTypes: attrTypes}
		assertReadsBack(t, buf, typ, tftypes.NewValue(typ, values))
	}
}

func assertReadsBack(t *testing.T, buf []byte, typ tftypes.Type, want tftypes.Value) {
	t.Helper()
	got, err := (&tfprotov6.DynamicValue{MsgPack: buf}).Unmarshal(typ)
	if err != nil {
		t.Fatalf("%s: %v", typ, err)
	}
	if !got.Equal(want) {
		t.Errorf("read back %s, want %s", got, want)
	}
}
