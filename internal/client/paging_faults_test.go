package client

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/cerby-community/terraform-provider-cerby/internal/cerbysim"
)

// simListing is one of the two paged endpoints, read through the client and
// judged against the simulator's ground truth.
type simListing struct {
	name   string
	list   func(ctx context.Context, c *Client) ([]string, error)
	before func(ws *cerbysim.Workspace) []string // listed before any fault acted
	after  func(sim *cerbysim.Server) []string   // present when the read ended
}

var simListings = []simListing{
	{
		name: "accounts",
		list: func(ctx context.Context, c *Client) ([]string, error) {
			got, _, err := c.ListAccounts(ctx, AccountFilter{})
			return accountIDs(got), err
		},
		before: (*cerbysim.Workspace).AccountIDs,
		after:  (*cerbysim.Server).AccountIDs,
	},
	{
		name: "members",
		list: func(ctx context.Context, c *Client) ([]string, error) {
			got, _, err := c.ListUsers(ctx, UserFilter{})
			ids := make([]string, len(got))
			for i, m := range got {
				ids[i] = m.ID
			}
			return ids, err
		},
		before: listedMemberIDs,
		after:  (*cerbysim.Server).MemberIDs,
	},
}

// listedMemberIDs leaves out the members an unfiltered listing does not show.
func listedMemberIDs(ws *cerbysim.Workspace) []string {
	var ids []string
	for i := range ws.Members {
		if !ws.Members[i].Bool(cerbysim.KeyOnlyInIdp) {
			ids = append(ids, ws.Members[i].String("id"))
		}
	}
	return ids
}

var (
	smallWorkspaceOnce sync.Once
	smallWorkspace     *cerbysim.Workspace
)

// workspace250 has 250 accounts and 250 members: three pages of 100 each.
func workspace250() *cerbysim.Workspace {
	smallWorkspaceOnce.Do(func() {
		smallWorkspace = cerbysim.Generate(7, cerbysim.Size{Accounts: 250, Members: 250})
	})
	return smallWorkspace
}

// simClient serves ws through a fresh simulator and points a client with a
// fake clock at it.
func simClient(t *testing.T, ws *cerbysim.Workspace, cfg cerbysim.Config, tweak func(*Options)) (*Client, *cerbysim.Server, *fakeClock) {
	t.Helper()
	sim := cerbysim.New(ws, cfg)
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	c, clock := newTestClient(t, srv, tweak)
	return c, sim, clock
}

// TestPagingFaultOutcomes drives every misbehaviour of a paged listing that
// the simulator can inject, on both endpoints, serially and concurrently.
// Each ends with the right data (what the rule for changing lists promises)
// or with a clear error, never with a duplicate or a loop.
func TestPagingFaultOutcomes(t *testing.T) {
	tests := map[string]struct {
		faults  cerbysim.Faults
		wantIs  error  // nil: the read succeeds
		wantErr string // in the error text
	}{
		"no fault": {faults: cerbysim.Faults{}},
		"items inserted between pages, then settled":    {faults: cerbysim.Faults{InsertBetweenPages: 3, ChangeLimit: 2}},
		"items removed between pages, then settled":     {faults: cerbysim.Faults{RemoveBetweenPages: 3, ChangeLimit: 2}},
		"items inserted and removed, then settled":      {faults: cerbysim.Faults{InsertBetweenPages: 2, RemoveBetweenPages: 5, ChangeLimit: 2}},
		"items inserted before every page":              {faults: cerbysim.Faults{InsertBetweenPages: 1}, wantIs: ErrListingChanged, wantErr: "read again from the start 3 times"},
		"items removed before every page":               {faults: cerbysim.Faults{RemoveBetweenPages: 1}, wantIs: ErrListingChanged, wantErr: "totalResults went from"},
		"duplicate ids across pages":                    {faults: cerbysim.Faults{DuplicateItems: 5}},
		"a last page of duplicates only":                {faults: cerbysim.Faults{DuplicateItems: 150}},
		"an empty page mid-stream":                      {faults: cerbysim.Faults{EmptyPageAt: 101}, wantErr: "the page at startIndex 101 came back empty after 100 items, but totalResults is"},
		"totalResults too high":                         {faults: cerbysim.Faults{TotalResultsOffset: 40}, wantErr: "the server ended the listing early"},
		"totalResults too low":                          {faults: cerbysim.Faults{TotalResultsOffset: -30}},
		"totalResults missing":                          {faults: cerbysim.Faults{OmitTotalResults: true}},
		"pagination that never advances":                {faults: cerbysim.Faults{NeverAdvance: true}, wantIs: ErrNotAdvancing, wantErr: "startIndex 101"},
		"pagination that never advances, without total": {faults: cerbysim.Faults{NeverAdvance: true, OmitTotalResults: true}, wantIs: ErrNotAdvancing},
	}
	ws := workspace250()
	for name, tt := range tests {
		for _, listing := range simListings {
			for _, conc := range concurrencies {
				t.Run(fmt.Sprintf("%s/%s/concurrency %d", name, listing.name, conc), func(t *testing.T) {
					c, sim, _ := simClient(t, ws, cerbysim.Config{Faults: tt.faults}, func(o *Options) { o.PageConcurrency = conc })
					got, err := listing.list(context.Background(), c)
					if listings := sim.Counters().Listings; listings > (maxRestarts+1)*4 {
						t.Errorf("made %d listing requests; a walk over three pages, started over at most %d times, needs far fewer", listings, maxRestarts)
					}
					if tt.wantErr != "" || tt.wantIs != nil {
						if err == nil || tt.wantIs != nil && !errors.Is(err, tt.wantIs) || !strings.Contains(err.Error(), tt.wantErr) || len(got) != 0 {
							t.Fatalf("got %d items, err %v; want no items and an error containing %q (matching %v)", len(got), err, tt.wantErr, tt.wantIs)
						}
						return
					}
					if err != nil {
						t.Fatal(err)
					}
					throughout, everListed := presence(listing.before(ws), listing.after(sim))
					assertChangingListPromise(t, got, throughout, everListed)
					if tt.faults.InsertBetweenPages+tt.faults.RemoveBetweenPages == 0 && !reflect.DeepEqual(got, listing.before(ws)) {
						t.Errorf("a listing that did not change should come back whole and in order")
					}
				})
			}
		}
	}
}

