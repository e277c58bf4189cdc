package cerbysim

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// statuses sends n listing requests and returns their statuses.
func statuses(t *testing.T, url string, n int) []int {
	t.Helper()
	out := make([]int, n)
	for i := range out {
		out[i] = get(t, url+"/v1/accounts").status
	}
	return out
}

func TestRateLimitPerSecond(t *testing.T) {
	clock := time.Unix(1_700_000_000, 0)
	sim, url := serve(t, fixture(t), Config{Now: func() time.Time { return clock }, Faults: Faults{RateLimitPerSecond: 3}})
	got := statuses(t, url, 5)
	if want := []int{200, 200, 200, 429, 429}; !slices.Equal(got, want) {
		t.Fatalf("statuses %v, want %v", got, want)
	}
	limited := get(t, url+"/v1/accounts")
	if limited.header.Get("Retry-After") != "1" || !strings.Contains(errorDetail(t, limited), "3 requests per second") {
		t.Errorf("429: Retry-After %q, body %s", limited.header.Get("Retry-After"), limited.body)
	}
	clock = clock.Add(time.Second)
	if got := statuses(t, url, 4); !slices.Equal(got, []int{200, 200, 200, 429}) {
		t.Errorf("next second: %v", got)
	}
	c := sim.Counters()
	if c.BySecond[1_700_000_000] != 6 || c.BySecond[1_700_000_001] != 4 {
		t.Errorf("per second: %v", c.BySecond)
	}
}

func TestRandom429RetryAfterForms(t *testing.T) {
	now := time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)
	clock := func() time.Time { return now }
	cases := []struct {
		name   string
		faults Faults
		want   string
	}{
		{"seconds, rounded up", Faults{Random429Rate: 1, RetryAfter: 6500 * time.Millisecond}, "7"},
		{"HTTP date", Faults{Random429Rate: 1, RetryAfter: 90 * time.Second, RetryAfterHTTPDate: true}, "Tue, 04 Mar 2025 05:07:37 GMT"},
		{"no header", Faults{Random429Rate: 1}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, url := serve(t, fixture(t), Config{Now: clock, Faults: c.faults})
			r := get(t, url+"/v1/accounts")
			if r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") != c.want {
				t.Fatalf("status %d, Retry-After %q, want %q", r.status, r.header.Get("Retry-After"), c.want)
			}
			if _, present := r.header["Retry-After"]; c.want == "" && present {
				t.Fatal("Retry-After sent though RetryAfter is zero")
			}
		})
	}
}

func TestRandomFaultsAreReproducibleFromTheSeed(t *testing.T) {
	faults := Faults{Seed: 42, Random429Rate: 0.3, Random5xxRate: 0.3}
	_, first := serve(t, fixture(t), Config{Faults: faults})
	_, second := serve(t, fixture(t), Config{Faults: faults})
	faults.Seed = 43
	_, other := serve(t, fixture(t), Config{Faults: faults})
	a, b, c := statuses(t, first, 40), statuses(t, second, 40), statuses(t, other, 40)
	if !slices.Equal(a, b) {
		t.Fatalf("same seed, different faults:\n%v\n%v", a, b)
	}
	if slices.Equal(a, c) {
		t.Fatal("a different seed gave the same faults")
	}
	kinds := map[string]bool{}
	for _, s := range a {
		kinds[fmt.Sprint(s/100)] = true
	}
	if !kinds["2"] || !kinds["4"] || !kinds["5"] {
		t.Fatalf("40 requests at 30%% rates should mix successes, 429s and 5xx: %v", a)
	}
}

func TestRandom5xxBodies(t *testing.T) {
	_, jsonURL := serve(t, fixture(t), Config{Faults: Faults{Random5xxRate: 1}})
	_, htmlURL := serve(t, fixture(t), Config{Faults: Faults{Random5xxRate: 1, HTMLErrorRate: 1}})
	seen := map[int]bool{}
	for range 30 {
		r := get(t, jsonURL+"/v1/accounts")
		seen[r.status] = true
		if r.header.Get("Content-Type") != "application/json" || errorDetail(t, r) == "" {
			t.Fatalf("JSON 5xx: %q %s", r.header.Get("Content-Type"), r.body)
		}
	}
	for _, status := range serverErrorStatuses {
		if !seen[status] {
			t.Errorf("30 server errors never used %d", status)
		}
	}
	r := get(t, htmlURL+"/v1/accounts")
	if r.status < 500 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") || !strings.Contains(string(r.body), "<html>") {
		t.Fatalf("HTML 5xx: %d %q %s", r.status, r.header.Get("Content-Type"), r.body)
	}
}

