package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// accessServer serves members' accounts on either API: on the Read API
// GET /v1/users/{id}/accounts, one bare array; on the Cerby API
// GET /api/v1/users/{id}/accounts, paged with links.next, and
// GET /api/v1/users/{id}. It records every request and how many were in
// flight at once.
type accessServer struct {
	api      API
	accounts map[string][]string // member id → the account ids its listing holds, repeats included
	gone     map[string]bool     // members that answer 404 everywhere
	status   map[string]int      // a member whose accounts listing answers this status
	// noListing, when set, is the Cerby API's answer to every member's
	// accounts listing, while GET /api/v1/users/{id} finds the member.
	noListing int
	// hold, when set, runs before a member's accounts are answered; it may
	// block, and sees the request (its context ends when the client gives up).
	hold func(r *http.Request, member string)
	hits

	inFlight, maxInFlight atomic.Int32
}

func (s *accessServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.record(r)
	n := s.inFlight.Add(1)
	defer s.inFlight.Add(-1)
	for {
		seen := s.maxInFlight.Load()
		if n <= seen || s.maxInFlight.CompareAndSwap(seen, n) {
			break
		}
	}
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	switch {
	case s.api == ReadAPI && len(parts) == 4 && parts[0] == "v1" && parts[1] == "users" && parts[3] == "accounts":
		s.memberAccounts(w, r, parts[2])
	case s.api == CerbyAPI && len(parts) == 5 && parts[0] == "api" && parts[2] == "users" && parts[4] == "accounts":
		s.memberAccounts(w, r, parts[3])
	case s.api == CerbyAPI && len(parts) == 4 && parts[0] == "api" && parts[2] == "users":
		if s.gone[parts[3]] {
			writeJSON(w, http.StatusNotFound, map[string]any{"errors": []any{map[string]any{"status": "404", "detail": "User " + parts[3] + " not found."}}})
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"data": map[string]any{"id": parts[3], "type": "users", "attributes": map[string]any{}}})
	default:
		writeJSON(w, http.StatusNotFound, map[string]any{"message": "no route " + r.URL.Path})
	}
}

func (s *accessServer) memberAccounts(w http.ResponseWriter, r *http.Request, member string) {
	if s.hold != nil {
		s.hold(r, member)
	}
	switch {
	case s.status[member] != 0:
		writeJSON(w, s.status[member], map[string]any{"message": "refused for " + member})
		return
	case s.gone[member]:
		writeJSON(w, http.StatusNotFound, map[string]any{"message": "User " + member + " not found."})
		return
	case s.api == CerbyAPI && s.noListing != 0:
		writeJSON(w, s.noListing, map[string]any{"errors": []any{map[string]any{"status": strconv.Itoa(s.noListing), "detail": "No endpoint GET " + r.URL.Path}}})
		return
	}
	ids := s.accounts[member]
	if s.api == ReadAPI {
		items := []any{}
		for _, id := range ids {
			items = append(items, accountJSON(id))
		}
		writeJSON(w, http.StatusOK, items)
		return
	}
	q := r.URL.Query()
	number, size := queryInt(q, "page[number]", 1), queryInt(q, "page[size]", 25)
	from := min((number-1)*size, len(ids))
	to := min(from+size, len(ids))
	data := []any{}
	for _, id := range ids[from:to] {
		data = append(data, map[string]any{"id": id, "type": "accounts", "attributes": map[string]any{"label": "n-" + id}})
	}
	var next any
	if to < len(ids) {
		next = pageLink(r, rootRelative, number+1, q.Get("page[size]"))
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"data": data, "links": map[string]any{"next": next}, "meta": map[string]any{"page": map[string]any{"total": len(ids)}},
	})
}

// accountsPath is the path of a member's accounts listing on s's API.
func (s *accessServer) accountsPath(member string) string {
	if s.api == CerbyAPI {
		return "/api/v1/users/" + member + "/accounts"
	}
	return "/v1/users/" + member + "/accounts"
}

