package cerbysim

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// fixture is a small hand-written workspace whose filter results are known.
func fixture(t *testing.T) *Workspace {
	t.Helper()
	ws, err := ParseWorkspace([]byte(`{
	  "accounts": [
	    {"id": "a1", "name": "Brand Instagram 0001", "username": "brand.ig", "email": "ig@example.com", "provider": "instagram",
	     "status": "enabled", "type": "identity", "role": "owner", "appId": "app-ig", "collectionIds": ["c1"], "teamIds": ["t1"]},
	    {"id": "a2", "name": "Support TikTok 0002", "username": "help.tt", "email": "SUPPORT@example.com", "provider": "tiktok",
	     "status": "disabled", "type": "resource", "role": "account_manager", "appId": "app-tt", "collectionIds": ["c1", "c2"], "teamIds": []},
	    {"id": "a3", "name": "Careers LinkedIn", "username": "jobs", "email": "jobs@corp.example", "provider": "linkedin",
	     "status": "pending", "type": "secret", "role": "collaborator", "appId": "app-li", "collectionIds": [], "teamIds": ["t2"],
	     "createdBy": {"id": "m1"}, "domains": null}
	  ],
	  "members": [
	    {"id": "m1", "firstName": "Ana", "lastName": "Garcia", "email": "ana@example.com", "status": "live", "isGuest": false},
	    {"id": "m2", "firstName": "Bruno", "lastName": "Smith", "email": "bruno@example.com", "status": "pending", "isGuest": true},
	    {"id": "m3", "firstName": "Chen", "lastName": "Wang", "email": "chen@example.com", "status": "disabled", "isGuest": false},
	    {"id": "m4", "firstName": "Dana", "lastName": "Idp", "email": "dana@example.com", "status": "pending", "onlyInIdp": true}
	  ],
	  "access": {"m1": ["a1", "a3"], "m3": ["a2"]}
	}`))
	if err != nil {
		t.Fatal(err)
	}
	return ws
}

func TestListAccountsEnvelopeAndDefaults(t *testing.T) {
	_, url := serve(t, fixture(t), Config{})
	r := get(t, url+"/v1/accounts")
	if r.status != http.StatusOK || r.header.Get("Content-Type") != "application/json" {
		t.Fatalf("status %d, content type %q", r.status, r.header.Get("Content-Type"))
	}
	if !bytes.HasPrefix(r.body, []byte(`{"startIndex":1,"limit":20,"totalResults":3,"accounts":[{"id":"a1","name":"Brand Instagram 0001"`)) {
		t.Fatalf("unexpected envelope: %.120s", r.body)
	}
	var page accountsPage
	r.decode(t, &page)
	if got := strings.Join(ids(t, page.Accounts), ","); got != "a1,a2,a3" {
		t.Errorf("accounts %s", got)
	}
}

func TestAccountFilters(t *testing.T) {
	_, url := serve(t, fixture(t), Config{})
	cases := map[string]string{
		"search=instagram":                  "a1",
		"search=support":                    "a2",
		"search=JOBS":                       "a3",
		"search=example.com":                "a1,a2",
		"search=nothing-like-it":            "",
		"status=disabled":                   "a2",
		"type=secret":                       "a3",
		"role=owner":                        "a1",
		"role=account_owner":                "a1",
		"role=account_manager":              "a2",
		"role=account_collaborator":         "a3",
		"provider=tiktok":                   "a2",
		"provider=tiktok,instagram":         "a2",
		"provider=instagram%2Ctiktok":       "a1",
		"ids=a3,a1":                         "a1,a3",
		"app=app-li":                        "a3",
		"collections=c2":                    "a2",
		"collections=c1":                    "a1,a2",
		"teamIds=t2,t1":                     "a1,a3",
		"status=enabled&provider=tiktok":    "",
		"sortBy=name&unknownParam=whatever": "a1,a2,a3",
	}
	for query, want := range cases {
		t.Run(query, func(t *testing.T) {
			r := get(t, url+"/v1/accounts?"+query)
			var page accountsPage
			r.decode(t, &page)
			if got := strings.Join(ids(t, page.Accounts), ","); got != want {
				t.Errorf("got %q, want %q", got, want)
			}
			if page.TotalResults != len(page.Accounts) {
				t.Errorf("totalResults %d for %d matches", page.TotalResults, len(page.Accounts))
			}
		})
	}
}

