package provider_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
)

// exactlyOneOf matches the framework's and a hand-written "exactly one of" message.
const exactlyOneOf = `(?i)(exactly\s+one|only\s+one|cannot\s+be\s+configured\s+together)`

func accountConfig(api accAPI, f *fakeAPI, body string) string {
	return api.provider(f) + fmt.Sprintf("data \"cerby_account\" \"test\" {\n%s\n}\n", body)
}

func TestAccAccount_byIDMapsEveryField(t *testing.T) {
	forEachAPI(t, func(t *testing.T, api accAPI) {
		f := newFakeAPI(t, fakeData{Accounts: []fixture{fullAccount, sparseAccount}})
		config := api.provider(f) + fmt.Sprintf(`
data "cerby_account" "full" {
  id = %q
  timeouts { read = "2m" }
}
data "cerby_account" "sparse" {
  id = %q
}
`, uuidN(1), uuidN(2))

		checks := append(topLevel("data.cerby_account.full", fullAccountFields(api)),
			topLevel("data.cerby_account.sparse", sparseAccountFields(api))...)
		accTest(t, true, stableSteps(config,
			"[data.cerby_account.full.updated_at, data.cerby_account.sparse.name]", checks,
			f.expectQuery(api.accountPath(uuidN(1)), nil),
			f.expectQuery(api.accountPath(uuidN(2)), nil),
		)...)
	})
}

// nameLookup checks how the API was asked for the accounts a name lookup
// compares: the Read API's search, or the Cerby API's full listing, which
// cannot search (C6).
func nameLookup(api accAPI, f *fakeAPI, name string) resource.TestCheckFunc {
	if param := api.param("cerby_account.name"); param != "" {
		return f.expectQuery(api.accountsPath(), map[string]string{param: name})
	}
	return f.expectOnlyParams(api.accountsPath(), api.pageParams()...)
}

func TestAccAccount_byNamePicksTheExactMatch(t *testing.T) {
	forEachAPI(t, func(t *testing.T, api accAPI) {
		f := newFakeAPI(t, fakeData{Accounts: []fixture{
			account(31, "Brand Two", "google"), account(32, "Brand", "google"), account(33, "Old Brand", "google"),
		}})
		config := accountConfig(api, f, `name = "Brand"`)

		accTest(t, true, stableSteps(config, "data.cerby_account.test.id",
			topLevel("data.cerby_account.test", map[string]knownvalue.Check{
				"id": knownvalue.StringExact(uuidN(32)), "name": knownvalue.StringExact("Brand"), "application": knownvalue.StringExact("google"),
			}),
			nameLookup(api, f, "Brand"),
		)...)
	})
}

func TestAccAccount_byNameWithoutExactMatchListsCandidates(t *testing.T) {
	forEachAPI(t, func(t *testing.T, api accAPI) {
		f := newFakeAPI(t, fakeData{Accounts: []fixture{account(31, "Brand Two", "google"), account(33, "Old Brand", "google")}})
		steps := errorSteps(accountConfig(api, f, `name = "Brand"`), uuidN(31), uuidN(33), words(`named exactly "Brand"`))
		accTest(t, true, steps...)
		f.requireRequests(t, len(steps)) // one page of candidates each
	})
}

func TestAccAccount_byNameWithSeveralExactMatchesListsThem(t *testing.T) {
	forEachAPI(t, func(t *testing.T, api accAPI) {
		f := newFakeAPI(t, fakeData{Accounts: []fixture{
			account(34, "Shared", "google"), account(35, "Shared", "slack"), account(36, "Shared Drive", "google"),
		}})
		steps := errorSteps(accountConfig(api, f, `name = "Shared"`), uuidN(34), uuidN(35), words("set id to one of them"))
		accTest(t, true, steps...)
		f.requireRequests(t, len(steps))
	})
}

func TestAccAccount_notFound(t *testing.T) {
	forEachAPI(t, func(t *testing.T, api accAPI) {
		f := newFakeAPI(t, fakeData{Accounts: []fixture{fullAccount}})
		steps := errorSteps(accountConfig(api, f, fmt.Sprintf("id = %q", uuidN(99))),
			words(fmt.Sprintf("account %s not found or not visible to these credentials", uuidN(99))))

		accTest(t, true, steps...)
		f.requireRequests(t, len(steps)) // a 404 is never retried
	})
}

func TestAccAccount_rejectedBeforeAnyRequest(t *testing.T) {
	cases := map[string]struct{ body, want string }{
		"id not a UUID":       {`id = "../admin/users"`, `(?i)uuid`},
		"id and name":         {fmt.Sprintf("id = %q\n  name = \"Brand\"", uuidN(1)), exactlyOneOf},
		"neither id nor name": {"", exactlyOneOf},
	}
	forEachAPI(t, func(t *testing.T, api accAPI) {
		for name, tc := range cases {
			t.Run(name, func(t *testing.T) {
				f := newFakeAPI(t, fakeData{Accounts: []fixture{fullAccount}})
				accTest(t, true, errorSteps(accountConfig(api, f, tc.body), tc.want)...)
				f.requireRequests(t, 0)
			})
		}
	})
}
