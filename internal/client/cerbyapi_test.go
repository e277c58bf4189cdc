package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The Cerby API half of the client (contract/cerby-api.md): paging (§6,
// C13–C17), the links it refuses (C4, C14), errors (§7, C18–C20), a member's
// accounts (C8), filters (C5, C7) and options (C2, C3).

// listCerby lists accounts from s with pages of size at concurrency conc.
func listCerby(t *testing.T, s http.Handler, size, conc int, f AccountFilter) ([]Account, bool, error) {
	t.Helper()
	c, _ := newCerbyClient(t, s, func(o *Options) { o.PageSize, o.PageConcurrency = size, conc })
	return c.ListAccounts(bg, f)
}

// Exactly one request per page when meta.page.total is sent, whichever way
// links.next is written, serially or with pages requested ahead.
func TestCerbyPagingRequestsEachPageOnce(t *testing.T) {
	for _, n := range []int{0, 1, 100, 101, 1234} {
		for styleName, style := range linkStyles {
			for _, conc := range concurrencies {
				t.Run(fmt.Sprintf("%d items/%s/concurrency %d", n, styleName, conc), func(t *testing.T) {
					s := &cerbyServer{cerbyShape: cerbyShape{link: style}, listing: fixedCerbyListing(seqIDs("a", n))}
					got, truncated, err := listCerby(t, s, 100, conc, AccountFilter{})
					if err != nil || truncated || !reflect.DeepEqual(accountIDs(got), seqIDs("a", n)) {
						t.Fatalf("got %d accounts (truncated %v), %v; want all %d in order", len(got), truncated, err, n)
					}
					pages := max(1, ceilDiv(n, 100))
					if numbers := sortedCopy(pageNumbers(&s.hits)); !reflect.DeepEqual(numbers, oneTo(pages)) {
						t.Errorf("page numbers requested %v; want 1 to %d, once each", numbers, pages)
					}
					for _, uri := range s.uris {
						if !strings.Contains(uri, "page%5Bnumber%5D=") || !strings.Contains(uri, "page%5Bsize%5D=100") || strings.Contains(uri, "[") {
							t.Errorf("request %s: want page[number] and page[size]=100 with the brackets percent-encoded", uri)
						}
					}
				})
			}
		}
	}
}

func TestCerbyPagingDeduplicatesInOrder(t *testing.T) {
	ids := seqIDs("a", 250)
	ids[150], ids[249] = ids[10], ids[0] // repeated on later pages
	for _, conc := range concurrencies {
		for _, omitTotal := range []bool{false, true} {
			s := &cerbyServer{cerbyShape: cerbyShape{omitTotal: omitTotal}, listing: fixedCerbyListing(ids)}
			got, _, err := listCerby(t, s, 100, conc, AccountFilter{})
			want := slices.Concat(seqIDs("a", 250)[:150], seqIDs("a", 250)[151:249])
			if err != nil || !reflect.DeepEqual(accountIDs(got), want) {
				t.Errorf("concurrency %d, no total %v: got %d accounts, %v; want the 248 distinct ones in first-seen order", conc, omitTotal, len(got), err)
			}
		}
	}
}

// Without meta.page.total, links.next leads until it is null, absent or "".
func TestCerbyPagingFollowsNextWithoutTotal(t *testing.T) {
	for styleName, style := range linkStyles {
		for endName, end := range endStyles {
			for _, n := range []int{250, 200} {
				for _, conc := range concurrencies {
					s := &cerbyServer{cerbyShape: cerbyShape{omitTotal: true, link: style, end: end}, listing: fixedCerbyListing(seqIDs("a", n))}
					got, _, err := listCerby(t, s, 100, conc, AccountFilter{})
					where := fmt.Sprintf("%s links, last next %s, %d items, concurrency %d", styleName, endName, n, conc)
					if err != nil || !reflect.DeepEqual(accountIDs(got), seqIDs("a", n)) {
						t.Errorf("%s: got %d accounts, %v", where, len(got), err)
					}
					if numbers := pageNumbers(&s.hits); !reflect.DeepEqual(numbers, oneTo(ceilDiv(n, 100))) {
						t.Errorf("%s: page numbers %v; want one request per page, in order, none past the last", where, numbers)
					}
				}
			}
		}
	}
}

// Without a links object, pages are numbered until a short or empty page,
// as the Read API's are (D14).
func TestCerbyPagingWithoutLinks(t *testing.T) {
	tests := map[string]struct {
		omitTotal bool
		n         int
		pages     int
	}{
		"a short last page":           {true, 250, 3},
		"an empty page after a full":  {true, 200, 3},
		"the total ends it":           {false, 200, 2},
		"the total, a short page":     {false, 250, 3},
		"nothing":                     {true, 0, 1},
		"one short page":              {true, 7, 1},
		"one full page, then nothing": {true, 100, 2},
	}
	for name, tt := range tests {
		for _, conc := range concurrencies {
			s := &cerbyServer{cerbyShape: cerbyShape{omitTotal: tt.omitTotal, noLinks: true}, listing: fixedCerbyListing(seqIDs("a", tt.n))}
			got, _, err := listCerby(t, s, 100, conc, AccountFilter{})
			if err != nil || !reflect.DeepEqual(accountIDs(got), seqIDs("a", tt.n)) {
				t.Errorf("%s, concurrency %d: got %d accounts, %v", name, conc, len(got), err)
			}
			if numbers := sortedCopy(pageNumbers(&s.hits)); !reflect.DeepEqual(numbers, oneTo(tt.pages)) {
				t.Errorf("%s, concurrency %d: page numbers %v; want 1 to %d", name, conc, numbers, tt.pages)
			}
		}
	}
}

// Asked for 100, the server serves 25 and links on: everything is read.
func TestCerbyPagingThroughAServerCappingThePageSize(t *testing.T) {
	for _, omitTotal := range []bool{false, true} {
		for _, linkSize := range []bool{false, true} {
			for _, conc := range concurrencies {
				s := &cerbyServer{cerbyShape: cerbyShape{omitTotal: omitTotal, pageCap: 25, linkSize: linkSize}, listing: fixedCerbyListing(seqIDs("a", 230))}
				got, _, err := listCerby(t, s, 100, conc, AccountFilter{})
				where := fmt.Sprintf("no total %v, links with the size served %v, concurrency %d", omitTotal, linkSize, conc)
				if err != nil || !reflect.DeepEqual(accountIDs(got), seqIDs("a", 230)) {
					t.Errorf("%s: got %d accounts, %v; want all 230 in order", where, len(got), err)
				}
				if numbers := sortedCopy(pageNumbers(&s.hits)); !reflect.DeepEqual(numbers, oneTo(10)) {
					t.Errorf("%s: page numbers %v; want the server's 10 pages once each", where, numbers)
				}
			}
		}
	}
}

func TestCerbyPagingNotAdvancing(t *testing.T) {
	tests := map[string]struct {
		serve func(w http.ResponseWriter, r *http.Request)
		want  string
	}{
		// The next of page 1 is page 1 again.
		"a next to the same page": {func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 200, map[string]any{"data": resources("a", 1, 100), "meta": map[string]any{"page": map[string]any{"total": 250}},
				"links": map[string]any{"next": pageLink(r, rootRelative, 1, "100")}})
		}, "the page at page[number] 1 points back to page[number] 1, already received"},
		// A link the scheme cannot name, pointing to itself.
		"a next to the same cursor": {func(w http.ResponseWriter, r *http.Request) {
			from := 1
			if r.URL.Query().Has("cursor") {
				from = 101
			}
			writeJSON(w, 200, map[string]any{"data": resources("a", from, 100), "links": map[string]any{"next": "/api/v1/accounts?cursor=abc"}})
		}, "points back to links.next /api/v1/accounts?cursor=abc, already received"},
		// The next links move on, the pages do not.
		"pages that add no new id": {func(w http.ResponseWriter, r *http.Request) {
			n := queryInt(r.URL.Query(), "page[number]", 1)
			writeJSON(w, 200, map[string]any{"data": resources("a", 1, 100), "meta": map[string]any{"page": map[string]any{"total": 1000}},
				"links": map[string]any{"next": pageLink(r, rootRelative, n+1, "100")}})
		}, "the page at page[number] 2 held only ids already received"},
		"pages that add no new id, without a total": {func(w http.ResponseWriter, r *http.Request) {
			n := queryInt(r.URL.Query(), "page[number]", 1)
			writeJSON(w, 200, map[string]any{"data": resources("a", 1, 100), "links": map[string]any{"next": pageLink(r, absoluteLink, n+1, "100")}})
		}, "the page at page[number] 2 held only ids already received"},
	}
	for name, tt := range tests {
		for _, conc := range concurrencies {
			var h hits
			got, _, err := listCerby(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.record(r); tt.serve(w, r) }), 100, conc, AccountFilter{})
			if !errors.Is(err, ErrNotAdvancing) || got != nil {
				t.Errorf("%s, concurrency %d: got %d accounts, %v; want ErrNotAdvancing", name, conc, len(got), err)
			}
			mustContain(t, name, err, "GET /api/v1/accounts: ", tt.want)
			if h.total() > 2+4*conc {
				t.Errorf("%s, concurrency %d: %d requests; the walk should stop at the first page that does not advance", name, conc, h.total())
			}
		}
	}
}

