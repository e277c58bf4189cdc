package provider_test

// What only the Cerby API does (contract/cerby-api.md); every other data
// source test runs on both APIs (forEachAPI).

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
)

// TestAccCerbyAPI_refusedArguments: an argument the Cerby API cannot honour
// is an error on that argument, naming the API and what to do, before any
// request (C5). The Read API honours each: TestAccAccounts_everyFilterSent
// and TestAccUsers_everyFilterSent.
func TestAccCerbyAPI_refusedArguments(t *testing.T) {
	refused := func(argument string) []string {
		return []string{words(fmt.Sprintf("`%s` cannot be used while the provider reads the Cerby API", argument)),
			words(fmt.Sprintf("Remove `%s`.", argument))}
	}
	cases := map[string]struct {
		dataSource, body string
		patterns         []string
	}{
		"cerby_accounts.search": {"cerby_accounts", `search = "brand"`, refused("search")},
		"cerby_accounts.type":   {"cerby_accounts", `type = "identity"`, refused("type")},
		"cerby_accounts.role":   {"cerby_accounts", `role = "account_owner"`, refused("role")},
		"cerby_accounts, all three at once, beside what the Cerby API honours": {"cerby_accounts",
			"search = \"brand\"\n  type = \"identity\"\n  role = \"account_owner\"\n  status = \"enabled\"\n  applications = [\"google\"]",
			append(append(refused("search"), refused("type")...), refused("role")...)},
		"cerby_users.only_in_idp true":  {"cerby_users", "only_in_idp = true", refused("only_in_idp")},
		"cerby_users.only_in_idp false": {"cerby_users", "only_in_idp = false\n  search = \"example\"", refused("only_in_idp")},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			f := newFakeAPI(t, fakeData{Accounts: []fixture{fullAccount}, Members: []fixture{fullMember}})
			config := cerbyAPI.provider(f) + fmt.Sprintf("data %q \"test\" {\n  %s\n}\n", tc.dataSource, tc.body)
			accTest(t, true, errorSteps(config, append(tc.patterns, words("set `api = \"read_api\"` in the provider block"))...)...)
			f.requireRequests(t, 0)
		})
	}
}

// TestAccCerbyAPI_accountByNameWalksTheFullListing: the Cerby API cannot
// search, so a name is compared with every account, over every page (C6).
func TestAccCerbyAPI_accountByNameWalksTheFullListing(t *testing.T) {
	f := newFakeAPI(t, fakeData{Accounts: []fixture{
		account(51, "Payroll", "adp"), account(52, "Payroll EU", "adp"), account(53, "payroll", "adp"),
		account(54, "Ads", "google"), account(55, "Brand", "instagram"), // last page: nothing a search for it would have skipped
	}})
	config := cerbyAPI.provider(f, "page_size = 2") + "data \"cerby_account\" \"test\" {\n  name = \"Brand\"\n}\n"

	accTest(t, true, stableSteps(config, "data.cerby_account.test.id",
		topLevel("data.cerby_account.test", map[string]knownvalue.Check{
			"id": knownvalue.StringExact(uuidN(55)), "name": knownvalue.StringExact("Brand"), "application": knownvalue.StringExact("instagram"),
		}),
		f.expectWalks(cerbyAPI, cerbyAPI.accountsPath(), 2, 1, 2, 3),
		f.expectOnlyParams(cerbyAPI.accountsPath(), cerbyAPI.pageParams()...),
	)...)
}

// TestAccCerbyAPI_newAccountAttributes: has_passkey and last_password_change
// come from the Cerby API; the Read API never fills them, even when a
// server sends those keys (the fake sends them to both).
func TestAccCerbyAPI_newAccountAttributes(t *testing.T) {
	forEachAPI(t, func(t *testing.T, api accAPI) {
		passkey := newFixture(uuidN(61), fixture{"name": "Passkey login", "provider": "google", "status": "enabled",
			"hasPasskey": false, "lastPasswordChange": "2025-01-02T03:04:05Z"})
		f := newFakeAPI(t, fakeData{
			Accounts: []fixture{passkey}, Members: []fixture{fullMember},
			UserAccounts: map[string][]fixture{uuidN(101): {passkey}},
		})
		config := api.provider(f) + fmt.Sprintf(`
data "cerby_account" "test" {
  id = %q
}
data "cerby_accounts" "test" {}
data "cerby_user_accounts" "test" {
  user_id = %q
}
`, uuidN(61), uuidN(101))
		fields := api.accountFields(map[string]knownvalue.Check{
			"has_passkey": knownvalue.Bool(false), "last_password_change": knownvalue.StringExact("2025-01-02T03:04:05Z"),
		})
		checks := append(topLevel("data.cerby_account.test", fields),
			element(accountsAddr, "accounts", 0, fields), element(userAccountsAddr, "accounts", 0, fields))
		accTest(t, true, stableSteps(config, "[data.cerby_account.test.id, "+accountsAddr+".ids, "+userAccountsAddr+".ids]", checks,
			f.expectQuery(api.accountPath(uuidN(61)), nil),
			f.expectQuery(api.accountsPath(), nil), f.expectQuery(api.userAccountsPath(uuidN(101)), nil))...)
	})
}

