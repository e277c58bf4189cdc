// Package ceiling measures where a full read reaches the plugin protocol's
// ceiling: terraform-plugin-go sends at most 256 MiB in one message, and the
// provider refuses a state over 256 MiB less a 1 MiB margin
// (internal/provider/ceiling.go) with a diagnostic instead of the gRPC
// error. Each read goes through provider.NewServer's ReadDataSource, in
// process and through the protocol the CLI speaks, so the state is exactly
// the msgpack the provider's encodeState writes, against an in-process
// cerbysim serving a generated workspace on each API.
//
// BenchmarkStateBytes reads each listing at two sizes (BENCH_CEILING_ACCOUNTS,
// BENCH_CEILING_MEMBERS: "lo,hi") and reports the state per item (the slope
// between them, so that what every state carries once drops out), the fixed
// part, and the items at which a full read reaches the ceiling. BENCH_CEILING_CONFIRM=1 then reads that many items, and 2% more,
// to show the first fit and the second refused. bench/run.sh runs it.
package ceiling

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cerby-community/terraform-provider-cerby/internal/cerbysim"
	"github.com/cerby-community/terraform-provider-cerby/internal/provider"
)

// ceilingBytes is what internal/provider/ceiling.go allows: the protocol's
// 256 MiB less the 1 MiB margin for what travels beside the state.
const ceilingBytes = 256<<20 - 1<<20

const apiKey = "bench-ceiling-key"

// listing is a data source whose state grows with one kind of item.
type listing struct {
	dataSource string
	item       string
	// list is the state's list attribute that holds one entry per item.
	list string
	// size is the workspace to read n of its items from.
	size func(n int) cerbysim.Size
	// env names the two workspace sizes the slope is taken between; lo and
	// hi are their defaults. Generated names and emails carry the item's
	// number, so an item is a byte or so longer per digit: the sizes are
	// taken where the items have as many digits as at the ceiling.
	env    string
	lo, hi int
	// confirm is whether BENCH_CEILING_CONFIRM=1 reads the listing at the
	// ceiling. Not for members: cerbysim filters its whole member list for
	// every page it serves, so a listing of the 800k members at the ceiling
	// would take it hours.
	confirm bool
}

var listings = []listing{
	{"cerby_accounts", "accounts", "ids", func(n int) cerbysim.Size { return cerbysim.Size{Accounts: n, Members: 10, AccessPerMember: 1} },
		"BENCH_CEILING_ACCOUNTS", 100_000, 150_000, true},
	// Generate leaves one member in 13 out of the IdP only, and cerby_users
	// lists only the others: the items are counted from the state's ids.
	// Taken at five digits, not the six of the members at the ceiling: the
	// listing's cost grows with the square of the members in cerbysim, and
	// at 100k and 150k (six digits) a member was 0.3% larger, 327.1 bytes
	// against 326.1 on the Read API (bench/NOTES.md).
	{"cerby_users", "members", "ids", func(n int) cerbysim.Size { return cerbysim.Size{Accounts: 10, Members: n, AccessPerMember: 1} },
		"BENCH_CEILING_MEMBERS", 10_000, 20_000, false},
	// Ten accounts a member, as the inventory bench: a grant is two ids and a
	// role, whatever the number of digits in names; the members covered
	// (user_ids) are a tenth of an id more per grant.
	{"cerby_access", "grants", "grants", func(n int) cerbysim.Size { return cerbysim.Size{Accounts: 1000, Members: n / 10, AccessPerMember: 10} },
		"BENCH_CEILING_GRANTS", 20_000, 40_000, false},
}

var apis = []struct{ name, prefix string }{
	{"read_api", ""},
	{"cerby_api", cerbysim.CerbyAPIPrefix},
}