// resources are n accounts from prefix+from on, as JSON:API resources.
func resources(prefix string, from, n int) []any {
	out := make([]any, n)
	for i := range out {
		out[i] = map[string]any{"id": fmt.Sprintf("%s%03d", prefix, from+i), "type": "accounts", "attributes": map[string]any{}}
	}
	return out
}

// A total that changes mid-walk starts it over (C16), and gives up with
// ErrListingChanged once the restarts run out.
func TestCerbyPagingWhenTheTotalChanges(t *testing.T) {
	s := &cerbyServer{listing: func(_ *http.Request, call int) []string {
		if call == 1 {
			return seqIDs("a", 5)
		}
		return append([]string{"new"}, seqIDs("a", 5)...)
	}}
	got, _, err := listCerby(t, s, 3, 1, AccountFilter{})
	if want := []string{"a001", "a002", "a003", "new", "a004", "a005"}; err != nil || !reflect.DeepEqual(accountIDs(got), want) {
		t.Errorf("got %v, %v; want %v", accountIDs(got), err, want)
	}
	if numbers := pageNumbers(&s.hits); !reflect.DeepEqual(numbers, []int{1, 2, 1, 2}) {
		t.Errorf("page numbers %v; want one walk cut short, then one from the start", numbers)
	}

	for _, conc := range concurrencies {
		s = &cerbyServer{listing: func(_ *http.Request, call int) []string { return seqIDs("a", 200+call) }}
		got, _, err = listCerby(t, s, 100, conc, AccountFilter{})
		if !errors.Is(err, ErrListingChanged) || got != nil {
			t.Errorf("concurrency %d: got %d accounts, %v; want ErrListingChanged", conc, len(got), err)
		}
		mustContain(t, "always changing", err, "GET /api/v1/accounts: ", "read again from the start 3 times", "meta.page.total went from")
	}
}

// A total trusted and not reached is an error, whether the server says no
// page follows or the next page is empty (C15).
func TestCerbyPagingEndedEarly(t *testing.T) {
	for _, conc := range concurrencies {
		s := &cerbyServer{cerbyShape: cerbyShape{claim: func(n int) int { return n + 10 }}, listing: fixedCerbyListing(seqIDs("a", 150))}
		got, _, err := listCerby(t, s, 100, conc, AccountFilter{})
		if got != nil {
			t.Errorf("concurrency %d: a listing ended early still gave %d accounts", conc, len(got))
		}
		mustContain(t, "next null before the total", err, "GET /api/v1/accounts: the page at page[number] 2 said no page follows after 150 items, but meta.page.total is 160: the server ended the listing early")

		// links.next goes on to a page that is empty.
		s = &cerbyServer{cerbyShape: cerbyShape{claim: func(n int) int { return n + 10 }}, listing: func(r *http.Request, _ int) []string { return seqIDs("a", 150) }}
		empty := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n := queryInt(r.URL.Query(), "page[number]", 1)
			if n >= 2 {
				writeJSON(w, 200, map[string]any{"data": []any{}, "meta": map[string]any{"page": map[string]any{"total": 160}}, "links": map[string]any{"next": nil}})
				return
			}
			s.ServeHTTP(w, r)
		})
		_, _, err = listCerby(t, empty, 100, conc, AccountFilter{})
		mustContain(t, "an empty page before the total", err, "the page at page[number] 2 came back empty after 100 items, but meta.page.total is 160")
	}
}

// A total too low is not trusted: links.next is still followed (C15).
func TestCerbyPagingFollowsNextPastATotalTooLow(t *testing.T) {
	for _, claim := range []int{3, 100, 150} {
		for _, conc := range concurrencies {
			s := &cerbyServer{cerbyShape: cerbyShape{claim: func(int) int { return claim }}, listing: fixedCerbyListing(seqIDs("a", 250))}
			got, _, err := listCerby(t, s, 100, conc, AccountFilter{})
			if err != nil || !reflect.DeepEqual(accountIDs(got), seqIDs("a", 250)) {
				t.Errorf("total %d, concurrency %d: got %d accounts, %v; want all 250", claim, conc, len(got), err)
			}
		}
	}
}

func TestCerbyMaxItems(t *testing.T) {
	tests := map[string]struct {
		omitTotal     bool
		n, max        int
		want          int
		wantTruncated bool
		requests      int
	}{
		"stops mid-listing":                 {false, 250, 150, 150, true, 2},
		"no page past the cap is requested": {false, 5000, 150, 150, true, 2},
		"exactly everything":                {false, 250, 250, 250, false, 3},
		"more than everything":              {false, 50, 80, 50, false, 1},
		"without a total, nothing left":     {true, 100, 100, 100, false, 1},
		"without a total, more left":        {true, 101, 100, 100, true, 2},
	}
	for name, tt := range tests {
		for _, conc := range concurrencies {
			s := &cerbyServer{cerbyShape: cerbyShape{omitTotal: tt.omitTotal}, listing: fixedCerbyListing(seqIDs("a", tt.n))}
			got, truncated, err := listCerby(t, s, 100, conc, AccountFilter{MaxItems: tt.max})
			if err != nil || !reflect.DeepEqual(accountIDs(got), seqIDs("a", tt.want)) || truncated != tt.wantTruncated {
				t.Errorf("%s, concurrency %d: got %d accounts, truncated %v, %v; want %d, %v", name, conc, len(got), truncated, err, tt.want, tt.wantTruncated)
			}
			if s.total() != tt.requests {
				t.Errorf("%s, concurrency %d: %d requests; want %d", name, conc, s.total(), tt.requests)
			}
		}
	}
}

// linkingServer answers every listing path with one page of accounts whose
// links.next is next, and a member at /api/v1/users/{id}; it records
// every request.
type linkingServer struct {
	hits
	next string
}

func (s *linkingServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.record(r)
	if regexp.MustCompile(`^/api/v1/users/[^/]+$`).MatchString(r.URL.EscapedPath()) {
		writeJSON(w, 200, map[string]any{"data": map[string]any{"id": "u1", "type": "users", "attributes": map[string]any{}}})
		return
	}
	writeJSON(w, 200, map[string]any{"data": resources("a", 1, 2), "meta": map[string]any{"page": map[string]any{"total": 4}},
		"links": map[string]any{"next": s.next}})
}

// pagingCalls are the client methods that walk a listing.
var pagingCalls = []cerbyCall{cerbyCalls[0], cerbyCalls[2], cerbyCalls[3], cerbyCalls[4]}

// A links.next to another origin is refused unsent (C14): the API key goes
// nowhere else.
func TestCerbyNextToAnotherOriginIsNotFollowed(t *testing.T) {
	other := &linkingServer{}
	otherSrv := httptest.NewServer(other)
	defer otherSrv.Close()
	home := &linkingServer{}
	homeSrv := httptest.NewServer(home)
	defer homeSrv.Close()
	homeURL, _ := url.Parse(homeSrv.URL)
	otherURL, _ := url.Parse(otherSrv.URL)
	tests := map[string]struct{ next, origin string }{
		"another server":           {otherSrv.URL + "/api/v1/accounts?page%5Bnumber%5D=2&page%5Bsize%5D=2", "http://" + otherURL.Host},
		"protocol-relative":        {"//" + otherURL.Host + "/api/v1/accounts?page%5Bnumber%5D=2", "http://" + otherURL.Host},
		"same host, https":         {"https://" + homeURL.Host + "/api/v1/accounts?page%5Bnumber%5D=2", "https://" + homeURL.Host},
		"same port, another name":  {"http://localhost:" + homeURL.Port() + "/api/v1/accounts", "http://localhost:" + homeURL.Port()},
		"same host, another port":  {"http://" + homeURL.Hostname() + ":" + otherURL.Port() + "/api/v1/accounts", "http://" + homeURL.Hostname() + ":" + otherURL.Port()},
		"same host, default port":  {"http://" + homeURL.Hostname() + "/api/v1/accounts", "http://" + homeURL.Hostname()},
		"with the key in its user": {"http://" + testAPIKey + "@" + otherURL.Host + "/api/v1/accounts", "http://" + otherURL.Host},
	}
	for name, tt := range tests {
		home.next = tt.next
		for _, m := range pagingCalls {
			c, _ := newTestClient(t, homeSrv, func(o *Options) { o.API, o.PageSize = CerbyAPI, 2 })
			err := m.call(c)
			mustContain(t, name+" "+m.name, err, "links.next of the page at page[number] 1 points to another origin, "+tt.origin+": not followed, so that the API key is sent nowhere but "+homeSrv.URL)
			if err != nil {
				assertNoSecret(t, name+" "+m.name, err.Error())
			}
		}
	}
	if other.total() != 0 {
		t.Errorf("the other origin received %d requests: %v", other.total(), other.uris)
	}
}

