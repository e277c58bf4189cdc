package client

import (
	"strings"
	"testing"
)

// BenchmarkDecodeCerbyPage decodes a page of the simulator's 100 accounts
// (and its members) as the Cerby API serves it, with encoding/json (the
// fallback) and with the single-pass reader, and the same accounts as the
// Read API serves them, with its single-pass reader, for comparison.
//
//	go test -run '^$' -bench DecodeCerbyPage -benchmem -count 5 ./internal/client/
func BenchmarkDecodeCerbyPage(b *testing.B) {
	cerbyAccounts := string(simPage(b, "/api/v1/accounts?page%5Bnumber%5D=1&page%5Bsize%5D=100"))
	cerbyMembers := string(simPage(b, "/api/v1/users?page%5Bnumber%5D=1&page%5Bsize%5D=100"))
	readAccounts := string(simPage(b, "/v1/accounts?startIndex=1&limit=100"))
	readMembers := string(simPage(b, "/v1/admin/users?startIndex=1&count=100"))
	members := func(body string) int {
		pg, _ := decodeAnyCerbyList("GET /api/v1/users", body, decodeCerbyMember)
		return len(pg.items) // those only in the identity provider are not served
	}(cerbyMembers)
	for _, bench := range []struct {
		name   string
		body   string
		decode func(string) (int, bool)
	}{
		{"accounts=100/cerby-encoding-json", cerbyAccounts, func(body string) (int, bool) {
			pg, err := decodeAnyCerbyList("GET /api/v1/accounts", body, decodeCerbyAccount)
			return len(pg.items), err == nil
		}},
		{"accounts=100/cerby-decoder", cerbyAccounts, func(body string) (int, bool) {
			pg, ok := decodeUsualCerbyList(body, decodeCerbyAccount)
			return len(pg.items), ok
		}},
		{"accounts=100/read-api-decoder", readAccounts, func(body string) (int, bool) {
			items, _, ok := decodeUsualList[Account](body)
			return len(items), ok
		}},
		{"members/cerby-encoding-json", cerbyMembers, func(body string) (int, bool) {
			pg, err := decodeAnyCerbyList("GET /api/v1/users", body, decodeCerbyMember)
			return len(pg.items), err == nil
		}},
		{"members/cerby-decoder", cerbyMembers, func(body string) (int, bool) {
			pg, ok := decodeUsualCerbyList(body, decodeCerbyMember)
			return len(pg.items), ok
		}},
		{"members/read-api-decoder", readMembers, func(body string) (int, bool) {
			items, _, ok := decodeUsualList[Member](body)
			return len(items), ok
		}},
	} {
		want := 100
		if strings.HasPrefix(bench.name, "members") {
			want = members
		}
		b.Run(bench.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(bench.body)))
			for b.Loop() {
				if n, ok := bench.decode(bench.body); !ok || n != want {
					b.Fatalf("read %d items, %v", n, ok)
				}
			}
		})
	}
}
