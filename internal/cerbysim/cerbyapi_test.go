package cerbysim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// cerbyListPage is a Cerby API listing as a client reads it.
type cerbyListPage struct {
	Data  []cerbyItem `json:"data"`
	Links struct {
		Self           string
		Next, Previous *string
	} `json:"links"`
	Meta struct {
		Page struct {
			MaxSize int
			Total   *int
		}
	} `json:"meta"`
}

type cerbyItem struct {
	ID         string                     `json:"id"`
	Type       string                     `json:"type"`
	Attributes map[string]json.RawMessage `json:"attributes"`
}

func (p cerbyListPage) ids() []string {
	out := make([]string, len(p.Data))
	for i, item := range p.Data {
		out[i] = item.ID
	}
	return out
}

// cerbyErrorBody is the JSON:API errors body, members kept raw so their
// JSON types can be checked.
type cerbyErrorBody struct {
	Errors []map[string]json.RawMessage `json:"errors"`
}

// cerbyError checks r is a JSON:API error body with the five members and
// returns its only error.
func cerbyError(t *testing.T, r reply) map[string]json.RawMessage {
	t.Helper()
	if r.header.Get("Content-Type") != "application/json" {
		t.Fatalf("error content type %q", r.header.Get("Content-Type"))
	}
	var body cerbyErrorBody
	r.decode(t, &body)
	if len(body.Errors) != 1 {
		t.Fatalf("want one error, body %s", r.body)
	}
	e := body.Errors[0]
	for _, member := range []string{"code", "title", "detail", "status", "meta"} {
		if _, ok := e[member]; !ok {
			t.Fatalf("error lacks %q: %s", member, r.body)
		}
	}
	return e
}

func unquote(t *testing.T, raw json.RawMessage) string {
	t.Helper()
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		t.Fatalf("%s is not a string", raw)
	}
	return s
}

func TestCerbyListAccountsEnvelope(t *testing.T) {
	_, base := serve(t, fixture(t), Config{})
	r := get(t, base+"/api/v1/accounts")
	if r.status != http.StatusOK || r.header.Get("Content-Type") != "application/json" {
		t.Fatalf("status %d, content type %q", r.status, r.header.Get("Content-Type"))
	}
	const tail = `],"links":{"self":"/api/v1/accounts?page%5Bnumber%5D=1&page%5Bsize%5D=25","next":null,"previous":null},"meta":{"page":{"maxSize":100,"total":3}}}`
	if !bytes.HasPrefix(r.body, []byte(`{"data":[{"id":"a1","type":"account","attributes":{"label":"Brand Instagram 0001","application":"instagram"`)) ||
		!bytes.HasSuffix(r.body, []byte(tail)) {
		t.Fatalf("unexpected envelope: %s", r.body)
	}
	var page cerbyListPage
	r.decode(t, &page)
	if got := strings.Join(page.ids(), ","); got != "a1,a2,a3" {
		t.Errorf("accounts %s", got)
	}
	for _, item := range page.Data {
		if item.Type != "account" {
			t.Errorf("%s has type %q", item.ID, item.Type)
		}
	}
}