// offListingLinks leave the listing they were found in: to a secret, to
// another endpoint, or to the same path in another spelling.
var offListingLinks = []string{
	"/api/v1/accounts/x/secrets", "/api/v1/secrets", "/api/v1/secrets?page%5Bnumber%5D=2", "/api/v1/secrets/s1",
	"../secrets", "secrets", "./accounts/x/secrets", "/api/v1/accounts/../secrets", "/api/v1/accounts/%2e%2e/secrets",
	"/api/v1/accounts%2Fx%2Fsecrets", "/api/v1/accounts/a1/totp", "/api/v1/accounts/a1", "/api/v1/users/u1/accounts/x/secrets",
	"/api/v1/users/u1/secrets", "/api/v1/accounts/", "/API/V1/ACCOUNTS", "/api/v1/%61ccounts", "/v1/accounts", "/",
	"/api/v1/accounts;secrets", "/api/v1/accounts/%00",
}

func TestCerbyNextOffTheListingIsNotFollowed(t *testing.T) {
	s := &linkingServer{}
	srv := httptest.NewServer(s)
	defer srv.Close()
	for _, next := range offListingLinks {
		s.next = next
		for _, m := range pagingCalls {
			s.hits = hits{}
			c, _ := newTestClient(t, srv, func(o *Options) { o.API, o.PageSize = CerbyAPI, 2 })
			err := m.call(c)
			if err == nil || !strings.Contains(err.Error(), "not followed") && !strings.Contains(err.Error(), "refused") {
				t.Errorf("%s from %s: err = %v; want it refused unsent", next, m.name, err)
			}
			for _, uri := range s.uris {
				if u, _ := url.Parse(uri); !slices.Contains([]string{"/api/v1/accounts", "/api/v1/users", "/api/v1/users/u1", "/api/v1/users/u1/accounts"}, u.EscapedPath()) {
					t.Errorf("%s from %s: requested %s", next, m.name, uri)
				}
			}
		}
	}
	s.next = "/api/v1/accounts/x/secrets"
	c, _ := newTestClient(t, srv, func(o *Options) { o.API = CerbyAPI })
	_, _, err := c.ListAccounts(bg, AccountFilter{})
	mustContain(t, "the message", err, "GET /api/v1/accounts: links.next of the page at page[number] 1 leaves the listing (it points to /api/v1/accounts/x/secrets): not followed")
}

// cerbyTemplates are the only paths a Cerby API client may request (C4), an
// id being one escaped segment.
var cerbyTemplates = []*regexp.Regexp{
	regexp.MustCompile(`^/api/v1/accounts$`),
	regexp.MustCompile(`^/api/v1/accounts/([^/]+)$`),
	regexp.MustCompile(`^/api/v1/users$`),
	regexp.MustCompile(`^/api/v1/users/([^/]+)$`),
	regexp.MustCompile(`^/api/v1/users/([^/]+)/accounts$`),
	regexp.MustCompile(`^/api/v1/teams$`),
	regexp.MustCompile(`^/api/v1/teams/([^/]+)$`),
	regexp.MustCompile(`^/api/v1/teams/([^/]+)/(?:members|accounts)$`),
	regexp.MustCompile(`^/api/v1/vaults$`),
	regexp.MustCompile(`^/api/v1/integrations$`),
	regexp.MustCompile(`^/api/v1/integrations/([^/]+)$`),
	regexp.MustCompile(`^/api/v1/integrations/([^/]+)/users$`),
}

// hostileIDs try to leave their path segment.
var hostileIDs = []string{
	"x/secrets", "../secrets", "..", ".", "%2e%2e", "%2e%2e/secrets", "a?b", "a#b", "a b", " .. ", "x/../../secrets",
	"secrets", "totp", `x\secrets`, "a1/totp", "x%2Fsecrets", "?page[number]=2", "#", "a;b", "\u2024\u2024", "\x00",
}

// No id and no link can reach a secret, a TOTP code, or any path outside the
// templates (C4), whichever method is called.
func TestCerbyNoSecretPathCanBeReached(t *testing.T) {
	var seen []string
	record := func(h *hits) {
		h.mu.Lock()
		defer h.mu.Unlock()
		seen = append(seen, h.uris...)
	}
	s := &linkingServer{}
	srv := httptest.NewServer(s)
	defer srv.Close()
	ids := map[string]bool{"u1": true, "a1": true, "t1": true, "i1": true} // the ids cerbyCalls pass
	for _, id := range hostileIDs {
		ids[id] = true
		s.next = ""
		s.hits = hits{}
		c, _ := newTestClient(t, srv, func(o *Options) { o.API = CerbyAPI })
		_, _ = c.GetAccount(bg, id)
		_, _ = c.ListUserAccounts(bg, id)
		_, _ = c.GetTeam(bg, id)
		_, _ = c.ListTeamMemberIDs(bg, id)
		_, _ = c.ListTeamAccountIDs(bg, id)
		_, _, _ = c.ListIntegrationUsers(bg, id, 0)
		record(&s.hits)
	}
	for _, next := range append(offListingLinks, "https://evil.test/api/v1/accounts/x/secrets", "//evil.test/secrets", "?secrets=1#totp") {
		s.next = next
		s.hits = hits{}
		c, _ := newTestClient(t, srv, func(o *Options) { o.API, o.PageSize = CerbyAPI, 2 })
		for _, m := range cerbyCalls {
			_ = m.call(c)
		}
		record(&s.hits)
	}
	if len(seen) == 0 {
		t.Fatal("no request was recorded")
	}
	for _, uri := range seen {
		u, err := url.Parse(uri)
		if err != nil {
			t.Errorf("unparsable request %q", uri)
			continue
		}
		matched := false
		for _, tpl := range cerbyTemplates {
			m := tpl.FindStringSubmatch(u.EscapedPath())
			if m == nil {
				continue
			}
			matched = true
			if len(m) > 1 {
				id, err := url.PathUnescape(m[1])
				if err != nil || !ids[id] || id == "." || id == ".." {
					t.Errorf("request %s: the segment %q is not one of the ids the test passed", uri, m[1])
				}
			} else if path := strings.ToLower(u.Path); strings.Contains(path, "secret") || strings.Contains(path, "totp") {
				t.Errorf("request %s names a secret or a TOTP code", uri)
			}
		}
		if !matched {
			t.Errorf("request %s is outside the allowed templates", uri)
		}
	}
}