func newAccessClient(t *testing.T, s *accessServer, tweak func(*Options)) (*Client, *fakeClock) {
	t.Helper()
	return newAccessClientFor(t, s.api, s, tweak)
}

func newAccessClientFor(t *testing.T, api API, h http.Handler, tweak func(*Options)) (*Client, *fakeClock) {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return newTestClient(t, srv, func(o *Options) {
		o.API = api
		if tweak != nil {
			tweak(o)
		}
	})
}

func forBothAPIs(t *testing.T, test func(t *testing.T, api API)) {
	for _, api := range []API{ReadAPI, CerbyAPI} {
		t.Run(api.String(), func(t *testing.T) { test(t, api) })
	}
}

// readAccessWithin fails the test instead of hanging when ReadAccess does
// not return in time.
func readAccessWithin(t *testing.T, ctx context.Context, c *Client, ids []string, concurrency int) ([]MemberAccess, error) {
	t.Helper()
	type result struct {
		access []MemberAccess
		err    error
	}
	done := make(chan result, 1)
	go func() {
		access, err := c.ReadAccess(ctx, ids, concurrency)
		done <- result{access, err}
	}()
	select {
	case r := <-done:
		return r.access, r.err
	case <-time.After(20 * time.Second):
		t.Fatal("ReadAccess did not return within 20s")
		return nil, nil
	}
}

// requestedOnce fails unless every request s received is a distinct URI.
func requestedOnce(t *testing.T, s *accessServer) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	seen := map[string]bool{}
	for _, uri := range s.uris {
		if seen[uri] {
			t.Errorf("%s was requested more than once: %q", uri, s.uris)
		}
		seen[uri] = true
	}
}

// Members finish in the reverse of the order they were given in; the
// results keep the order given, a repeated id is read once, and each
// member's accounts are as received, repeats left out.
func TestReadAccessKeepsTheOrderOfItsMembers(t *testing.T) {
	forBothAPIs(t, func(t *testing.T, api API) {
		members := seqIDs("m", 12)
		s := &accessServer{api: api, accounts: map[string][]string{}}
		for i, m := range members {
			s.accounts[m] = seqIDs(m+"-a", i%4)
		}
		s.accounts["m005"] = []string{"x2", "x1", "x2", "x3", "x1"}
		s.hold = func(_ *http.Request, member string) {
			n, _ := strconv.Atoi(strings.TrimPrefix(member, "m"))
			time.Sleep(time.Duration(13-n) * 3 * time.Millisecond)
		}
		c, _ := newAccessClient(t, s, func(o *Options) { o.PageSize = 2 })

		given := append(slices.Clone(members), "m003", "m001")
		access, err := readAccessWithin(t, bg, c, given, 4)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, a := range access {
			got = append(got, a.UserID)
			want := slices.Compact(slices.Clone(s.accounts[a.UserID]))
			if a.UserID == "m005" {
				want = []string{"x2", "x1", "x3"}
			}
			if a.Gone != nil || !slices.Equal(accountIDs(a.Accounts), want) {
				t.Errorf("%s: accounts %q (gone %v), want %q", a.UserID, accountIDs(a.Accounts), a.Gone, want)
			}
		}
		if !slices.Equal(got, members) {
			t.Errorf("members %q, want %q", got, members)
		}
		requestedOnce(t, s)
	})
}

// However many members, never more than the concurrency asked for are in
// flight, a member's pages included (the Cerby API's listing here has up to
// three pages, and page_concurrency 4), and that many are.
func TestReadAccessNeverHasMoreThanNInFlight(t *testing.T) {
	forBothAPIs(t, func(t *testing.T, api API) {
		for _, n := range []int{1, 3, 8} {
			t.Run(fmt.Sprint(n), func(t *testing.T) {
				members := seqIDs("m", 20)
				s := &accessServer{api: api, accounts: map[string][]string{}}
				for i, m := range members {
					s.accounts[m] = seqIDs(m+"-a", i%6)
				}
				// Each answer waits until n are in flight (or a while has
				// passed, for the last few members), so that a pool wider than
				// n would be seen.
				s.hold = func(*http.Request, string) {
					for start := time.Now(); int(s.inFlight.Load()) < n && time.Since(start) < 100*time.Millisecond; {
						time.Sleep(time.Millisecond)
					}
				}
				c, _ := newAccessClient(t, s, func(o *Options) { o.PageSize, o.PageConcurrency = 2, 4 })
				access, err := readAccessWithin(t, bg, c, members, n)
				if err != nil {
					t.Fatal(err)
				}
				if len(access) != len(members) {
					t.Errorf("%d results, want %d", len(access), len(members))
				}
				if got := int(s.maxInFlight.Load()); got != n {
					t.Errorf("at most %d requests in flight, want exactly %d", got, n)
				}
				requestedOnce(t, s)
			})
		}
	})
}