// TestCerbyAccountAttributes pins the mapping from a Read API account
// (contract/cerby-api.md, §5.1), extras and omissions included.
func TestCerbyAccountAttributes(t *testing.T) {
	ws, err := ParseWorkspace([]byte(`{
	  "accounts": [
	    {"id": "a1", "name": "Shop", "username": "shop", "provider": "tiktok", "vaultId": "v", "idekID": "i", "permissions": [],
	     "workspace": "acme", "mfaEnabled": true, "autofillMfa": false, "passwordSet": true, "passwordVisible": false,
	     "createdBy": {"id": "m1", "email": "ana@example.com", "firstName": "Ana"}, "createdAt": "2024-02-03T13:20:32",
	     "updatedAt": "2024-02-03T13:20:32.177000", "role": "owner", "avatar_url": "https://cdn/x.png", "email": "s@example.com",
	     "type": "identity", "url": null, "domain": "tiktok.com", "meta": {"k": 1}, "status": "enabled", "phone": null,
	     "rotatedBy": "manual_rotation", "rotatedAt": "2024-02-03T13:20:32Z", "syncedAt": null, "hasBackupCode": false,
	     "rotatedById": "r", "domains": "tiktok.com", "lastLoginDate": "2024-02-03T15:20:32+02:00", "lastLoginUserName": "Ana Garcia",
	     "isEmailManaged": true, "isPhoneManaged": false, "originalEmail": null, "originalPhone": null, "businessId": "",
	     "mfaTypes": ["otp"], "rotatedByUser": null, "hasTotpVirtualDevice": true,
	     "workspacePolicyResult": {"mfa_validation": true}, "workspacePolicyCheckDate": "2024-02-03T13:20:32", "appId": "x", "surprise": 1},
	    {"id": "a2", "name": "Plain", "createdBy": "m2", "createdAt": "not a date"}
	  ],
	  "members": [{"id": "m1"}],
	  "access": {},
	  "cerbyApi": {"accounts": {"a2": {"attributes": {"hasPasskey": true, "label": "Renamed"}, "omit": ["createdAt"]}}}
	}`))
	if err != nil {
		t.Fatal(err)
	}
	_, base := serve(t, ws, Config{})
	want := map[string]string{
		"a1": `{"data":{"id":"a1","type":"account","attributes":{"label":"Shop","application":"tiktok","workspace":"acme",` +
			`"createdAt":"2024-02-03T13:20:32+00:00","createdBy":"m1","updatedAt":"2024-02-03T13:20:32.177000+00:00",` +
			`"lastLoginDate":"2024-02-03T13:20:32+00:00","lastLoginBy":"Ana Garcia","mfaEnabled":true,"mfaTypes":["otp"],` +
			`"hasBackupCode":false,"hasTotp":true,"cerbyManagedEmail":true,"cerbyManagedPhone":false,"businessId":"",` +
			`"autofillMfa":false,"avatarUrl":"https://cdn/x.png","createdByEmail":"ana@example.com","domain":"tiktok.com",` +
			`"email":"s@example.com","meta":{"k":1},"passwordSet":true,"passwordVisible":false,"phone":null,` +
			`"rotatedAt":"2024-02-03T13:20:32+00:00","rotatedBy":"manual_rotation","rotatedById":"r","status":"enabled",` +
			`"syncedAt":null,"url":null}}}`,
		"a2": `{"data":{"id":"a2","type":"account","attributes":{"label":"Renamed","createdBy":"m2","hasPasskey":true}}}`,
	}
	for id, body := range want {
		r := get(t, base+"/api/v1/accounts/"+id)
		if r.status != http.StatusOK || string(r.body) != body {
			t.Errorf("%s: status %d\n got %s\nwant %s", id, r.status, r.body, body)
		}
		attrs, _ := ws.CerbyAPIAccount(id)
		encoded, _ := attrs.MarshalJSON()
		if !strings.Contains(body, `"attributes":`+string(encoded)+"}") {
			t.Errorf("%s: CerbyAPIAccount gives %s", id, encoded)
		}
	}
	missing := get(t, base+"/api/v1/accounts/zz")
	if e := cerbyError(t, missing); missing.status != http.StatusNotFound || !strings.Contains(unquote(t, e["detail"]), "zz") {
		t.Errorf("unknown account: %d %s", missing.status, missing.body)
	}
	if _, ok := ws.CerbyAPIAccount("zz"); ok {
		t.Error("CerbyAPIAccount found an unknown id")
	}
}

// walkCerby follows links.next from path until it is null, checking every
// page's links, and returns the pages.
func walkCerby(t *testing.T, base, path string) []cerbyListPage {
	t.Helper()
	var pages []cerbyListPage
	var previousSelf *string
	for next := &path; next != nil; {
		r := get(t, base+*next)
		if r.status != http.StatusOK {
			t.Fatalf("%s: status %d %s", *next, r.status, r.body)
		}
		var page cerbyListPage
		r.decode(t, &page)
		if len(pages) > 0 && page.Links.Self != *next {
			t.Fatalf("followed %s, self is %s", *next, page.Links.Self)
		}
		switch {
		case previousSelf == nil && page.Links.Previous != nil:
			t.Fatalf("first page has previous %s", *page.Links.Previous)
		case previousSelf != nil && (page.Links.Previous == nil || *page.Links.Previous != *previousSelf):
			t.Fatalf("page %s: previous %v, want %s", page.Links.Self, page.Links.Previous, *previousSelf)
		}
		if !strings.HasPrefix(page.Links.Self, "/api/v1/") || strings.ContainsAny(page.Links.Self, "[]") {
			t.Fatalf("self %q is not a root-relative link with encoded brackets", page.Links.Self)
		}
		pages = append(pages, page)
		if len(pages) > 1000 {
			t.Fatal("the walk does not end")
		}
		self := page.Links.Self
		previousSelf = &self
		next = page.Links.Next
	}
	return pages
}