func TestCerbyAllowedPaths(t *testing.T) {
	for _, base := range []string{"https://acme.cerby.com", "https://proxy.example.com/cerby"} {
		c := &Client{api: CerbyAPI, baseURL: base}
		prefix := strings.TrimPrefix(base, "https://acme.cerby.com")
		prefix = strings.TrimPrefix(prefix, "https://proxy.example.com")
		origin := strings.TrimSuffix(base, prefix)
		allowed := []string{
			"/api/v1/accounts", "/api/v1/accounts?page%5Bnumber%5D=2&page%5Bsize%5D=100", "/api/v1/accounts/a1",
			"/api/v1/accounts/x%2Fsecrets", "/api/v1/accounts/a%20b", "/api/v1/users", "/api/v1/users?filter=ann",
			"/api/v1/users/u1", "/api/v1/users/u1/accounts", "/api/v1/users/u1/accounts?page%5Bnumber%5D=3",
			"/api/v1/teams", "/api/v1/teams/t1", "/api/v1/teams/t1/members", "/api/v1/teams/t1/accounts?page%5Bnumber%5D=2",
			"/api/v1/vaults", "/api/v1/integrations", "/api/v1/integrations/i1", "/api/v1/integrations/i1/users",
		}
		refused := []string{
			"/api/v1/accounts/a1/secrets", "/api/v1/accounts/x/secrets", "/api/v1/secrets", "/api/v1/secrets/s1",
			"/api/v1/secrets/s1/members/m1", "/api/v1/accounts/a1/totp", "/api/v1/accounts/", "/api/v1/accounts/.",
			"/api/v1/accounts/..", "/api/v1/users/../accounts", "/api/v1/users//accounts", "/api/v1/users/u1/accounts/",
			"/api/v1/users/u1/teams", "/api/v1/teams/t1/secrets", "/api/v1/teams/t1/collections", "/api/v1/vaults/v1",
			"/api/v1/integrations/i1/user", "/api/v1/integrations/i1/entitlements", "/api/v1/integrations/i1/users/u1",
			"/api/v1/jobs/j1", "/api/v1/collections", "/api/v1", "/api/v1/", "/", "", "/v1/accounts", "/v1/admin/users",
			"/API/V1/accounts", "/api/v2/accounts", "/api/v1/accounts/a1/x", "/api/v1/accountsx", "/api/v1//accounts",
		}
		for _, path := range allowed {
			if u, _ := url.Parse(origin + prefix + path); !c.allowed(u) {
				t.Errorf("%s: %s refused; want it allowed", base, path)
			}
		}
		for _, path := range refused {
			if u, _ := url.Parse(origin + prefix + path); c.allowed(u) {
				t.Errorf("%s: %s allowed; want it refused", base, path)
			}
		}
		for _, other := range []string{
			"http://acme.cerby.com" + prefix + "/api/v1/accounts", "https://evil.cerby.com" + prefix + "/api/v1/accounts",
			"https://acme.cerby.com:8443" + prefix + "/api/v1/accounts", origin + "/other" + prefix + "/api/v1/accounts",
		} {
			if u, _ := url.Parse(other); c.allowed(u) {
				t.Errorf("%s: %s allowed; want it refused (another origin or prefix)", base, other)
			}
		}
		if prefix != "" {
			if u, _ := url.Parse(origin + "/api/v1/accounts"); c.allowed(u) {
				t.Errorf("%s: the path without its prefix was allowed", base)
			}
		}
	}
	// The Read API's paths are not the Cerby API's.
	c := &Client{api: CerbyAPI, baseURL: "https://acme.cerby.com"}
	for _, path := range allowedPaths[ReadAPI] {
		if u, _ := url.Parse("https://acme.cerby.com" + strings.ReplaceAll(path, "*", "x")); c.allowed(u) {
			t.Errorf("the Read API's %s is allowed on the Cerby API", path)
		}
	}
}

// scriptedCerby answers the nth request with script[n-1], repeating the
// last one; an entry is (status, Retry-After, body), the body "" for a page
// of accounts.
func scriptedCerby(h *hits, script ...[3]any) http.HandlerFunc {
	listing := &cerbyServer{listing: fixedCerbyListing(seqIDs("a", 3))}
	return func(w http.ResponseWriter, r *http.Request) {
		step := script[min(h.record(r), len(script))-1]
		if ra := step[1].(string); ra != "" {
			w.Header().Set("Retry-After", ra)
		}
		status, body := step[0].(int), step[2].(string)
		if status == 200 && body == "" {
			listing.ServeHTTP(w, r)
			return
		}
		if strings.HasPrefix(body, "<") {
			w.Header().Set("Content-Type", "text/html")
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}
}

// A 429 without Retry-After waits the capped backoff as the pause shared by
// every request (C20), and says so when the retries run out.
func TestCerby429WithoutRetryAfter(t *testing.T) {
	var h hits
	c, clk := newCerbyClient(t, scriptedCerby(&h, [3]any{429, "", ""}, [3]any{429, "", ""}, [3]any{200, "", ""}), retries(5))
	got, _, err := c.ListAccounts(bg, AccountFilter{})
	if err != nil || len(got) != 3 {
		t.Fatalf("got %d accounts, %v", len(got), err)
	}
	if want := []time.Duration{time.Second, 2 * time.Second}; !reflect.DeepEqual(clk.recorded(), want) || h.total() != 3 {
		t.Errorf("waits %v after %d requests; want %v (backoff, jitter at its ceiling) after 3", clk.recorded(), h.total(), want)
	}
	if d := c.pause.remaining(fakeStart); d != 3*time.Second {
		t.Errorf("the shared pause ends %s after the start; want 3s: the backoff was not the client's pause", d)
	}

	var h2 hits
	c, clk = newCerbyClient(t, scriptedCerby(&h2, [3]any{429, "", `{"errors":[{"status":"429","title":"Too many requests"}]}`}), func(o *Options) { o.MaxRetries, o.MaxRetryWait = 2, 10*time.Second })
	_, _, err = c.ListAccounts(bg, AccountFilter{})
	mustContain(t, "429 until the retries run out", err, "GET /api/v1/accounts?page%5Bnumber%5D=1&page%5Bsize%5D=100: 429 Too Many Requests: Too many requests",
		"gave up after 3 attempts", "the server sent no Retry-After", "capped backoff of up to 10s", "paused for every request", "Cerby reportedly asks for minutes", "requests_per_second")
	if want := []time.Duration{time.Second, 2 * time.Second}; !reflect.DeepEqual(clk.recorded(), want) {
		t.Errorf("waits %v; want %v", clk.recorded(), want)
	}

	// With a Retry-After, nothing is guessed.
	var h3 hits
	c, _ = newCerbyClient(t, scriptedCerby(&h3, [3]any{429, "1", "{}"}), retries(1))
	_, _, err = c.ListAccounts(bg, AccountFilter{})
	if err == nil || strings.Contains(err.Error(), "no Retry-After") {
		t.Errorf("err = %v; want one that does not say Retry-After was missing", err)
	}
}

// Another request waits out the pause a 429 without Retry-After set.
func TestCerby429PausesTheOtherRequests(t *testing.T) {
	var h hits
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h.record(r) == 1 && r.URL.Path == "/api/v1/accounts/a" {
			writeJSON(w, 429, nil)
			return
		}
		writeJSON(w, 200, map[string]any{"data": map[string]any{"id": "x"}})
	}))
	defer srv.Close()
	c, clk := newTestClient(t, srv, func(o *Options) { o.API, o.MaxRetries = CerbyAPI, 2 })
	waits, release := make(chan time.Duration), make(chan struct{})
	c.clock.sleep = func(ctx context.Context, d time.Duration) error {
		if d <= 0 {
			return nil
		}
		waits <- d
		<-release
		return clk.sleep(ctx, d)
	}
	errs := make(chan error, 2)
	go func() { _, err := c.GetAccount(bg, "a"); errs <- err }()
	if d := <-waits; d != time.Second {
		t.Errorf("the 429 request waits %s; want the 1s first backoff", d)
	}
	go func() { _, err := c.GetAccount(bg, "b"); errs <- err }()
	select {
	case d := <-waits:
		if d != time.Second {
			t.Errorf("the other request waits %s; want the same 1s pause", d)
		}
	case err := <-errs:
		t.Fatalf("the other request finished without waiting out the pause (err %v)", err)
	}
	if h.count("/api/v1/accounts/b") != 0 {
		t.Error("the other request reached the server during the pause")
	}
	close(release)
	for range 2 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

func TestCerby5xxBurstsAreRecovered(t *testing.T) {
	var h hits
	c, _ := newCerbyClient(t, scriptedCerby(&h,
		[3]any{502, "", "<html><title>502 Bad Gateway</title></html>"}, [3]any{503, "", `{"errors":[{"status":503}]}`},
		[3]any{500, "", ""}, [3]any{504, "", "upstream timeout"}, [3]any{200, "", ""}), retries(5))
	got, _, err := c.ListAccounts(bg, AccountFilter{})
	if err != nil || !reflect.DeepEqual(accountIDs(got), seqIDs("a", 3)) || h.total() != 5 {
		t.Errorf("got %v, %v after %d requests; want all 3 after 5", accountIDs(got), err, h.total())
	}

	var h2 hits
	c, _ = newCerbyClient(t, scriptedCerby(&h2, [3]any{502, "", "<html><title>502 Bad Gateway</title></html>"}), retries(2))
	_, err = c.GetAccount(bg, "a1")
	mustContain(t, "502 until the retries run out", err, "GET /api/v1/accounts/a1: 502 Bad Gateway: HTML page (probably from a proxy): 502 Bad Gateway. Server error after 3 attempts")
	var h3 hits
	c, _ = newCerbyClient(t, scriptedCerby(&h3, [3]any{501, "", "{}"}), retries(2))
	if _, err = c.GetAccount(bg, "a1"); h3.total() != 1 {
		t.Errorf("a 501 was retried: %d requests, %v", h3.total(), err)
	}
}

