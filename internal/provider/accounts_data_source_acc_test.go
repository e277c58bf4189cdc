package provider_test

import (
	"fmt"
	"maps"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

const accountsAddr = "data.cerby_accounts.test"

func accountsConfig(f *fakeAPI, providerArgs []string, body string) string {
	return f.provider(providerArgs...) + fmt.Sprintf("data \"cerby_accounts\" \"test\" {\n%s\n}\n", body)
}

func TestAccAccounts_everyFieldMapped(t *testing.T) {
	f := newFakeAPI(t, fakeData{Accounts: []fixture{sparseAccount, fullAccount}})
	config := accountsConfig(f, nil, `timeouts { read = "2m" }`)

	accTest(t, true, stableSteps(config, accountsAddr+".ids", []statecheck.StateCheck{
		idList(accountsAddr, 1, 2),
		element(accountsAddr, "accounts", 0, fullAccountFields()),
		element(accountsAddr, "accounts", 1, sparseAccountFields()),
		statecheck.ExpectKnownValue(accountsAddr, tfjsonpath.New("truncated"), knownvalue.Bool(false)),
	}, f.expectQuery("/v1/accounts", map[string]string{"startIndex": "1", "limit": "100"}))...)
}

func TestAccAccounts_pagesInOrder(t *testing.T) {
	// Served out of order; three ids share a lower-cased name so the id breaks the tie.
	f := newFakeAPI(t, fakeData{Accounts: []fixture{
		account(13, "beta", "google"), account(15, "Alpha", "google"), account(11, "Gamma", "google"),
		account(14, "alpha", "google"), account(12, "ALPHA", "google"),
	}})
	config := accountsConfig(f, []string{"page_size = 2"}, "")

	accTest(t, true, stableSteps(config, accountsAddr+".ids", []statecheck.StateCheck{
		idList(accountsAddr, 12, 14, 15, 13, 11),
		statecheck.ExpectKnownValue(accountsAddr, tfjsonpath.New("accounts").AtSliceIndex(3).AtMapKey("name"), knownvalue.StringExact("beta")),
	},
		f.expectWalks("/v1/accounts", "1", "3", "5"),
		f.expectQuery("/v1/accounts", map[string]string{"startIndex": "3", "limit": "2"}),
	)...)
}

func TestAccAccounts_everyFilterSent(t *testing.T) {
	brand := func(n int, name, app string) fixture {
		return newFixture(uuidN(n), fixture{"name": name, "provider": app, "status": "enabled", "type": "identity", "role": "account_owner"})
	}
	f := newFakeAPI(t, fakeData{Accounts: []fixture{
		fullAccount,
		brand(3, "TikTok Brand", "tiktok"),
		brand(4, "Google Brand", "google"),   // application not asked for
		brand(5, "TikTok Brand 2", "tiktok"), // id not asked for
	}})
	ids := strings.Join([]string{uuidN(1), uuidN(3), uuidN(4)}, ",")
	config := accountsConfig(f, nil, fmt.Sprintf(`
  search       = "brand"
  status       = "enabled"
  type         = "identity"
  role         = "account_owner"
  applications = ["instagram", "tiktok"]
  account_ids  = [%q, %q, %q]
  max_items    = 50`, uuidN(1), uuidN(3), uuidN(4)))

	common := map[string]string{"search": "brand", "status": "enabled", "type": "identity", "role": "account_owner", "ids": ids}
	withApp := func(app string) map[string]string {
		q := maps.Clone(common)
		q["provider"] = app
		return q
	}
	accTest(t, true, stableSteps(config, accountsAddr+".ids", []statecheck.StateCheck{
		idList(accountsAddr, 1, 3),
		statecheck.ExpectKnownValue(accountsAddr, tfjsonpath.New("truncated"), knownvalue.Bool(false)),
	},
		f.expectQuery("/v1/accounts", withApp("instagram")),
		f.expectQuery("/v1/accounts", withApp("tiktok")),
	)...)
}

func TestAccAccounts_maxItemsTruncates(t *testing.T) {
	f := newFakeAPI(t, fakeData{Accounts: []fixture{
		account(21, "a1", "google"), account(22, "a2", "google"), account(23, "a3", "google"),
		account(24, "a4", "google"), account(25, "a5", "google"),
	}})
	config := accountsConfig(f, []string{"page_size = 2"}, "max_items = 3")

	accTest(t, true, stableSteps(config, accountsAddr+".ids", []statecheck.StateCheck{
		idList(accountsAddr, 21, 22, 23),
		statecheck.ExpectKnownValue(accountsAddr, tfjsonpath.New("accounts"), knownvalue.ListSizeExact(3)),
		statecheck.ExpectKnownValue(accountsAddr, tfjsonpath.New("truncated"), knownvalue.Bool(true)),
	}, f.expectWalks("/v1/accounts", "1", "3"))...)
}

func TestAccAccounts_unauthorizedNamesCausesAndScope(t *testing.T) {
	f := newFakeAPI(t, fakeData{Always: &cannedResponse{Status: 401, Body: `{"message":"Unauthorized"}`}})
	steps := errorSteps(accountsConfig(f, nil, ""),
		`401`, `(?i)(invalid|expired)`, `(?i)scope`, words("Read accounts"))

	accTest(t, true, steps...)
	f.requireRequests(t, len(steps)) // a 401 is never retried
}

func TestAccAccounts_forbidden(t *testing.T) {
	f := newFakeAPI(t, fakeData{Always: &cannedResponse{Status: 403, Body: `{"detail":"role does not allow this"}`}})
	steps := errorSteps(accountsConfig(f, nil, ""), `403`, words("role does not allow this"))

	accTest(t, true, steps...)
	f.requireRequests(t, len(steps))
}

func TestAccAccounts_retriesAfter429(t *testing.T) {
	f := newFakeAPI(t, fakeData{
		Accounts: []fixture{fullAccount},
		Canned:   []cannedResponse{{Status: 429, Header: map[string]string{"Retry-After": "0"}, Body: "slow down"}},
	})
	config := accountsConfig(f, []string{`max_retry_wait = "1s"`}, "")

	// The only 429 answers the first request: data in state proves the retry.
	accTest(t, true, stableSteps(config, accountsAddr+".ids", []statecheck.StateCheck{idList(accountsAddr, 1)})...)
}

func TestAccAccounts_applicationsMergedWithoutDuplicates(t *testing.T) {
	// One account is listed under both applications, as a shared login can be.
	shared := account(6, "Shared login", "instagram")
	f := newFakeAPI(t, fakeData{Listings: map[string][]fixture{
		"instagram": {fullAccount, shared},
		"tiktok":    {shared, sparseAccount},
	}})
	config := accountsConfig(f, nil, `applications = ["tiktok", "instagram"]`)

	accTest(t, true, stableSteps(config, accountsAddr+".ids", []statecheck.StateCheck{idList(accountsAddr, 1, 6, 2)},
		f.expectQuery("/v1/accounts", map[string]string{"provider": "instagram"}),
		f.expectQuery("/v1/accounts", map[string]string{"provider": "tiktok"}),
	)...)
}
