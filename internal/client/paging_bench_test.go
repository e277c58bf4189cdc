package client

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/cerby-community/terraform-provider-cerby/internal/cerbysim"
)

// BenchmarkListAccountsConcurrency lists 10k accounts from the simulator
// with no added latency and with 50 ms per request, serially and with four
// pages in flight. Compare ns/op of the two concurrencies at one latency for
// the speedup; requests/op shows the page count stays ceil(N / page size).
//
//	go test -run '^$' -bench ListAccountsConcurrency -benchtime 3x ./internal/client/
func BenchmarkListAccountsConcurrency(b *testing.B) {
	ws := cerbysim.Generate(1, cerbysim.Size{Accounts: 10_000})
	for _, latency := range []time.Duration{0, 50 * time.Millisecond} {
		sim := cerbysim.New(ws, cerbysim.Config{Faults: cerbysim.Faults{Latency: latency}})
		url, err := sim.Start("")
		if err != nil {
			b.Fatal(err)
		}
		for _, conc := range []int{1, 4} {
			b.Run(fmt.Sprintf("latency=%s/concurrency=%d", latency, conc), func(b *testing.B) {
				c, err := New(Options{BaseURL: url, PageConcurrency: conc})
				if err != nil {
					b.Fatal(err)
				}
				sim.ResetCounters()
				b.ReportAllocs()
				runs := 0
				for b.Loop() {
					runs++
					got, _, err := c.ListAccounts(context.Background(), AccountFilter{})
					if err != nil || len(got) != len(ws.Accounts) {
						b.Fatalf("got %d accounts, err %v", len(got), err)
					}
				}
				b.ReportMetric(float64(sim.Counters().Listings)/float64(runs), "requests/op")
			})
		}
		_ = sim.Close()
	}
}