// Cerby's error bodies give the message, with meta.loc where the fault is
// (C18); status and code are never relied on.
func TestCerbyErrorBodies(t *testing.T) {
	tests := map[string]struct {
		status int
		body   string
		want   string
	}{
		"string status, snake_case code": {404, `{"errors":[{"status":"404","code":"not_found","title":"Not found","detail":"Account a1 does not exist","meta":null}]}`, ": 404 Not Found: Account a1 does not exist. "},
		"number status, Title Case code": {404, `{"errors":[{"status":404,"code":"Not found","title":"Not found","detail":"Account a1 does not exist"}]}`, ": 404 Not Found: Account a1 does not exist. "},
		"a status that disagrees":        {404, `{"errors":[{"status":"500","code":"internal","detail":"gone"}]}`, ": 404 Not Found: gone. "},
		"title only":                     {404, `{"errors":[{"status":"404","title":"Not found"}]}`, ": 404 Not Found: Not found. "},
		"meta.loc a string":              {400, `{"errors":[{"status":"400","code":"validation_error","title":"Bad","detail":"Invalid value","meta":{"loc":"filter[status]"}}]}`, ": 400 Bad Request: Invalid value (at filter[status])"},
		"meta.loc a list":                {422, `{"errors":[{"status":422,"code":"Unprocessable Entity","detail":"Must be at most 100","meta":{"loc":["query","page[size]"]}}]}`, ": 422 Unprocessable Entity: Must be at most 100 (at query.page[size])"},
		"meta.loc with an index":         {400, `{"errors":[{"detail":"Bad id","meta":{"loc":["body",0,"id"],"type":"uuid"}}]}`, "Bad id (at body.0.id)"},
		"meta.loc empty":                 {400, `{"errors":[{"detail":"Bad","meta":{"loc":""}}]}`, ": 400 Bad Request: Bad"},
		"meta.loc a number":              {400, `{"errors":[{"detail":"Bad","meta":{"loc":7}}]}`, ": 400 Bad Request: Bad"},
		"meta without loc":               {400, `{"errors":[{"detail":"Bad","meta":{"other":1}}]}`, ": 400 Bad Request: Bad"},
		"two errors":                     {400, `{"errors":[{"detail":"one","meta":{"loc":"a"}},{"title":"two","meta":null}]}`, ": 400 Bad Request: one (at a); two"},
		"meta a list":                    {400, `{"errors":[{"detail":"Bad","meta":["loc"]}]}`, ": 400 Bad Request: Bad"},
	}
	for name, tt := range tests {
		c, _ := newCerbyClient(t, bodyServer(tt.status, tt.body), nil)
		_, err := c.GetAccount(bg, "a1")
		var apiErr *APIError
		if !errors.As(err, &apiErr) || apiErr.StatusCode != tt.status {
			t.Errorf("%s: err %v; want an APIError with status %d", name, err, tt.status)
			continue
		}
		mustContain(t, name, err, "GET /api/v1/accounts/a1", tt.want)
		if name == "meta.loc empty" || name == "meta.loc a number" || name == "meta without loc" || name == "meta a list" {
			if strings.Contains(err.Error(), "(at") {
				t.Errorf("%s: %q names a location that is not there", name, err)
			}
		}
	}
}

// callCerby runs every Cerby API method against a server answering status
// and body, with tweak applied to the options.
func callCerby(t *testing.T, status int, body string, tweak func(*Options)) map[string]error {
	t.Helper()
	srv := httptest.NewServer(bodyServer(status, body))
	t.Cleanup(srv.Close)
	c, _ := newTestClient(t, srv, func(o *Options) {
		o.API = CerbyAPI
		if tweak != nil {
			tweak(o)
		}
	})
	errs := map[string]error{}
	for _, m := range cerbyCalls {
		errs[m.name] = m.call(c)
	}
	return errs
}

// The scope each method's first request needs: a member's accounts start
// with the member.
var cerbyScopes = map[string]string{
	"ListAccounts": ScopeReadAccounts, "GetAccount": ScopeReadAccounts, "ListUsers": ScopeReadUsers,
	"ListUserAccounts": ScopeReadUsers, "AccountNameCandidates": ScopeReadAccounts,
	"ListMemberAccounts": ScopeReadAccounts, "ReadAccess": ScopeReadAccounts, // no member read first
	"ListTeams": ScopeReadUsers, "GetTeam": ScopeReadUsers, "ListTeamMemberIDs": ScopeReadUsers,
	"ListTeamAccountIDs": ScopeReadUsers + " and " + ScopeReadAccounts, "ListVaults": ScopeReadVaults,
	"ListIntegrations": ScopeReadIntegrations, "ListIntegrationUsers": ScopeReadUsers + " and " + ScopeReadIntegrations,
}

func TestCerbyUnauthorizedNamesTheScope(t *testing.T) {
	for name, err := range callCerby(t, 401, `{"errors":[{"status":"401","code":"unauthorized","title":"Unauthorized"}]}`, nil) {
		mustContain(t, name, err, "401 Unauthorized: Unauthorized", "invalid or expired", `lacks the "`+cerbyScopes[name]+`" scope`)
	}
}

func TestCerbyForbiddenNamesTheRoleAndTheScope(t *testing.T) {
	for name, err := range callCerby(t, 403, `{"errors":[{"status":403,"title":"Forbidden"}]}`, nil) {
		mustContain(t, name, err, "403 Forbidden: Forbidden", "Your workspace role does not allow this call", `or the API key lacks the "`+cerbyScopes[name]+`" scope`)
		if admin := strings.Contains(err.Error(), "Admin role or higher"); admin != needsAdmin(cerbyScopes[name]) {
			t.Errorf("%s: %q should name the Admin role exactly when it reads members, teams or vaults", name, err)
		}
		if strings.Contains(err.Error(), "cerby_api") {
			t.Errorf("%s: %q suggests the API it already uses", name, err)
		}
	}
	// On the Read API, a 403 to an API key may be a Cerby API key (C19).
	srv := statusServer(t, 403, "application/json", `{"message":"Forbidden"}`, nil)
	for name, err := range callEach(t, srv, nil) {
		mustContain(t, "Read API "+name, err, "If the key was created for the Cerby API", "set workspace to your workspace's subdomain and api = \"cerby_api\"")
	}
	for name, err := range callEach(t, srv, func(o *Options) { o.APIKey, o.BearerToken = "", testBearer }) {
		if err == nil || strings.Contains(err.Error(), "cerby_api") {
			t.Errorf("Read API with a bearer token, %s: %v; want no Cerby API suggestion", name, err)
		}
	}
}

func TestCerbyNotFoundNamesTheOwnerRule(t *testing.T) {
	errs := callCerby(t, 404, `{"errors":[{"status":"404","code":"not_found","title":"Not found","detail":"No such account"}]}`, nil)
	for name, err := range errs {
		if !errors.Is(err, ErrNotFound) {
			t.Errorf("%s: %v should match ErrNotFound", name, err)
		}
		owner := strings.Contains(fmt.Sprint(err), "the Cerby API shows only the accounts the API key's creator owns")
		// A member's accounts answering 404 make the client ask for the
		// member, whose 404 is about a member, not an account.
		memberLast := name == "ListMemberAccounts" || name == "ReadAccess"
		if owner != (cerbyScopes[name] == ScopeReadAccounts && !memberLast) {
			t.Errorf("%s: %v; want the Owner rule named exactly for accounts", name, err)
		}
	}
	want := "GET /api/v1/accounts/a1: 404 Not Found: No such account. It does not exist or is not visible to this credential: the Cerby API shows only the accounts the API key's creator owns"
	if got := errs["GetAccount"].Error(); got != want {
		t.Errorf("message:\n got %q\nwant %q", got, want)
	}
}