func TestCerbyPaging(t *testing.T) {
	ws := Generate(2, Size{Accounts: 237, Members: 3, AccessPerMember: 2})
	_, base := serve(t, ws, Config{})
	for _, c := range []struct {
		query string
		size  int
	}{{"", 25}, {"?page%5Bsize%5D=7", 7}, {"?page[size]=100", 100}, {"?page[size]=1&page[number]=1", 1}} {
		t.Run(c.query, func(t *testing.T) {
			pages := walkCerby(t, base, "/api/v1/accounts"+c.query)
			if want := (237 + c.size - 1) / c.size; len(pages) != want {
				t.Fatalf("%d pages, want %d", len(pages), want)
			}
			var walked []string
			for i, page := range pages {
				if page.Meta.Page.MaxSize != 100 || page.Meta.Page.Total == nil || *page.Meta.Page.Total != 237 {
					t.Fatalf("page %d meta %+v", i+1, page.Meta.Page)
				}
				wantSelf := fmt.Sprintf("/api/v1/accounts?page%%5Bnumber%%5D=%d&page%%5Bsize%%5D=%d", i+1, c.size)
				if page.Links.Self != wantSelf {
					t.Fatalf("page %d self %s, want %s", i+1, page.Links.Self, wantSelf)
				}
				if i < len(pages)-1 && len(page.Data) != c.size {
					t.Fatalf("page %d holds %d", i+1, len(page.Data))
				}
				walked = append(walked, page.ids()...)
			}
			if !slices.Equal(walked, ws.AccountIDs()) {
				t.Fatal("following next did not give every account once, in order")
			}
		})
	}

	var past cerbyListPage
	get(t, base+"/api/v1/accounts?page[number]=30&page[size]=10").decode(t, &past)
	if len(past.Data) != 0 || past.Links.Next != nil || past.Links.Previous == nil || !strings.Contains(*past.Links.Previous, "page%5Bnumber%5D=29") {
		t.Errorf("a page past the end: %d items, links %+v", len(past.Data), past.Links)
	}
	exact := walkCerby(t, base, "/api/v1/accounts?filter[application]=google&page[size]=10")
	if len(exact) != 3 || len(exact[2].Data) != 10 {
		// 30 google accounts: three full pages, no fourth.
		t.Errorf("%d pages for 30 items of 10", len(exact))
	}
	_, emptyBase := serve(t, &Workspace{}, Config{})
	empty := walkCerby(t, emptyBase, "/api/v1/accounts")
	if len(empty) != 1 || len(empty[0].Data) != 0 || *empty[0].Meta.Page.Total != 0 {
		t.Errorf("an empty workspace: %+v", empty)
	}
	if r := get(t, emptyBase+"/api/v1/accounts"); !bytes.HasPrefix(r.body, []byte(`{"data":[],`)) {
		t.Errorf("an empty list must be [], not null: %s", r.body)
	}
}

func TestCerbyLinksKeepTheRequestsParameters(t *testing.T) {
	_, base := serve(t, Generate(4, Size{Accounts: 20, Members: 12}), Config{})
	var page cerbyListPage
	get(t, base+"/api/v1/users?filter[status]=live&mfaStatus=true&page[size]=2&filter=a").decode(t, &page)
	want := "/api/v1/users?filter=a&filter%5Bstatus%5D=live&mfaStatus=true&page%5Bnumber%5D=2&page%5Bsize%5D=2"
	if page.Links.Next == nil || *page.Links.Next != want {
		t.Fatalf("next %v, want %s", page.Links.Next, want)
	}
	r := get(t, base+"/api/v1/accounts?filter%5Bapplication%5D=google%2Cx&page%5Bsize%5D=1")
	r.decode(t, &page)
	if want := "/api/v1/accounts?filter%5Bapplication%5D=google%2Cx&page%5Bnumber%5D=2&page%5Bsize%5D=1"; *page.Links.Next != want {
		t.Fatalf("next %s, want %s", *page.Links.Next, want)
	}
	if bytes.Contains(r.body, []byte(`\u0026`)) {
		t.Error("links should not escape & as \\u0026")
	}
}

func TestCerbyPageParameters(t *testing.T) {
	_, base := serve(t, fixture(t), Config{})
	cases := map[string]string{
		"/api/v1/accounts?page[number]=0":           "page[number]",
		"/api/v1/accounts?page[number]=abc":         "page[number]",
		"/api/v1/accounts?page[number]=":            "page[number]",
		"/api/v1/accounts?page[number]=99999999999": "page[number]",
		"/api/v1/accounts?page[size]=0":             "page[size]",
		"/api/v1/accounts?page[size]=101":           "page[size]",
		"/api/v1/users?page[size]=-1":               "page[size]",
		"/api/v1/users/m1/accounts?page[size]=x":    "page[size]",
		"/api/v1/accounts?filter[status]=pending":   "filter[status]",
		"/api/v1/users?filter[status]=gone":         "filter[status]",
		"/api/v1/users?filter[isGuest]=maybe":       "filter[isGuest]",
		"/api/v1/users?mfaStatus=perhaps":           "mfaStatus",
		"/api/v1/users/m1?mfaStatus=perhaps":        "mfaStatus",
	}
	for path, param := range cases {
		r := get(t, base+path)
		if r.status != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400", path, r.status)
			continue
		}
		e := cerbyError(t, r)
		var meta struct {
			Loc  []string
			Type string
		}
		if err := json.Unmarshal(e["meta"], &meta); err != nil || !slices.Contains(meta.Loc, param) || meta.Type == "" {
			t.Errorf("%s: meta %s does not locate %s", path, e["meta"], param)
		}
		if !strings.Contains(unquote(t, e["detail"]), param) || unquote(t, e["code"]) != "validation_error" {
			t.Errorf("%s: error %s", path, r.body)
		}
	}
	if r := get(t, base+"/api/v1/accounts?page[size]=100&page[number]=1000000000"); r.status != http.StatusOK {
		t.Errorf("the largest page number: %d", r.status)
	}
}