// TestAccCerbyAPI_memberAccountsNotOffered: GET /users/{id}/accounts is
// known from a third party only; where it answers 404 or 405 the member
// exists (GET /users/{id} said so), so the error says the workspace's Cerby
// API does not offer it, and what to use instead (C8).
func TestAccCerbyAPI_memberAccountsNotOffered(t *testing.T) {
	for _, status := range []int{http.StatusNotFound, http.StatusMethodNotAllowed} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			t.Run("the member exists", func(t *testing.T) {
				f := newFakeAPI(t, fakeData{Members: []fixture{fullMember}, NoMemberAccounts: status})
				steps := errorSteps(userAccountsConfig(cerbyAPI, f, fmt.Sprintf("user_id = %q", uuidN(101))),
					fmt.Sprint(status), words("the member exists, but this workspace's Cerby API does not offer a member's accounts"),
					words(`api = "read_api"`), words("cerby_accounts"))

				accTest(t, true, steps...)
				f.requireRequests(t, 2*len(steps)) // the member, then its accounts, never retried
				if err := f.expectSequence(cerbyAPI.memberAccountsReads(uuidN(101))...)(nil); err != nil {
					t.Error(err)
				}
			})
			t.Run("the member is missing", func(t *testing.T) {
				f := newFakeAPI(t, fakeData{Members: []fixture{fullMember}, NoMemberAccounts: status})
				steps := errorSteps(userAccountsConfig(cerbyAPI, f, fmt.Sprintf("user_id = %q", uuidN(199))),
					words(fmt.Sprintf("user %s not found", uuidN(199))))

				accTest(t, true, steps...)
				f.requireRequests(t, len(steps)) // GET /users/{id} only
				if got := f.requestsTo(cerbyAPI.userAccountsPath(uuidN(199))); len(got) != 0 {
					t.Errorf("%d requests to the member's accounts of a missing member", len(got))
				}
			})
		})
	}
}

// TestAccCerbyAPI_accountNotFoundNamesTheOwnerRule: on the Cerby API an
// account the key's creator does not own answers 404 by id, as a missing one
// does, and the error says so (C21).
func TestAccCerbyAPI_accountNotFoundNamesTheOwnerRule(t *testing.T) {
	f := newFakeAPI(t, fakeData{Accounts: []fixture{fullAccount}})
	steps := errorSteps(accountConfig(cerbyAPI, f, fmt.Sprintf("id = %q", uuidN(99))),
		words(fmt.Sprintf("account %s not found or not visible to these credentials", uuidN(99))),
		words("only the accounts the API key's creator owns"),
		words(fmt.Sprintf("Account %s not found.", uuidN(99))), // the Cerby API's own detail
	)

	accTest(t, true, steps...)
	f.requireRequests(t, len(steps))
}

// TestAccCerbyAPI_accountStatusSentAsGiven: status goes to filter[status] as
// given, so a Read-API-only value is the Cerby API's 400, naming the
// parameter (C5, C18).
func TestAccCerbyAPI_accountStatusSentAsGiven(t *testing.T) {
	f := newFakeAPI(t, fakeData{Accounts: []fixture{fullAccount}})
	steps := errorSteps(accountsConfig(cerbyAPI, f, nil, `status = "success"`),
		`400`, words("at query.filter[status]"), words(`Input should be one of`))

	accTest(t, true, steps...)
	f.requireRequests(t, len(steps)) // a 400 is never retried
}