func TestListAccountsPaging(t *testing.T) {
	ws := Generate(2, Size{Accounts: 250, Members: 5, AccessPerMember: 2})
	_, url := serve(t, ws, Config{})
	var walked []string
	for start := 1; ; {
		var page accountsPage
		get(t, fmt.Sprintf("%s/v1/accounts?startIndex=%d&limit=100", url, start)).decode(t, &page)
		if page.StartIndex != start || page.Limit != 100 || page.TotalResults != 250 {
			t.Fatalf("envelope %+v at startIndex %d", page, start)
		}
		if len(page.Accounts) == 0 {
			break
		}
		walked = append(walked, ids(t, page.Accounts)...)
		start += len(page.Accounts)
	}
	if strings.Join(walked, ",") != strings.Join(ws.AccountIDs(), ",") {
		t.Fatal("walking the pages did not give every account once, in order")
	}

	var capped accountsPage
	get(t, url+"/v1/accounts?limit=500&startIndex=101").decode(t, &capped)
	if capped.Limit != MaxPageSize || len(capped.Accounts) != MaxPageSize || ids(t, capped.Accounts)[0] != ws.AccountIDs()[100] {
		t.Errorf("limit=500 gave limit %d and %d accounts", capped.Limit, len(capped.Accounts))
	}
	var defaults accountsPage
	get(t, url+"/v1/accounts").decode(t, &defaults)
	if len(defaults.Accounts) != DefaultPageSize {
		t.Errorf("default page has %d accounts", len(defaults.Accounts))
	}
}

func TestMalformedParameters(t *testing.T) {
	_, url := serve(t, fixture(t), Config{})
	cases := map[string]string{
		"/v1/accounts?startIndex=0":       "startIndex",
		"/v1/accounts?startIndex=abc":     "startIndex",
		"/v1/accounts?startIndex=":        "startIndex",
		"/v1/accounts?limit=ten":          "limit",
		"/v1/accounts?limit=0":            "limit",
		"/v1/admin/users?count=-1":        "count",
		"/v1/admin/users?startIndex=1.5":  "startIndex",
		"/v1/admin/users?isGuest=maybe":   "isGuest",
		"/v1/admin/users?onlyInIdp=often": "onlyInIdp",
	}
	for path, param := range cases {
		r := get(t, url+path)
		if r.status != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400", path, r.status)
			continue
		}
		if detail := errorDetail(t, r); !strings.Contains(detail, param) {
			t.Errorf("%s: detail %q does not name %s", path, detail, param)
		}
	}
}

func TestGetAccount(t *testing.T) {
	ws := fixture(t)
	_, url := serve(t, ws, Config{})
	r := get(t, url+"/v1/accounts/a3")
	want, _ := ws.Account("a3").MarshalJSON()
	if r.status != http.StatusOK || !bytes.Equal(r.body, want) {
		t.Fatalf("status %d, body %s", r.status, r.body)
	}
	missing := get(t, url+"/v1/accounts/zz")
	if missing.status != http.StatusNotFound || !strings.Contains(errorDetail(t, missing), "zz") {
		t.Fatalf("unknown account: status %d, body %s", missing.status, missing.body)
	}
}