func TestCerbyAccountFilters(t *testing.T) {
	_, base := serve(t, fixture(t), Config{})
	cases := map[string]string{
		"filter[application]=tiktok":                        "a2",
		"filter[application]=tiktok,instagram":              "a1,a2",
		"filter[application]=instagram%2Ctiktok":            "a1,a2",
		"filter[application]=nothing":                       "",
		"filter[status]=disabled":                           "a2",
		"filter[status]=enabled,disabled":                   "a1,a2",
		"filter[application]=tiktok&filter[status]=enabled": "",
		"search=instagram&provider=tiktok":                  "a1,a2,a3", // Read API parameters mean nothing here
	}
	for query, want := range cases {
		var page cerbyListPage
		get(t, base+"/api/v1/accounts?"+query).decode(t, &page)
		if got := strings.Join(page.ids(), ","); got != want {
			t.Errorf("%s: got %q, want %q", query, got, want)
		}
		if *page.Meta.Page.Total != len(page.Data) {
			t.Errorf("%s: total %d for %d matches", query, *page.Meta.Page.Total, len(page.Data))
		}
	}
}

func TestCerbyUsers(t *testing.T) {
	_, base := serve(t, fixture(t), Config{})
	cases := map[string]string{
		"":                             "m1,m2,m3",
		"filter=garcia":                "m1",
		"filter=ANA%20GARCIA":          "m1",
		"filter=example":               "m1,m2,m3",
		"filter=dana":                  "", // only in the identity provider
		"filter[status]=live,disabled": "m1,m3",
		"filter[isGuest]=true":         "m2",
		"filter[isGuest]=false":        "m1,m3",
		"filter[status]=pending&filter[isGuest]=true&filter=bruno": "m2",
		"page[size]=2":                "m1,m2",
		"page[size]=2&page[number]=2": "m3",
	}
	for query, want := range cases {
		var page cerbyListPage
		get(t, base+"/api/v1/users?"+query).decode(t, &page)
		if got := strings.Join(page.ids(), ","); got != want {
			t.Errorf("%s: got %q, want %q", query, got, want)
		}
	}
	r := get(t, base+"/api/v1/users/m2")
	if want := `{"data":{"id":"m2","type":"user","attributes":{"firstName":"Bruno","lastName":"Smith","email":"bruno@example.com","status":"pending","isGuest":true,"mfaStatus":null}}}`; string(r.body) != want {
		t.Errorf("user m2: %s\nwant %s", r.body, want)
	}
	for _, id := range []string{"m9", "m4"} {
		r := get(t, base+"/api/v1/users/"+id)
		if e := cerbyError(t, r); r.status != http.StatusNotFound || !strings.Contains(unquote(t, e["detail"]), id) {
			t.Errorf("user %s: %d %s", id, r.status, r.body)
		}
	}
}

func TestCerbyMFAStatus(t *testing.T) {
	ws := Generate(6, Size{Accounts: 3, Members: 30})
	_, base := serve(t, ws, Config{})
	seen := map[string]bool{}
	for _, query := range []string{"", "?mfaStatus=false", "?mfaStatus=true"} {
		var page cerbyListPage
		get(t, base+"/api/v1/users?page[size]=100"+strings.Replace(query, "?", "&", 1)).decode(t, &page)
		if len(page.Data) == 0 {
			t.Fatal("no users")
		}
		for _, item := range page.Data {
			raw := item.Attributes["mfaStatus"]
			if query != "?mfaStatus=true" {
				if string(raw) != "null" {
					t.Fatalf("%s: user %s mfaStatus %s, want null", query, item.ID, raw)
				}
				continue
			}
			var mfa struct {
				MFAEnabled        *bool   `json:"mfaEnabled"`
				MFAEnrollmentDate *string `json:"mfaEnrollmentDate"`
			}
			attrs, _ := ws.CerbyAPIUser(item.ID, true)
			if want, _ := attrs.Get("mfaStatus"); string(want) != string(raw) {
				t.Errorf("user %s: served %s, CerbyAPIUser %s", item.ID, raw, want)
			}
			if string(raw) == "null" { // the documented variant, even when asked
				seen["null"] = true
				continue
			}
			if err := json.Unmarshal(raw, &mfa); err != nil || mfa.MFAEnabled == nil {
				t.Fatalf("user %s mfaStatus %s", item.ID, raw)
			}
			seen[fmt.Sprint("enabled ", *mfa.MFAEnabled)] = true
			if *mfa.MFAEnabled != (mfa.MFAEnrollmentDate != nil) {
				t.Errorf("user %s: mfaStatus %s", item.ID, raw)
			}
			if mfa.MFAEnrollmentDate != nil && !strings.HasSuffix(*mfa.MFAEnrollmentDate, "+00:00") {
				t.Errorf("user %s: enrolled %s", item.ID, *mfa.MFAEnrollmentDate)
			}
			byID := get(t, base+"/api/v1/users/"+item.ID+"?mfaStatus=true")
			if !bytes.Contains(byID.body, append([]byte(`"mfaStatus":`), raw...)) {
				t.Errorf("user %s by id: %s", item.ID, byID.body)
			}
		}
	}
	if !seen["enabled true"] || !seen["enabled false"] || !seen["null"] {
		t.Errorf("thirty users should include MFA on, off and null: %v", seen)
	}
	// A hand-written member without extras has no MFA status to give.
	_, fixtureBase := serve(t, fixture(t), Config{})
	if r := get(t, fixtureBase+"/api/v1/users/m1?mfaStatus=true"); !bytes.HasSuffix(r.body, []byte(`"mfaStatus":null}}}`)) {
		t.Errorf("member without extras: %s", r.body)
	}
}