// assertChangingListPromise: every item present for the whole read is
// returned exactly once, and nothing comes back that was never listed.
func assertChangingListPromise(t *testing.T, got, throughout []string, everListed map[string]bool) {
	t.Helper()
	count := map[string]int{}
	for _, id := range got {
		count[id]++
		if count[id] == 2 {
			t.Errorf("%s returned twice", id)
		}
		if !everListed[id] {
			t.Errorf("%s was never listed", id)
		}
	}
	for _, id := range throughout {
		if count[id] == 0 {
			t.Errorf("%s was present for the whole read but is missing", id)
		}
	}
}

// presence splits the ids listed before and after a read into those present
// throughout and all those ever listed, as far as the simulator tells.
func presence(before, after []string) (throughout []string, everListed map[string]bool) {
	everListed = map[string]bool{}
	for _, id := range after {
		everListed[id] = true
	}
	for _, id := range before {
		if everListed[id] {
			throughout = append(throughout, id)
		}
	}
	for _, id := range before {
		everListed[id] = true
	}
	return throughout, everListed
}

// TestPagingTrustsATotalTooLowOnAPageBoundary pins down the one fault offset
// paging cannot see without an extra request per listing: when totalResults
// is too low by whole pages, the walk ends where the server said it does.
func TestPagingTrustsATotalTooLowOnAPageBoundary(t *testing.T) {
	ws := workspace250()
	c, sim, _ := simClient(t, ws, cerbysim.Config{Faults: cerbysim.Faults{TotalResultsOffset: -50}}, nil)
	got, _, err := c.ListAccounts(context.Background(), AccountFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(accountIDs(got), ws.AccountIDs()[:200]) || sim.Counters().Listings != 2 {
		t.Errorf("got %d accounts in %d requests; want the 200 the server counted, in 2", len(got), sim.Counters().Listings)
	}
}

// changingList is a hand-made listing that changes at random while it is
// read: before a page after the first it may insert or remove one item at a
// random place, a limited number of times. One change at a time always moves
// totalResults, which is what the client can see, provided the client reads
// the answer of the request that made it or starts over after it.
//
// That is why it is served in process (handlerTransport), not over HTTP. An
// HTTP server still handles a request the pager has cancelled, after the
// pager has started over: two such requests, or one and a page of the new
// pass, made an insertion and a removal between two pages of a pass (totals
// 48, 49, 48, say), and the pass lost an item with no sign of it (the limit of
// TestPagingMissesAChangeThatKeepsTheTotal), about one run in 30. In process,
// a request is handled inside the fetch that sent it, and a pass waits for
// all its fetches before the walk starts over (flight.stop), so every change
// is seen by a page of its pass or comes before the next pass's first page.
type changingList struct {
	mu       sync.Mutex
	rng      *rand.Rand
	ids      []string
	changes  int // left to make
	inserted int
	listed   map[string]bool // every id ever in the list
	removed  map[string]bool
	requests int
}

func newChangingList(seed uint64, n, changes int) *changingList {
	l := &changingList{rng: rand.New(rand.NewPCG(seed, 1)), ids: seqIDs("a", n), changes: changes, listed: map[string]bool{}, removed: map[string]bool{}}
	for _, id := range l.ids {
		l.listed[id] = true
	}
	return l
}

func (l *changingList) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start, _ := strconv.Atoi(r.URL.Query().Get("startIndex"))
	size, _ := strconv.Atoi(r.URL.Query().Get("limit"))
	l.mu.Lock()
	l.requests++
	if start > 1 && l.changes > 0 && l.rng.IntN(3) == 0 {
		l.change()
	}
	from := min(start-1, len(l.ids))
	items := []any{}
	for _, id := range l.ids[from:min(from+size, len(l.ids))] {
		items = append(items, accountJSON(id))
	}
	total := len(l.ids)
	l.mu.Unlock()
	writeJSON(w, 200, map[string]any{"totalResults": total, "accounts": items})
}