func TestListMembers(t *testing.T) {
	_, url := serve(t, fixture(t), Config{})
	r := get(t, url+"/v1/admin/users")
	if !bytes.HasPrefix(r.body, []byte(`{"totalResults":3,"itemsPerPage":20,"startIndex":1,"resources":[{"id":"m1"`)) {
		t.Fatalf("unexpected envelope: %.120s", r.body)
	}
	cases := map[string]string{
		"":                            "m1,m2,m3",
		"search=garcia":               "m1",
		"search=ana%20garcia":         "m1",
		"search=EXAMPLE":              "m1,m2,m3",
		"userIds=m3,m2":               "m2,m3",
		"status=live,disabled":        "m1,m3",
		"isGuest=true":                "m2",
		"isGuest=false":               "m1,m3",
		"onlyInIdp=true":              "m4",
		"onlyInIdp=false":             "m1,m2,m3",
		"status=pending&isGuest=true": "m2",
		"count=2":                     "m1,m2",
		"count=2&startIndex=3":        "m3",
	}
	for query, want := range cases {
		var page membersPage
		get(t, url+"/v1/admin/users?"+query).decode(t, &page)
		if got := strings.Join(ids(t, page.Resources), ","); got != want {
			t.Errorf("%s: got %q, want %q", query, got, want)
		}
	}
	var paged membersPage
	get(t, url+"/v1/admin/users?count=2&startIndex=3").decode(t, &paged)
	if paged.TotalResults != 3 || paged.ItemsPerPage != 2 || paged.StartIndex != 3 {
		t.Errorf("envelope %+v", paged)
	}
}

func TestMemberAccounts(t *testing.T) {
	_, url := serve(t, fixture(t), Config{})
	r := get(t, url+"/v1/users/m1/accounts")
	if r.status != http.StatusOK || !bytes.HasPrefix(r.body, []byte(`[{"id":"a1"`)) {
		t.Fatalf("status %d, body %.80s", r.status, r.body)
	}
	var reached []jsonObject
	r.decode(t, &reached)
	if len(reached) != 2 || reached[1]["id"] != "a3" {
		t.Errorf("m1 reaches %v", reached)
	}
	if none := get(t, url+"/v1/users/m2/accounts"); none.status != http.StatusOK || string(none.body) != "[]" {
		t.Errorf("member without access: %d %s", none.status, none.body)
	}
	if missing := get(t, url+"/v1/users/m9/accounts"); missing.status != http.StatusNotFound || !strings.Contains(errorDetail(t, missing), "m9") {
		t.Errorf("unknown member: %d %s", missing.status, missing.body)
	}
}

type jsonObject map[string]any

func TestAuthentication(t *testing.T) {
	const bearer = "jwt-token-value"
	_, url := serve(t, fixture(t), Config{APIKey: testKey, BearerToken: bearer})
	cases := []struct {
		name    string
		headers []string
		want    int
	}{
		{"no credential", nil, 401},
		{"right key", []string{"X-API-Key", testKey}, 200},
		{"wrong key", []string{"X-API-Key", "nope"}, 401},
		{"empty key", []string{"X-API-Key", ""}, 401},
		{"key decides before bearer", []string{"X-API-Key", "nope", "Authorization", "Bearer " + bearer}, 401},
		{"right key, wrong bearer", []string{"X-API-Key", testKey, "Authorization", "Bearer nope"}, 200},
		{"right bearer", []string{"Authorization", "Bearer " + bearer}, 200},
		{"scheme is case-insensitive", []string{"Authorization", "bearer " + bearer}, 200},
		{"wrong bearer", []string{"Authorization", "Bearer nope"}, 401},
		{"not a bearer", []string{"Authorization", "Basic " + bearer}, 401},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := send(t, http.MethodGet, url+"/v1/accounts", c.headers...)
			if r.status != c.want {
				t.Fatalf("status %d, want %d", r.status, c.want)
			}
			if bytes.Contains(r.body, []byte(testKey)) || bytes.Contains(r.body, []byte(bearer)) {
				t.Fatal("a credential leaked into the body")
			}
			if c.want != 401 {
				return
			}
			var body struct {
				Errors []struct{ Code, Title, Detail, Status string }
			}
			r.decode(t, &body)
			if len(body.Errors) != 1 || body.Errors[0].Code != "unauthorized" || body.Errors[0].Status != "401" || body.Errors[0].Detail == "" {
				t.Fatalf("401 body %s", r.body)
			}
		})
	}
}

