package provider_test

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/echoprovider"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/cerby-community/terraform-provider-cerby/internal/provider"
)

// The ephemeral resources need Terraform 1.10 (OpenTofu 1.11; tfversion
// compares tofu's own version, and the pinned tofu is past both): on an older
// CLI these tests are skipped by tfversion, which scripts/testsummary counts
// as a version gate.

// ephemeralTest runs the steps with the provider and, for reading an
// ephemeral result back, terraform-plugin-testing's echo provider.
func ephemeralTest(t *testing.T, parallel bool, steps ...resource.TestStep) {
	t.Helper()
	tc := resource.TestCase{
		PreCheck:               func() { preCheck(t) },
		TerraformVersionChecks: []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_10_0)},
		ProtoV6ProviderFactories: map[string]func() (tfprotov6.ProviderServer, error){
			"cerby": provider.NewServer("test"),
			"echo":  echoprovider.NewProviderServer(),
		},
		Steps: steps,
	}
	if parallel {
		resource.ParallelTest(t, tc)
		return
	}
	resource.Test(t, tc)
}

// ephemeralWorkspace is what the fake API serves the ephemeral tests: every
// field of an account and a member, and their sparse twins.
func ephemeralWorkspace() fakeData {
	return fakeData{
		Accounts:     []fixture{sparseAccount, fullAccount},
		Members:      []fixture{fullMember, sparseMember},
		UserAccounts: map[string][]fixture{uuidN(101): {fullAccount}, uuidN(102): {}},
	}
}

// Each ephemeral resource reads what its data source of the same name reads,
// for the same arguments, on both APIs: every attribute of the result, echoed
// into state, is the data source's.
func TestAccEphemeral_readsWhatTheDataSourceReads(t *testing.T) {
	for _, tc := range []struct {
		typeName, body string
		attributes     []string // every attribute but timeouts
	}{
		{"cerby_accounts", `applications = ["instagram", "tiktok"]`,
			[]string{"accounts", "ids", "truncated", "search", "status", "type", "role", "applications", "account_ids", "max_items"}},
		{"cerby_users", `statuses = ["live"]`,
			[]string{"users", "ids", "truncated", "search", "statuses", "user_ids", "is_guest", "only_in_idp", "max_items"}},
		{"cerby_access", `concurrency = 2`,
			[]string{"grants", "user_ids", "search", "statuses", "is_guest", "concurrency"}},
	} {
		t.Run(tc.typeName, func(t *testing.T) {
			forEachAPI(t, func(t *testing.T, api accAPI) {
				f := newFakeAPI(t, ephemeralWorkspace())
				config := api.provider(f) + fmt.Sprintf(`
ephemeral %[1]q "test" {
  %[2]s
  timeouts {
    open = "2m"
  }
}

data %[1]q "test" {
  %[2]s
}

provider "echo" {
  data = ephemeral.%[1]s.test
}

resource "echo" "test" {}
`, tc.typeName, tc.body)
				checks := []statecheck.StateCheck{
					statecheck.ExpectKnownValue("echo.test", tfjsonpath.New("data").AtMapKey("timeouts"),
						knownvalue.ObjectExact(map[string]knownvalue.Check{"open": knownvalue.StringExact("2m")})),
				}
				for _, name := range tc.attributes {
					checks = append(checks, statecheck.CompareValuePairs(
						"echo.test", tfjsonpath.New("data").AtMapKey(name), "data."+tc.typeName+".test", tfjsonpath.New(name), compare.ValuesSame()))
				}
				list := map[string]string{"cerby_accounts": "ids", "cerby_users": "ids", "cerby_access": "grants"}[tc.typeName]
				checks = append(checks, statecheck.ExpectKnownValue("echo.test", tfjsonpath.New("data").AtMapKey(list), knownvalue.NotNull()),
					statecheck.ExpectKnownValue("echo.test", tfjsonpath.New("data").AtMapKey(list), knownvalue.ListSizeExact(map[string]int{
						"cerby_accounts": 2, "cerby_users": 1, "cerby_access": 1,
					}[tc.typeName])))
				ephemeralTest(t, true, resource.TestStep{Config: config, ConfigStateChecks: checks})
			})
		})
	}
}

// The terms of ephemeralWorkspace that must never be stored: ids, names,
// emails.
var ephemeralTerms = []string{
	uuidN(1), uuidN(2), uuidN(101), uuidN(102), uuidN(801), uuidN(804),
	"Instagram Brand", "tiktok ops", "brand@example.com", "ada@example.com",
	"Grace", "Hopper", "grace@example.com", "sparse@example.com",
}

