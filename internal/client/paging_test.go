package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// listServer pages through whatever list listing returns for a query, the
// way §6 of the contract describes, with knobs for misbehaving servers.
type listServer struct {
	listShape
	listing func(q url.Values) []string
	hits
}

type listShape struct {
	key         string // envelope key; "" for a bare array
	omitTotal   bool
	pageCap     int  // server-side maximum page size, 0 for none
	ignoreStart bool // always serves the first page
}

func (s *listServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.record(r)
	q := r.URL.Query()
	ids := s.listing(q)
	start, _ := strconv.Atoi(q.Get("startIndex"))
	size, _ := strconv.Atoi(q.Get("limit") + q.Get("count"))
	if s.pageCap > 0 {
		size = min(size, s.pageCap)
	}
	if s.ignoreStart {
		start = 1
	}
	from := min(start-1, len(ids))
	items := []any{}
	for _, id := range ids[from:min(from+size, len(ids))] {
		items = append(items, accountJSON(id))
	}
	if s.key == "" {
		writeJSON(w, 200, items)
		return
	}
	body := map[string]any{"startIndex": start, s.key: items}
	if !s.omitTotal {
		body["totalResults"] = len(ids)
	}
	writeJSON(w, 200, body)
}

func fixedListing(ids []string) func(url.Values) []string {
	return func(url.Values) []string { return ids }
}

func startIndexes(h *hits) []int {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []int
	for _, uri := range h.uris {
		u, _ := url.Parse(uri)
		n, _ := strconv.Atoi(u.Query().Get("startIndex"))
		out = append(out, n)
	}
	return out
}

func listAccountsFrom(t *testing.T, s *listServer, pageSize int, f AccountFilter) ([]Account, bool, error) {
	t.Helper()
	return listAccountsConcurrently(t, s, pageSize, 1, f)
}

func listAccountsConcurrently(t *testing.T, s *listServer, pageSize, concurrency int, f AccountFilter) ([]Account, bool, error) {
	t.Helper()
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	c, _ := newTestClient(t, srv, func(o *Options) { o.PageSize, o.PageConcurrency = pageSize, concurrency })
	return c.ListAccounts(context.Background(), f)
}

// concurrencies are the page concurrencies every paging rule is checked at:
// serial, and more pages in flight than most listings here have.
var concurrencies = []int{1, 4}

func TestPaginationStopRules(t *testing.T) {
	tests := map[string]struct {
		shape       listShape
		n           int
		wantStarts  []int
		wantResults int
	}{
		"stops at totalResults":               {listShape{key: "accounts"}, 250, []int{1, 101, 201}, 250},
		"exact multiple stops at totalResult": {listShape{key: "accounts"}, 200, []int{1, 101}, 200},
		"stops at an empty page":              {listShape{key: "accounts", omitTotal: true}, 200, []int{1, 101, 201}, 200},
		"stops at a short page":               {listShape{key: "data", omitTotal: true}, 150, []int{1, 101}, 150},
		"bare arrays page too":                {listShape{}, 150, []int{1, 101}, 150},
		"empty listing":                       {listShape{key: "accounts"}, 0, []int{1}, 0},
		"server caps the page size":           {listShape{key: "accounts", pageCap: 30}, 100, []int{1, 31, 61, 91}, 100},
	}
	for name, tt := range tests {
		for _, conc := range concurrencies {
			t.Run(fmt.Sprintf("%s/concurrency %d", name, conc), func(t *testing.T) {
				s := &listServer{listShape: tt.shape, listing: fixedListing(seqIDs("a", tt.n))}
				got, truncated, err := listAccountsConcurrently(t, s, 100, conc, AccountFilter{})
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != tt.wantResults || truncated {
					t.Errorf("got %d accounts, truncated %v; want %d", len(got), truncated, tt.wantResults)
				}
				if !reflect.DeepEqual(accountIDs(got), seqIDs("a", tt.wantResults)) {
					t.Errorf("accounts out of order or wrong: %v", accountIDs(got))
				}
				starts := startIndexes(&s.hits)
				if conc > 1 {
					slices.Sort(starts) // pages in flight together reach the server in any order
				}
				if !reflect.DeepEqual(starts, tt.wantStarts) {
					t.Errorf("startIndex sequence = %v; want %v", starts, tt.wantStarts)
				}
			})
		}
	}
}