func TestCerbyUserAccounts(t *testing.T) {
	_, base := serve(t, fixture(t), Config{})
	pages := walkCerby(t, base, "/api/v1/users/m1/accounts?page[size]=1")
	if len(pages) != 2 || pages[0].ids()[0] != "a1" || pages[1].ids()[0] != "a3" || *pages[1].Meta.Page.Total != 2 {
		t.Fatalf("m1's accounts: %+v", pages)
	}
	if !strings.HasPrefix(pages[0].Links.Self, "/api/v1/users/m1/accounts?") || pages[0].Data[0].Type != "account" {
		t.Errorf("self %s", pages[0].Links.Self)
	}
	var filtered cerbyListPage
	get(t, base+"/api/v1/users/m1/accounts?filter[application]=linkedin").decode(t, &filtered)
	if got := filtered.ids(); !slices.Equal(got, []string{"a3"}) {
		t.Errorf("filtered: %v", got)
	}
	var none cerbyListPage
	if r := get(t, base+"/api/v1/users/m2/accounts"); r.status != http.StatusOK || !bytes.HasPrefix(r.body, []byte(`{"data":[],`)) {
		t.Errorf("member without access: %d %s", r.status, r.body)
	} else if r.decode(t, &none); *none.Meta.Page.Total != 0 || none.Links.Next != nil {
		t.Errorf("member without access: %s", r.body)
	}
	for _, id := range []string{"m9", "m4"} { // m4 is only in the identity provider
		missing := get(t, base+"/api/v1/users/"+id+"/accounts")
		if e := cerbyError(t, missing); missing.status != http.StatusNotFound || !strings.Contains(unquote(t, e["detail"]), id) {
			t.Errorf("member %s: %d %s", id, missing.status, missing.body)
		}
	}

	for mode, status := range map[UserAccountsMode]int{UserAccountsNotFound: 404, UserAccountsNotAllowed: 405} {
		sim, base := serve(t, fixture(t), Config{CerbyAPI: CerbyAPIOptions{UserAccounts: mode}})
		r := get(t, base+"/api/v1/users/m1/accounts")
		cerbyError(t, r)
		if r.status != status || (status == 405 && r.header.Get("Allow") != "POST") {
			t.Errorf("mode %q: status %d, Allow %q", mode, r.status, r.header.Get("Allow"))
		}
		if sim.Counters().ByEndpoint[EndpointCerbyUserAccounts] != 1 {
			t.Errorf("mode %q: the request is not counted to its endpoint", mode)
		}
		if r := get(t, base+"/api/v1/accounts"); r.status != http.StatusOK {
			t.Errorf("mode %q takes other endpoints away: %d", mode, r.status)
		}
	}
	if err := (CerbyAPIOptions{UserAccounts: "410"}).Validate(); err == nil || !strings.Contains(err.Error(), "UserAccounts") {
		t.Errorf("unknown mode: %v", err)
	}
	bad := New(fixture(t), Config{CerbyAPI: CerbyAPIOptions{Errors: "loud"}})
	if err := bad.Err(); err == nil || !strings.Contains(err.Error(), "Errors") {
		t.Errorf("unknown error style: %v", err)
	}
}

func TestCerbyAuthentication(t *testing.T) {
	const bearer = "jwt-token-value"
	_, base := serve(t, fixture(t), Config{APIKey: testKey, BearerToken: bearer})
	cases := []struct {
		name    string
		headers []string
		want    int
	}{
		{"no credential", nil, 401},
		{"right key", []string{"X-API-Key", testKey}, 200},
		{"right key, upper case name", []string{"X-API-KEY", testKey}, 200},
		{"wrong key", []string{"X-API-Key", "nope"}, 401},
		{"empty key", []string{"X-API-Key", ""}, 401},
		{"right bearer", []string{"Authorization", "Bearer " + bearer}, 401},
		{"key decides, bearer ignored", []string{"X-API-Key", testKey, "Authorization", "Bearer nope"}, 200},
		{"a workspace header is not needed", []string{"X-API-Key", testKey, "Cerby-Workspace", "other"}, 200},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := send(t, http.MethodGet, base+"/api/v1/accounts", c.headers...)
			if r.status != c.want {
				t.Fatalf("status %d, want %d", r.status, c.want)
			}
			if bytes.Contains(r.body, []byte(testKey)) || bytes.Contains(r.body, []byte(bearer)) {
				t.Fatal("a credential leaked into the body")
			}
			if c.want != 401 {
				return
			}
			e := cerbyError(t, r)
			if unquote(t, e["code"]) != "unauthorized" || string(e["status"]) != `"401"` || unquote(t, e["detail"]) == "" {
				t.Fatalf("401 body %s", r.body)
			}
		})
	}
	// A lower-case header name, sent as written.
	req, _ := http.NewRequest(http.MethodGet, base+"/api/v1/accounts", nil)
	req.Header["x-api-key"] = []string{testKey}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("x-api-key: status %d", resp.StatusCode)
	}

	// A server with no credential accepts anything but a bearer token.
	ts := httptest.NewServer(New(fixture(t), Config{}))
	defer ts.Close()
	open := ts.URL
	for _, c := range []struct {
		headers []string
		want    int
	}{{nil, 200}, {[]string{"X-API-Key", "any"}, 200}, {[]string{"Authorization", "Bearer x"}, 401}} {
		if r := send(t, http.MethodGet, open+"/api/v1/accounts", c.headers...); r.status != c.want {
			t.Errorf("open server, %v: status %d, want %d", c.headers, r.status, c.want)
		}
	}
}