func TestBearerOnlyServerRejectsAnyKey(t *testing.T) {
	_, url := serve(t, fixture(t), Config{BearerToken: "tok"})
	if r := send(t, http.MethodGet, url+"/v1/accounts", "X-API-Key", ""); r.status != 401 {
		t.Errorf("status %d", r.status)
	}
	if r := send(t, http.MethodGet, url+"/v1/accounts", "Authorization", "Bearer tok"); r.status != 200 {
		t.Errorf("status %d", r.status)
	}
}

func TestNoCredentialConfiguredAcceptsAll(t *testing.T) {
	ts := New(fixture(t), Config{})
	url, err := ts.Start("")
	if err != nil {
		t.Fatal(err)
	}
	defer ts.Close()
	if r := send(t, http.MethodGet, url+"/v1/accounts"); r.status != http.StatusOK {
		t.Fatalf("status %d", r.status)
	}
}

func TestRequireWorkspace(t *testing.T) {
	_, url := serve(t, fixture(t), Config{RequireWorkspace: "acme"})
	cases := []struct {
		headers []string
		want    int
		detail  string
	}{
		{nil, 400, "Cerby-Workspace"},
		{[]string{"Cerby-Workspace", "other"}, 403, `"other"`},
		{[]string{"Cerby-Workspace", "acme"}, 200, ""},
	}
	for _, c := range cases {
		r := get(t, url+"/v1/admin/users", c.headers...)
		if r.status != c.want {
			t.Errorf("%v: status %d, want %d", c.headers, r.status, c.want)
		}
		if c.detail != "" && !strings.Contains(errorDetail(t, r), c.detail) {
			t.Errorf("%v: detail %q should mention %s", c.headers, errorDetail(t, r), c.detail)
		}
	}
	if r := send(t, http.MethodGet, url+"/v1/accounts", "Cerby-Workspace", "acme"); r.status != 401 {
		t.Errorf("credentials are checked before the workspace: got %d", r.status)
	}
}

func TestMethodsAndUnknownPaths(t *testing.T) {
	_, url := serve(t, fixture(t), Config{})
	post := send(t, http.MethodPost, url+"/v1/accounts", "X-API-Key", testKey)
	if post.status != http.StatusMethodNotAllowed || post.header.Get("Allow") != "GET" || !strings.Contains(errorDetail(t, post), "POST") {
		t.Errorf("POST: %d %q %s", post.status, post.header.Get("Allow"), post.body)
	}
	for _, path := range []string{"/v1/nope", "/v1/accounts/", "/v2/accounts", "/v1/users/m1/accounts/x", "/v1/users//accounts", "/"} {
		if r := get(t, url+path); r.status != http.StatusNotFound || errorDetail(t, r) == "" {
			t.Errorf("%s: status %d, body %s", path, r.status, r.body)
		}
	}
}

func TestIDsAndQueriesAreDecodedStrictly(t *testing.T) {
	ws, err := ParseWorkspace([]byte(`{"accounts": [{"id": "odd/id"}], "members": [{"id": "m 1"}], "access": {"m 1": ["odd/id"]}}`))
	if err != nil {
		t.Fatal(err)
	}
	_, url := serve(t, ws, Config{})
	if r := get(t, url+"/v1/accounts/odd%2Fid"); r.status != http.StatusOK {
		t.Errorf("escaped slash in an id: status %d", r.status)
	}
	if r := get(t, url+"/v1/users/m%201/accounts"); r.status != http.StatusOK || !strings.Contains(string(r.body), "odd/id") {
		t.Errorf("escaped space in a member id: %d %s", r.status, r.body)
	}
	if r := get(t, url+"/v1/accounts/odd/id"); r.status != http.StatusNotFound {
		t.Errorf("unescaped slash should not reach the account: status %d", r.status)
	}
	r := get(t, url+"/v1/accounts?search=%zz")
	if r.status != http.StatusBadRequest || !strings.Contains(errorDetail(t, r), "URL encoding") {
		t.Errorf("bad query encoding: %d %s", r.status, r.body)
	}
}