// TestCerbyAPIFake_followsTheContract pins what the fake Cerby API itself
// does, so that the acceptance tests above stand on contract/cerby-api.md
// rather than on the client's reading of it.
func TestCerbyAPIFake_followsTheContract(t *testing.T) {
	accounts := make([]fixture, 30)
	for i := range accounts {
		accounts[i] = account(200+i, fmt.Sprintf("a%02d", i), "google")
	}
	f := newFakeAPI(t, fakeData{Accounts: accounts, Members: []fixture{fullMember, sparseMember}})
	get := func(path string, key bool) (int, string) {
		t.Helper()
		req, err := http.NewRequest(http.MethodGet, f.server.URL+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		if key {
			req.Header.Set("X-API-Key", testAPIKey)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	q := func(kv ...string) string {
		v := url.Values{}
		for i := 0; i < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return "?" + v.Encode()
	}
	for name, tc := range map[string]struct {
		path     string
		key      bool
		status   int
		contains []string
	}{
		"no key":                 {"/api/v1/accounts", false, 401, []string{`"code":"unauthorized"`, `"status":"401"`}},
		"default page size 25":   {"/api/v1/accounts", true, 200, []string{`"total":30`, `"next":"/api/v1/accounts?page%5Bnumber%5D=2\u0026page%5Bsize%5D=25"`}},
		"last page":              {"/api/v1/accounts" + q("page[number]", "2", "page[size]", "25"), true, 200, []string{`"next":null`, uuidN(229)}},
		"page size 100":          {"/api/v1/accounts" + q("page[size]", "100"), true, 200, []string{`"next":null`}},
		"page size 101":          {"/api/v1/accounts" + q("page[size]", "101"), true, 400, []string{`"loc":["query","page[size]"]`}},
		"page size 0":            {"/api/v1/accounts" + q("page[size]", "0"), true, 400, []string{`"code":"validation_error"`}},
		"page number 0":          {"/api/v1/accounts" + q("page[number]", "0"), true, 400, []string{`"loc":["query","page[number]"]`}},
		"legacy status":          {"/api/v1/accounts" + q("filter[status]", "success"), true, 400, []string{`"loc":["query","filter[status]"]`}},
		"read api parameter":     {"/api/v1/accounts" + q("search", "a"), true, 400, []string{`"loc":["query","search"]`}},
		"account by id":          {"/api/v1/accounts/" + uuidN(200), true, 200, []string{`"label":"a00"`, `"application":"google"`}},
		"missing account":        {"/api/v1/accounts/" + uuidN(99), true, 404, []string{`"code":"not_found"`, `"title":"Not found"`}},
		"users filter by name":   {"/api/v1/users" + q("filter", "grace hopper"), true, 200, []string{`"total":1`, `"firstName":"Grace"`}},
		"user without meta":      {"/api/v1/users/" + uuidN(101), true, 200, []string{`"lastActivity"`}},
		"bad isGuest":            {"/api/v1/users" + q("filter[isGuest]", "yes"), true, 400, []string{`"loc":["query","filter[isGuest]"]`}},
		"no secret path":         {"/api/v1/accounts/" + uuidN(200) + "/secrets", true, 404, []string{`"code":"not_found"`}},
		"member's empty account": {"/api/v1/users/" + uuidN(101) + "/accounts", true, 200, []string{`"data":[]`, `"total":0`}},
	} {
		t.Run(name, func(t *testing.T) {
			status, body := get(tc.path, tc.key)
			if status != tc.status {
				t.Errorf("GET %s: %d, want %d: %s", tc.path, status, tc.status, body)
			}
			for _, want := range tc.contains {
				if !strings.Contains(body, want) {
					t.Errorf("GET %s: body lacks %s: %s", tc.path, want, body)
				}
			}
			if strings.Contains(body, `"meta":{"department"`) {
				t.Errorf("GET %s: the Read API's member meta was served: %s", tc.path, body)
			}
		})
	}
}

// TestAPIsTable_namesRealAttributes keeps the apis table honest: every
// attribute it says an API never fills is one the fixtures check, and the
// mapping serves every Read API key of the full fixtures that §5 maps.
func TestAPIsTable_namesRealAttributes(t *testing.T) {
	accountFields, memberFields := fullAccountFields(readAPI), fullMemberFields(readAPI)
	for _, api := range apis {
		for _, name := range api.unfilledAccount {
			if _, ok := accountFields[name]; !ok {
				t.Errorf("%s: unfilledAccount names %q, not an account attribute the fixtures check", api.name, name)
			}
		}
		for _, name := range api.unfilledMember {
			if _, ok := memberFields[name]; !ok {
				t.Errorf("%s: unfilledMember names %q, not a member attribute the fixtures check", api.name, name)
			}
		}
	}
	// Every key of the full fixtures is either mapped or Read-API-only.
	readOnlyAccount := []string{"id", "username", "vaultId", "idekID", "permissions", "role", "type", "domains",
		"originalEmail", "originalPhone", "rotatedByUser", "workspacePolicyResult", "workspacePolicyCheckDate"}
	for key := range fullAccount {
		if _, ok := cerbyAccountAttributes[key]; !ok && !slices.Contains(readOnlyAccount, key) {
			t.Errorf("fullAccount key %q is neither served by the Cerby API nor Read-API-only", key)
		}
	}
	for key := range fullMember {
		if _, ok := cerbyUserAttributes[key]; !ok && key != "id" && key != "meta" {
			t.Errorf("fullMember key %q is neither served by the Cerby API nor Read-API-only", key)
		}
	}
}