// A member listed and then gone is a result with Gone set, matching
// ErrNotFound; the others are read. On the Cerby API the listing's 404 is
// told apart from a missing endpoint by GET /users/{id}, asked for that
// member only.
func TestReadAccessLeavesAGoneMemberOutAsAWarning(t *testing.T) {
	forBothAPIs(t, func(t *testing.T, api API) {
		s := &accessServer{api: api, accounts: map[string][]string{"m1": {"a1"}, "m3": {"a3", "a4"}}, gone: map[string]bool{"m2": true}}
		c, _ := newAccessClient(t, s, nil)
		access, err := readAccessWithin(t, bg, c, []string{"m1", "m2", "m3"}, 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(access) != 3 {
			t.Fatalf("results %+v, want 3", access)
		}
		if gone := access[1]; gone.UserID != "m2" || !errors.Is(gone.Gone, ErrNotFound) || gone.Accounts != nil {
			t.Errorf("m2: %+v; want gone, matching ErrNotFound, without accounts", gone)
		}
		for _, i := range []int{0, 2} {
			if access[i].Gone != nil || len(access[i].Accounts) == 0 {
				t.Errorf("%s: %+v; want its accounts", access[i].UserID, access[i])
			}
		}
		want := []string{s.accountsPath("m1"), s.accountsPath("m2"), s.accountsPath("m3")}
		if api == CerbyAPI {
			want = append(want, "/api/v1/users/m2")
		}
		for _, path := range want {
			if n := s.count(path); n != 1 {
				t.Errorf("%s requested %d times, want once", path, n)
			}
		}
		if s.total() != len(want) {
			t.Errorf("requests %q, want only %q", s.uris, want)
		}
	})
}

// Where the Cerby API answers a member's accounts listing 404 or 405 and the
// member exists, the API does not offer the listing: the read fails saying
// so, and is never taken for a member gone.
func TestReadAccessWhereTheCerbyAPIDoesNotOfferTheListing(t *testing.T) {
	for _, status := range []int{http.StatusNotFound, http.StatusMethodNotAllowed} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			s := &accessServer{api: CerbyAPI, accounts: map[string][]string{"m1": {"a1"}, "m2": {"a2"}}, noListing: status}
			c, _ := newAccessClient(t, s, nil)
			_, err := readAccessWithin(t, bg, c, []string{"m1", "m2"}, 1)
			if !errors.Is(err, ErrNotOffered) || errors.Is(err, ErrNotFound) {
				t.Fatalf("err = %v; want ErrNotOffered, not ErrNotFound", err)
			}
			mustContain(t, "the error", err, fmt.Sprint(status), "does not offer a member's accounts", `api = "read_api"`)
			if want := []string{s.accountsPath("m1") + "?page%5Bnumber%5D=1&page%5Bsize%5D=100", "/api/v1/users/m1"}; !slices.Equal(s.uris, want) {
				t.Errorf("requests %q, want %q: nothing after the first member", s.uris, want)
			}
		})
	}
}