func TestCerbyErrorStyles(t *testing.T) {
	type want struct{ code, status string }
	cases := map[ErrorStyle]map[int]want{
		ErrorStyleMixed: {
			400: {`"validation_error"`, `"400"`}, 401: {`"unauthorized"`, `"401"`}, 404: {`"not_found"`, `404`},
			405: {`"method_not_allowed"`, `405`}, 429: {`"too_many_requests"`, `429`},
		},
		ErrorStyleSnakeCase: {
			400: {`"validation_error"`, `"400"`}, 401: {`"unauthorized"`, `"401"`}, 404: {`"not_found"`, `"404"`},
			405: {`"method_not_allowed"`, `"405"`}, 429: {`"too_many_requests"`, `"429"`},
		},
		ErrorStyleTitleCase: {
			400: {`"Bad request"`, `400`}, 401: {`"Unauthorized"`, `401`}, 404: {`"Not found"`, `404`},
			405: {`"Method not allowed"`, `405`}, 429: {`"Too many requests"`, `429`},
		},
	}
	for style, byStatus := range cases {
		t.Run(string(style), func(t *testing.T) {
			_, base := serve(t, fixture(t), Config{CerbyAPI: CerbyAPIOptions{Errors: style}})
			_, limited := serve(t, fixture(t), Config{CerbyAPI: CerbyAPIOptions{Errors: style}, Faults: Faults{Random429Rate: 1}})
			replies := map[int]reply{
				400: get(t, base+"/api/v1/accounts?page[size]=500"),
				401: send(t, http.MethodGet, base+"/api/v1/accounts"),
				404: get(t, base+"/api/v1/nope"),
				405: send(t, http.MethodDelete, base+"/api/v1/accounts", "X-API-Key", testKey),
				429: get(t, limited+"/api/v1/accounts"),
			}
			for status, r := range replies {
				e := cerbyError(t, r)
				w := byStatus[status]
				if r.status != status || string(e["code"]) != w.code || string(e["title"]) != w.code || string(e["status"]) != w.status {
					t.Errorf("%d: status %d, body %s; want code %s, status %s", status, r.status, r.body, w.code, w.status)
				}
				if (style == ErrorStyleTitleCase || status != 400) && string(e["meta"]) != "null" {
					t.Errorf("%d: meta %s, want null", status, e["meta"])
				}
			}
		})
	}
}

func TestCerbyMethodsAndUnknownPaths(t *testing.T) {
	_, base := serve(t, fixture(t), Config{})
	for _, method := range []string{http.MethodPost, http.MethodPatch, http.MethodDelete, http.MethodPut} {
		r := send(t, method, base+"/api/v1/accounts", "X-API-Key", testKey)
		e := cerbyError(t, r)
		if r.status != http.StatusMethodNotAllowed || r.header.Get("Allow") != "GET" || !strings.Contains(unquote(t, e["detail"]), method) {
			t.Errorf("%s: %d %q %s", method, r.status, r.header.Get("Allow"), r.body)
		}
	}
	for _, path := range []string{"/api/v1", "/api/v1/", "/api/v1/nope", "/api/v1/accounts/", "/api/v1/users/m1/teams",
		"/api/v1/users//accounts", "/api/v1/accounts/a1/users", "/api/v2/accounts", "/api/v1x/accounts", "/api/v1/v1/accounts"} {
		r := get(t, base+path)
		if r.status != http.StatusNotFound {
			t.Errorf("%s: status %d, body %s", path, r.status, r.body)
			continue
		}
		if strings.HasPrefix(path, "/api/v1/") || path == "/api/v1" {
			cerbyError(t, r)
		}
	}
}

