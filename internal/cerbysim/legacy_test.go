package cerbysim

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"
)

// legacyDigestWant is legacyReadAPIDigest as computed by the simulator before
// it served the Cerby API, so the Read API is proved byte for byte the same:
// generated objects, bodies, statuses and headers, faults included. This
// file compiles against that older simulator too, which is how the value was
// made; change it only with a change to the Read API that is meant.
const legacyDigestWant = "91047ad1bff2b00c898794814e2e6194c4a965bc41f9c2d186264d5f414914b3"

func TestReadAPIIsUnchanged(t *testing.T) {
	if got := legacyReadAPIDigest(t); got != legacyDigestWant {
		t.Fatalf("the Read API's answers changed: digest %s, want %s", got, legacyDigestWant)
	}
}

// legacyReadAPIDigest hashes the generated workspace's Read API objects and
// the answers to a fixed series of Read API requests on several servers.
func legacyReadAPIDigest(t *testing.T) string {
	t.Helper()
	h := sha256.New()
	ws := Generate(3, Size{Accounts: 60, Members: 30, AccessPerMember: 5})
	for _, list := range [][]Object{ws.Accounts, ws.Members} {
		for i := range list {
			body, err := list[i].MarshalJSON()
			if err != nil {
				t.Fatal(err)
			}
			h.Write(body)
		}
	}
	members := ws.MemberIDs()
	for _, id := range members {
		fmt.Fprintln(h, id, ws.AccountsOf(id))
	}

	accounts := ws.AccountIDs()
	first := ws.Account(accounts[0])
	paths := []string{
		"/v1/accounts", "/v1/accounts?startIndex=21&limit=20", "/v1/accounts?limit=100", "/v1/accounts?limit=500&startIndex=3",
		"/v1/accounts?provider=tiktok", "/v1/accounts?search=brand", "/v1/accounts?status=disabled", "/v1/accounts?type=secret",
		"/v1/accounts?role=account_owner", "/v1/accounts?ids=" + accounts[1] + "," + accounts[2],
		"/v1/accounts?app=" + first.String(KeyAppID), "/v1/accounts?collections=" + strings.Join(first.Strings(KeyCollectionIDs), ","),
		"/v1/admin/users", "/v1/admin/users?count=7&startIndex=8", "/v1/admin/users?search=a", "/v1/admin/users?status=live,pending",
		"/v1/admin/users?isGuest=true", "/v1/admin/users?onlyInIdp=true", "/v1/admin/users?userIds=" + members[3],
		"/v1/accounts?startIndex=0", "/v1/accounts?limit=x", "/v1/admin/users?isGuest=maybe", "/v1/accounts?search=%zz",
		"/v1/nope", "/", "/v1/accounts/nope", "/v1/users/nope/accounts",
	}
	for _, id := range accounts[:5] {
		paths = append(paths, "/v1/accounts/"+id)
	}
	for _, id := range members {
		paths = append(paths, "/v1/users/"+id+"/accounts")
	}
	clock := time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)
	now := func() time.Time { return clock }

	sim := New(ws, Config{APIKey: testKey, BearerToken: "tok", Now: now})
	for _, path := range paths {
		digestRequest(h, sim, http.MethodGet, path, "X-API-Key", testKey)
	}
	digestRequest(h, sim, http.MethodPost, "/v1/accounts", "X-API-Key", testKey)
	digestRequest(h, sim, http.MethodGet, "/v1/accounts")
	digestRequest(h, sim, http.MethodGet, "/v1/accounts", "X-API-Key", "wrong")
	digestRequest(h, sim, http.MethodGet, "/v1/accounts", "Authorization", "Bearer tok")
	digestRequest(h, sim, http.MethodGet, "/v1/accounts", "Authorization", "Bearer wrong")

	withWorkspace := New(fixture(t), Config{APIKey: testKey, RequireWorkspace: "acme"})
	digestRequest(h, withWorkspace, http.MethodGet, "/v1/accounts", "X-API-Key", testKey)
	digestRequest(h, withWorkspace, http.MethodGet, "/v1/accounts", "X-API-Key", testKey, "Cerby-Workspace", "other")
	digestRequest(h, withWorkspace, http.MethodGet, "/v1/accounts", "X-API-Key", testKey, "Cerby-Workspace", "acme")

	faults := []Faults{
		{Seed: 5, Random429Rate: 0.3, Random5xxRate: 0.3, HTMLErrorRate: 0.5, RetryAfter: 3 * time.Second},
		{Seed: 5, Random429Rate: 0.5, RetryAfter: 90 * time.Second, RetryAfterHTTPDate: true},
		{RateLimitPerSecond: 2},
		{Seed: 2, InsertBetweenPages: 2, RemoveBetweenPages: 1, ChangeLimit: 2},
		{NeverAdvance: true}, {DuplicateItems: 3}, {EmptyPageAt: 6}, {TotalResultsOffset: -4}, {OmitTotalResults: true},
	}
	for _, f := range faults {
		sim := New(Generate(9, Size{Accounts: 12, Members: 6, AccessPerMember: 2}), Config{APIKey: testKey, Faults: f, Now: now})
		for _, path := range []string{"/v1/accounts?limit=5", "/v1/accounts?limit=5&startIndex=6", "/v1/accounts?limit=5&startIndex=11",
			"/v1/admin/users?count=4", "/v1/admin/users?count=4&startIndex=5", "/v1/accounts?limit=5&startIndex=6"} {
			digestRequest(h, sim, http.MethodGet, path, "X-API-Key", testKey)
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

func digestRequest(h hash.Hash, handler http.Handler, method, path string, headers ...string) {
	req := httptest.NewRequest(method, path, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	handler.ServeHTTP(rec, req)
	fmt.Fprintf(h, "%s %s %d\n", method, path, rec.Code)
	names := make([]string, 0, len(rec.Header()))
	for name := range rec.Header() {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		fmt.Fprintf(h, "%s: %q\n", name, rec.Header()[name])
	}
	h.Write(rec.Body.Bytes())
	h.Write([]byte("\n"))
}
