package client

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cerby-community/terraform-provider-cerby/internal/cerbysim"
)

// safetyNet ends a test that would otherwise hang; no test waits for it
// unless the code under test is broken.
const safetyNet = 30 * time.Second

// fakeListing serves ids by startIndex straight to a pager, without HTTP,
// and counts the fetches that started and finished.
type fakeListing struct {
	ids               []string
	total             *int // nil: len(ids)
	started, finished atomic.Int32
	// serve may replace the page or fail; nil serves the page as is.
	serve func(ctx context.Context, start int, items []Account) ([]Account, error)
}

func (l *fakeListing) fetch(ctx context.Context, ref pageRef) (page[Account], error) {
	start := ref.n
	l.started.Add(1)
	defer l.finished.Add(1)
	from := min(start-1, len(l.ids))
	var items []Account
	for _, id := range l.ids[from:min(from+10, len(l.ids))] {
		items = append(items, Account{ID: id})
	}
	var err error
	if l.serve != nil {
		items, err = l.serve(ctx, start, items)
	}
	total := len(l.ids)
	if l.total != nil {
		total = *l.total
	}
	return page[Account]{items: items, total: &total}, err
}

// walk reads the listing with pages of 10 and the given concurrency.
func (l *fakeListing) walk(ctx context.Context, concurrency int) ([]string, error) {
	p := testPager(10, l.fetch)
	p.concurrency = concurrency
	col := newCollector[Account](0)
	err := p.walk(ctx, col)
	return accountIDs(col.items), err
}

// assertAllFinished is the leak check: every fetch the walk started has
// returned by the time the walk did.
func (l *fakeListing) assertAllFinished(t *testing.T) {
	t.Helper()
	if started, finished := l.started.Load(), l.finished.Load(); started != finished {
		t.Errorf("%d page fetches started but only %d finished when the walk returned", started, finished)
	}
}

func blockUntilCancelled(ctx context.Context) error {
	<-ctx.Done()
	return ctx.Err()
}

func TestConcurrentPagingKeepsTheSerialOrder(t *testing.T) {
	l := &fakeListing{ids: seqIDs("a", 495)}
	// Pages answer in a shuffled order.
	l.serve = func(_ context.Context, _ int, items []Account) ([]Account, error) {
		time.Sleep(time.Duration(rand.IntN(500)) * time.Microsecond)
		return items, nil
	}
	for _, conc := range []int{1, 4, 16} {
		got, err := l.walk(context.Background(), conc)
		if err != nil || !reflect.DeepEqual(got, l.ids) {
			t.Errorf("concurrency %d: got %d ids (in order: %v), err %v; want all %d in order", conc, len(got), reflect.DeepEqual(got, l.ids[:len(got)]), err, len(l.ids))
		}
	}
	l.assertAllFinished(t)
}

func TestConcurrentPagingStaysWithinItsBound(t *testing.T) {
	const conc = 4
	var inFlight, most atomic.Int32
	released := make(chan struct{})
	var release sync.Once
	// Every page after the first waits until conc of them are in flight at
	// once: the walk only finishes if it really sends that many together.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start, _ := strconv.Atoi(r.URL.Query().Get("startIndex"))
		if start > 1 {
			n := inFlight.Add(1)
			defer inFlight.Add(-1)
			for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
			}
			if n == conc {
				release.Do(func() { close(released) })
			}
			select {
			case <-released:
			case <-r.Context().Done():
				return
			}
		}
		var items []any
		for _, id := range seqIDs("a", 1000)[start-1 : start+99] {
			items = append(items, accountJSON(id))
		}
		writeJSON(w, 200, map[string]any{"totalResults": 1000, "accounts": items})
	}))
	defer srv.Close()
	c, _ := newTestClient(t, srv, func(o *Options) { o.PageConcurrency = conc })
	ctx, cancel := context.WithTimeout(context.Background(), safetyNet)
	defer cancel()
	got, _, err := c.ListAccounts(ctx, AccountFilter{})
	if err != nil || !reflect.DeepEqual(accountIDs(got), seqIDs("a", 1000)) {
		t.Fatalf("got %d accounts, err %v; want all 1000 in order", len(got), err)
	}
	if most.Load() != conc {
		t.Errorf("at most %d pages were in flight at once; want exactly %d", most.Load(), conc)
	}
}

