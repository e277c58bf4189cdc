package provider_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

const userAccountsAddr = "data.cerby_user_accounts.test"

func userAccountsConfig(api accAPI, f *fakeAPI, body string) string {
	return api.provider(f) + fmt.Sprintf("data \"cerby_user_accounts\" \"test\" {\n%s\n}\n", body)
}

func TestAccUserAccounts_byUserIDMapsEveryField(t *testing.T) {
	forEachAPI(t, func(t *testing.T, api accAPI) {
		f := newFakeAPI(t, fakeData{
			Members:      []fixture{fullMember},
			UserAccounts: map[string][]fixture{uuidN(101): {fullAccount, sparseAccount}},
		})
		config := userAccountsConfig(api, f, fmt.Sprintf("user_id = %q\n  timeouts { read = \"2m\" }", uuidN(101)))

		accTest(t, true, stableSteps(config, userAccountsAddr+".ids", []statecheck.StateCheck{
			idList(userAccountsAddr, 1, 2),
			element(userAccountsAddr, "accounts", 0, fullAccountFields(api)),
			element(userAccountsAddr, "accounts", 1, sparseAccountFields(api)),
		}, f.expectSequence(api.memberAccountsReads(uuidN(101))...))...)
	})
}

func TestAccUserAccounts_byEmailIsExactAndCaseInsensitive(t *testing.T) {
	forEachAPI(t, func(t *testing.T, api accAPI) {
		const email = "Ada+Ops@Example.com"
		f := newFakeAPI(t, fakeData{
			// The search is partial: only one of these is the exact address.
			Members: []fixture{
				member(112, "xada+ops@example.com"), member(111, "ada+ops@example.com"), member(113, "ada+ops@example.com.au"),
			},
			UserAccounts: map[string][]fixture{uuidN(111): {account(41, "Shared inbox", "google")}},
		})
		config := userAccountsConfig(api, f, fmt.Sprintf("user_email = %q", email))

		accTest(t, true, stableSteps(config, userAccountsAddr+".ids", []statecheck.StateCheck{idList(userAccountsAddr, 41)},
			f.expectSearchFor(api, email),
			f.expectSequence(append([]string{api.usersPath}, api.memberAccountsReads(uuidN(111))...)...),
		)...)
	})
}

// expectSearchFor checks the member lookup searched for the address, '+'
// intact (an unescaped '+' would arrive as a space); case is the provider's call.
func (f *fakeAPI) expectSearchFor(api accAPI, email string) resource.TestCheckFunc {
	param := api.param("cerby_user_accounts.user_email")
	return func(*terraform.State) error {
		for _, r := range f.requestsTo(api.usersPath) {
			if strings.EqualFold(r.Query.Get(param), email) {
				return nil
			}
		}
		return fmt.Errorf("no %s request searched for %q in %s", api.usersPath, email, param)
	}
}

func TestAccUserAccounts_emailWithoutMatch(t *testing.T) {
	forEachAPI(t, func(t *testing.T, api accAPI) {
		f := newFakeAPI(t, fakeData{Members: []fixture{member(112, "xnobody@example.com")}})
		steps := errorSteps(userAccountsConfig(api, f, `user_email = "nobody@example.com"`),
			`(?i)(no\s+(workspace\s+)?(member|user)|not\s+found|matche?s?\s+no|found\s+no)`, uuidN(112))
		accTest(t, true, steps...)
		f.requireRequests(t, len(steps)) // the lookup only: no member, no accounts asked for
	})
}

func TestAccUserAccounts_emailWithSeveralMatchesListsThem(t *testing.T) {
	forEachAPI(t, func(t *testing.T, api accAPI) {
		f := newFakeAPI(t, fakeData{Members: []fixture{member(114, "dup@example.com"), member(115, "DUP@example.com")}})
		steps := errorSteps(userAccountsConfig(api, f, `user_email = "dup@example.com"`), uuidN(114), uuidN(115))
		accTest(t, true, steps...)
		f.requireRequests(t, len(steps))
	})
}

// A missing member is told apart from a missing endpoint on both APIs: the
// Cerby API's 404 comes from GET /users/{id}, asked first (C8).
func TestAccUserAccounts_notFound(t *testing.T) {
	forEachAPI(t, func(t *testing.T, api accAPI) {
		f := newFakeAPI(t, fakeData{Members: []fixture{fullMember}, UserAccounts: map[string][]fixture{}})
		steps := errorSteps(userAccountsConfig(api, f, fmt.Sprintf("user_id = %q", uuidN(199))),
			words(fmt.Sprintf("user %s not found", uuidN(199))))

		accTest(t, true, steps...)
		f.requireRequests(t, len(steps)) // one request each, never retried
		for _, r := range f.requestsTo("") {
			if r.Path != api.memberAccountsReads(uuidN(199))[0] {
				t.Errorf("request to %s; only %s may be asked", r.Path, api.memberAccountsReads(uuidN(199))[0])
			}
		}
	})
}

func TestAccUserAccounts_rejectedBeforeAnyRequest(t *testing.T) {
	cases := map[string]struct{ body, want string }{
		"user_id not a UUID":   {`user_id = "../admin/users"`, `(?i)uuid`},
		"user_email not email": {`user_email = "not-an-email"`, `(?i)email\s+address`},
		"user_id and email":    {fmt.Sprintf("user_id = %q\n  user_email = \"a@example.com\"", uuidN(1)), exactlyOneOf},
		"neither id nor email": {"", exactlyOneOf},
	}
	forEachAPI(t, func(t *testing.T, api accAPI) {
		for name, tc := range cases {
			t.Run(name, func(t *testing.T) {
				f := newFakeAPI(t, fakeData{})
				accTest(t, true, errorSteps(userAccountsConfig(api, f, tc.body), tc.want)...)
				f.requireRequests(t, 0)
			})
		}
	})
}