// The API key never shows in an error, whatever the server echoes.
func TestCerbyNoAPIKeyInErrors(t *testing.T) {
	k := testAPIKey
	bodies := map[string]struct {
		status int
		body   string
	}{
		"in detail":            {401, `{"errors":[{"status":"401","detail":"key ` + k + ` is unknown"}]}`},
		"in title":             {403, `{"errors":[{"title":"` + k + `"}]}`},
		"in meta.loc":          {400, `{"errors":[{"detail":"bad header","meta":{"loc":["header","X-API-Key","` + k + `"]}}]}`},
		"in an html title":     {502, "<html><title>" + k + "</title></html>"},
		"as plain text":        {500, "X-API-Key: " + k},
		"across truncation":    {400, `{"errors":[{"detail":"` + strings.Repeat("y", 190) + k + `"}]}`},
		"in a 404":             {404, `{"errors":[{"detail":"` + k + `"}]}`},
		"2xx errors no data":   {200, `{"errors":[{"detail":"key ` + k + `"}]}`},
		"2xx not JSON":         {200, k + " is not allowed"},
		"2xx cut in the quote": {200, "0123456789" + k + " is not allowed"},
		"2xx an array":         {200, `["` + k + `"]`},
		"2xx a bad id":         {200, `{"data":[{"id":"` + k + `","attributes":[]}]}`},
		"2xx data a string":    {200, `{"data":"` + k + `"}`},
		"2xx a bad next":       {200, `{"data":[{"id":"a"}],"links":{"next":["` + k + `"]}}`},
	}
	for name, tt := range bodies {
		log := &capturingLogger{}
		for method, err := range callCerby(t, tt.status, tt.body, func(o *Options) { o.Logger = log }) {
			if err == nil {
				t.Errorf("%s %s: no error", name, method)
				continue
			}
			if method == "GetAccount" && tt.status < 300 {
				continue // a known bug: TestCerbyGetAccountRedactsA2xxBody
			}
			assertNoSecret(t, name+" "+method, err.Error())
		}
		assertNoSecret(t, name+" log", log.all())
	}

	// Links that carry the key: refused, or followed until they loop.
	redacted := 0
	s := &linkingServer{}
	srv := httptest.NewServer(s)
	defer srv.Close()
	for _, next := range []string{"/api/v1/" + k, "/api/v1/accounts/x?key=" + k, "/api/v1/accounts?key=" + k, "/api/v1/users/u1/accounts?key=" + k} {
		s.next = next
		for _, m := range pagingCalls {
			c, _ := newTestClient(t, srv, func(o *Options) { o.API, o.PageSize = CerbyAPI, 2 })
			err := m.call(c)
			if err == nil {
				t.Errorf("%s %s: no error", next, m.name)
				continue
			}
			assertNoSecret(t, next+" "+m.name, err.Error())
			if strings.Contains(err.Error(), "[redacted]") {
				redacted++
			}
			if strings.Contains(err.Error(), "held only ids already received") && !errors.Is(err, ErrNotAdvancing) {
				t.Errorf("%s %s: the redacted error %v no longer matches ErrNotAdvancing", next, m.name, err)
			}
		}
	}
	if redacted == 0 {
		t.Error("no error named a link with the key in it: the cases test nothing")
	}
}

// GetAccount decodes its answer outside the pager, so nothing removes a
// credential that a 2xx body echoes from its error.
func TestCerbyGetAccountRedactsA2xxBody(t *testing.T) {
	for _, body := range []string{`{"errors":[{"detail":"key ` + testAPIKey + `"}]}`, testAPIKey + " is not allowed", `["` + testAPIKey + `"]`} {
		c, _ := newCerbyClient(t, bodyServer(200, body), nil)
		_, err := c.GetAccount(bg, "a1")
		if err == nil {
			t.Fatalf("%s: no error", body)
		}
		assertNoSecret(t, body, err.Error())
	}
}

// A member's accounts (C8): the member first, so that a 404 of the listing
// is not taken for a missing member.
func TestCerbyListUserAccounts(t *testing.T) {
	accounts := &cerbyServer{listing: fixedCerbyListing(append(seqIDs("a", 5), "a002", "a001"))}
	member := func(listing http.Handler) (*hits, http.Handler) {
		var h hits
		return &h, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			h.record(r)
			switch r.URL.EscapedPath() {
			case "/api/v1/users/u1":
				writeJSON(w, 200, map[string]any{"data": map[string]any{"id": "u1", "type": "users", "attributes": map[string]any{"email": "u1@acme.test"}}})
			case "/api/v1/users/u1/accounts":
				listing.ServeHTTP(w, r)
			default:
				writeJSON(w, 404, map[string]any{"errors": []any{map[string]any{"status": "404", "code": "not_found", "title": "Not found", "detail": "User not found"}}})
			}
		})
	}

	h, srv := member(accounts)
	c, _ := newCerbyClient(t, srv, func(o *Options) { o.PageSize = 2 })
	got, err := c.ListUserAccounts(bg, "u1")
	if err != nil || !reflect.DeepEqual(accountIDs(got), seqIDs("a", 5)) {
		t.Errorf("got %v, %v; want a001..a005, paged and deduplicated", accountIDs(got), err)
	}
	if h.uris[0] != "/api/v1/users/u1" || h.count("/api/v1/users/u1/accounts") != 4 {
		t.Errorf("requests %v; want the member, then the 4 pages of its accounts", h.uris)
	}

	h, srv = member(accounts)
	c, _ = newCerbyClient(t, srv, nil)
	_, err = c.ListUserAccounts(bg, "nobody")
	if !errors.Is(err, ErrNotFound) || errors.Is(err, ErrNotOffered) {
		t.Errorf("a missing member: err = %v; want ErrNotFound", err)
	}
	mustContain(t, "a missing member", err, "GET /api/v1/users/nobody: 404 Not Found: User not found")
	if h.total() != 1 {
		t.Errorf("a missing member: requests %v; want only the member's", h.uris)
	}

	for _, status := range []int{404, 405} {
		_, srv = member(bodyServer(status, `{"errors":[{"status":"`+strconv.Itoa(status)+`","title":"Not found"}]}`))
		c, _ = newCerbyClient(t, srv, nil)
		_, err = c.ListUserAccounts(bg, "u1")
		if !errors.Is(err, ErrNotOffered) || errors.Is(err, ErrNotFound) {
			t.Errorf("%d on the listing: err = %v; want ErrNotOffered and not ErrNotFound", status, err)
		}
		mustContain(t, fmt.Sprintf("%d on the listing", status), err, "GET /api/v1/users/u1/accounts?page%5Bnumber%5D=1&page%5Bsize%5D=100: "+strconv.Itoa(status),
			"the member exists, but this workspace's Cerby API does not offer a member's accounts", `api = "read_api"`)
	}

	// Other failures of the listing stay what they are.
	_, srv = member(bodyServer(403, `{"errors":[{"title":"Forbidden"}]}`))
	c, _ = newCerbyClient(t, srv, nil)
	_, err = c.ListUserAccounts(bg, "u1")
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusForbidden || errors.Is(err, ErrNotOffered) {
		t.Errorf("403 on the listing: err = %v; want the 403 itself", err)
	}

	// A member answer that is not one member is an error, not an empty list.
	for _, body := range []string{`{"data":null}`, `{"data":[]}`, `{"data":[{"id":"u1"},{"id":"u2"}]}`, `[]`} {
		h, srv = member(accounts)
		odd := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.EscapedPath() == "/api/v1/users/u1" {
				h.record(r)
				_, _ = w.Write([]byte(body))
				return
			}
			srv.ServeHTTP(w, r)
		})
		c, _ = newCerbyClient(t, odd, nil)
		if got, err = c.ListUserAccounts(bg, "u1"); err == nil || got != nil || h.count("/api/v1/users/u1/accounts") != 0 {
			t.Errorf("member body %s: got %v, %v after %v; want an error before the listing", body, got, err, h.uris)
		}
	}
}

// filterServer lists for each request what list gives for its query, and
// records every query.
type filterServer struct {
	cerbyServer
	list func(q url.Values) []map[string]any // resources with their attributes
}

func (s *filterServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.record(r)
	data := []any{}
	for _, res := range s.list(r.URL.Query()) {
		data = append(data, res)
	}
	writeJSON(w, 200, map[string]any{"data": data, "meta": map[string]any{"page": map[string]any{"total": len(data)}}, "links": map[string]any{"next": nil}})
}

func (s *filterServer) queries() []url.Values {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []url.Values
	for _, uri := range s.uris {
		u, _ := url.Parse(uri)
		q := u.Query()
		q.Del("page[number]")
		q.Del("page[size]")
		out = append(out, q)
	}
	return out
}

func res(id string, attrs map[string]any) map[string]any {
	return map[string]any{"id": id, "type": "x", "attributes": attrs}
}