func TestConcurrentPagingDoesNotWaitForASlowPage(t *testing.T) {
	l := &fakeListing{ids: seqIDs("a", 100)}
	laterPageSent := make(chan struct{})
	// The page at 11 answers only once the page at 81 was requested, seven
	// pages on: the three other slots must have been reused meanwhile.
	l.serve = func(ctx context.Context, start int, items []Account) ([]Account, error) {
		switch start {
		case 11:
			select {
			case <-laterPageSent:
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		case 81:
			close(laterPageSent)
		}
		return items, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), safetyNet)
	defer cancel()
	got, err := l.walk(ctx, 4)
	if err != nil || !reflect.DeepEqual(got, l.ids) {
		t.Errorf("got %d ids, err %v; want all 100 in order", len(got), err)
	}
	l.assertAllFinished(t)
}

func TestConcurrentPagingFallsBackToSerialAfterAShortPage(t *testing.T) {
	for _, conc := range []int{1, 4} {
		l := &fakeListing{ids: seqIDs("a", 100)}
		var mu sync.Mutex
		var starts []int
		// The page at 21 holds 5 items: the server caps its page size from
		// there, and the pages requested ahead (31, 41, ...) start too far.
		l.serve = func(_ context.Context, start int, items []Account) ([]Account, error) {
			mu.Lock()
			starts = append(starts, start)
			mu.Unlock()
			if start > 20 {
				items = items[:min(5, len(items))]
			}
			return items, nil
		}
		got, err := l.walk(context.Background(), conc)
		if err != nil || !reflect.DeepEqual(got, l.ids) {
			t.Errorf("concurrency %d: got %v, err %v; want all 100 in order", conc, got, err)
		}
		for want := 26; want <= 96; want += 5 {
			if !slices.Contains(starts, want) {
				t.Errorf("concurrency %d: startIndex %d never requested; requests: %v", conc, want, starts)
			}
		}
		l.assertAllFinished(t)
	}
}

func TestConcurrentPagingStopsEveryPageOnCancellation(t *testing.T) {
	l := &fakeListing{ids: seqIDs("a", 100)}
	inFlight := make(chan struct{}, 10)
	l.serve = func(ctx context.Context, start int, items []Account) ([]Account, error) {
		if start == 1 {
			return items, nil
		}
		inFlight <- struct{}{}
		return nil, blockUntilCancelled(ctx)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := l.walk(ctx, 4)
		done <- err
	}()
	for range 4 {
		<-inFlight
	}
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v; want context.Canceled", err)
		}
	case <-time.After(safetyNet):
		t.Fatal("the walk did not end after its context was cancelled")
	}
	l.assertAllFinished(t)
}

func TestConcurrentPagingFirstErrorWins(t *testing.T) {
	errBoom := errors.New("boom at startIndex 31")
	l := &fakeListing{ids: seqIDs("a", 100)}
	// 11 and 21 would hang until cancelled: the error of 31 must cancel them
	// and be the one reported, though 11 comes first in page order.
	l.serve = func(ctx context.Context, start int, items []Account) ([]Account, error) {
		switch start {
		case 1:
			return items, nil
		case 31:
			return nil, errBoom
		}
		return nil, blockUntilCancelled(ctx)
	}
	ctx, cancel := context.WithTimeout(context.Background(), safetyNet)
	defer cancel()
	got, err := l.walk(ctx, 4)
	if !errors.Is(err, errBoom) || ctx.Err() != nil {
		t.Errorf("err = %v; want %v, well before the safety net", err, errBoom)
	}
	if len(got) != 10 {
		t.Errorf("got %d items; want only the first page's 10", len(got))
	}
	l.assertAllFinished(t)
}

// TestConcurrentPagingMakesOneRequestPerPage checks the request count target
// against the simulator's counters: ceil(N / page size) per listing.
func TestConcurrentPagingMakesOneRequestPerPage(t *testing.T) {
	ws := cerbysim.Generate(11, cerbysim.Size{Accounts: 1050, Members: 1050})
	for _, conc := range []int{1, 4, MaxPageConcurrency} {
		t.Run(fmt.Sprintf("concurrency %d", conc), func(t *testing.T) {
			c, sim, _ := simClient(t, ws, cerbysim.Config{}, func(o *Options) { o.PageConcurrency = conc })
			for _, listing := range simListings {
				sim.ResetCounters()
				got, err := listing.list(context.Background(), c)
				if err != nil || !reflect.DeepEqual(got, listing.before(ws)) {
					t.Fatalf("%s: got %d items, err %v; want all %d in workspace order", listing.name, len(got), err, len(listing.before(ws)))
				}
				if want := (len(got) + 99) / 100; sim.Counters().Listings != want {
					t.Errorf("%s: %d listing requests; want %d", listing.name, sim.Counters().Listings, want)
				}
			}
		})
	}
}