// Any error but a member gone ends the read: the first one is returned, the
// reads in flight are cancelled (their requests' contexts end), and no
// other member is read.
func TestReadAccessFailsFastAndCancelsTheOthers(t *testing.T) {
	forBothAPIs(t, func(t *testing.T, api API) {
		members := seqIDs("m", 10)
		failing := members[2]
		s := &accessServer{api: api, accounts: map[string][]string{}, status: map[string]int{failing: http.StatusForbidden}}
		var waiting sync.WaitGroup
		waiting.Add(3) // the first, second and fourth, in flight beside the third
		var cancelled atomic.Int32
		s.hold = func(r *http.Request, member string) {
			if member == failing {
				waiting.Wait() // fail once the others are in flight
				return
			}
			waiting.Done()
			select {
			case <-r.Context().Done():
				cancelled.Add(1)
			case <-time.After(15 * time.Second):
			}
		}
		c, _ := newAccessClient(t, s, func(o *Options) { o.MaxRetries = 3 })
		start := time.Now()
		_, err := readAccessWithin(t, bg, c, members, 4)
		var apiErr *APIError
		if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusForbidden || errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v; want %s's 403, not a cancellation", err, failing)
		}
		mustContain(t, "the error", err, s.accountsPath(failing))
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("the read took %s: the reads in flight were not cancelled", d)
		}
		// The handlers see the cancellation once the client has dropped them.
		for deadline := time.Now().Add(5 * time.Second); cancelled.Load() < 3 && time.Now().Before(deadline); {
			time.Sleep(time.Millisecond)
		}
		if n := cancelled.Load(); n != 3 {
			t.Errorf("%d reads in flight were cancelled, want 3", n)
		}
		for _, m := range members[4:] {
			if n := s.count(s.accountsPath(m)); n != 0 {
				t.Errorf("%s was read after the failure (%d requests)", m, n)
			}
		}
		requestedOnce(t, s)
	})
}

// A read whose context ends between members returns at once with the
// context's error, having started no other member.
func TestReadAccessStopsWhenItsContextEnds(t *testing.T) {
	forBothAPIs(t, func(t *testing.T, api API) {
		members := seqIDs("m", 6)
		ctx, cancel := context.WithCancel(bg)
		defer cancel()
		s := &accessServer{api: api, accounts: map[string][]string{}}
		s.hold = func(r *http.Request, member string) {
			if member == members[1] {
				cancel()
				<-r.Context().Done()
			}
		}
		c, _ := newAccessClient(t, s, nil)
		access, err := readAccessWithin(t, ctx, c, members, 1)
		if !errors.Is(err, context.Canceled) || access != nil {
			t.Fatalf("access %+v, err = %v; want no result and context.Canceled", access, err)
		}
		if got := s.total(); got != 2 {
			t.Errorf("requests %q; want the first two members' only", s.uris)
		}
	})
}

// Exactly one request per page of each member, none repeated, and none to
// GET /users/{id} while the listings answer.
func TestReadAccessRepeatsNoRequest(t *testing.T) {
	forBothAPIs(t, func(t *testing.T, api API) {
		counts := []int{0, 1, 2, 5, 3}
		s := &accessServer{api: api, accounts: map[string][]string{}}
		var members []string
		want := 0
		for i, n := range counts {
			m := fmt.Sprintf("m%d", i)
			members = append(members, m)
			s.accounts[m] = seqIDs(m+"-a", n)
			want++
			if api == CerbyAPI {
				want = want - 1 + max(1, ceilDiv(n, 2))
			}
		}
		c, _ := newAccessClient(t, s, func(o *Options) { o.PageSize = 2 })
		access, err := readAccessWithin(t, bg, c, members, 3)
		if err != nil {
			t.Fatal(err)
		}
		for i, a := range access {
			if len(a.Accounts) != counts[i] {
				t.Errorf("%s: %d accounts, want %d", a.UserID, len(a.Accounts), counts[i])
			}
		}
		if s.total() != want {
			t.Errorf("%d requests %q, want %d", s.total(), s.uris, want)
		}
		for _, uri := range s.uris {
			u, _ := url.Parse(uri)
			if !strings.HasSuffix(u.Path, "/accounts") {
				t.Errorf("request to %s: only the members' accounts are read", u.Path)
			}
		}
		requestedOnce(t, s)
	})
}

