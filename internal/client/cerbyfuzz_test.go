package client

import (
	"bytes"
	"encoding/json"
	"net/url"
	"reflect"
	"strings"
	"testing"
)

// The Cerby API's fuzz targets, seeded inline; `go test` runs the seeds, and
// `go test -fuzz FuzzX ./internal/client/` explores from them. Each asserts
// what the walk relies on, not only the absence of a panic.

// FuzzDecodeCerbyList: whatever the body, and for each resource decoder, a
// page is decoded the same way twice; an error comes alone and names the endpoint; an accepted page is a
// JSON object whose every item has an id, as many items as data holds.
func FuzzDecodeCerbyList(f *testing.F) {
	for _, seed := range []string{
		`{"data":[{"id":"a","type":"accounts","attributes":{"label":"A","createdBy":"u","mfaTypes":[]}},{"id":"b"}],` +
			`"links":{"self":"/api/v1/accounts?page%5Bnumber%5D=1","next":"/api/v1/accounts?page%5Bnumber%5D=2"},"meta":{"page":{"maxSize":100,"total":2}}}`,
		`{"data":{"id":"a","attributes":null}}`,
		`{"data":null,"links":{"next":null}}`,
		`{"data":[],"links":{"next":{"href":"/n"}},"meta":{"page":{"total":"7"}}}`,
		`{"data":[{"id":7}]}`,
		`{"data":[{"id":"a","attributes":[]}]}`,
		`{"data":[{"id":"a","attributes":{"label":5}}]}`,
		`{"data":[{"id":"a","attributes":{"createdBy":{"id":"u","email":"e"},"createdByEmail":"f"}}]}`,
		`{"errors":[{"status":"400","detail":"bad","meta":{"loc":["query","page[size]"]}}]}`,
		`{"DATA":[{"ID":"a"}],"Links":{"NEXT":"x"}}`,
		`{"data":"x"}`, `{"data":1}`, `{}`, `[]`, `null`, ``, `<html></html>`, "\uFEFF{\"data\":[]}",
		`{"data":[{"id":"a"},{"id":"a"}],"data":null}`,
		`{"data":[{"id":"a","attributes":{"label":"\u00e9\ud83d\ude00","meta":{"x":[1,{"y":null}]}}}]}`,
		`{"data":[{"id":"t","type":"team","attributes":{"name":"Ops","type":"scim_managed","vaultId":null,"memberId":"u","member_id":7}}]}`,
		`{"data":[{"id":"v","attributes":{"scheme":"kms_byo","state":"enabled","createdByType":"user"}}],"links":{"next":null}}`,
		`{"data":[{"id":"s","attributes":{"role":"owner","entitlements":[{"id":"K","attributes":{"value":1}},{"key":"L","value":{"a":[]}},"M",null]},` +
			`"meta":{"dynamicFields":{"x":1,"y":"z"}}},{"id":"s2","meta":[],"attributes":{"entitlements":null}}]}`,
		`{"data":[{"id":"s","attributes":{"entitlements":[{"attributes":null,"key":"k"},{"attributes":{"key":"a"},"key":"b"}]},"meta":{"dynamicFields":null}}]}`,
		`{"data":[{"id":"s","attributes":{"mfaStatus":{"mfaEnabled":true,"mfaEnrollmentDate":null},"entitlements":[1]}}]}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		checkCerbyList(t, body, decodeCerbyAccount)
		checkCerbyList(t, body, decodeCerbyMember)
		checkCerbyList(t, body, decodeCerbyTeam)
		checkCerbyList(t, body, decodeCerbyTeamMember)
		checkCerbyList(t, body, decodeCerbyVault)
		checkCerbyList(t, body, decodeCerbyIntegration)
		checkCerbyList(t, body, decodeCerbyIntegrationUser)
	})
}

func checkCerbyList[T identified](t *testing.T, body []byte, decode resourceDecoder[T]) {
	t.Helper()
	const endpoint = "GET /api/v1/accounts"
	pg, err := decodeCerbyList(endpoint, string(body), decode)
	again, errAgain := decodeCerbyList(endpoint, string(body), decode)
	if !reflect.DeepEqual(pg, again) || (err == nil) != (errAgain == nil) || err != nil && err.Error() != errAgain.Error() {
		t.Fatalf("decoding twice differs: %v, %v", err, errAgain)
	}
	one, _, oneErr := decodeCerbyOne(endpoint, string(body), "account", decode)
	if err != nil {
		if pg.items != nil || pg.total != nil || pg.links != (pageLinks{}) {
			t.Errorf("an error (%v) came with a page: %+v", err, pg)
		}
		if !strings.HasPrefix(err.Error(), endpoint+": ") {
			t.Errorf("the error does not name the endpoint: %v", err)
		}
		if oneErr == nil {
			t.Errorf("a body refused as a page (%v) was accepted as one resource", err)
		}
		return
	}
	text := bytes.TrimSpace(bytes.TrimPrefix(body, []byte("\uFEFF")))
	var doc struct{ Data json.RawMessage }
	if !json.Valid(text) || text[0] != '{' || json.Unmarshal(text, &doc) != nil || doc.Data == nil {
		t.Fatalf("accepted a body that is not a JSON object with data: %q", body)
	}
	want := 0
	switch doc.Data[0] {
	case '{':
		want = 1
	case '[':
		var list []json.RawMessage
		_ = json.Unmarshal(doc.Data, &list)
		want = len(list)
	}
	if len(pg.items) != want {
		t.Errorf("%d items from a data of %d resources", len(pg.items), want)
	}
	for i, item := range pg.items {
		if item.itemID() == "" {
			t.Errorf("item %d has no id but was accepted", i+1)
		}
	}
	if pg.total != nil && *pg.total < 0 {
		t.Errorf("negative total %d", *pg.total)
	}
	if !pg.links.present && pg.links.next != "" {
		t.Errorf("a next link %q without a links object", pg.links.next)
	}
	switch {
	case len(pg.items) == 1 && (oneErr != nil || !reflect.DeepEqual(*one, pg.items[0])):
		t.Errorf("a page of one is not that one resource: %v", oneErr)
	case len(pg.items) != 1 && oneErr == nil:
		t.Errorf("a page of %d was accepted as one resource", len(pg.items))
	}
}

// fuzzSchemes are listings a links.next may come from: on a bare origin or
// under a prefix, and with an id that needs escaping.
var fuzzSchemes = []numberScheme{
	{base: "https://acme.cerby.com", path: cerbyAccountsPath, query: url.Values{"filter[status]": {"enabled"}}, limit: 100},
	{base: "https://proxy.example.com/cerby", path: cerbyUsersPath, query: url.Values{"filter": {"ann smith"}}, limit: 25},
	{base: "http://127.0.0.1:8080", path: cerbyUsersPath + "/a%20b%2Fc/accounts", query: url.Values{}, limit: 100},
}

// FuzzNumberSchemeAfter: no links.next, however written, yields a page
// whose request leaves the configured origin, the listing's path or the
// allowed paths; it is refused (an error) or it is one of them. And the page
// it names names itself when linked to again, so the walk can tell a link
// back.
func FuzzNumberSchemeAfter(f *testing.F) {
	for _, seed := range []string{
		"/api/v1/accounts?filter%5Bstatus%5D=enabled&page%5Bnumber%5D=2&page%5Bsize%5D=100",
		"https://acme.cerby.com/api/v1/accounts?page[number]=3&page[size]=100&filter[status]=enabled",
		"accounts?page%5Bnumber%5D=2", "?page%5Bnumber%5D=2", "?cursor=abc", "#frag", "", " ", ".", "..",
		"//evil.test/api/v1/accounts", "https://evil.test/api/v1/accounts", "http://acme.cerby.com/api/v1/accounts",
		"https://acme.cerby.com:443/api/v1/accounts", "https://acme.cerby.com:8443/api/v1/accounts", "HTTPS://ACME.CERBY.COM/api/v1/accounts",
		"https://user:pw@acme.cerby.com/api/v1/accounts", "/api/v1/accounts/x/secrets", "/api/v1/secrets", "../secrets",
		"/api/v1/accounts/../secrets", "/api/v1/accounts/%2e%2e/secrets", "/api/v1/accounts%2Fx", "/api/v1/%61ccounts",
		"/api/v1/accounts/", "/api/v1/accounts;x", "/cerby/api/v1/users?page%5Bnumber%5D=2&page%5Bsize%5D=25&filter=ann+smith",
		"/api/v1/users/a%20b%2Fc/accounts?page%5Bnumber%5D=5&page%5Bsize%5D=100", "/api/v1/users/a b/c/accounts",
		"javascript:alert(1)", "mailto:x@y", "\x00", "%zz", "/api/v1/accounts?page%5Bnumber%5D=-1", "/api/v1/accounts?page%5Bnumber%5D=99999999999999999999",
	} {
		for which := range fuzzSchemes {
			f.Add(seed, uint8(which), uint16(1), false)
		}
	}
	f.Add("/api/v1/accounts?page%5Bnumber%5D=2", uint8(0), uint16(9999), true)
	f.Fuzz(func(t *testing.T, next string, which uint8, n uint16, fromLink bool) {
		s := fuzzSchemes[int(which)%len(fuzzSchemes)]
		ref := pageRef{n: 1 + int(n)%maxPages}
		if fromLink {
			ref = pageRef{link: s.url(pageRef{n: 2}) + "&cursor=c"}
		}
		got, end, err := s.after(ref, s.limit, pageLinks{present: true, next: next})
		if err != nil {
			if got != (pageRef{}) {
				t.Errorf("an error (%v) came with a page %+v", err, got)
			}
			return
		}
		if (next == "") != (end == lastPage) {
			t.Fatalf("links.next %q ended the listing: %v", next, end == lastPage)
		}
		if end == lastPage {
			return
		}
		target := s.url(got)
		u, err := url.Parse(target)
		if err != nil {
			t.Fatalf("links.next %q gave the unparsable request %q", next, target)
		}
		base, _ := url.Parse(s.base)
		c := &Client{api: CerbyAPI, baseURL: s.base}
		switch {
		case got.link == "" && got.n < 1:
			t.Errorf("links.next %q named page %d", next, got.n)
		case !sameOrigin(u, base):
			t.Errorf("links.next %q leads to %s, off the origin %s", next, target, s.base)
		case u.EscapedPath() != base.EscapedPath()+s.path:
			t.Errorf("links.next %q leads to %s, off the listing %s", next, target, s.path)
		case !c.allowed(u):
			t.Errorf("links.next %q leads to %s, which the client refuses", next, target)
		}
		again, _, err := s.after(got, s.limit, pageLinks{present: true, next: target})
		if err != nil || again != got {
			t.Errorf("links.next %q names %+v, but a link to it (%s) names %+v (%v)", next, got, target, again, err)
		}
	})
}
