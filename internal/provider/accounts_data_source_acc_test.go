package provider_test

import (
	"fmt"
	"maps"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

const accountsAddr = "data.cerby_accounts.test"

func accountsConfig(api accAPI, f *fakeAPI, providerArgs []string, body string) string {
	return api.provider(f, providerArgs...) + fmt.Sprintf("data \"cerby_accounts\" \"test\" {\n%s\n}\n", body)
}

func TestAccAccounts_everyFieldMapped(t *testing.T) {
	forEachAPI(t, func(t *testing.T, api accAPI) {
		f := newFakeAPI(t, fakeData{Accounts: []fixture{sparseAccount, fullAccount}})
		config := accountsConfig(api, f, nil, `timeouts { read = "2m" }`)

		accTest(t, true, stableSteps(config, accountsAddr+".ids", []statecheck.StateCheck{
			idList(accountsAddr, 1, 2),
			element(accountsAddr, "accounts", 0, fullAccountFields(api)),
			element(accountsAddr, "accounts", 1, sparseAccountFields(api)),
			statecheck.ExpectKnownValue(accountsAddr, tfjsonpath.New("truncated"), knownvalue.Bool(false)),
		},
			f.expectQuery(api.accountsPath(), api.page(api.accountsPath(), 1, 100)),
			f.expectOnlyParams(api.accountsPath(), api.pageParams()...),
		)...)
	})
}

func TestAccAccounts_pagesInOrder(t *testing.T) {
	forEachAPI(t, func(t *testing.T, api accAPI) {
		// Served out of order; three ids share a lower-cased name so the id breaks the tie.
		f := newFakeAPI(t, fakeData{Accounts: []fixture{
			account(13, "beta", "google"), account(15, "Alpha", "google"), account(11, "Gamma", "google"),
			account(14, "alpha", "google"), account(12, "ALPHA", "google"),
		}})
		config := accountsConfig(api, f, []string{"page_size = 2"}, "")

		accTest(t, true, stableSteps(config, accountsAddr+".ids", []statecheck.StateCheck{
			idList(accountsAddr, 12, 14, 15, 13, 11),
			statecheck.ExpectKnownValue(accountsAddr, tfjsonpath.New("accounts").AtSliceIndex(3).AtMapKey("name"), knownvalue.StringExact("beta")),
		},
			f.expectWalks(api, api.accountsPath(), 2, 1, 2, 3),
			f.expectQuery(api.accountsPath(), api.page(api.accountsPath(), 2, 2)),
		)...)
	})
}

// TestAccAccounts_everyFilterSent sets every filter the API honours: each is
// sent as the API names it, or applied by the provider where the API has no
// such filter (the Cerby API's refusals are TestAccCerbyAPI_refusedArguments).
func TestAccAccounts_everyFilterSent(t *testing.T) {
	forEachAPI(t, func(t *testing.T, api accAPI) {
		brand := func(n int, name, app string) fixture {
			return newFixture(uuidN(n), fixture{"name": name, "provider": app, "status": "enabled", "type": "identity", "role": "account_owner"})
		}
		f := newFakeAPI(t, fakeData{Accounts: []fixture{
			fullAccount,
			brand(3, "TikTok Brand", "tiktok"),
			brand(4, "Google Brand", "google"),   // application not asked for
			brand(5, "TikTok Brand 2", "tiktok"), // id not asked for
		}})
		filters := []struct{ argument, hcl, sent string }{
			{"search", `"brand"`, "brand"},
			{"status", `"enabled"`, "enabled"},
			{"type", `"identity"`, "identity"},
			{"role", `"account_owner"`, "account_owner"},
			{"account_ids", fmt.Sprintf("[%q, %q, %q]", uuidN(1), uuidN(3), uuidN(4)), strings.Join([]string{uuidN(1), uuidN(3), uuidN(4)}, ",")},
		}
		body := "  applications = [\"instagram\", \"tiktok\"]\n  max_items = 50\n"
		common := map[string]string{}
		sent := api.pageParams()
		for _, arg := range filters {
			if !api.honours("cerby_accounts." + arg.argument) {
				continue
			}
			body += fmt.Sprintf("  %s = %s\n", arg.argument, arg.hcl)
			if param := api.param("cerby_accounts." + arg.argument); param != "" {
				common[param] = arg.sent
				sent = append(sent, param)
			}
		}
		appParam := api.param("cerby_accounts.applications")
		withApp := func(app string) map[string]string {
			q := maps.Clone(common)
			q[appParam] = app
			return q
		}
		accTest(t, true, stableSteps(accountsConfig(api, f, nil, body), accountsAddr+".ids", []statecheck.StateCheck{
			idList(accountsAddr, 1, 3),
			statecheck.ExpectKnownValue(accountsAddr, tfjsonpath.New("truncated"), knownvalue.Bool(false)),
		},
			f.expectQuery(api.accountsPath(), withApp("instagram")),
			f.expectQuery(api.accountsPath(), withApp("tiktok")),
			f.expectOnlyParams(api.accountsPath(), append(sent, appParam)...),
		)...)
	})
}

func TestAccAccounts_maxItemsTruncates(t *testing.T) {
	forEachAPI(t, func(t *testing.T, api accAPI) {
		f := newFakeAPI(t, fakeData{Accounts: []fixture{
			account(21, "a1", "google"), account(22, "a2", "google"), account(23, "a3", "google"),
			account(24, "a4", "google"), account(25, "a5", "google"),
		}})
		config := accountsConfig(api, f, []string{"page_size = 2"}, "max_items = 3")

		accTest(t, true, stableSteps(config, accountsAddr+".ids", []statecheck.StateCheck{
			idList(accountsAddr, 21, 22, 23),
			statecheck.ExpectKnownValue(accountsAddr, tfjsonpath.New("accounts"), knownvalue.ListSizeExact(3)),
			statecheck.ExpectKnownValue(accountsAddr, tfjsonpath.New("truncated"), knownvalue.Bool(true)),
		}, f.expectWalks(api, api.accountsPath(), 2, 1, 2))...)
	})
}

func TestAccAccounts_unauthorizedNamesCausesAndScope(t *testing.T) {
	forEachAPI(t, func(t *testing.T, api accAPI) {
		f := newFakeAPI(t, fakeData{Always: &cannedResponse{Status: 401, Body: api.errorBody(401, "Unauthorized")}})
		steps := errorSteps(accountsConfig(api, f, nil, ""),
			`401`, `(?i)(invalid|expired)`, `(?i)scope`, words("Read accounts"))

		accTest(t, true, steps...)
		f.requireRequests(t, len(steps)) // a 401 is never retried
	})
}

func TestAccAccounts_forbidden(t *testing.T) {
	forEachAPI(t, func(t *testing.T, api accAPI) {
		f := newFakeAPI(t, fakeData{Always: &cannedResponse{Status: 403, Body: api.errorBody(403, "role does not allow this")}})
		patterns := []string{`403`, words("role does not allow this"), words("workspace role")}
		if api.cerby { // one Cerby text blames the key's scopes for a 403 (contract §9)
			patterns = append(patterns, words(`lacks the "Read accounts" scope`))
		}
		steps := errorSteps(accountsConfig(api, f, nil, ""), patterns...)

		accTest(t, true, steps...)
		f.requireRequests(t, len(steps))
	})
}

func TestAccAccounts_retriesAfter429(t *testing.T) {
	forEachAPI(t, func(t *testing.T, api accAPI) {
		f := newFakeAPI(t, fakeData{
			Accounts: []fixture{fullAccount},
			Canned:   []cannedResponse{{Status: 429, Header: map[string]string{"Retry-After": "0"}, Body: api.errorBody(429, "slow down")}},
		})
		config := accountsConfig(api, f, []string{`max_retry_wait = "1s"`}, "")

		// The only 429 answers the first request: data in state proves the retry.
		accTest(t, true, stableSteps(config, accountsAddr+".ids", []statecheck.StateCheck{idList(accountsAddr, 1)},
			expectRetried(f, api.accountsPath()))...)
	})
}

// expectRetried checks the first request to path was asked twice in a row:
// the 429 and its retry.
func expectRetried(f *fakeAPI, path string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		reqs := f.requestsTo("")
		if len(reqs) < 2 || reqs[0].Path != path || reqs[1].Path != path || reqs[0].Query.Encode() != reqs[1].Query.Encode() {
			return fmt.Errorf("the first two requests are not one request to %s and its retry: %v", path, reqs)
		}
		return nil
	}
}

func TestAccAccounts_applicationsMergedWithoutDuplicates(t *testing.T) {
	forEachAPI(t, func(t *testing.T, api accAPI) {
		// One account is listed under both applications, as a shared login can be.
		shared := account(6, "Shared login", "instagram")
		f := newFakeAPI(t, fakeData{Listings: map[string][]fixture{
			"instagram": {fullAccount, shared},
			"tiktok":    {shared, sparseAccount},
		}})
		config := accountsConfig(api, f, nil, `applications = ["tiktok", "instagram"]`)
		appParam := api.param("cerby_accounts.applications")

		accTest(t, true, stableSteps(config, accountsAddr+".ids", []statecheck.StateCheck{idList(accountsAddr, 1, 6, 2)},
			f.expectQuery(api.accountsPath(), map[string]string{appParam: "instagram"}),
			f.expectQuery(api.accountsPath(), map[string]string{appParam: "tiktok"}),
		)...)
	})
}