// sizes are the two workspace sizes the slope is taken between: l's
// defaults, or "lo,hi" from its environment variable.
func (l listing) sizes(b *testing.B) (int, int) {
	lo, hi := l.lo, l.hi
	if s := os.Getenv(l.env); s != "" {
		f := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' })
		var err1, err2 error
		if len(f) == 2 {
			lo, err1 = strconv.Atoi(f[0])
			hi, err2 = strconv.Atoi(f[1])
		}
		if len(f) != 2 || err1 != nil || err2 != nil || lo < 1 || hi <= lo {
			b.Fatalf("%s=%q: want two sizes, the smaller first", l.env, s)
		}
	}
	return lo, hi
}

// BenchmarkStateBytes reports, per API and listing: bytes/item, fixed-bytes,
// items-at-ceiling, and for the larger of the two reads state-bytes and
// items. With BENCH_CEILING_CONFIRM=1, confirm-items and
// confirm-state-bytes are the read at items-at-ceiling (which must fit), and
// over-items and over-refused (1 when refused with the provider's diagnostic)
// the read 2% above it.
func BenchmarkStateBytes(b *testing.B) {
	confirm := os.Getenv("BENCH_CEILING_CONFIRM") == "1"
	for _, l := range listings {
		lo, hi := l.sizes(b)
		for _, a := range apis {
			b.Run(fmt.Sprintf("%s/api=%s", l.dataSource, a.name), func(b *testing.B) {
				var nLo, sLo, nHi, sHi int
				for b.Loop() {
					nLo, sLo = read(b, l, a.prefix, lo)
					nHi, sHi = read(b, l, a.prefix, hi)
				}
				perItem := float64(sHi-sLo) / float64(nHi-nLo)
				fixed := float64(sHi) - perItem*float64(nHi)
				atCeiling := int((ceilingBytes - fixed) / perItem)
				b.ReportMetric(perItem, "bytes/item")
				b.ReportMetric(fixed, "fixed-bytes")
				b.ReportMetric(float64(atCeiling), "items-at-ceiling")
				b.ReportMetric(float64(sHi), "state-bytes")
				b.ReportMetric(float64(nHi), "items")
				if !confirm || !l.confirm {
					return
				}
				// The workspace to generate for atCeiling items: the
				// listing's share of the generated items is nHi/hi.
				want := func(items int) int { return int(float64(items) * float64(hi) / float64(nHi)) }
				n, s := read(b, l, a.prefix, want(atCeiling))
				b.ReportMetric(float64(n), "confirm-items")
				b.ReportMetric(float64(s), "confirm-state-bytes")
				if s > ceilingBytes {
					b.Errorf("%d %s: a state of %d bytes, over the ceiling of %d: the estimate is off", n, l.item, s, ceilingBytes)
				}
				over := int(float64(atCeiling) * 1.02)
				n, refused := readOver(b, l, a.prefix, want(over))
				b.ReportMetric(float64(n), "over-items")
				b.ReportMetric(map[bool]float64{true: 1}[refused], "over-refused")
			})
		}
	}
}

// server is a provider configured for a simulator of size on the API at
// prefix, and the all-null configuration of dataSource.
func server(b *testing.B, dataSource, prefix string, size cerbysim.Size) (tfprotov6.ProviderServer, *tfprotov6.DynamicValue) {
	b.Helper()
	sim := cerbysim.New(cerbysim.Generate(1, size), cerbysim.Config{APIKey: apiKey})
	if err := sim.Err(); err != nil {
		b.Fatal(err)
	}
	url, err := sim.Start("127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = sim.Close() })
	ctx := context.Background()
	srv, err := provider.NewServer("bench")()
	if err != nil {
		b.Fatal(err)
	}
	schemas, err := srv.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		b.Fatal(err)
	}
	cfg := nullConfig(b, schemas.Provider, map[string]tftypes.Value{
		"endpoint": tftypes.NewValue(tftypes.String, url+prefix),
		"api_key":  tftypes.NewValue(tftypes.String, apiKey),
	})
	resp, err := srv.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{Config: cfg})
	if err != nil || len(resp.Diagnostics) > 0 {
		b.Fatalf("configure: %v %v", err, resp.Diagnostics)
	}
	return srv, nullConfig(b, schemas.DataSourceSchemas[dataSource], nil)
}