// The members' reads go through the client's transport chain: a 429 is
// waited out and retried as anywhere else.
func TestReadAccessRetriesAsEverywhere(t *testing.T) {
	forBothAPIs(t, func(t *testing.T, api API) {
		s := &accessServer{api: api, accounts: map[string][]string{"m1": {"a1"}, "m2": {"a2"}}}
		c, clk := newAccessClientFor(t, api, &retryOnce{accessServer: s}, func(o *Options) { o.MaxRetries = 2 })
		access, err := readAccessWithin(t, bg, c, []string{"m1", "m2"}, 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(access) != 2 || len(access[1].Accounts) != 1 {
			t.Errorf("results %+v; want both members read", access)
		}
		if n := s.count(s.accountsPath("m2")); n != 2 {
			t.Errorf("m2's accounts requested %d times, want 2 (the 429, then its retry)", n)
		}
		if sleeps := clk.recorded(); !slices.Contains(sleeps, time.Second) {
			t.Errorf("waits %v; want the 1s Retry-After", sleeps)
		}
	})
}

// retryOnce answers m2's first request 429 with Retry-After 1, then serves
// as its accessServer does.
type retryOnce struct {
	*accessServer
	mu   sync.Mutex
	done bool
}

func (s *retryOnce) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	first := !s.done && strings.HasSuffix(r.URL.Path, "/m2/accounts")
	if first {
		s.done = true
	}
	s.mu.Unlock()
	if first {
		s.record(r)
		w.Header().Set("Retry-After", "1")
		writeJSON(w, http.StatusTooManyRequests, map[string]any{"message": "slow down"})
		return
	}
	s.accessServer.ServeHTTP(w, r)
}

func TestReadAccessRefusesAConcurrencyOutOfRange(t *testing.T) {
	s := &accessServer{api: ReadAPI, accounts: map[string][]string{"m1": {"a1"}}}
	c, _ := newAccessClient(t, s, nil)
	for _, n := range []int{-1, 0, MaxAccessConcurrency + 1} {
		_, err := c.ReadAccess(bg, []string{"m1"}, n)
		mustContain(t, fmt.Sprintf("concurrency %d", n), err, "concurrency must be between 1 and 32", strconv.Itoa(n))
	}
	if s.total() != 0 {
		t.Errorf("requests %q; want none", s.uris)
	}
	for _, n := range []int{1, MaxAccessConcurrency} {
		if _, err := c.ReadAccess(bg, []string{"m1"}, n); err != nil {
			t.Errorf("concurrency %d: %v", n, err)
		}
	}
	if access, err := c.ReadAccess(bg, nil, DefaultAccessConcurrency); err != nil || len(access) != 0 {
		t.Errorf("no members: %+v, %v; want nothing read", access, err)
	}
}

// ListMemberAccounts sends the listing alone; only its 404 on the Cerby API
// makes it ask for the member.
func TestListMemberAccountsAsksForTheMemberOnlyAfterA404(t *testing.T) {
	forBothAPIs(t, func(t *testing.T, api API) {
		s := &accessServer{api: api, accounts: map[string][]string{"m1": {"a1", "a2"}}, gone: map[string]bool{"m2": true}}
		c, _ := newAccessClient(t, s, nil)
		accounts, err := c.ListMemberAccounts(bg, "m1")
		if err != nil || !slices.Equal(accountIDs(accounts), []string{"a1", "a2"}) {
			t.Fatalf("m1: %q, %v", accountIDs(accounts), err)
		}
		if s.total() != 1 {
			t.Errorf("requests %q; want the listing alone", s.uris)
		}
		_, err = c.ListMemberAccounts(bg, "m2")
		if !errors.Is(err, ErrNotFound) || errors.Is(err, ErrNotOffered) {
			t.Errorf("m2: err = %v; want ErrNotFound", err)
		}
		want := 2
		if api == CerbyAPI {
			want = 3 // and GET /api/v1/users/m2
		}
		if s.total() != want {
			t.Errorf("requests %q; want %d", s.uris, want)
		}
		if _, err := c.ListMemberAccounts(bg, ".."); err == nil {
			t.Error("a dot segment as a member id was accepted")
		}
	})
}
