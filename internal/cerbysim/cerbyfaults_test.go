package cerbysim

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// The faults act in front of both APIs' routes; these tests hold each to the
// Cerby API, where its errors are JSON:API bodies and its totals are
// meta.page.total.

func TestRequestFaultsActOnTheCerbyAPI(t *testing.T) {
	clock := time.Unix(1_700_000_000, 0)
	now := func() time.Time { return clock }
	cases := []struct {
		name        string
		faults      Faults
		status      int
		retryAfter  string
		contentType string
	}{
		{"429 with Retry-After", Faults{Random429Rate: 1, RetryAfter: 5 * time.Second}, 429, "5", "application/json"},
		{"429 without Retry-After", Faults{Random429Rate: 1}, 429, "", "application/json"},
		{"5xx", Faults{Random5xxRate: 1}, 0, "", "application/json"},
		{"HTML 5xx", Faults{Random5xxRate: 1, HTMLErrorRate: 1}, 0, "", "text/html; charset=utf-8"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, base := serve(t, fixture(t), Config{Now: now, Faults: c.faults})
			r := get(t, base+"/api/v1/users")
			if (c.status != 0 && r.status != c.status) || (c.status == 0 && r.status < 500) {
				t.Fatalf("status %d", r.status)
			}
			if r.header.Get("Retry-After") != c.retryAfter || r.header.Get("Content-Type") != c.contentType {
				t.Fatalf("Retry-After %q, content type %q", r.header.Get("Retry-After"), r.header.Get("Content-Type"))
			}
			if c.contentType == "application/json" {
				if e := cerbyError(t, r); string(e["status"]) != jsonNumber(r.status) {
					t.Errorf("status member %s", e["status"])
				}
			}
		})
	}

	_, limited := serve(t, fixture(t), Config{Now: now, Faults: Faults{RateLimitPerSecond: 2}})
	var got []int
	for range 3 {
		got = append(got, get(t, limited+"/api/v1/accounts").status)
	}
	r := get(t, limited+"/v1/accounts")
	if !slices.Equal(got, []int{200, 200, 429}) || r.status != 429 {
		t.Fatalf("statuses %v then %d: one budget for both APIs", got, r.status)
	}
	last := get(t, limited+"/api/v1/accounts")
	if e := cerbyError(t, last); last.header.Get("Retry-After") != "1" || !strings.Contains(unquote(t, e["detail"]), "2 requests per second") {
		t.Errorf("rate limit: %q %s", last.header.Get("Retry-After"), last.body)
	}

	_, slow := serve(t, fixture(t), Config{Faults: Faults{Latency: 40 * time.Millisecond}})
	began := time.Now()
	if r := get(t, slow+"/api/v1/accounts"); r.status != http.StatusOK || time.Since(began) < 40*time.Millisecond {
		t.Errorf("latency: status %d after %s", r.status, time.Since(began))
	}

	sim, dropping := serve(t, fixture(t), Config{Faults: Faults{DropConnectionRate: 1}})
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	req, _ := http.NewRequest(http.MethodGet, dropping+"/api/v1/accounts", nil)
	req.Header.Set("X-API-Key", testKey)
	if resp, err := client.Do(req); err == nil {
		resp.Body.Close()
		t.Errorf("status %d, want a dropped connection", resp.StatusCode)
	}
	if c := sim.Counters(); c.ByStatus[0] != 1 || c.ByEndpoint[EndpointCerbyAccounts] != 1 {
		t.Errorf("dropped request counted as %+v", c)
	}

	broken := New(&Workspace{Accounts: []Object{{}}}, Config{})
	rec := get(t, startedURL(t, broken)+"/api/v1/accounts")
	if e := cerbyError(t, rec); rec.status != 500 || !strings.Contains(unquote(t, e["detail"]), "id") {
		t.Errorf("unservable workspace: %d %s", rec.status, rec.body)
	}
}

func jsonNumber(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func startedURL(t *testing.T, sim *Server) string {
	t.Helper()
	url, err := sim.Start("")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sim.Close() })
	return url
}

// cerbyPageAt reads one page of /api/v1/accounts of five.
func cerbyPageAt(t *testing.T, base string, number int) cerbyListPage {
	t.Helper()
	var page cerbyListPage
	r := get(t, base+"/api/v1/accounts?page[size]=5&page[number]="+jsonNumber(number))
	if r.status != http.StatusOK {
		t.Fatalf("page %d: status %d %s", number, r.status, r.body)
	}
	r.decode(t, &page)
	return page
}

func total(p cerbyListPage) int {
	if p.Meta.Page.Total == nil {
		return -1
	}
	return *p.Meta.Page.Total
}

