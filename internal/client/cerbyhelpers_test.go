package client

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// cerbyServer serves listings the Cerby API's way (contract/cerby-api.md §3,
// §6): JSON:API resources paged by page[number] (from 1) and page[size],
// meta.page.total and links.next, with knobs for misbehaving servers.
type cerbyServer struct {
	cerbyShape
	// listing is what a request lists; call counts the requests the server
	// answered so far, this one included. nil lists nothing.
	listing func(r *http.Request, call int) []string
	// attributes of a resource; nil gives {"label": "n-<id>"}.
	attributes func(id string) any
	hits

	callMu sync.Mutex
	calls  int
}

type cerbyShape struct {
	omitTotal bool
	noLinks   bool          // no links object at all
	link      linkStyle     // how links.next is written
	end       endStyle      // links.next on the last page
	pageCap   int           // the largest page served, 0 for no cap
	linkSize  bool          // links carry the size served rather than the one asked
	claim     func(int) int // the meta.page.total sent for the real one; nil: the truth
}

// linkStyle is how a server writes links.next.
type linkStyle int

const (
	rootRelative linkStyle = iota // /api/v1/accounts?page%5Bnumber%5D=2&..., Cerby's own
	absoluteLink                  // http://host/api/v1/accounts?...
	pageRelative                  // accounts?..., resolved against the page
	queryOnly                     // ?page%5Bnumber%5D=2&...
	hrefObject                    // {"href": "/api/v1/accounts?..."}
)

var linkStyles = map[string]linkStyle{
	"root-relative": rootRelative, "absolute": absoluteLink, "page-relative": pageRelative,
	"query only": queryOnly, "href object": hrefObject,
}

// endStyle is links.next on the last page.
type endStyle int

const (
	nullNext endStyle = iota
	absentNext
	emptyNext
)

var endStyles = map[string]endStyle{"null": nullNext, "absent": absentNext, `""`: emptyNext}

func fixedCerbyListing(ids []string) func(*http.Request, int) []string {
	return func(*http.Request, int) []string { return ids }
}

func (s *cerbyServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.record(r)
	s.callMu.Lock()
	s.calls++
	call := s.calls
	s.callMu.Unlock()
	var ids []string
	if s.listing != nil {
		ids = s.listing(r, call)
	}
	q := r.URL.Query()
	number, size := queryInt(q, "page[number]", 1), queryInt(q, "page[size]", 25)
	if s.pageCap > 0 {
		size = min(size, s.pageCap)
	}
	from := min(max(number-1, 0)*size, len(ids))
	to := min(from+size, len(ids))
	data := []any{}
	for _, id := range ids[from:to] {
		data = append(data, s.resource(id))
	}
	doc := map[string]any{"data": data}
	if !s.omitTotal {
		total := len(ids)
		if s.claim != nil {
			total = s.claim(total)
		}
		doc["meta"] = map[string]any{"page": map[string]any{"maxSize": 100, "total": total}}
	}
	if !s.noLinks {
		linkSize := q.Get("page[size]")
		if s.linkSize {
			linkSize = strconv.Itoa(size)
		}
		links := map[string]any{"self": pageLink(r, rootRelative, number, linkSize)}
		switch {
		case to < len(ids):
			links["next"] = pageLink(r, s.link, number+1, linkSize)
		case s.end == emptyNext:
			links["next"] = ""
		case s.end == nullNext:
			links["next"] = nil
		}
		doc["links"] = links
	}
	writeJSON(w, http.StatusOK, doc)
}

func (s *cerbyServer) resource(id string) any {
	var attrs any = map[string]any{"label": "n-" + id}
	if s.attributes != nil {
		attrs = s.attributes(id)
	}
	return map[string]any{"id": id, "type": "accounts", "attributes": attrs}
}

func queryInt(q url.Values, key string, otherwise int) int {
	if n, err := strconv.Atoi(q.Get(key)); err == nil {
		return n
	}
	return otherwise
}