// TestNoRouteServesSecrets: inventory needs no password, secret value or
// TOTP code, so neither API serves an endpoint that gives one, and nothing
// served carries one.
func TestNoRouteServesSecrets(t *testing.T) {
	ws := Generate(3, Size{Accounts: 60, Members: 30, AccessPerMember: 5})
	_, base := serve(t, ws, Config{})
	account, member := url.PathEscape(ws.AccountIDs()[0]), url.PathEscape(ws.MemberIDs()[0])
	for _, path := range []string{
		"/api/v1/accounts/" + account + "/secrets", "/api/v1/accounts/" + account + "/secrets?filter[secretType]=password",
		"/api/v1/secrets", "/api/v1/secrets/" + account, "/api/v1/secrets/" + account + "/members/users",
		"/api/v1/accounts/" + account + "/totp", "/api/v1/accounts/" + account + "/totp-code", "/api/v1/accounts/" + account + "/password",
		"/v1/accounts/" + account + "/secrets", "/v1/accounts/" + account + "/password", "/v1/secrets", "/v1/accounts/" + account + "/totp",
	} {
		if r := get(t, base+path); r.status != http.StatusNotFound {
			t.Errorf("%s: status %d", path, r.status)
		}
	}
	forbidden := []string{"password", "secret", "secretValue", "value", "body", "plaintext", "totp", "totpCode", "otpCode", "code", "vaultSecret"}
	served := []string{
		"/v1/accounts?limit=100", "/v1/admin/users?count=100", "/v1/accounts/" + account, "/v1/users/" + member + "/accounts",
		"/api/v1/accounts?page[size]=100", "/api/v1/users?page[size]=100&mfaStatus=true", "/api/v1/accounts/" + account,
		"/api/v1/users/" + member + "?mfaStatus=true", "/api/v1/users/" + member + "/accounts?page[size]=100",
	}
	for _, path := range served {
		r := get(t, base+path)
		if r.status != http.StatusOK {
			t.Fatalf("%s: status %d", path, r.status)
		}
		var doc any
		r.decode(t, &doc)
		walkKeys(doc, func(key string) {
			if slices.ContainsFunc(forbidden, func(f string) bool { return strings.EqualFold(f, key) }) {
				t.Errorf("%s serves a %q key", path, key)
			}
		})
	}
}

func walkKeys(v any, visit func(string)) {
	switch v := v.(type) {
	case map[string]any:
		for key, value := range v {
			visit(key)
			walkKeys(value, visit)
		}
	case []any:
		for _, value := range v {
			walkKeys(value, visit)
		}
	}
}

func TestCerbyCountersAndLog(t *testing.T) {
	var log syncBuffer
	sim, base := serve(t, fixture(t), Config{Log: &log})
	get(t, base+"/api/v1/accounts?page[size]=2")
	get(t, base+"/api/v1/accounts/a1")
	get(t, base+"/api/v1/users")
	get(t, base+"/api/v1/users/m1")
	get(t, base+"/api/v1/users/m1/accounts")
	get(t, base+"/api/v1/secrets")
	send(t, http.MethodGet, base+"/api/v1/accounts", "Authorization", "Bearer x")
	get(t, base+"/v1/accounts")

	c := sim.Counters()
	wantEndpoints := map[string]int{EndpointCerbyAccounts: 2, EndpointCerbyAccount: 1, EndpointCerbyUsers: 1, EndpointCerbyUser: 1,
		EndpointCerbyUserAccounts: 1, EndpointUnknown: 1, EndpointAccounts: 1}
	for endpoint, n := range wantEndpoints {
		if c.ByEndpoint[endpoint] != n {
			t.Errorf("%s: %d requests, want %d", endpoint, c.ByEndpoint[endpoint], n)
		}
	}
	if c.Listings != 5 || c.ByStatus[200] != 6 || c.ByStatus[401] != 1 || c.ByStatus[404] != 1 {
		t.Errorf("listings %d, by status %v", c.Listings, c.ByStatus)
	}
	if first := c.Requests[0]; first.Path != "/api/v1/accounts" || first.RawQuery != "page[size]=2" || !first.HasAPIKey || first.Status != 200 {
		t.Errorf("first request recorded as %+v", first)
	}
	lines := strings.Split(strings.TrimSpace(log.String()), "\n")
	if len(lines) != 8 || !strings.HasPrefix(lines[0], "GET /api/v1/accounts?page[size]=2 200 ") || strings.Contains(log.String(), testKey) {
		t.Errorf("log:\n%s", log.String())
	}
}