func (l *changingList) change() {
	l.changes--
	at := l.rng.IntN(len(l.ids))
	if l.rng.IntN(2) == 0 {
		l.inserted++
		id := fmt.Sprintf("new%d", l.inserted)
		l.ids = slices.Insert(l.ids, at, id)
		l.listed[id] = true
		return
	}
	l.removed[l.ids[at]] = true
	l.ids = slices.Delete(l.ids, at, at+1)
}

// TestPagingPromiseUnderRandomChanges reads many randomly changing listings
// serially and concurrently. Every read either fails with ErrListingChanged
// or returns each item present throughout exactly once, and nothing that was
// never listed; both outcomes must occur, or the test proves nothing.
func TestPagingPromiseUnderRandomChanges(t *testing.T) {
	outcomes := map[bool]int{}
	for seed := range uint64(150) {
		for _, conc := range concurrencies {
			l := newChangingList(seed, 47, int(seed%7))
			c, err := New(Options{BaseURL: "http://127.0.0.1", APIKey: testAPIKey, PageSize: 10, PageConcurrency: conc,
				HTTPClient: &http.Client{Transport: handlerTransport{l}}})
			if err != nil {
				t.Fatal(err)
			}
			installFakeClock(c)
			got, _, err := c.ListAccounts(context.Background(), AccountFilter{})
			outcomes[err == nil]++
			if err != nil && !errors.Is(err, ErrListingChanged) {
				t.Fatalf("seed %d, concurrency %d: %v", seed, conc, err)
			}
			var throughout []string
			for _, id := range seqIDs("a", 47) {
				if !l.removed[id] {
					throughout = append(throughout, id)
				}
			}
			if err == nil {
				assertChangingListPromise(t, accountIDs(got), throughout, l.listed)
			}
			// 4 walks of at most 6 pages, plus pages in flight when one stopped.
			if l.requests > (maxRestarts+1)*(6+conc) {
				t.Errorf("seed %d, concurrency %d: %d requests", seed, conc, l.requests)
			}
		}
	}
	if outcomes[true] == 0 || outcomes[false] == 0 {
		t.Errorf("outcomes (succeeded: count) = %v; want both successes and ErrListingChanged", outcomes)
	}
	t.Logf("outcomes (succeeded: count) = %v", outcomes)
}

// handlerTransport serves each request with h inside RoundTrip, so a request
// is handled completely, or not at all, before the fetch that sent it
// returns. A request cancelled before it is sent is not handled, as over a
// network.
type handlerTransport struct{ h http.Handler }

func (t handlerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if err := r.Context().Err(); err != nil {
		return nil, err
	}
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, r)
	return rec.Result(), nil
}

// TestPagingMissesAChangeThatKeepsTheTotal pins down the other limit of
// offset paging (§4): one item removed from a page already read and one
// added further on, between two pages, leave totalResults as it was; the
// unread item that shifted onto the page already read is lost, and nothing
// tells. The change comes right after the first page is served, so every
// later page sees it, whatever the concurrency.
func TestPagingMissesAChangeThatKeepsTheTotal(t *testing.T) {
	for _, conc := range concurrencies {
		t.Run(fmt.Sprintf("concurrency %d", conc), func(t *testing.T) {
			var mu sync.Mutex
			ids := seqIDs("a", 47)
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				start, _ := strconv.Atoi(r.URL.Query().Get("startIndex"))
				size, _ := strconv.Atoi(r.URL.Query().Get("limit"))
				mu.Lock()
				from := min(start-1, len(ids))
				items := []any{}
				for _, id := range ids[from:min(from+size, len(ids))] {
					items = append(items, accountJSON(id))
				}
				total := len(ids)
				if start == 1 && ids[4] == "a005" {
					ids = slices.Delete(ids, 4, 5)       // a005, on the page just served: a006…a030 move up one
					ids = slices.Insert(ids, 29, "new1") // after a030: a031 and later stay put
				}
				mu.Unlock()
				writeJSON(w, 200, map[string]any{"totalResults": total, "accounts": items})
			}))
			defer srv.Close()
			c, _ := newTestClient(t, srv, func(o *Options) { o.PageSize, o.PageConcurrency = 10, conc })
			got, _, err := c.ListAccounts(context.Background(), AccountFilter{})
			if err != nil {
				t.Fatal(err)
			}
			want := slices.Concat(seqIDs("a", 47)[:10], seqIDs("a", 47)[11:30], []string{"new1"}, seqIDs("a", 47)[30:])
			if !reflect.DeepEqual(accountIDs(got), want) {
				t.Errorf("got %v;\nwant %v (a011 lost: it moved onto the first page after it was read)", accountIDs(got), want)
			}
		})
	}
}