func TestCerbyAccountFilters(t *testing.T) {
	byApp := map[string][]string{"google": {"g1", "shared", "g2"}, "slack": {"s1", "shared"}, "": seqIDs("a", 10)}
	s := &filterServer{list: func(q url.Values) []map[string]any {
		var out []map[string]any
		for _, id := range byApp[q.Get("filter[application]")] {
			out = append(out, res(id, map[string]any{"application": q.Get("filter[application]")}))
		}
		return out
	}}
	c, _ := newCerbyClient(t, s, nil)
	got, truncated, err := c.ListAccounts(bg, AccountFilter{Applications: []string{"google", "slack", "google"}, Status: "enabled"})
	if want := []string{"g1", "shared", "g2", "s1"}; err != nil || truncated || !reflect.DeepEqual(accountIDs(got), want) {
		t.Errorf("applications: got %v, %v; want %v, merged by id", accountIDs(got), err, want)
	}
	wantQueries := []url.Values{
		{"filter[application]": {"google"}, "filter[status]": {"enabled"}},
		{"filter[application]": {"slack"}, "filter[status]": {"enabled"}},
	}
	if !reflect.DeepEqual(s.queries(), wantQueries) {
		t.Errorf("queries %v; want %v (one application per listing, each once)", s.queries(), wantQueries)
	}

	// Ids: no server filter, kept exactly on our side; max items counts what is kept.
	for _, tt := range []struct {
		ids       []string
		max       int
		want      []string
		truncated bool
	}{
		{[]string{"a003", "a007", "zz"}, 0, []string{"a003", "a007"}, false},
		{[]string{"a007", "a003"}, 0, []string{"a003", "a007"}, false},
		{[]string{"a003", "a005", "a007"}, 2, []string{"a003", "a005"}, true},
		{[]string{"a003", "a005", "a007"}, 3, []string{"a003", "a005", "a007"}, false},
		{[]string{"a003", "a005"}, 2, []string{"a003", "a005"}, false},
		{[]string{"a00"}, 0, nil, false},
	} {
		s.hits = hits{}
		got, truncated, err := c.ListAccounts(bg, AccountFilter{IDs: tt.ids, MaxItems: tt.max})
		if err != nil || !reflect.DeepEqual(accountIDs(got), append([]string{}, tt.want...)) || truncated != tt.truncated {
			t.Errorf("ids %v, max %d: got %v, truncated %v, %v; want %v, %v", tt.ids, tt.max, accountIDs(got), truncated, err, tt.want, tt.truncated)
		}
		if q := s.queries(); len(q) != 1 || len(q[0]) != 0 {
			t.Errorf("ids %v: queries %v; want no filter sent", tt.ids, q)
		}
	}

	// What the Cerby API cannot honour is refused before any request.
	s.hits = hits{}
	for _, f := range []AccountFilter{{Search: "Work"}, {Type: "identity"}, {Role: "account_owner"}, {Search: "x", Role: "y", Applications: []string{"google"}}} {
		_, _, err := c.ListAccounts(bg, f)
		mustContain(t, fmt.Sprintf("%+v", f), err, "the Cerby API cannot filter accounts by ", "use the Read API")
	}
	_, _, err = c.ListAccounts(bg, AccountFilter{Search: "x", Type: "y", Role: "z"})
	mustContain(t, "all three", err, "cannot filter accounts by role or search or type")
	if s.total() != 0 {
		t.Errorf("refused filters sent %d requests: %v", s.total(), s.uris)
	}

	// A name lookup reads every account, since the Cerby API cannot search.
	s.hits = hits{}
	got, err = c.AccountNameCandidates(bg, "a004")
	if err != nil || len(got) != 10 || !reflect.DeepEqual(s.queries(), []url.Values{{}}) {
		t.Errorf("name candidates: %d accounts, %v, queries %v; want all 10 from an unfiltered listing", len(got), err, s.queries())
	}
}

func TestCerbyUserFilters(t *testing.T) {
	members := []map[string]any{
		res("m1", map[string]any{"status": "live", "isGuest": false}),
		res("m2", map[string]any{"status": "pending", "isGuest": true}),
		res("m3", map[string]any{"status": "disabled", "isGuest": false}),
		res("m4", map[string]any{"status": "live", "isGuest": true}),
		res("m5", map[string]any{}), // neither status nor isGuest known
		res("m6", map[string]any{"status": "LIVE", "isGuest": nil}),
	}
	// The server ignores every filter: the answer must still be exact (C7).
	s := &filterServer{list: func(url.Values) []map[string]any { return members }}
	c, _ := newCerbyClient(t, s, nil)
	yes, no := true, false
	tests := []struct {
		f         UserFilter
		wantQuery url.Values
		want      []string
	}{
		{UserFilter{}, url.Values{}, []string{"m1", "m2", "m3", "m4", "m5", "m6"}},
		{UserFilter{Search: "ann smith"}, url.Values{"filter": {"ann smith"}}, []string{"m1", "m2", "m3", "m4", "m5", "m6"}},
		{UserFilter{Statuses: []string{"live"}}, url.Values{"filter[status]": {"live"}}, []string{"m1", "m4"}},
		{UserFilter{Statuses: []string{"live", "pending"}}, url.Values{}, []string{"m1", "m2", "m4"}},
		{UserFilter{IsGuest: &yes}, url.Values{"filter[isGuest]": {"true"}}, []string{"m2", "m4"}},
		{UserFilter{IsGuest: &no}, url.Values{"filter[isGuest]": {"false"}}, []string{"m1", "m3"}},
		{UserFilter{UserIDs: []string{"m3", "m5", "zz"}}, url.Values{}, []string{"m3", "m5"}},
		{UserFilter{Search: "a", Statuses: []string{"live"}, IsGuest: &yes, UserIDs: []string{"m1", "m4"}},
			url.Values{"filter": {"a"}, "filter[status]": {"live"}, "filter[isGuest]": {"true"}}, []string{"m4"}},
		{UserFilter{Statuses: []string{"pending", "disabled"}, MaxItems: 1}, url.Values{}, []string{"m2"}},
	}
	for _, tt := range tests {
		s.hits = hits{}
		got, _, err := c.ListUsers(bg, tt.f)
		if err != nil || !reflect.DeepEqual(memberIDs(got), tt.want) {
			t.Errorf("%+v: got %v, %v; want %v", tt.f, memberIDs(got), err, tt.want)
		}
		if q := s.queries(); len(q) != 1 || !reflect.DeepEqual(q[0], tt.wantQuery) {
			t.Errorf("%+v: queries %v; want %v", tt.f, q, tt.wantQuery)
		}
	}
	got, truncated, _ := c.ListUsers(bg, UserFilter{Statuses: []string{"pending", "disabled"}, MaxItems: 1})
	if !truncated || len(got) != 1 {
		t.Errorf("max items 1 of 2 kept: %v, truncated %v", memberIDs(got), truncated)
	}

	s.hits = hits{}
	for _, v := range []*bool{&yes, &no} {
		_, _, err := c.ListUsers(bg, UserFilter{OnlyInIdP: v})
		mustContain(t, "only in IdP", err, "the Cerby API cannot filter users by only in IdP")
	}
	if s.total() != 0 {
		t.Errorf("a refused filter sent %d requests", s.total())
	}
}

// captured is a transport that answers every request itself and keeps it,
// so that a client can be pointed at a real host name without a network.
type captured struct {
	hits
	headers []http.Header
	hosts   []string
}

func (c *captured) RoundTrip(r *http.Request) (*http.Response, error) {
	c.mu.Lock()
	c.headers = append(c.headers, r.Header.Clone())
	c.hosts = append(c.hosts, r.URL.Scheme+"://"+r.URL.Host)
	c.mu.Unlock()
	c.record(r)
	rec := httptest.NewRecorder()
	writeJSON(rec, 200, map[string]any{"data": map[string]any{"id": "a1"}})
	return rec.Result(), nil
}