func TestLatency(t *testing.T) {
	_, url := serve(t, fixture(t), Config{Faults: Faults{Latency: 40 * time.Millisecond}})
	began := time.Now()
	if r := get(t, url+"/v1/accounts"); r.status != http.StatusOK {
		t.Fatalf("status %d", r.status)
	}
	if took := time.Since(began); took < 40*time.Millisecond {
		t.Fatalf("answered after %s, before the 40ms latency", took)
	}
}

func TestDropConnection(t *testing.T) {
	sim, url := serve(t, fixture(t), Config{Faults: Faults{DropConnectionRate: 1}})
	// Without keep-alive the transport cannot retry on another connection,
	// so exactly one request reaches the server.
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	req, _ := http.NewRequest(http.MethodGet, url+"/v1/accounts", nil)
	req.Header.Set("X-API-Key", testKey)
	resp, err := client.Do(req)
	if err == nil {
		resp.Body.Close()
		t.Fatalf("got status %d, want a dropped connection", resp.StatusCode)
	}
	if !errors.Is(err, io.EOF) && !strings.Contains(err.Error(), "EOF") && !strings.Contains(err.Error(), "reset") {
		t.Errorf("error %v does not look like a dropped connection", err)
	}
	c := sim.Counters()
	if len(c.Requests) != 1 || c.Requests[0].Status != 0 || c.ByStatus[0] != 1 {
		t.Errorf("counters %+v", c)
	}
}

func TestInsertBetweenPages(t *testing.T) {
	ws := Generate(9, Size{Accounts: 10, Members: 6})
	original := ws.AccountIDs()
	sim, url := serve(t, ws, Config{Faults: Faults{Seed: 1, InsertBetweenPages: 2}})

	var first, second accountsPage
	get(t, url+"/v1/accounts?limit=5").decode(t, &first)
	get(t, url+"/v1/accounts?limit=5&startIndex=6").decode(t, &second)
	if got := ids(t, first.Accounts); !slices.Equal(got, original[:5]) || first.TotalResults != 10 {
		t.Fatalf("first page %v of %d", got, first.TotalResults)
	}
	// Two items inserted in front shift the second page back by two.
	if got := ids(t, second.Accounts); !slices.Equal(got, original[3:8]) || second.TotalResults != 12 {
		t.Fatalf("second page %v of %d, want %v of 12", got, second.TotalResults, original[3:8])
	}
	live := sim.AccountIDs()
	if len(live) != 12 || slices.Contains(original, live[0]) {
		t.Fatalf("live accounts %v", live)
	}
	if r := get(t, url+"/v1/accounts/"+live[0]); r.status != http.StatusOK {
		t.Errorf("inserted account not served alone: %d", r.status)
	}

	var members membersPage
	get(t, url+"/v1/admin/users?startIndex=2").decode(t, &members)
	if members.TotalResults != 8 || slices.Contains(ws.MemberIDs(), sim.MemberIDs()[0]) {
		t.Errorf("members not inserted: total %d, want 8", members.TotalResults)
	}
}

func TestRemoveBetweenPages(t *testing.T) {
	ws := Generate(9, Size{Accounts: 10})
	original := ws.AccountIDs()
	_, url := serve(t, ws, Config{Faults: Faults{RemoveBetweenPages: 2}})

	var second accountsPage
	get(t, url+"/v1/accounts?limit=5").decode(t, &accountsPage{})
	get(t, url+"/v1/accounts?limit=5&startIndex=6").decode(t, &second)
	// Two items removed from the front: the client skips the old 6th and 7th.
	if got := ids(t, second.Accounts); !slices.Equal(got, original[7:]) || second.TotalResults != 8 {
		t.Fatalf("second page %v of %d, want %v of 8", got, second.TotalResults, original[7:])
	}
	if r := get(t, url+"/v1/accounts/"+original[0]); r.status != http.StatusNotFound {
		t.Errorf("removed account still served: %d", r.status)
	}
}

func TestNeverAdvance(t *testing.T) {
	ws := Generate(9, Size{Accounts: 10, Members: 8})
	_, url := serve(t, ws, Config{Faults: Faults{NeverAdvance: true}})
	var later accountsPage
	get(t, url+"/v1/accounts?limit=4&startIndex=5").decode(t, &later)
	if got := ids(t, later.Accounts); !slices.Equal(got, ws.AccountIDs()[:4]) || later.StartIndex != 5 {
		t.Fatalf("page at startIndex 5: %v (startIndex %d)", got, later.StartIndex)
	}
	var members membersPage
	get(t, url+"/v1/admin/users?count=2&startIndex=3").decode(t, &members)
	if got := ids(t, members.Resources); !slices.Equal(got, ws.MemberIDs()[:2]) {
		t.Fatalf("members at startIndex 3: %v", got)
	}
}

