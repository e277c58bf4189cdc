package provider_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cerby-community/terraform-provider-cerby/internal/provider"
)

const accessAddr = "data.cerby_access.test"

func accessConfig(api accAPI, f *fakeAPI, providerArgs []string, body string) string {
	return api.provider(f, providerArgs...) + fmt.Sprintf("data \"cerby_access\" \"test\" {\n%s\n}\n", body)
}

// listedOnly is a member id the fake API lists but cannot find: its lookups
// by id compare the path's plain string with this other type, so a member
// with it is served by the members listing and then answers 404 by id, on
// either API, as a member removed between the two would.
type listedOnly string

// grant is one expected element of grants; role "" expects null.
type grant struct {
	user, account int
	role          string
}

func expectGrants(grants ...grant) statecheck.StateCheck {
	checks := make([]knownvalue.Check, len(grants))
	for i, g := range grants {
		var role knownvalue.Check = knownvalue.Null()
		if g.role != "" {
			role = knownvalue.StringExact(g.role)
		}
		checks[i] = knownvalue.ObjectExact(map[string]knownvalue.Check{
			"user_id": knownvalue.StringExact(uuidN(g.user)), "account_id": knownvalue.StringExact(uuidN(g.account)), "role": role,
		})
	}
	return statecheck.ExpectKnownValue(accessAddr, tfjsonpath.New("grants"), knownvalue.ListExact(checks))
}

func expectUserIDs(ns ...int) statecheck.StateCheck {
	ids := make([]knownvalue.Check, len(ns))
	for i, n := range ns {
		ids[i] = knownvalue.StringExact(uuidN(n))
	}
	return statecheck.ExpectKnownValue(accessAddr, tfjsonpath.New("user_ids"), knownvalue.ListExact(ids))
}

// withRole is an account fixture as a member's listing gives it, with the
// member's role on it.
func withRole(a fixture, role any) fixture {
	out := newFixture(a["id"].(string), a)
	out["role"] = role
	return out
}

// expectAccessReads passes when the requests received are whole reads of
// cerby_access, one after the other: the members listing's pages first,
// then each of memberPages (the paths of each member's pages, a path once
// per page) in any order; nothing else, and no request repeated within a
// read.
func (f *fakeAPI) expectAccessReads(api accAPI, listingPages int, memberPages ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		reqs := f.requestsTo("")
		per := listingPages + len(memberPages)
		if len(reqs) == 0 || len(reqs)%per != 0 {
			return fmt.Errorf("%d requests are not whole reads of %d requests each: %v", len(reqs), per, describeRequests(reqs))
		}
		want := slices.Sorted(slices.Values(memberPages))
		for read := range slices.Chunk(reqs, per) {
			var paths, uris []string
			for i, r := range read {
				uri := r.Path + "?" + r.Query.Encode()
				if slices.Contains(uris, uri) {
					return fmt.Errorf("%s was requested twice in one read: %v", uri, describeRequests(read))
				}
				uris = append(uris, uri)
				switch {
				case i < listingPages && r.Path != api.usersPath:
					return fmt.Errorf("request %d of a read is %s, want the members listing's page %d: %v", i+1, r.Path, i+1, describeRequests(read))
				case i >= listingPages:
					paths = append(paths, r.Path)
				}
			}
			if slices.Sort(paths); !slices.Equal(paths, want) {
				return fmt.Errorf("after the listing, a read requested %v, want each of %v once", paths, want)
			}
		}
		return nil
	}
}

func describeRequests(reqs []recordedRequest) []string {
	out := make([]string, len(reqs))
	for i, r := range reqs {
		out[i] = r.Path + "?" + r.Query.Encode()
	}
	return out
}