// A gate over the three ephemeral reads passes, judging what they read, and
// neither the plan nor the state holds anything they read; a gate they break
// fails the plan with its message.
func TestAccEphemeral_gateStoresNothing(t *testing.T) {
	forEachAPI(t, func(t *testing.T, api accAPI) {
		f := newFakeAPI(t, ephemeralWorkspace())
		gate := func(condition string) string {
			return api.provider(f) + fmt.Sprintf(`
ephemeral "cerby_accounts" "all" {}
ephemeral "cerby_users" "all" {}
ephemeral "cerby_access" "all" {}

resource "terraform_data" "gate" {
  lifecycle {
    precondition {
      condition     = %s
      error_message = "The gate saw another workspace."
    }
  }
}

output "gate" {
  value = terraform_data.gate.id
}
`, condition)
		}
		passes := gate(`alltrue([
        contains(ephemeral.cerby_accounts.all.accounts[*].name, "Instagram Brand"),
        contains(ephemeral.cerby_users.all.users[*].email, "grace@example.com"),
        contains(ephemeral.cerby_access.all.grants[*].account_id, "` + uuidN(1) + `"),
      ])`)
		ephemeralTest(t, true,
			resource.TestStep{
				Config:            passes,
				ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{planHoldsNone(ephemeralTerms)}},
				ConfigStateChecks: []statecheck.StateCheck{stateHoldsNone(ephemeralTerms)},
				Check:             noCredentialInState,
			},
			resource.TestStep{
				Config:      gate(`!contains(ephemeral.cerby_users.all.users[*].email, "grace@example.com")`),
				ExpectError: regexp.MustCompile(words("The gate saw another workspace.")),
			},
		)
	})
}

// An ephemeral resource refuses what its data source refuses, with the same
// errors: the Cerby API's missing filters before any request, and the
// validators at validate time. Its time limit is open, not read.
func TestAccEphemeral_refusesWhatTheDataSourceRefuses(t *testing.T) {
	cerby := apis[1]
	f := newFakeAPI(t, ephemeralWorkspace())
	ephemeral := func(typeName, body string) string {
		return cerby.provider(f) + fmt.Sprintf("ephemeral %q \"test\" {\n  %s\n}\n", typeName, body)
	}
	ephemeralTest(t, true,
		resource.TestStep{
			Config: ephemeral("cerby_accounts", `search = "brand"`), PlanOnly: true,
			ExpectError: regexp.MustCompile(words("Argument not supported by the Cerby API") + `[\s\S]*` + words("`search` cannot be used")),
		},
		resource.TestStep{
			Config: ephemeral("cerby_users", `only_in_idp = true`), PlanOnly: true,
			ExpectError: regexp.MustCompile(words("`only_in_idp` cannot be used while the provider reads the Cerby API")),
		},
		resource.TestStep{
			Config: ephemeral("cerby_accounts", `max_items = 0`), PlanOnly: true,
			ExpectError: regexp.MustCompile(words("max_items value must be at least 1")),
		},
		resource.TestStep{
			Config: ephemeral("cerby_access", `concurrency = 33`), PlanOnly: true,
			ExpectError: regexp.MustCompile(words("concurrency value must be between 1 and 32")),
		},
		resource.TestStep{
			Config: ephemeral("cerby_users", "timeouts {\n    read = \"2m\"\n  }"), PlanOnly: true,
			ExpectError: regexp.MustCompile(`An argument named "read" is not expected here`),
		},
		resource.TestStep{
			Config: ephemeral("cerby_users", "timeouts {\n    open = \"soon\"\n  }"), PlanOnly: true,
			ExpectError: regexp.MustCompile(words("Invalid Attribute Value Time Duration")),
		},
	)
	f.requireRequestsLater(t, 0)
}

// requireRequestsLater checks, once the test is over, that the fake received
// want requests.
func (f *fakeAPI) requireRequestsLater(t *testing.T, want int) {
	t.Cleanup(func() { f.requireRequests(t, want) })
}

type holdsNone struct{ terms []string }

func (c holdsNone) find(what string, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	var found []string
	for _, term := range c.terms {
		if strings.Contains(string(raw), term) {
			found = append(found, term)
		}
	}
	if len(found) > 0 {
		return fmt.Errorf("the %s holds %q, read ephemerally", what, found)
	}
	return nil
}

type planHoldsNoneCheck struct{ holdsNone }

func (c planHoldsNoneCheck) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	resp.Error = c.find("plan", req.Plan)
}

// planHoldsNone fails when the plan, as `show -json` gives it, holds any of
// terms.
func planHoldsNone(terms []string) plancheck.PlanCheck { return planHoldsNoneCheck{holdsNone{terms}} }

type stateHoldsNoneCheck struct{ holdsNone }

func (c stateHoldsNoneCheck) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	resp.Error = c.find("state", req.State)
}

// stateHoldsNone fails when the state, as `show -json` gives it, holds any
// of terms.
func stateHoldsNone(terms []string) statecheck.StateCheck {
	return stateHoldsNoneCheck{holdsNone{terms}}
}