// read reads the listing of a workspace of n generated items and returns
// the items listed and the state's bytes; the simulator is closed after.
func read(b *testing.B, l listing, prefix string, n int) (items, stateBytes int) {
	b.Helper()
	resp := readOnce(b, l, prefix, n)
	if len(resp.Diagnostics) > 0 || resp.State == nil {
		b.Fatalf("%s of %d: %v", l.dataSource, n, describe(resp.Diagnostics))
	}
	return countList(b, resp.State.MsgPack, l.list), len(resp.State.MsgPack)
}

// readOver reads a workspace that must be over the ceiling: refused is true
// when the read failed with the provider's diagnostic naming the items.
func readOver(b *testing.B, l listing, prefix string, n int) (items int, refused bool) {
	b.Helper()
	resp := readOnce(b, l, prefix, n)
	if len(resp.Diagnostics) != 1 {
		b.Errorf("%s of %d: want the ceiling's one diagnostic, got %v", l.dataSource, n, describe(resp.Diagnostics))
		return 0, false
	}
	d := resp.Diagnostics[0]
	var count string
	if _, err := fmt.Sscanf(d.Detail, "The read returned %s "+l.item, &count); err != nil || !strings.Contains(d.Detail, "Terraform accepts at most") {
		b.Errorf("%s of %d: not the ceiling's diagnostic: %s: %s", l.dataSource, n, d.Summary, d.Detail)
		return 0, false
	}
	items, _ = strconv.Atoi(strings.ReplaceAll(count, ",", ""))
	b.Logf("%s of %d %s: %s", l.dataSource, items, l.item, d.Detail)
	return items, true
}

func readOnce(b *testing.B, l listing, prefix string, n int) *tfprotov6.ReadDataSourceResponse {
	b.Helper()
	srv, cfg := server(b, l.dataSource, prefix, l.size(n))
	resp, err := srv.ReadDataSource(context.Background(), &tfprotov6.ReadDataSourceRequest{TypeName: l.dataSource, Config: cfg})
	if err != nil {
		b.Fatal(err)
	}
	return resp
}

// countList reads the length of the state's list attribute name: how many
// items the read returned. The list's msgpack header after its key tells
// what a decode of the whole state would, at a fraction of its cost. The
// key (a msgpack string of up to 31 bytes) is the last of its kind in the
// state: the attributes come in name order, and nothing in the items is a
// key or a string of the same name.
func countList(b *testing.B, state []byte, name string) int {
	b.Helper()
	k := append([]byte{byte(0xa0 | len(name))}, name...)
	i := strings.LastIndex(string(state), string(k))
	if i < 0 {
		b.Fatalf("the state has no %s attribute", name)
	}
	ids := state[i+len(k):]
	switch c := ids[0]; {
	case c&0xf0 == 0x90:
		return int(c & 0x0f)
	case c == 0xdc:
		return int(ids[1])<<8 | int(ids[2])
	case c == 0xdd:
		return int(ids[1])<<24 | int(ids[2])<<16 | int(ids[3])<<8 | int(ids[4])
	}
	b.Fatalf("the %s attribute is not a list (0x%02x)", name, ids[0])
	return 0
}

// nullConfig is a configuration of schema s with every attribute null but
// those in set.
func nullConfig(b *testing.B, s *tfprotov6.Schema, set map[string]tftypes.Value) *tfprotov6.DynamicValue {
	b.Helper()
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
		b.Fatal(err)
	}
	return &dv
}

func describe(diags []*tfprotov6.Diagnostic) string {
	var lines []string
	for _, d := range diags {
		lines = append(lines, fmt.Sprintf("%v %q %q", d.Severity, d.Summary, d.Detail))
	}
	return strings.Join(lines, "\n")
}