// Members served out of order and over two pages; a member's accounts out
// of order, one of them twice; a member who reaches nothing. The grants are
// ordered by member id then account id, each once; the Read API gives each
// member's role on the account, the Cerby API none. One members listing and
// each member's pages, nothing else: on the Cerby API no GET /users/{id}.
func TestAccAccess_everyMemberGrantsInOrderInOneListingAndEachMembersPages(t *testing.T) {
	forEachAPI(t, func(t *testing.T, api accAPI) {
		f := newFakeAPI(t, fakeData{
			Members: []fixture{member(203, "c@example.com"), member(201, "a@example.com"), member(202, "b@example.com")},
			UserAccounts: map[string][]fixture{
				uuidN(201): {withRole(account(12, "Ads", "google"), nil), withRole(account(12, "Ads", "google"), nil), withRole(account(11, "Brand", "instagram"), "account_owner")},
				uuidN(202): {},
				uuidN(203): {withRole(account(13, "Wiki", "unmanaged"), "collaborator"), withRole(account(11, "Brand", "instagram"), "owner")},
			},
		})
		config := accessConfig(api, f, []string{"page_size = 2"}, "  concurrency = 2\n  timeouts { read = \"2m\" }")
		role := func(r string) string {
			if api.cerby {
				return "" // the Cerby API's accounts carry no role
			}
			return r
		}
		// A member's pages: one each on the Read API; on the Cerby API
		// ceil(n/2) of size 2, one for none.
		pages := []string{api.userAccountsPath(uuidN(201)), api.userAccountsPath(uuidN(202)), api.userAccountsPath(uuidN(203))}
		if api.cerby {
			pages = append(pages, api.userAccountsPath(uuidN(201)))
		}

		accTest(t, true, stableSteps(config, accessAddr+".grants", []statecheck.StateCheck{
			expectUserIDs(201, 202, 203),
			expectGrants(grant{201, 11, role("account_owner")}, grant{201, 12, ""}, grant{203, 11, role("owner")}, grant{203, 13, role("collaborator")}),
		},
			f.expectAccessReads(api, 2, pages...),
			f.expectWalks(api, api.usersPath, 2, 1, 2),
		)...)
	})
}

// The members are selected with cerby_users' arguments, sent as cerby_users
// sends them (or applied by the provider where the API has no such filter);
// only the members selected are read; user_ids, given three ids, is then
// the one member covered.
func TestAccAccess_selectsMembersAsCerbyUsersDoes(t *testing.T) {
	forEachAPI(t, func(t *testing.T, api accAPI) {
		guest := newFixture(uuidN(103), fixture{"email": "guest@example.com", "status": "live", "isGuest": true})
		disabledGuest := newFixture(uuidN(106), fixture{"email": "gone@example.com", "status": "disabled", "isGuest": true})
		pendingGuest := newFixture(uuidN(107), fixture{"email": "invited@example.com", "status": "pending", "isGuest": true})
		f := newFakeAPI(t, fakeData{
			Members:      []fixture{fullMember, guest, member(104, "other@example.com"), disabledGuest, pendingGuest},
			UserAccounts: map[string][]fixture{uuidN(103): {withRole(account(21, "Ads", "google"), "account_manager")}},
		})
		body := fmt.Sprintf("  search = \"example\"\n  statuses = [\"live\"]\n  user_ids = %s\n  is_guest = true",
			mustJSON([]string{uuidN(101), uuidN(103), uuidN(107)}))
		want := map[string]string{}
		for argument, value := range map[string]string{
			"search": "example", "statuses": "live", "user_ids": uuidN(101) + "," + uuidN(103) + "," + uuidN(107), "is_guest": "true",
		} {
			if param := api.param("cerby_users." + argument); param != "" {
				want[param] = value
			}
		}
		role := "account_manager"
		if api.cerby {
			role = ""
		}

		accTest(t, true, stableSteps(accessConfig(api, f, nil, body), accessAddr+".user_ids", []statecheck.StateCheck{
			expectUserIDs(103),
			expectGrants(grant{103, 21, role}),
		},
			f.expectQuery(api.usersPath, want),
			f.expectAccessReads(api, 1, api.userAccountsPath(uuidN(103))),
		)...)
	})
}