func TestCerbyOptions(t *testing.T) {
	bad := map[string]struct {
		opts Options
		want string
	}{
		"a bearer token":                {Options{API: CerbyAPI, Workspace: "acme", BearerToken: testBearer}, "the Cerby API takes API keys only, not a bearer token"},
		"a bearer token and an API key": {Options{API: CerbyAPI, Workspace: "acme", APIKey: testAPIKey, BearerToken: testBearer}, "API keys only"},
		"no base URL nor workspace":     {Options{API: CerbyAPI, APIKey: testAPIKey}, "the Cerby API needs a workspace (its host is https://<workspace>.cerby.com) or a base URL"},
		"a workspace with a dot":        {Options{API: CerbyAPI, Workspace: "acme.evil.com"}, "cannot be a host name"},
		"an unknown API":                {Options{API: API(7)}, "unknown API 7"},
	}
	for name, tt := range bad {
		_, err := New(tt.opts)
		mustContain(t, name, err, tt.want)
		if err != nil {
			assertNoSecret(t, name, err.Error())
		}
	}

	for workspace, want := range map[string]string{"acme_co": "https://acme_co.cerby.com", "Acme-Co": "https://acme-co.cerby.com", "a": "https://a.cerby.com"} {
		tr := &captured{}
		c, err := New(Options{API: CerbyAPI, Workspace: workspace, APIKey: testAPIKey, HTTPClient: &http.Client{Transport: tr}})
		if err != nil {
			t.Fatalf("workspace %q: %v", workspace, err)
		}
		if c.baseURL != want || c.API() != CerbyAPI {
			t.Errorf("workspace %q: base URL %q, API %v; want %q on the Cerby API", workspace, c.baseURL, c.API(), want)
		}
		if _, err := c.GetAccount(bg, "a1"); err != nil {
			t.Fatal(err)
		}
		if tr.hosts[0] != want || tr.uris[0] != "/api/v1/accounts/a1" {
			t.Errorf("workspace %q: requested %s%s; want %s/api/v1/accounts/a1", workspace, tr.hosts[0], tr.uris[0], want)
		}
	}

	// An endpoint wins over the workspace.
	tr := &captured{}
	c, err := New(Options{API: CerbyAPI, Workspace: "acme", BaseURL: "https://eu.example.com/cerby/API/V1/", APIKey: testAPIKey, HTTPClient: &http.Client{Transport: tr}})
	if err != nil || c.baseURL != "https://eu.example.com/cerby" {
		t.Fatalf("base URL %v, %v", c, err)
	}
	if _, err := c.GetAccount(bg, "a1"); err != nil || tr.hosts[0]+tr.uris[0] != "https://eu.example.com/cerby/api/v1/accounts/a1" {
		t.Errorf("requested %v, %v", tr.uris, err)
	}
}

// The Cerby API's identity is the API key alone: no bearer token, no
// Cerby-Workspace header (C3).
func TestCerbyHeaders(t *testing.T) {
	for name, opts := range map[string]Options{
		"from the workspace":          {Workspace: "acme_co"},
		"from an endpoint":            {BaseURL: "https://acme.cerby.com/api/v1"},
		"an endpoint and a workspace": {BaseURL: "https://acme.cerby.com", Workspace: "acme"},
	} {
		t.Run(name, func(t *testing.T) {
			tr := &captured{}
			opts.API, opts.APIKey, opts.UserAgent, opts.HTTPClient = CerbyAPI, testAPIKey, "terraform-provider-cerby/test", &http.Client{Transport: tr}
			c, err := New(opts)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range cerbyCalls {
				_ = m.call(c)
			}
			if len(tr.headers) < len(cerbyCalls) {
				t.Fatalf("%d requests", len(tr.headers))
			}
			for i, h := range tr.headers {
				if h.Get("X-API-Key") != testAPIKey || h.Get("Accept") != "application/json" || h.Get("User-Agent") != "terraform-provider-cerby/test" {
					t.Errorf("request %s: X-API-Key %q, Accept %q, User-Agent %q", tr.uris[i], h.Get("X-API-Key"), h.Get("Accept"), h.Get("User-Agent"))
				}
				for _, absent := range []string{"Authorization", "Cerby-Workspace"} {
					if _, sent := h[http.CanonicalHeaderKey(absent)]; sent {
						t.Errorf("request %s sent %s: %q", tr.uris[i], absent, h.Get(absent))
					}
				}
			}
		})
	}
}

// A member whose id needs escaping still has its links followed: the link
// names the same escaped path the client requested.
func TestCerbyLinksOfAnEscapedID(t *testing.T) {
	for _, id := range []string{"a b", "a/b", "ü", "a%2Fb"} {
		for styleName, style := range linkStyles {
			listing := &cerbyServer{cerbyShape: cerbyShape{link: style}, listing: fixedCerbyListing(seqIDs("a", 5))}
			seg := "/api/v1/users/" + url.PathEscape(id)
			srv := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				switch r.URL.EscapedPath() {
				case seg:
					writeJSON(w, 200, map[string]any{"data": map[string]any{"id": id}})
				case seg + "/accounts":
					listing.ServeHTTP(w, r)
				default:
					t.Errorf("requested %s", r.URL.RequestURI())
					writeJSON(w, 404, nil)
				}
			})
			c, _ := newCerbyClient(t, srv, func(o *Options) { o.PageSize = 2 })
			got, err := c.ListUserAccounts(bg, id)
			if err != nil || !reflect.DeepEqual(accountIDs(got), seqIDs("a", 5)) {
				t.Errorf("member %q, %s links: got %v, %v", id, styleName, accountIDs(got), err)
			}
		}
	}
}

// A links.next on the page that reaches the total is followed, and the
// empty page it leads to ends the listing (C15).
func TestCerbyPagingFollowsNextPastTheTotal(t *testing.T) {
	for _, n := range []int{0, 100, 250} {
		for _, conc := range concurrencies {
			always := &cerbyServer{listing: fixedCerbyListing(seqIDs("a", n))}
			srv := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				always.record(r)
				number := queryInt(r.URL.Query(), "page[number]", 1)
				ids := seqIDs("a", n)[min((number-1)*100, n):min(number*100, n)]
				data := []any{}
				for _, id := range ids {
					data = append(data, map[string]any{"id": id})
				}
				writeJSON(w, 200, map[string]any{"data": data, "meta": map[string]any{"page": map[string]any{"total": n}},
					"links": map[string]any{"next": pageLink(r, rootRelative, number+1, "100")}})
			})
			got, _, err := listCerby(t, srv, 100, conc, AccountFilter{})
			if err != nil || !reflect.DeepEqual(accountIDs(got), seqIDs("a", n)) {
				t.Errorf("%d items, concurrency %d: got %d accounts, %v", n, conc, len(got), err)
			}
			want := oneTo(ceilDiv(n, 100) + 1)
			if n == 0 {
				want = []int{1} // an empty page ends it at once
			}
			if numbers := sortedCopy(pageNumbers(&always.hits)); !reflect.DeepEqual(numbers, want) {
				t.Errorf("%d items, concurrency %d: page numbers %v; want %v, the last one empty", n, conc, numbers, want)
			}
		}
	}
}

func TestRedactError(t *testing.T) {
	secrets := []string{testAPIKey}
	if redactError(nil, secrets) != nil {
		t.Error("nil should stay nil")
	}
	plain := fmt.Errorf("GET /api/v1/accounts: %w", ErrNotAdvancing)
	if got := redactError(plain, secrets); got != plain { //nolint:errorlint // the very error is expected back
		t.Errorf("an error without a credential should come back as it is, got %v", got)
	}
	for text, want := range map[string]string{
		"key " + testAPIKey + " echoed":              "key [redacted] echoed",
		`starts with "0123` + testAPIKey[:20] + `…"`: `starts with "0123[redacted]…"`,
		"a cut " + testAPIKey[:4] + "…":              "a cut [redacted]…",
		"too short to say " + testAPIKey[:3] + "…":   "too short to say " + testAPIKey[:3] + "…",
		"twice " + testAPIKey + " " + testAPIKey:     "twice [redacted] [redacted]",
	} {
		err := redactError(fmt.Errorf("%s: %w", text, ErrNotAdvancing), secrets)
		if got := strings.TrimSuffix(err.Error(), ": "+ErrNotAdvancing.Error()); got != want {
			t.Errorf("%q: got %q; want %q", text, got, want)
		}
		if !errors.Is(err, ErrNotAdvancing) {
			t.Errorf("%q: the redacted error no longer matches what it wraps", text)
		}
	}
}

// A redirect is a link too: none may lead off the allowed paths (C4).
func TestCerbyRedirectToASecretIsNotFollowed(t *testing.T) {
	var h hits
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.record(r)
		if strings.Contains(r.URL.Path, "secret") {
			writeJSON(w, 200, map[string]any{"data": map[string]any{"id": "a1", "attributes": map[string]any{"value": "hunter2"}}})
			return
		}
		http.Redirect(w, r, "/api/v1/accounts/a1/secrets", http.StatusFound)
	}))
	defer srv.Close()
	c, _ := newTestClient(t, srv, func(o *Options) { o.API = CerbyAPI })
	for _, m := range cerbyCalls {
		_ = m.call(c)
	}
	if n := h.count("/api/v1/accounts/a1/secrets"); n != 0 {
		t.Errorf("a redirect led %d requests to the account's secrets: %v", n, h.uris)
	}
}