func TestFaultsValidate(t *testing.T) {
	if err := (Faults{Random429Rate: 0.5, RateLimitPerSecond: 2}).Validate(); err != nil {
		t.Fatalf("valid faults rejected: %v", err)
	}
	err := Faults{Random5xxRate: 1.5, DropConnectionRate: -0.1, InsertBetweenPages: -1, Latency: -time.Second, ChangeLimit: -1, DuplicateItems: -1, EmptyPageAt: -1}.Validate()
	for _, want := range []string{"Random5xxRate", "DropConnectionRate", "InsertBetweenPages", "Latency", "ChangeLimit", "DuplicateItems", "EmptyPageAt"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v should name %s", err, want)
		}
	}
}

func TestChangeLimitLetsTheListingSettle(t *testing.T) {
	ws := Generate(9, Size{Accounts: 10})
	sim, url := serve(t, ws, Config{Faults: Faults{InsertBetweenPages: 2, ChangeLimit: 1}})
	var second, again accountsPage
	get(t, url+"/v1/accounts?limit=5&startIndex=6").decode(t, &second)
	get(t, url+"/v1/accounts?limit=5&startIndex=6").decode(t, &again)
	if second.TotalResults != 12 || again.TotalResults != 12 || len(sim.AccountIDs()) != 12 {
		t.Fatalf("totals %d then %d, %d accounts: want one change of two", second.TotalResults, again.TotalResults, len(sim.AccountIDs()))
	}
}

func TestDuplicateItemsAreCountedAndListedAgainAtTheEnd(t *testing.T) {
	ws := Generate(9, Size{Accounts: 10, Members: 4})
	_, url := serve(t, ws, Config{Faults: Faults{DuplicateItems: 3}})
	var last accountsPage
	get(t, url+"/v1/accounts?limit=5&startIndex=11").decode(t, &last)
	if got := ids(t, last.Accounts); !slices.Equal(got, ws.AccountIDs()[:3]) || last.TotalResults != 13 {
		t.Fatalf("page past the end %v of %d, want the first three again of 13", got, last.TotalResults)
	}
	var members membersPage
	get(t, url+"/v1/admin/users").decode(t, &members)
	if got := ids(t, members.Resources); len(got) != 7 || !slices.Equal(got[4:], ws.MemberIDs()[:3]) {
		t.Fatalf("members %v", got)
	}
	// The workspace's own list is untouched by the repeat.
	var first accountsPage
	get(t, url+"/v1/accounts?limit=100").decode(t, &first)
	if got := ids(t, first.Accounts); !slices.Equal(got[:10], ws.AccountIDs()) {
		t.Fatalf("listing %v", got)
	}
}

func TestEmptyPageAt(t *testing.T) {
	ws := Generate(9, Size{Accounts: 10})
	_, url := serve(t, ws, Config{Faults: Faults{EmptyPageAt: 6}})
	var empty, other accountsPage
	get(t, url+"/v1/accounts?limit=5&startIndex=6").decode(t, &empty)
	get(t, url+"/v1/accounts?limit=5&startIndex=7").decode(t, &other)
	if len(empty.Accounts) != 0 || empty.TotalResults != 10 || len(other.Accounts) != 4 {
		t.Fatalf("page at 6: %d items of %d; page at 7: %d items", len(empty.Accounts), empty.TotalResults, len(other.Accounts))
	}
}

func TestTotalResultsFaults(t *testing.T) {
	ws := Generate(9, Size{Accounts: 10, Members: 4})
	cases := []struct {
		faults  Faults
		account string // the totalResults member as sent, "" when absent
	}{
		{Faults{TotalResultsOffset: 5}, "15"},
		{Faults{TotalResultsOffset: -4}, "6"},
		{Faults{TotalResultsOffset: -40}, "0"},
		{Faults{OmitTotalResults: true}, ""},
	}
	for _, c := range cases {
		_, url := serve(t, ws, Config{Faults: c.faults})
		for _, path := range []string{"/v1/accounts", "/v1/admin/users"} {
			var envelope map[string]json.RawMessage
			get(t, url+path).decode(t, &envelope)
			want := c.account
			if path == "/v1/admin/users" && want != "" {
				want = fmt.Sprint(max(4+c.faults.TotalResultsOffset, 0))
			}
			if got := string(envelope["totalResults"]); got != want {
				t.Errorf("%+v %s: totalResults %q, want %q", c.faults, path, got, want)
			}
		}
	}
}

func TestRequestsRecordWhenTheyWereAnswered(t *testing.T) {
	at := time.Unix(1_700_000_000, 0)
	sim, url := serve(t, fixture(t), Config{Now: func() time.Time { return at }})
	get(t, url+"/v1/accounts")
	if got := sim.Counters().Requests; len(got) != 1 || !got[0].At.Equal(at) {
		t.Fatalf("requests %+v, want one at %s", got, at)
	}
}