// A member listed and then gone before its accounts are read (404) is left
// out of user_ids and grants, and a warning names it; the others are read.
// On the Cerby API its 404 is told from a missing endpoint by one
// GET /users/{id}, for that member only.
func TestAccAccess_memberGoneIsLeftOutWithAWarning(t *testing.T) {
	forEachAPI(t, func(t *testing.T, api accAPI) {
		gone := member(202, "gone@example.com")
		gone["id"] = listedOnly(uuidN(202))
		data := func() fakeData {
			return fakeData{
				Members: []fixture{member(201, "a@example.com"), gone, member(203, "c@example.com")},
				UserAccounts: map[string][]fixture{
					uuidN(201): {account(11, "Brand", "instagram")},
					uuidN(203): {account(12, "Ads", "google")},
				},
			}
		}
		f := newFakeAPI(t, data())
		pages := []string{api.userAccountsPath(uuidN(201)), api.userAccountsPath(uuidN(202)), api.userAccountsPath(uuidN(203))}
		if api.cerby {
			pages = append(pages, api.prefix+"/users/"+uuidN(202)) // after its listing's 404
		}
		accTest(t, true, stableSteps(accessConfig(api, f, nil, ""), accessAddr+".user_ids", []statecheck.StateCheck{
			expectUserIDs(201, 203),
			expectGrants(grant{201, 11, ""}, grant{203, 12, ""}),
		}, f.expectAccessReads(api, 1, pages...))...)

		// A CLI run cannot show a warning: read it over the plugin protocol.
		resp := readAccessOverTheProtocol(t, api, newFakeAPI(t, data()), nil)
		var warnings []*tfprotov6.Diagnostic
		for _, d := range resp.Diagnostics {
			if d.Severity == tfprotov6.DiagnosticSeverityWarning {
				warnings = append(warnings, d)
			} else {
				t.Errorf("unexpected %s: %s: %s", d.Severity, d.Summary, d.Detail)
			}
		}
		if len(warnings) != 1 || !strings.Contains(warnings[0].Detail, uuidN(202)) || !strings.Contains(warnings[0].Summary, "left out") {
			t.Fatalf("diagnostics %s; want one warning naming %s", describeDiagnostics(resp.Diagnostics), uuidN(202))
		}
		for _, other := range []string{uuidN(201), uuidN(203)} {
			if strings.Contains(warnings[0].Detail, other) {
				t.Errorf("the warning names %s, which was read: %s", other, warnings[0].Detail)
			}
		}
	})
}

// readAccessOverTheProtocol reads cerby_access with the values set (the
// others null) through provider.NewServer, configured for api at f.
func readAccessOverTheProtocol(t *testing.T, api accAPI, f *fakeAPI, set map[string]tftypes.Value) *tfprotov6.ReadDataSourceResponse {
	t.Helper()
	server, schemas := configuredServer(t, provider.NewServer("test"), api.endpoint(f))
	schema := schemas.DataSourceSchemas["cerby_access"]
	return readDataSource(t, server, &tfprotov6.ReadDataSourceRequest{TypeName: "cerby_access", Config: dataSourceConfig(t, schema, set)})
}

// Any error but a member gone fails the read, naming the request: here a
// member's listing holds an account without an id, which the provider
// cannot tell apart from the others.
func TestAccAccess_anErrorFailsTheRead(t *testing.T) {
	forEachAPI(t, func(t *testing.T, api accAPI) {
		f := newFakeAPI(t, fakeData{
			Members: []fixture{member(201, "a@example.com"), member(202, "b@example.com")},
			UserAccounts: map[string][]fixture{
				uuidN(201): {account(11, "Brand", "instagram")},
				uuidN(202): {{"name": "No id", "provider": "google"}},
			},
		})
		accTest(t, true, errorSteps(accessConfig(api, f, nil, "  concurrency = 1"),
			words("Cannot read Cerby access"), words("GET "+api.userAccountsPath(uuidN(202))), words("has no id"))...)
	})
}