func TestPaginationNotAdvancingIsAnError(t *testing.T) {
	for _, conc := range concurrencies {
		s := &listServer{listShape: listShape{key: "accounts", ignoreStart: true}, listing: fixedListing(seqIDs("a", 2500))}
		_, _, err := listAccountsConcurrently(t, s, 100, conc, AccountFilter{})
		if !errors.Is(err, ErrNotAdvancing) || !strings.Contains(err.Error(), "startIndex 101") || !strings.Contains(err.Error(), "GET /v1/accounts") {
			t.Fatalf("concurrency %d: err = %v; want ErrNotAdvancing naming startIndex 101 and the endpoint", conc, err)
		}
		// The walk stops at the first page adding nothing; besides the first
		// page, only the read-ahead (4 pages per slot) may have been sent,
		// never the 24 pages totalResults promises.
		if s.total() > 1+4*conc {
			t.Errorf("concurrency %d: made %d requests", conc, s.total())
		}
	}
}

func TestPaginationStartsOverWhenTheListingChanges(t *testing.T) {
	calls := 0
	// An account inserted at the front between pages shifts a003 onto page 2
	// and changes totalResults: the walk starts over and sees it settled.
	s := &listServer{listShape: listShape{key: "accounts"}, listing: func(url.Values) []string {
		calls++
		if calls == 1 {
			return seqIDs("a", 5)
		}
		return append([]string{"new"}, seqIDs("a", 5)...)
	}}
	got, _, err := listAccountsFrom(t, s, 3, AccountFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"a001", "a002", "a003", "new", "a004", "a005"}; !reflect.DeepEqual(accountIDs(got), want) {
		t.Errorf("got %v; want %v: merged by id, in the order first seen", accountIDs(got), want)
	}
	if starts := startIndexes(&s.hits); !reflect.DeepEqual(starts, []int{1, 4, 1, 4}) {
		t.Errorf("startIndex sequence = %v; want one walk, then one more from the start", starts)
	}
}

func TestPaginationPageCap(t *testing.T) {
	fetches := 0
	p := testPager(1, func(_ context.Context, ref pageRef) (page[Account], error) {
		fetches++
		return page[Account]{items: []Account{{ID: fmt.Sprint(ref.n)}}}, nil
	})
	col := newCollector[Account](0)
	err := p.walk(context.Background(), col)
	if err == nil || !strings.Contains(err.Error(), "gave up after 10000 pages") {
		t.Fatalf("err = %v; want the page cap error", err)
	}
	if fetches != maxPages || len(col.items) != maxPages {
		t.Errorf("fetched %d pages, kept %d items; want %d of each", fetches, len(col.items), maxPages)
	}
}

func TestMaxItems(t *testing.T) {
	tests := map[string]struct {
		shape         listShape
		n, max        int
		wantTruncated bool
		wantRequests  int
	}{
		"stops mid-listing":                    {listShape{key: "accounts"}, 250, 150, true, 2},
		"no page past the cap is requested":    {listShape{key: "accounts"}, 1000, 150, true, 2},
		"exactly everything":                   {listShape{key: "accounts"}, 250, 250, false, 3},
		"more than everything":                 {listShape{key: "accounts"}, 50, 80, false, 1},
		"boundary without total, nothing left": {listShape{key: "accounts", omitTotal: true}, 100, 100, false, 2},
		"boundary without total, more left":    {listShape{key: "accounts", omitTotal: true}, 101, 100, true, 2},
	}
	for name, tt := range tests {
		for _, conc := range concurrencies {
			t.Run(fmt.Sprintf("%s/concurrency %d", name, conc), func(t *testing.T) {
				s := &listServer{listShape: tt.shape, listing: fixedListing(seqIDs("a", tt.n))}
				got, truncated, err := listAccountsConcurrently(t, s, 100, conc, AccountFilter{MaxItems: tt.max})
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != min(tt.n, tt.max) || truncated != tt.wantTruncated {
					t.Errorf("got %d accounts, truncated %v; want %d, %v", len(got), truncated, min(tt.n, tt.max), tt.wantTruncated)
				}
				if s.total() != tt.wantRequests {
					t.Errorf("made %d requests; want %d", s.total(), tt.wantRequests)
				}
			})
		}
	}
	if _, _, err := listAccountsFrom(t, &listServer{listing: fixedListing(nil)}, 100, AccountFilter{MaxItems: -1}); err == nil {
		t.Error("negative MaxItems should be refused")
	}
}