func TestListingFaultsActOnTheCerbyAPI(t *testing.T) {
	ws := Generate(9, Size{Accounts: 10, Members: 8})
	original := ws.AccountIDs()

	t.Run("NeverAdvance", func(t *testing.T) {
		_, base := serve(t, ws, Config{Faults: Faults{NeverAdvance: true}})
		second := cerbyPageAt(t, base, 2)
		if !slices.Equal(second.ids(), original[:5]) || second.Links.Next != nil || second.Links.Previous == nil {
			t.Fatalf("page 2: %v, links %+v", second.ids(), second.Links)
		}
		var users cerbyListPage
		get(t, base+"/api/v1/users?page[size]=2&page[number]=3").decode(t, &users)
		if !slices.Equal(users.ids(), ws.MemberIDs()[:2]) {
			t.Fatalf("users page 3: %v", users.ids())
		}
	})
	t.Run("InsertBetweenPages", func(t *testing.T) {
		sim, base := serve(t, ws, Config{Faults: Faults{Seed: 1, InsertBetweenPages: 2}})
		first, second := cerbyPageAt(t, base, 1), cerbyPageAt(t, base, 2)
		if total(first) != 10 || total(second) != 12 || !slices.Equal(second.ids(), original[3:8]) || len(sim.AccountIDs()) != 12 {
			t.Fatalf("totals %d, %d; page 2 %v", total(first), total(second), second.ids())
		}
	})
	t.Run("RemoveBetweenPages", func(t *testing.T) {
		_, base := serve(t, ws, Config{Faults: Faults{RemoveBetweenPages: 2}})
		second := cerbyPageAt(t, base, 2)
		if total(second) != 8 || !slices.Equal(second.ids(), original[7:]) || second.Links.Next != nil {
			t.Fatalf("page 2 %v of %d", second.ids(), total(second))
		}
	})
	t.Run("DuplicateItems", func(t *testing.T) {
		_, base := serve(t, ws, Config{Faults: Faults{DuplicateItems: 3}})
		third := cerbyPageAt(t, base, 3)
		if total(third) != 13 || !slices.Equal(third.ids(), original[:3]) {
			t.Fatalf("page 3 %v of %d", third.ids(), total(third))
		}
	})
	t.Run("EmptyPageAt", func(t *testing.T) {
		// Position 6 is the first item of page 2 of five.
		_, base := serve(t, ws, Config{Faults: Faults{EmptyPageAt: 6}})
		second := cerbyPageAt(t, base, 2)
		if len(second.Data) != 0 || total(second) != 10 {
			t.Fatalf("page 2: %d items of %d", len(second.Data), total(second))
		}
	})
	t.Run("TotalResultsOffset", func(t *testing.T) {
		_, base := serve(t, ws, Config{Faults: Faults{TotalResultsOffset: 5}})
		second := cerbyPageAt(t, base, 2)
		if total(second) != 15 || second.Links.Next != nil {
			t.Fatalf("total %d, next %v: links follow the items, not the total", total(second), second.Links.Next)
		}
	})
	t.Run("OmitTotalResults", func(t *testing.T) {
		_, base := serve(t, ws, Config{Faults: Faults{OmitTotalResults: true}})
		r := get(t, base+"/api/v1/accounts?page[size]=5")
		if !strings.HasSuffix(string(r.body), `"meta":{"page":{"maxSize":100}}}`) {
			t.Fatalf("meta of %s", r.body)
		}
		pages := walkCerby(t, base, "/api/v1/accounts?page[size]=3")
		var walked []string
		for _, p := range pages {
			walked = append(walked, p.ids()...)
		}
		if len(pages) != 4 || !slices.Equal(walked, original) {
			t.Fatalf("following next without a total: %d pages, %v", len(pages), walked)
		}
	})
	t.Run("TotalShiftAfterFirstPage", func(t *testing.T) {
		_, base := serve(t, ws, Config{Faults: Faults{TotalShiftAfterFirstPage: 3}})
		first, second := cerbyPageAt(t, base, 1), cerbyPageAt(t, base, 2)
		if total(first) != 10 || total(second) != 13 || !slices.Equal(second.ids(), original[5:]) || second.Links.Next != nil {
			t.Fatalf("totals %d then %d, page 2 %v", total(first), total(second), second.ids())
		}
		var legacyFirst, legacySecond accountsPage
		get(t, base+"/v1/accounts?limit=5").decode(t, &legacyFirst)
		get(t, base+"/v1/accounts?limit=5&startIndex=6").decode(t, &legacySecond)
		if legacyFirst.TotalResults != 10 || legacySecond.TotalResults != 13 {
			t.Fatalf("Read API totals %d then %d", legacyFirst.TotalResults, legacySecond.TotalResults)
		}
	})
	t.Run("NextOrigin", func(t *testing.T) {
		_, base := serve(t, ws, Config{Faults: Faults{NextOrigin: "https://elsewhere.example/"}})
		first, last := cerbyPageAt(t, base, 1), cerbyPageAt(t, base, 2)
		want := "https://elsewhere.example/api/v1/accounts?page%5Bnumber%5D=2&page%5Bsize%5D=5"
		if first.Links.Next == nil || *first.Links.Next != want || !strings.HasPrefix(first.Links.Self, "/api/v1/") {
			t.Fatalf("links %+v, want next %s", first.Links, want)
		}
		if last.Links.Next != nil || !strings.HasPrefix(*last.Links.Previous, "/api/v1/") {
			t.Fatalf("last page links %+v", last.Links)
		}
	})
	t.Run("NextRepeatsSelf", func(t *testing.T) {
		_, base := serve(t, ws, Config{Faults: Faults{NextRepeatsSelf: true}})
		for number := 1; number <= 3; number++ {
			page := cerbyPageAt(t, base, number)
			if page.Links.Next == nil || *page.Links.Next != page.Links.Self {
				t.Fatalf("page %d: links %+v", number, page.Links)
			}
		}
	})
}