// The rate limit is a transport layer, so pages in flight together still
// start no faster than requests_per_second allows: the simulator, limiting
// at a little more, never has to answer 429.
func TestConcurrentPagingKeepsToTheRateLimit(t *testing.T) {
	ws := cerbysim.Generate(12, cerbysim.Size{Accounts: 1200})
	sim := cerbysim.New(ws, cerbysim.Config{Faults: cerbysim.Faults{RateLimitPerSecond: 20}})
	srv := httptest.NewServer(sim)
	defer srv.Close()
	c, err := New(Options{BaseURL: srv.URL, HTTPClient: srv.Client(), PageConcurrency: 4, RequestsPerSecond: 16})
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := c.ListAccounts(context.Background(), AccountFilter{})
	if err != nil || !reflect.DeepEqual(accountIDs(got), ws.AccountIDs()) {
		t.Fatalf("got %d accounts, err %v; want all %d in order", len(got), err, len(ws.AccountIDs()))
	}
	if counters := sim.Counters(); counters.ByStatus[http.StatusTooManyRequests] != 0 || counters.Listings != 12 {
		t.Errorf("%d listing requests, %d answered 429; want 12 and none", counters.Listings, counters.ByStatus[http.StatusTooManyRequests])
	}
}

// The 429 pause is shared by every request of the client, pages in flight
// included; a storm of 429s slows the walk but leaves its result whole.
func TestConcurrentPagingThroughA429Storm(t *testing.T) {
	ws := cerbysim.Generate(13, cerbysim.Size{Accounts: 2050})
	faults := cerbysim.Faults{Seed: 5, Random429Rate: 0.3, RetryAfter: 2 * time.Second}
	c, sim, clock := simClient(t, ws, cerbysim.Config{Faults: faults}, func(o *Options) { o.PageConcurrency, o.MaxRetries = 4, 12 })
	got, _, err := c.ListAccounts(context.Background(), AccountFilter{})
	if err != nil || !reflect.DeepEqual(accountIDs(got), ws.AccountIDs()) {
		t.Fatalf("got %d accounts, err %v; want all %d in order", len(got), err, len(ws.AccountIDs()))
	}
	if sim.Counters().ByStatus[http.StatusTooManyRequests] == 0 || !slices.Contains(clock.recorded(), 2*time.Second) {
		t.Errorf("429s answered: %d, waits: %v; want some 429s, each followed by the 2s pause", sim.Counters().ByStatus[http.StatusTooManyRequests], clock.recorded())
	}
}

// Concurrent pages reuse their connections from one round of pages to the
// next; net/http's default keeps only two idle per host and would open new
// ones (a TLS handshake each, in production) for most rounds. A dial racing
// a connection coming back idle may add one to the pool, so the bound is the
// pool's size rather than the concurrency.
func TestConcurrentPagingReusesConnections(t *testing.T) {
	ws := cerbysim.Generate(14, cerbysim.Size{Accounts: 8000})
	srv := httptest.NewUnstartedServer(cerbysim.New(ws, cerbysim.Config{}))
	var opened atomic.Int32
	srv.Config.ConnState = func(_ net.Conn, state http.ConnState) {
		if state == http.StateNew {
			opened.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	const conc = 8
	c, err := New(Options{BaseURL: srv.URL, PageConcurrency: conc}) // the default transport
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := c.ListAccounts(context.Background(), AccountFilter{})
	if err != nil || len(got) != 8000 {
		t.Fatalf("got %d accounts, err %v", len(got), err)
	}
	if opened.Load() > MaxPageConcurrency {
		t.Errorf("opened %d connections for 80 pages at concurrency %d; want at most %d", opened.Load(), conc, MaxPageConcurrency)
	}
}