func TestEveryResponseHasItsOwnRequestID(t *testing.T) {
	_, url := serve(t, fixture(t), Config{})
	seen := map[string]bool{}
	for _, r := range []reply{get(t, url+"/v1/accounts"), get(t, url+"/nope"), send(t, http.MethodGet, url+"/v1/accounts")} {
		id := r.header.Get("X-Request-Id")
		if id == "" || seen[id] {
			t.Fatalf("request id %q missing or repeated", id)
		}
		seen[id] = true
	}
}

func TestCounters(t *testing.T) {
	clock := time.Unix(1_700_000_000, 0)
	sim, url := serve(t, fixture(t), Config{Now: func() time.Time { return clock }, RequireWorkspace: "acme"})
	get(t, url+"/v1/accounts?limit=2", "Cerby-Workspace", "acme")
	get(t, url+"/v1/accounts?startIndex=3&limit=2", "Cerby-Workspace", "acme")
	get(t, url+"/v1/admin/users", "Cerby-Workspace", "acme")
	get(t, url+"/v1/accounts/a1", "Cerby-Workspace", "acme")
	send(t, http.MethodGet, url+"/v1/users/m1/accounts", "Authorization", "Bearer x")
	get(t, url+"/elsewhere")

	c := sim.Counters()
	wantEndpoints := map[string]int{EndpointAccounts: 2, EndpointMembers: 1, EndpointAccount: 1, EndpointMemberAccounts: 1, EndpointUnknown: 1}
	for endpoint, n := range wantEndpoints {
		if c.ByEndpoint[endpoint] != n {
			t.Errorf("%s: %d requests, want %d", endpoint, c.ByEndpoint[endpoint], n)
		}
	}
	if c.ByStatus[200] != 4 || c.ByStatus[401] != 1 || c.ByStatus[400] != 1 {
		t.Errorf("by status %v", c.ByStatus)
	}
	if c.Listings != 3 || c.BySecond[clock.Unix()] != 6 || len(c.Requests) != 6 {
		t.Errorf("listings %d, by second %v, %d requests", c.Listings, c.BySecond, len(c.Requests))
	}
	second := c.Requests[1]
	if second.Method != http.MethodGet || second.Path != "/v1/accounts" || second.RawQuery != "startIndex=3&limit=2" ||
		!second.HasAPIKey || second.HasAuthorization || !second.HasWorkspace || second.Status != 200 {
		t.Errorf("second request recorded as %+v", second)
	}
	if bearer := c.Requests[4]; bearer.HasAPIKey || !bearer.HasAuthorization || bearer.HasWorkspace || bearer.Status != 401 {
		t.Errorf("bearer request recorded as %+v", bearer)
	}

	c.Requests[0].Path = "changed"
	if sim.Counters().Requests[0].Path != "/v1/accounts" {
		t.Error("Counters must return a copy")
	}
	sim.ResetCounters()
	if c := sim.Counters(); len(c.Requests) != 0 || c.Listings != 0 || len(c.ByStatus) != 0 {
		t.Errorf("after reset: %+v", c)
	}
}

