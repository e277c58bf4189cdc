package provider_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

const usersAddr = "data.cerby_users.test"

func usersConfig(f *fakeAPI, providerArgs []string, body string) string {
	return f.provider(providerArgs...) + fmt.Sprintf("data \"cerby_users\" \"test\" {\n%s\n}\n", body)
}

func TestAccUsers_everyFieldMappedOverPagesInOrder(t *testing.T) {
	// Served out of order; two emails differ only in case so the id breaks the tie.
	f := newFakeAPI(t, fakeData{Members: []fixture{
		sparseMember, member(105, "bob@example.com"), fullMember, member(104, "alice@example.com"), member(103, "Alice@Example.com"),
	}})
	config := usersConfig(f, []string{"page_size = 2"}, `timeouts { read = "2m" }`)

	accTest(t, true, stableSteps(config, usersAddr+".ids", []statecheck.StateCheck{
		idList(usersAddr, 103, 104, 105, 101, 102),
		element(usersAddr, "users", 3, fullMemberFields()),
		element(usersAddr, "users", 4, sparseMemberFields()),
		statecheck.ExpectKnownValue(usersAddr, tfjsonpath.New("truncated"), knownvalue.Bool(false)),
	},
		f.expectWalks("/v1/admin/users", "1", "3", "5"),
		f.expectQuery("/v1/admin/users", map[string]string{"startIndex": "3", "count": "2"}),
	)...)
}

func TestAccUsers_everyFilterSent(t *testing.T) {
	guest := newFixture(uuidN(103), fixture{"email": "guest@example.com", "status": "live", "isGuest": true})
	f := newFakeAPI(t, fakeData{Members: []fixture{fullMember, guest, member(104, "other@example.com")}})
	config := usersConfig(f, nil, fmt.Sprintf(`
  search      = "example"
  statuses    = ["live", "disabled"]
  user_ids    = [%q, %q]
  is_guest    = true
  only_in_idp = true
  max_items   = 10`, uuidN(101), uuidN(103)))

	accTest(t, true, stableSteps(config, usersAddr+".ids", []statecheck.StateCheck{idList(usersAddr, 103)},
		f.expectQuery("/v1/admin/users", map[string]string{
			"search": "example", "status": "live,disabled", "userIds": uuidN(101) + "," + uuidN(103),
			"isGuest": "true", "onlyInIdp": "true",
		}),
	)...)
}

func TestAccUsers_maxItemsTruncates(t *testing.T) {
	f := newFakeAPI(t, fakeData{Members: []fixture{
		member(121, "a@example.com"), member(122, "b@example.com"), member(123, "c@example.com"),
		member(124, "d@example.com"), member(125, "e@example.com"),
	}})
	config := usersConfig(f, []string{"page_size = 2"}, "max_items = 3")

	accTest(t, true, stableSteps(config, usersAddr+".ids", []statecheck.StateCheck{
		idList(usersAddr, 121, 122, 123),
		statecheck.ExpectKnownValue(usersAddr, tfjsonpath.New("truncated"), knownvalue.Bool(true)),
	}, f.expectWalks("/v1/admin/users", "1", "3"))...)
}