func TestApplicationsAreListedOneByOneAndMerged(t *testing.T) {
	byApp := map[string][]string{
		"google": {"g1", "shared", "g2"},
		"slack":  {"s1", "shared"},
	}
	s := &listServer{listShape: listShape{key: "accounts"}, listing: func(q url.Values) []string { return byApp[q.Get("provider")] }}
	got, truncated, err := listAccountsFrom(t, s, 2, AccountFilter{Applications: []string{"google", "slack", "google"}})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"g1", "shared", "g2", "s1"}; !reflect.DeepEqual(accountIDs(got), want) || truncated {
		t.Errorf("got %v (truncated %v); want %v", accountIDs(got), truncated, want)
	}
	var providers []string
	for _, uri := range s.uris {
		u, _ := url.Parse(uri)
		providers = append(providers, u.Query()["provider"]...)
	}
	if want := []string{"google", "google", "slack"}; !reflect.DeepEqual(providers, want) {
		t.Errorf("provider per request = %v; want %v (one value per request, each app once)", providers, want)
	}

	for max, want := range map[int]struct {
		ids       []string
		truncated bool
	}{
		3: {[]string{"g1", "shared", "g2"}, true}, // s1 was still to come
		4: {[]string{"g1", "shared", "g2", "s1"}, false},
	} {
		s = &listServer{listShape: listShape{key: "accounts"}, listing: func(q url.Values) []string { return byApp[q.Get("provider")] }}
		got, truncated, err = listAccountsFrom(t, s, 100, AccountFilter{Applications: []string{"google", "slack"}, MaxItems: max})
		if err != nil || truncated != want.truncated || !reflect.DeepEqual(accountIDs(got), want.ids) {
			t.Errorf("MaxItems %d across the merge: got %v, truncated %v, %v; want %v, %v", max, accountIDs(got), truncated, err, want.ids, want.truncated)
		}
	}

	_, _, err = listAccountsFrom(t, s, 100, AccountFilter{Applications: []string{"google", ""}})
	if err == nil || !strings.Contains(err.Error(), "empty") {
		t.Errorf("an empty application should be refused, got %v", err)
	}
}