// pageLink is the link to page number of r's listing, its other parameters
// kept, with the brackets percent-encoded as Cerby writes them.
func pageLink(r *http.Request, style linkStyle, number int, size string) any {
	q := r.URL.Query()
	q.Set("page[number]", strconv.Itoa(number))
	if size != "" {
		q.Set("page[size]", size)
	}
	path := r.URL.EscapedPath()
	query := "?" + q.Encode()
	switch style {
	case absoluteLink:
		return "http://" + r.Host + path + query
	case pageRelative:
		return path[strings.LastIndex(path, "/")+1:] + query
	case queryOnly:
		return query
	case hrefObject:
		return map[string]any{"href": path + query}
	}
	return path + query
}

// newCerbyClient serves h and points a Cerby API client with a fake clock at
// it; tweak adjusts the options first.
func newCerbyClient(t *testing.T, h http.Handler, tweak func(*Options)) (*Client, *fakeClock) {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return newTestClient(t, srv, func(o *Options) {
		o.API = CerbyAPI
		if tweak != nil {
			tweak(o)
		}
	})
}

// pageNumbers are the page[number] of every request seen, in order; 0 for
// none.
func pageNumbers(h *hits) []int {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []int
	for _, uri := range h.uris {
		u, _ := url.Parse(uri)
		out = append(out, queryInt(u.Query(), "page[number]", 0))
	}
	return out
}

func sortedCopy(ns []int) []int {
	out := slices.Clone(ns)
	slices.Sort(out)
	return out
}

func oneTo(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i + 1
	}
	return out
}

// bodyServer answers every request with status and body as they are.
func bodyServer(status int, body string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	})
}

var bg = context.Background()

// cerbyCall is one client method with the arguments a test gives it.
type cerbyCall struct {
	name string
	call func(c *Client) error
}

// cerbyCalls are every method of the client that reads the Cerby API.
var cerbyCalls = []cerbyCall{
	{"ListAccounts", func(c *Client) error { _, _, err := c.ListAccounts(bg, AccountFilter{}); return err }},
	{"GetAccount", func(c *Client) error { _, err := c.GetAccount(bg, "a1"); return err }},
	{"ListUsers", func(c *Client) error { _, _, err := c.ListUsers(bg, UserFilter{}); return err }},
	{"ListUserAccounts", func(c *Client) error { _, err := c.ListUserAccounts(bg, "u1"); return err }},
	{"AccountNameCandidates", func(c *Client) error { _, err := c.AccountNameCandidates(bg, "Work"); return err }},
	{"ListMemberAccounts", func(c *Client) error { _, err := c.ListMemberAccounts(bg, "u1"); return err }},
	{"ReadAccess", func(c *Client) error {
		access, err := c.ReadAccess(bg, []string{"u1"}, 1)
		if err == nil && access[0].Gone != nil {
			return access[0].Gone
		}
		return err
	}},
	{"ListTeams", func(c *Client) error { _, _, err := c.ListTeams(bg, 0); return err }},
	{"GetTeam", func(c *Client) error { _, err := c.GetTeam(bg, "t1"); return err }},
	{"ListTeamMemberIDs", func(c *Client) error { _, err := c.ListTeamMemberIDs(bg, "t1"); return err }},
	{"ListTeamAccountIDs", func(c *Client) error { _, err := c.ListTeamAccountIDs(bg, "t1"); return err }},
	{"ListVaults", func(c *Client) error { _, _, err := c.ListVaults(bg, 0); return err }},
	{"ListIntegrations", func(c *Client) error { _, _, err := c.ListIntegrations(bg, 0); return err }},
	{"ListIntegrationUsers", func(c *Client) error { _, _, err := c.ListIntegrationUsers(bg, "i1", 0); return err }},
}

func memberIDs(members []Member) []string {
	ids := make([]string, len(members))
	for i, m := range members {
		ids[i] = m.ID
	}
	return ids
}

func strPtr(s string) *string { return &s }
func boolPtr(b bool) *bool    { return &b }

func mustContain(t *testing.T, where string, err error, wants ...string) {
	t.Helper()
	if err == nil {
		t.Errorf("%s: no error; want one containing %q", where, wants)
		return
	}
	for _, want := range wants {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %q lacks %q", where, err, want)
		}
	}
}

func ceilDiv(n, d int) int { return (n + d - 1) / d }
