// Package listing benchmarks the client listing a whole workspace served by a
// running cerbysim (CERBY_ENDPOINT, CERBY_API_KEY, and CERBY_API to read the
// Cerby API), so that the process's CPU time is the client's alone;
// bench/run.sh starts the simulator and runs it. BenchmarkRequestsPerListing
// serves its own workspace in process instead, to read the simulator's
// counters.
package listing

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/cerby-community/terraform-provider-cerby/internal/cerbysim"
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

// BenchmarkRequestsPerListing lists BENCH_ACCOUNTS accounts (default 10000)
// of an in-process cerbysim through each API, with the provider's defaults
// (page size 100, page_concurrency 4), and reports the requests one listing
// took as the simulator's counters saw them (requests/op), beside the least
// that listing can take, ceil(accounts / page size) (pages/op). Its CPU is
// not reported: the simulator's shares the process.
func BenchmarkRequestsPerListing(b *testing.B) {
	n := 10000
	if s := os.Getenv("BENCH_ACCOUNTS"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil || n < 1 {
			b.Fatalf("BENCH_ACCOUNTS=%q is not a positive number", s)
		}
	}
	ws := cerbysim.Generate(1, cerbysim.Size{Accounts: n, Members: 10, AccessPerMember: 1})
	const key = "bench-requests-key"
	srv := cerbysim.New(ws, cerbysim.Config{APIKey: key})
	if err := srv.Err(); err != nil {
		b.Fatal(err)
	}
	url, err := srv.Start("")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = srv.Close() })
	for _, api := range []struct {
		name     string
		api      client.API
		baseURL  string
		endpoint string
	}{
		{"read_api", client.ReadAPI, url, cerbysim.EndpointAccounts},
		{"cerby_api", client.CerbyAPI, url + cerbysim.CerbyAPIPrefix, cerbysim.EndpointCerbyAccounts},
	} {
		b.Run("api="+api.name, func(b *testing.B) {
			c, err := client.New(client.Options{API: api.api, BaseURL: api.baseURL, APIKey: key})
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			requests, others := 0, 0
			for b.Loop() {
				srv.ResetCounters()
				accounts, _, err := c.ListAccounts(ctx, client.AccountFilter{})
				if err != nil {
					b.Fatal(err)
				}
				if len(accounts) != n {
					b.Fatalf("the listing returned %d accounts of %d", len(accounts), n)
				}
				counters := srv.Counters()
				requests += counters.ByEndpoint[api.endpoint]
				others += len(counters.Requests) - counters.ByEndpoint[api.endpoint]
			}
			if others != 0 {
				b.Fatalf("%d requests to other endpoints than %s", others, api.endpoint)
			}
			b.ReportMetric(float64(requests)/float64(b.N), "requests/op")
			b.ReportMetric(float64((n+client.DefaultPageSize-1)/client.DefaultPageSize), "pages/op")
			b.ReportMetric(float64(n), "items")
		})
	}
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

// newClient speaks the API CERBY_API names (the Read API when unset), at
// CERBY_ENDPOINT, the base URL of that API, with the provider's defaults.
func newClient(b *testing.B) *client.Client {
	endpoint, key := os.Getenv("CERBY_ENDPOINT"), os.Getenv("CERBY_API_KEY")
	if endpoint == "" || key == "" {
		b.Fatal("CERBY_ENDPOINT and CERBY_API_KEY must name a running cerbysim; make bench sets them")
	}
	api, err := apiOf(os.Getenv("CERBY_API"))
	if err != nil {
		b.Fatal(err)
	}
	c, err := client.New(client.Options{API: api, BaseURL: endpoint, APIKey: key, PageSize: client.DefaultPageSize})
	if err != nil {
		b.Fatal(err)
	}
	return c
}

func apiOf(name string) (client.API, error) {
	switch name {
	case "", "read_api":
		return client.ReadAPI, nil
	case "cerby_api":
		return client.CerbyAPI, nil
	}
	return 0, fmt.Errorf("CERBY_API=%q: want read_api or cerby_api", name)
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
