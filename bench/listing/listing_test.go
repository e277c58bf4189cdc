// Package listing benchmarks the client listing a whole workspace served by a
// running cerbysim (CERBY_ENDPOINT, CERBY_API_KEY), so that the process's CPU
// time is the client's alone; bench/run.sh starts the simulator and runs it.
package listing

import (
	"context"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/cerby-community/terraform-provider-cerby/internal/client"
)

func BenchmarkListAccounts(b *testing.B) {
	c := newClient(b)
	benchmarkListing(b, func(ctx context.Context) (int, error) {
		accounts, _, err := c.ListAccounts(ctx, client.AccountFilter{})
		return len(accounts), err
	})
}

func BenchmarkListUsers(b *testing.B) {
	c := newClient(b)
	benchmarkListing(b, func(ctx context.Context) (int, error) {
		members, _, err := c.ListUsers(ctx, client.UserFilter{})
		return len(members), err
	})
}

// benchmarkListing reports, besides time and allocations, the process CPU time
// per listing (cpu-ns/op), which the floor is compared with.
func benchmarkListing(b *testing.B, list func(context.Context) (int, error)) {
	ctx := context.Background()
	var items int
	cpu0 := cpuTime()
	for b.Loop() {
		n, err := list(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if n == 0 {
			b.Fatal("the listing is empty: is cerbysim serving a generated workspace?")
		}
		items = n
	}
	b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/float64(b.N), "cpu-ns/op")
	b.ReportMetric(float64(items), "items")
}

func newClient(b *testing.B) *client.Client {
	endpoint, key := os.Getenv("CERBY_ENDPOINT"), os.Getenv("CERBY_API_KEY")
	if endpoint == "" || key == "" {
		b.Fatal("CERBY_ENDPOINT and CERBY_API_KEY must name a running cerbysim; make bench sets them")
	}
	c, err := client.New(client.Options{BaseURL: endpoint, APIKey: key, PageSize: client.DefaultPageSize})
	if err != nil {
		b.Fatal(err)
	}
	return c
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