// Where a workspace's Cerby API does not offer a member's accounts (404 or
// 405 on the listing while GET /users/{id} finds the member), the read
// fails saying so, never taking every member for gone.
func TestAccAccess_cerbyAPIWithoutMemberAccountsFails(t *testing.T) {
	for _, status := range []int{http.StatusNotFound, http.StatusMethodNotAllowed} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			f := newFakeAPI(t, fakeData{Members: []fixture{member(201, "a@example.com")}, NoMemberAccounts: status})
			steps := errorSteps(accessConfig(cerbyAPI, f, nil, ""), fmt.Sprint(status),
				words("the member exists, but this workspace's Cerby API does not offer a member's accounts"), words(`api = "read_api"`))
			accTest(t, true, steps...)
			// Each plan: the listing, the member's accounts, then the member.
			f.requireRequests(t, 3*len(steps))
			if err := f.expectSequence(cerbyAPI.usersPath, cerbyAPI.userAccountsPath(uuidN(201)), cerbyAPI.prefix+"/users/"+uuidN(201))(nil); err != nil {
				t.Error(err)
			}
		})
	}
}

// concurrency out of 1..32 is refused when the configuration is validated,
// before the provider is configured or any request is sent.
func TestAccAccess_concurrencyRefusedAtValidateTime(t *testing.T) {
	forEachAPI(t, func(t *testing.T, api accAPI) {
		for _, n := range []int{0, 33, -1} {
			t.Run(fmt.Sprint(n), func(t *testing.T) {
				f := newFakeAPI(t, fakeData{Members: []fixture{member(201, "a@example.com")}})
				accTest(t, true, errorSteps(accessConfig(api, f, nil, fmt.Sprintf("  concurrency = %d", n)),
					words("concurrency"), words("value must be between 1 and 32"), fmt.Sprintf("got: %d", n))...)
				f.requireRequests(t, 0)
			})
		}
	})
	// Over the protocol: ValidateDataResourceConfig itself refuses it, on the
	// attribute, without a configured provider.
	server, err := provider.NewServer("test")()
	if err != nil {
		t.Fatal(err)
	}
	schemas, err := server.GetProviderSchema(t.Context(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for n, refused := range map[int]bool{0: true, 1: false, 32: false, 33: true} {
		config := dataSourceConfig(t, schemas.DataSourceSchemas["cerby_access"], map[string]tftypes.Value{"concurrency": tftypes.NewValue(tftypes.Number, n)})
		resp, err := server.ValidateDataResourceConfig(t.Context(), &tfprotov6.ValidateDataResourceConfigRequest{TypeName: "cerby_access", Config: config})
		if err != nil {
			t.Fatal(err)
		}
		onConcurrency := len(resp.Diagnostics) == 1 && resp.Diagnostics[0].Severity == tfprotov6.DiagnosticSeverityError &&
			resp.Diagnostics[0].Attribute.Equal(tftypes.NewAttributePath().WithAttributeName("concurrency"))
		if refused != onConcurrency || !refused && len(resp.Diagnostics) > 0 {
			t.Errorf("concurrency %d: diagnostics %s; want an error on concurrency %v", n, describeDiagnostics(resp.Diagnostics), refused)
		}
	}
}

// only_in_idp is not an argument of cerby_access: people only in the
// identity provider are not members and reach no account, so on either API
// it is refused as unknown before any request.
func TestAccAccess_hasNoOnlyInIdP(t *testing.T) {
	forEachAPI(t, func(t *testing.T, api accAPI) {
		f := newFakeAPI(t, fakeData{})
		accTest(t, true, errorSteps(accessConfig(api, f, nil, "  only_in_idp = true"), words(`An argument named "only_in_idp" is not expected here`))...)
		f.requireRequests(t, 0)
	})
}

// timeouts bounds the whole read, as on every data source.
func TestAccAccess_timeoutsBoundTheRead(t *testing.T) {
	forEachAPI(t, func(t *testing.T, api accAPI) {
		f := newFakeAPI(t, fakeData{Always: &cannedResponse{Hang: true}})
		accTest(t, true, errorSteps(accessConfig(api, f, nil, "  timeouts { read = \"1s\" }"),
			words("Cannot read Cerby access"), words("did not finish within its time limit"))...)
	})
}