func TestListQueryParameters(t *testing.T) {
	var got []url.Values
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.URL.Query())
		writeJSON(w, 200, map[string]any{"totalResults": 0, "accounts": []any{}, "resources": []any{}})
	}))
	defer srv.Close()
	c, _ := newTestClient(t, srv, func(o *Options) { o.PageSize = 50 })
	ctx := context.Background()

	if _, _, err := c.ListAccounts(ctx, AccountFilter{
		Search: "a&b=c", Status: "enabled", Type: "identity", Role: "account_owner",
		Applications: []string{"google"}, IDs: []string{"id1", "id2"},
	}); err != nil {
		t.Fatal(err)
	}
	yes, no := true, false
	if _, _, err := c.ListUsers(ctx, UserFilter{
		Search: "ann smith", Statuses: []string{"live", "pending"}, UserIDs: []string{"u1", "u2"},
		IsGuest: &yes, OnlyInIdP: &no,
	}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.ListUsers(ctx, UserFilter{}); err != nil {
		t.Fatal(err)
	}
	want := []url.Values{
		{"startIndex": {"1"}, "limit": {"50"}, "search": {"a&b=c"}, "status": {"enabled"}, "type": {"identity"},
			"role": {"account_owner"}, "provider": {"google"}, "ids": {"id1,id2"}},
		{"startIndex": {"1"}, "count": {"50"}, "search": {"ann smith"}, "status": {"live,pending"},
			"userIds": {"u1,u2"}, "isGuest": {"true"}, "onlyInIdp": {"false"}},
		{"startIndex": {"1"}, "count": {"50"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("query parameters:\n got %v\nwant %v", got, want)
	}
}

func TestListUsersPagesAndDeduplicates(t *testing.T) {
	s := &listServer{listShape: listShape{key: "resources"}, listing: fixedListing(append(seqIDs("m", 3), "m002"))}
	srv := httptest.NewServer(s)
	defer srv.Close()
	c, _ := newTestClient(t, srv, func(o *Options) { o.PageSize = 2 })
	got, truncated, err := c.ListUsers(context.Background(), UserFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, m := range got {
		ids = append(ids, m.ID)
	}
	if !reflect.DeepEqual(ids, []string{"m001", "m002", "m003"}) || truncated {
		t.Errorf("members = %v, truncated %v", ids, truncated)
	}
	if !reflect.DeepEqual(startIndexes(&s.hits), []int{1, 3}) || s.count(readUsersPath) != 2 {
		t.Errorf("requests = %v", s.uris)
	}
}

func TestListUserAccountsShapes(t *testing.T) {
	for name, body := range map[string]string{
		"bare":     `[{"id":"a"},{"id":"b"}]`,
		"accounts": `{"accounts":[{"id":"a"},{"id":"b"}]}`,
		"data":     `{"data":[{"id":"a"},{"id":"b"}]}`,
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = w.Write([]byte(body))
		}))
		c, _ := newTestClient(t, srv, nil)
		got, err := c.ListUserAccounts(context.Background(), "u1")
		srv.Close()
		if err != nil || !reflect.DeepEqual(accountIDs(got), []string{"a", "b"}) {
			t.Errorf("%s: got %v, %v", name, accountIDs(got), err)
		}
	}
}

// A member's accounts come in one answer, deduplicated by id like every
// other listing (D20): a repeated id would repeat in cerby_user_accounts.ids.
func TestListUserAccountsDeduplicates(t *testing.T) {
	for name, tt := range map[string]struct {
		body string
		want []string
	}{
		"no duplicates":     {`[{"id":"a"},{"id":"b"}]`, []string{"a", "b"}},
		"repeated id":       {`[{"id":"a"},{"id":"b"},{"id":"a"}]`, []string{"a", "b"}},
		"first one wins":    {`{"accounts":[{"id":"b","name":"first"},{"id":"a"},{"id":"b","name":"second"}]}`, []string{"b", "a"}},
		"only duplicates":   {`{"data":[{"id":"a"},{"id":"a"},{"id":"a"}]}`, []string{"a"}},
		"empty stays empty": {`[]`, []string{}},
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = w.Write([]byte(tt.body))
		}))
		c, _ := newTestClient(t, srv, nil)
		got, err := c.ListUserAccounts(context.Background(), "u1")
		srv.Close()
		if err != nil || !reflect.DeepEqual(accountIDs(got), tt.want) {
			t.Errorf("%s: got %v, %v; want %v", name, accountIDs(got), err, tt.want)
		}
		if name == "first one wins" && len(got) > 0 && (got[0].Name == nil || *got[0].Name != "first") {
			t.Errorf("%s: the later duplicate replaced the first: %s", name, dump(got[0]))
		}
	}
}

func TestListRejectsAWrongShapeClearly(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte("<html><body>Sign in</body></html>"))
	}))
	defer srv.Close()
	c, _ := newTestClient(t, srv, nil)
	got, _, err := c.ListAccounts(context.Background(), AccountFilter{})
	if err == nil || got != nil || !strings.Contains(err.Error(), "GET /v1/accounts: the response is an HTML page") {
		t.Errorf("got %v, %v; want an error naming the endpoint and the HTML", got, err)
	}
}

// testPager walks the Read API's accounts listing with pages of limit items,
// fetched by fetch instead of HTTP.
func testPager(limit int, fetch func(context.Context, pageRef) (page[Account], error)) pager[Account] {
	return pager[Account]{
		listing: listing[Account]{endpoint: "GET /v1/accounts", scheme: offsetScheme{path: readAccountsPath, sizeParam: "limit", limit: limit}},
		limit:   limit,
		fetch:   fetch,
	}
}