func TestCerbyFaultsValidate(t *testing.T) {
	for _, origin := range []string{"https://elsewhere.example", "http://127.0.0.1:9", "https://h.example/"} {
		if err := (Faults{NextOrigin: origin}).Validate(); err != nil {
			t.Errorf("%s rejected: %v", origin, err)
		}
	}
	for _, origin := range []string{"elsewhere.example", "ftp://h.example", "https://h.example/api", "https://h.example?x=1", "https://u@h.example", "https://"} {
		if err := (Faults{NextOrigin: origin}).Validate(); err == nil || !strings.Contains(err.Error(), "NextOrigin") {
			t.Errorf("%s: error %v", origin, err)
		}
	}
}

func TestLinkShapeFaults(t *testing.T) {
	ws := Generate(9, Size{Accounts: 10})
	t.Run("NextPath", func(t *testing.T) {
		_, base := serve(t, ws, Config{Faults: Faults{NextPath: "/api/v1/secrets", NextOrigin: "http://127.0.0.1:9"}})
		first := cerbyPageAt(t, base, 1)
		if want := "http://127.0.0.1:9/api/v1/secrets?page%5Bnumber%5D=2&page%5Bsize%5D=5"; first.Links.Next == nil || *first.Links.Next != want {
			t.Fatalf("next %v, want %s", first.Links.Next, want)
		}
		if !strings.HasPrefix(first.Links.Self, "/api/v1/accounts?") {
			t.Fatalf("self %s", first.Links.Self)
		}
	})
	t.Run("OmitNullLinks", func(t *testing.T) {
		_, base := serve(t, ws, Config{Faults: Faults{OmitNullLinks: true}})
		for number, want := range map[int]string{
			1: `"links":{"self":"/api/v1/accounts?page%5Bnumber%5D=1&page%5Bsize%5D=5","next":"/api/v1/accounts?page%5Bnumber%5D=2&page%5Bsize%5D=5"}`,
			2: `"links":{"self":"/api/v1/accounts?page%5Bnumber%5D=2&page%5Bsize%5D=5","previous":"/api/v1/accounts?page%5Bnumber%5D=1&page%5Bsize%5D=5"}`,
		} {
			r := get(t, base+"/api/v1/accounts?page[size]=5&page[number]="+jsonNumber(number))
			if !strings.Contains(string(r.body), want) {
				t.Errorf("page %d: %s", number, r.body)
			}
		}
	})
	t.Run("OmitLinks", func(t *testing.T) {
		_, base := serve(t, ws, Config{Faults: Faults{OmitLinks: true}})
		var envelope map[string]json.RawMessage
		get(t, base+"/api/v1/accounts?page[size]=5").decode(t, &envelope)
		if _, ok := envelope["links"]; ok || envelope["data"] == nil || envelope["meta"] == nil {
			t.Fatalf("envelope keys %v", envelope)
		}
	})
}

func TestServerErrorStatus(t *testing.T) {
	_, base := serve(t, fixture(t), Config{Faults: Faults{Random5xxRate: 1, HTMLErrorRate: 1, ServerErrorStatus: 502}})
	for _, path := range []string{"/api/v1/accounts", "/v1/accounts", "/api/v1/users", "/v1/admin/users"} {
		r := get(t, base+path)
		if r.status != http.StatusBadGateway || !strings.Contains(string(r.body), "<title>502 Bad Gateway</title>") {
			t.Errorf("%s: %d %s", path, r.status, r.body)
		}
	}
	for _, bad := range []int{404, 600, -1} {
		if err := (Faults{ServerErrorStatus: bad}).Validate(); err == nil || !strings.Contains(err.Error(), "ServerErrorStatus") {
			t.Errorf("%d: %v", bad, err)
		}
	}
	for _, bad := range []string{"api/v1/x", "/x?y=1", "/x#y"} {
		if err := (Faults{NextPath: bad}).Validate(); err == nil || !strings.Contains(err.Error(), "NextPath") {
			t.Errorf("%s: %v", bad, err)
		}
	}
}