func TestGenerateCerbyAPIVariants(t *testing.T) {
	ws := Generate(3, Size{Accounts: 60, Members: 30, AccessPerMember: 5})
	again := Generate(3, Size{Accounts: 60, Members: 30, AccessPerMember: 5})
	seen := map[string]bool{}
	zoned := func(key string, raw json.RawMessage) {
		if s := string(raw); strings.HasSuffix(key, "At") || key == "lastLoginDate" || key == "lastPasswordChange" || key == "lastActivity" {
			if s != "null" && !strings.HasSuffix(s, `+00:00"`) {
				t.Errorf("%s %s has no +00:00 offset", key, s)
			}
		}
	}
	for _, id := range ws.AccountIDs() {
		attrs, _ := ws.CerbyAPIAccount(id)
		other, _ := again.CerbyAPIAccount(id)
		a, _ := attrs.MarshalJSON()
		b, _ := other.MarshalJSON()
		if !bytes.Equal(a, b) {
			t.Fatalf("account %s differs between two generations of one seed", id)
		}
		for _, f := range attrs.Fields {
			seen["account "+f.Key] = true
			zoned(f.Key, f.Value)
		}
		switch n := len(attrs.Fields); {
		case n == len(cerbyExampleAccountAttributes):
			seen["as in the examples"] = true
		case n < len(cerbyGeneratedAccountAttributes):
			seen["some left out"] = true
		default:
			seen["every attribute"] = true
		}
		if raw, _ := attrs.Get("hasPasskey"); string(raw) == "true" {
			seen["passkey"] = true
		}
		if raw, _ := attrs.Get("createdBy"); len(raw) > 0 && raw[0] != '"' {
			t.Errorf("account %s createdBy %s is not a string", id, raw)
		}
	}
	for _, id := range ws.MemberIDs() {
		attrs, ok := ws.CerbyAPIUser(id, true)
		if !ok {
			t.Fatal(id)
		}
		for _, f := range attrs.Fields {
			seen["user "+f.Key] = true
			zoned(f.Key, f.Value)
		}
		if _, ok := attrs.Get("lastActivity"); !ok {
			seen["user without lastActivity"] = true
		}
	}
	for _, variant := range append(slices.Clone(cerbyGeneratedAccountAttributes),
		"as in the examples", "some left out", "every attribute", "passkey", "user without lastActivity") {
		if !seen[variant] && !seen["account "+variant] {
			t.Errorf("no generated data shows %q", variant)
		}
	}
	for _, m := range cerbyUserMap {
		if !seen["user "+m.to] {
			t.Errorf("no generated user has %s", m.to)
		}
	}
}

func TestCerbyOwnerOnly(t *testing.T) {
	// a1 is "owner", a2 "account_manager", a3 "collaborator".
	_, base := serve(t, fixture(t), Config{CerbyAPI: CerbyAPIOptions{OwnerOnly: true}})
	var page cerbyListPage
	get(t, base+"/api/v1/accounts").decode(t, &page)
	if !slices.Equal(page.ids(), []string{"a1"}) || *page.Meta.Page.Total != 1 {
		t.Fatalf("owned accounts %v of %d", page.ids(), *page.Meta.Page.Total)
	}
	if r := get(t, base+"/api/v1/accounts/a2"); r.status != http.StatusNotFound {
		t.Errorf("an account not owned, by id: %d", r.status)
	}
	if r := get(t, base+"/api/v1/accounts/a1"); r.status != http.StatusOK {
		t.Errorf("an owned account, by id: %d", r.status)
	}
	get(t, base+"/api/v1/users/m1/accounts").decode(t, &page)
	if !slices.Equal(page.ids(), []string{"a1", "a3"}) {
		t.Errorf("a member's accounts are not limited to the owner's: %v", page.ids())
	}
	var legacy accountsPage
	get(t, base+"/v1/accounts").decode(t, &legacy)
	if len(legacy.Accounts) != 3 {
		t.Errorf("the Read API lists %d accounts", len(legacy.Accounts))
	}
	ws := Generate(3, Size{Accounts: 40})
	_, generated := serve(t, ws, Config{CerbyAPI: CerbyAPIOptions{OwnerOnly: true}})
	get(t, generated+"/api/v1/accounts?page[size]=100").decode(t, &page)
	if n := len(page.Data); n == 0 || n == 40 {
		t.Errorf("a generated workspace should own some accounts, not all: %d of 40", n)
	}
}

func TestCerbyScopes(t *testing.T) {
	cases := []struct {
		scopes []string
		want   map[string]int
	}{
		{nil, map[string]int{"/accounts": 200, "/accounts/a1": 200, "/users": 200, "/users/m1": 200, "/users/m1/accounts": 200}},
		{[]string{}, map[string]int{"/accounts": 401, "/accounts/a1": 401, "/users": 401, "/users/m1": 401, "/users/m1/accounts": 401, "/nope": 404}},
		{[]string{ScopeReadAccounts}, map[string]int{"/accounts": 200, "/accounts/a1": 200, "/users": 401, "/users/m1/accounts": 401}},
		{[]string{ScopeReadItems}, map[string]int{"/accounts": 200, "/users/m1": 401}},
		{[]string{ScopeReadUsers}, map[string]int{"/accounts/zz": 401, "/users": 200, "/users/m1": 200, "/users/m1/accounts": 401}},
		{[]string{ScopeReadUsers, ScopeReadItems}, map[string]int{"/users/m1/accounts": 200}},
	}
	for _, c := range cases {
		_, base := serve(t, fixture(t), Config{CerbyAPI: CerbyAPIOptions{Scopes: c.scopes}})
		for path, want := range c.want {
			r := get(t, base+"/api/v1"+path)
			if r.status != want {
				t.Errorf("scopes %q, %s: status %d, want %d", c.scopes, path, r.status, want)
				continue
			}
			if want == 401 && !strings.Contains(unquote(t, cerbyError(t, r)["detail"]), "scope read:") {
				t.Errorf("scopes %q, %s: %s does not name the scope", c.scopes, path, r.body)
			}
		}
		if r := get(t, base+"/v1/admin/users"); r.status != http.StatusOK {
			t.Errorf("scopes %q reach the Read API: %d", c.scopes, r.status)
		}
	}
}