func TestLogLinesCarryNoCredentials(t *testing.T) {
	var log syncBuffer
	_, url := serve(t, fixture(t), Config{APIKey: testKey, BearerToken: "bearer-secret", Log: &log})
	get(t, url+"/v1/accounts?limit=5&search=brand")
	send(t, http.MethodGet, url+"/v1/admin/users", "Authorization", "Bearer bearer-secret")
	lines := strings.Split(strings.TrimSpace(log.String()), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "GET /v1/accounts?limit=5&search=brand 200 ") || !strings.HasPrefix(lines[1], "GET /v1/admin/users 200 ") {
		t.Fatalf("log:\n%s", log.String())
	}
	if strings.Contains(log.String(), testKey) || strings.Contains(log.String(), "bearer-secret") {
		t.Fatal("a credential reached the log")
	}
}

func TestLogArrivalStampsEachLine(t *testing.T) {
	var log syncBuffer
	_, url := serve(t, fixture(t), Config{APIKey: testKey, Log: &log, LogArrival: true})
	before := time.Now().UnixMicro()
	get(t, url+"/v1/accounts?limit=5")
	after := time.Now().UnixMicro()
	var at int64
	var rest string
	if _, err := fmt.Sscanf(log.String(), "%d %s", &at, &rest); err != nil || at < before || at > after || rest != "GET" {
		t.Fatalf("log %q: want the arrival time between %d and %d, then the request", log.String(), before, after)
	}
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestInvalidWorkspaceIsReportedNotServed(t *testing.T) {
	ws := &Workspace{Accounts: []Object{{Fields: []Field{{Key: "id", Value: []byte(`"a"`)}}}, {Fields: []Field{{Key: "id", Value: []byte(`"a"`)}}}}}
	sim := New(ws, Config{})
	if sim.Err() == nil {
		t.Fatal("duplicate ids should be reported")
	}
	url, err := sim.Start("")
	if err != nil {
		t.Fatal(err)
	}
	defer sim.Close()
	r := send(t, http.MethodGet, url+"/v1/accounts")
	if r.status != http.StatusInternalServerError || !strings.Contains(errorDetail(t, r), "duplicate id") {
		t.Fatalf("status %d, body %s", r.status, r.body)
	}
}

func TestStartShutdown(t *testing.T) {
	sim := New(fixture(t), Config{APIKey: testKey})
	url, err := sim.Start("")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Errorf("base URL %s is not loopback", url)
	}
	if r := get(t, url+"/v1/accounts"); r.status != http.StatusOK {
		t.Errorf("status %d", r.status)
	}
	if _, err := sim.Start(""); err == nil {
		t.Error("a second Start should fail")
	}
	if err := sim.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if resp, err := http.Get(url + "/v1/accounts"); err == nil {
		resp.Body.Close()
		t.Error("server still answers after Shutdown")
	}
}

func TestConcurrentPagingWithChangesIsRaceFree(t *testing.T) {
	sim, url := serve(t, Generate(4, Size{Accounts: 300, Members: 40, AccessPerMember: 5}), Config{
		Faults: Faults{InsertBetweenPages: 1, RemoveBetweenPages: 1},
	})
	var wg sync.WaitGroup
	for worker := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for start := 1; start < 300; start += 50 {
				for _, path := range []string{
					fmt.Sprintf("/v1/accounts?startIndex=%d&limit=50", start),
					fmt.Sprintf("/v1/admin/users?startIndex=%d&count=10", 1+worker),
				} {
					// t.Fatal may not be called off the test goroutine.
					if err := expectOK(url + path); err != nil {
						t.Error(err)
					}
				}
			}
		}()
	}
	wg.Wait()
	if got := sim.Counters().Listings; got != 8*6*2 {
		t.Errorf("%d listings counted, want %d", got, 8*6*2)
	}
	if len(sim.AccountIDs()) != 300 {
		t.Errorf("one insert and one remove per page should keep 300 accounts, have %d", len(sim.AccountIDs()))
	}
}

func expectOK(url string) error {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	req.Header.Set("X-API-Key", testKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: status %d", url, resp.StatusCode)
	}
	return nil
}
