package provider_test

// What only the Cerby API offers (issue 13): members' MFA status, teams,
// vaults, integrations and their seats, served by the fake API
// (cerbyonly_fake_test.go); and the Read API's refusal of each.

import (
	"fmt"
	"net/http"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// --- cerby_users.include_mfa_status -----------------------------------------

// mfaMembers carry every shape of mfaStatus: enrolled (two timestamp
// shapes), not enrolled, and null. The fake serves it only when asked
// (mfaStatus=true), and the Read API never: there it is an unknown key.
var mfaMembers = []fixture{
	newFixture(uuidN(111), fixture{"email": "a@example.com", "status": "live",
		"mfaStatus": fixture{"mfaEnabled": true, "mfaEnrollmentDate": "2024-07-09T02:30:46+00:00"}}),
	newFixture(uuidN(112), fixture{"email": "b@example.com", "status": "live", "mfaStatus": fixture{"mfaEnabled": false, "mfaEnrollmentDate": nil}}),
	newFixture(uuidN(113), fixture{"email": "c@example.com", "status": "live", "mfaStatus": nil}),
	newFixture(uuidN(114), fixture{"email": "d@example.com", "status": "live",
		"mfaStatus": fixture{"mfaEnabled": true, "mfaEnrollmentDate": "2024-01-04T15:36:54"}}),
}

// TestAccUsers_includeMFAStatus: include_mfa_status = true sends
// mfaStatus=true on the Cerby API and fills mfa_enabled and
// mfa_enrollment_date as sent; false or unset sends nothing and leaves them
// null, as the Read API always does (its warning: TestUsersIncludeMFAStatus).
func TestAccUsers_includeMFAStatus(t *testing.T) {
	s, b, null := knownvalue.StringExact, knownvalue.Bool, knownvalue.Null()
	asked := [][2]knownvalue.Check{{b(true), s("2024-07-09T02:30:46+00:00")}, {b(false), null}, {null, null}, {b(true), s("2024-01-04T15:36:54")}}
	notAsked := [][2]knownvalue.Check{{null, null}, {null, null}, {null, null}, {null, null}}
	forEachAPI(t, func(t *testing.T, api accAPI) {
		for name, body := range map[string]string{"true": "include_mfa_status = true", "false": "include_mfa_status = false", "unset": ""} {
			t.Run(name, func(t *testing.T) {
				f := newFakeAPI(t, fakeData{Members: mfaMembers})
				want, sent := notAsked, api.pageParams()
				if api.cerby && name == "true" {
					want, sent = asked, append(sent, "mfaStatus")
				}
				checks := []statecheck.StateCheck{idList(usersAddr, 111, 112, 113, 114)}
				for i, w := range want {
					checks = append(checks, element(usersAddr, "users", i, map[string]knownvalue.Check{"mfa_enabled": w[0], "mfa_enrollment_date": w[1]}))
				}
				requestChecks := []resource.TestCheckFunc{f.expectOnlyParams(api.usersPath, sent...)}
				if api.cerby && name == "true" {
					requestChecks = append(requestChecks, f.expectQuery(api.usersPath, map[string]string{"mfaStatus": "true"}))
				}
				accTest(t, true, stableSteps(usersConfig(api, f, nil, body), usersAddr+".ids", checks, requestChecks...)...)
			})
		}
	})
}

// --- the Read API refuses each Cerby-API-only data source --------------------

// TestAccCerbyAPIOnly_readAPIRefusesAtPlanTime: configured for the Read API,
// each fails the plan with one error naming it and how to choose the Cerby
// API, before any request.
func TestAccCerbyAPIOnly_readAPIRefusesAtPlanTime(t *testing.T) {
	for name, body := range map[string]string{
		"cerby_teams":             "",
		"cerby_team":              `name = "Platform"`,
		"cerby_vaults":            "max_items = 1",
		"cerby_integrations":      "",
		"cerby_integration_users": fmt.Sprintf("integration_id = %q", uuidN(501)),
	} {
		t.Run(name, func(t *testing.T) {
			f := newFakeAPI(t, cerbyOnlyWorkspace())
			config := readAPI.explicitProvider(f) + fmt.Sprintf("data %q \"test\" {\n  %s\n}\n", name, body)
			accTest(t, true, errorSteps(config,
				words(name+" needs the Cerby API"),
				words(fmt.Sprintf("`%s` reads what only the Cerby API", name)),
				words("Set `api = \"cerby_api\"` and `workspace = \"<your workspace>\"` in the provider block (or the CERBY_API and CERBY_WORKSPACE environment variables)"))...)
			f.requireRequests(t, 0)
		})
	}
}

// --- the Cerby API's workspace -----------------------------------------------

var (
	fullTeam = newFixture(uuidN(301), fixture{"name": "Platform", "type": "scim_managed", "workspaceId": uuidN(990), "vaultId": uuidN(991),
		"createdAt": "2024-07-09T02:30:46+00:00", "updatedAt": "2025-05-08T19:01:04.984000+00:00", "someFieldFromTheFuture": fixture{"x": 1}})
	sparseTeam = newFixture(uuidN(302), fixture{"name": "ops", "vaultId": nil})

	fullVault = newFixture(uuidN(401), fixture{"name": "Finance", "scheme": "kms_byo", "state": "enabled", "createdByType": "user",
		"createdBy": uuidN(101), "workspaceId": uuidN(990), "createdAt": "2007-01-09T15:41:27.000Z", "updatedAt": "2024-01-04T15:36:54",
		"someFieldFromTheFuture": true})
	sparseVault = newFixture(uuidN(402), fixture{"name": "local", "scheme": "local_encryption_key", "createdBy": nil})

	fullIntegration = newFixture(uuidN(501), fixture{"label": "YouTube Brand", "application": "youtube_tenant", "workspace": "acme",
		"createdAt": "2024-07-09T02:30:46+00:00", "createdBy": uuidN(101), "updatedAt": "2026-01-02T04:21:22.158Z", "someFieldFromTheFuture": 1})
	sparseIntegration = newFixture(uuidN(502), fixture{"label": "discord"})

	// fullSeat's entitlements come in each form (C24): a JSON:API
	// resource, a flat object with a number for value, a bare key.
	fullSeat = newFixture(uuidN(601), fixture{"firstName": "Ada", "lastName": "Lovelace", "email": "Ada@example.com", "status": "disabled",
		"isGuest": false, "role": "owner", "createdAt": "2024-01-04T15:36:54", "updatedAt": "2024-09-05T20:46:14.357000",
		"entitlements": []any{
			fixture{"id": "VIEWER_LIMITED", "type": "entitlement", "attributes": fixture{"group": "primary", "key": "VIEWER_LIMITED", "label": "YOUTUBE_TENANT_VIEWER_DESC", "value": "viewer"}},
			fixture{"group": "secondary", "key": "SEATS", "label": "", "value": 3},
			"EDITOR",
		},
		"meta": fixture{"dynamicFields": fixture{"channel": "main", "verified": true, "seats": 2}}})
	sparseSeat = newFixture(uuidN(602), fixture{"email": "bob@example.com"})
)

func team(n int, name string) fixture {
	return newFixture(uuidN(n), fixture{"name": name, "type": "user_managed"})
}

// cerbyOnlyWorkspace is a workspace with every Cerby-API-only listing,
// each served out of order and with names that differ only in case.
func cerbyOnlyWorkspace() fakeData {
	return fakeData{
		Members: []fixture{fullMember},
		cerbyOnlyData: cerbyOnlyData{
			Teams: []fixture{team(305, "zeta"), fullTeam, sparseTeam, team(304, "Ops"), team(303, "alpha")},
			TeamMembers: map[string][]fixture{uuidN(301): {
				newFixture("tm-1", fixture{"memberId": uuidN(103), "role": "admin"}),
				newFixture("tm-2", fixture{"member_id": uuidN(101), "member_type": "user"}),
				newFixture(uuidN(102), fixture{"role": "member"}), // neither: the resource id
			}},
			TeamAccounts: map[string][]fixture{uuidN(301): {account(2, "b", "google"), account(1, "a", "google"), account(3, "c", "google")}},
			Vaults:       []fixture{newFixture(uuidN(403), fixture{"name": "Zed", "scheme": "akv"}), fullVault, sparseVault},
			Integrations: []fixture{sparseIntegration, fullIntegration, newFixture(uuidN(503), fixture{"label": "Discord"})},
			Seats: map[string][]fixture{uuidN(501): {
				sparseSeat, fullSeat, newFixture(uuidN(603), fixture{"email": "amy@example.com", "entitlements": []any{}}),
			}},
		},
	}
}

func cerbyOnlyConfig(f *fakeAPI, providerArgs []string, dataSource, body string) string {
	return cerbyAPI.provider(f, providerArgs...) + fmt.Sprintf("data %q \"test\" {\n  %s\n}\n", dataSource, body)
}

// nulls is fields with every value null but those of set.
func nulls(fields map[string]knownvalue.Check, set map[string]knownvalue.Check) map[string]knownvalue.Check {
	out := map[string]knownvalue.Check{}
	for name := range fields {
		out[name] = knownvalue.Null()
	}
	for name, check := range set {
		out[name] = check
	}
	return out
}

func idsOf(ns ...int) knownvalue.Check {
	ids := make([]knownvalue.Check, len(ns))
	for i, n := range ns {
		ids[i] = knownvalue.StringExact(uuidN(n))
	}
	return knownvalue.ListExact(ids)
}

// --- cerby_teams and cerby_team -------------------------------------------------

const (
	teamsAddr = "data.cerby_teams.test"
	teamAddr  = "data.cerby_team.test"
	teamsPath = "/api/v1/teams"
)

func fullTeamFields() map[string]knownvalue.Check {
	s := knownvalue.StringExact
	return map[string]knownvalue.Check{
		"id": s(uuidN(301)), "name": s("Platform"), "type": s("scim_managed"), "workspace_id": s(uuidN(990)), "vault_id": s(uuidN(991)),
		"created_at": s("2024-07-09T02:30:46+00:00"), "updated_at": s("2025-05-08T19:01:04.984000+00:00"),
	}
}

func TestAccTeams_everyFieldInOrderOverPages(t *testing.T) {
	f := newFakeAPI(t, cerbyOnlyWorkspace())
	accTest(t, true, stableSteps(cerbyOnlyConfig(f, []string{"page_size = 2"}, "cerby_teams", `timeouts { read = "2m" }`), teamsAddr+".ids",
		[]statecheck.StateCheck{
			idList(teamsAddr, 303, 302, 304, 301, 305), // by folded name, then id: alpha, ops, Ops, Platform, zeta
			statecheck.ExpectKnownValue(teamsAddr, tfjsonpath.New("teams").AtSliceIndex(3), knownvalue.ObjectExact(fullTeamFields())),
			statecheck.ExpectKnownValue(teamsAddr, tfjsonpath.New("teams").AtSliceIndex(1),
				knownvalue.ObjectExact(nulls(fullTeamFields(), map[string]knownvalue.Check{"id": knownvalue.StringExact(uuidN(302)), "name": knownvalue.StringExact("ops")}))),
			statecheck.ExpectKnownValue(teamsAddr, tfjsonpath.New("truncated"), knownvalue.Bool(false)),
		},
		f.expectWalks(cerbyAPI, teamsPath, 2, 1, 2, 3),
		f.expectOnlyParams(teamsPath, cerbyAPI.pageParams()...),
	)...)
}

func TestAccTeams_maxItemsTruncates(t *testing.T) {
	f := newFakeAPI(t, cerbyOnlyWorkspace())
	accTest(t, true, stableSteps(cerbyOnlyConfig(f, []string{"page_size = 2"}, "cerby_teams", "max_items = 3"), teamsAddr+".ids",
		[]statecheck.StateCheck{
			idList(teamsAddr, 302, 301, 305), // the first three served, sorted
			statecheck.ExpectKnownValue(teamsAddr, tfjsonpath.New("truncated"), knownvalue.Bool(true)),
		}, f.expectWalks(cerbyAPI, teamsPath, 2, 1, 2))...)
}

// TestAccTeam_byIDWithItsMembersAndAccounts: the team, then every page of
// its members (memberId, else member_id, else the item's id) and accounts,
// their ids sorted.
func TestAccTeam_byIDWithItsMembersAndAccounts(t *testing.T) {
	f := newFakeAPI(t, cerbyOnlyWorkspace())
	checks := topLevel(teamAddr, fullTeamFields())
	checks = append(checks,
		statecheck.ExpectKnownValue(teamAddr, tfjsonpath.New("member_ids"), idsOf(101, 102, 103)),
		statecheck.ExpectKnownValue(teamAddr, tfjsonpath.New("account_ids"), idsOf(1, 2, 3)))
	accTest(t, true, stableSteps(cerbyOnlyConfig(f, []string{"page_size = 2"}, "cerby_team", fmt.Sprintf("id = %q", uuidN(301))),
		"["+teamAddr+".member_ids, "+teamAddr+".account_ids]", checks,
		f.expectQuery(teamsPath+"/"+uuidN(301), nil),
		f.expectWalks(cerbyAPI, teamsPath+"/"+uuidN(301)+"/members", 2, 1, 2),
		f.expectWalks(cerbyAPI, teamsPath+"/"+uuidN(301)+"/accounts", 2, 1, 2),
	)...)
}

// TestAccTeam_byNamePicksTheExactMatch: a name is compared with every team,
// over every page, case-sensitively ("Ops", not "ops").
func TestAccTeam_byNamePicksTheExactMatch(t *testing.T) {
	f := newFakeAPI(t, cerbyOnlyWorkspace())
	accTest(t, true, stableSteps(cerbyOnlyConfig(f, []string{"page_size = 2"}, "cerby_team", `name = "Ops"`), teamAddr+".id",
		[]statecheck.StateCheck{
			statecheck.ExpectKnownValue(teamAddr, tfjsonpath.New("id"), knownvalue.StringExact(uuidN(304))),
			statecheck.ExpectKnownValue(teamAddr, tfjsonpath.New("member_ids"), knownvalue.ListExact([]knownvalue.Check{})),
			statecheck.ExpectKnownValue(teamAddr, tfjsonpath.New("account_ids"), knownvalue.ListExact([]knownvalue.Check{})),
		},
		f.expectWalks(cerbyAPI, teamsPath, 2, 1, 2, 3),
	)...)
}

func TestAccTeam_byNameWithoutExactMatchListsTheTeams(t *testing.T) {
	f := newFakeAPI(t, cerbyOnlyWorkspace())
	steps := errorSteps(cerbyOnlyConfig(f, nil, "cerby_team", `name = "OPS"`),
		words(`No team visible to these credentials is named exactly "OPS" (names are case-sensitive)`),
		words(fmt.Sprintf(`%s ("ops")`, uuidN(302))), words(fmt.Sprintf(`%s ("Ops")`, uuidN(304))))
	accTest(t, true, steps...)
	f.requireRequests(t, len(steps)) // the listing only: no team, no sub-listing
}

func TestAccTeam_byNameWithSeveralMatchesListsThem(t *testing.T) {
	data := cerbyOnlyWorkspace()
	data.Teams = append(data.Teams, team(306, "Ops"))
	f := newFakeAPI(t, data)
	accTest(t, true, errorSteps(cerbyOnlyConfig(f, nil, "cerby_team", `name = "Ops"`),
		words(`2 teams are named "Ops"; set id to one of them instead`),
		words(fmt.Sprintf(`%s ("Ops")`, uuidN(304))), words(fmt.Sprintf(`%s ("Ops")`, uuidN(306))))...)
}

func TestAccTeam_notFound(t *testing.T) {
	f := newFakeAPI(t, cerbyOnlyWorkspace())
	steps := errorSteps(cerbyOnlyConfig(f, nil, "cerby_team", fmt.Sprintf("id = %q", uuidN(399))),
		words(fmt.Sprintf("team %s not found or not visible to these credentials", uuidN(399))),
		words(fmt.Sprintf("Team %s not found.", uuidN(399)))) // the API's own detail
	accTest(t, true, steps...)
	f.requireRequests(t, len(steps))
}

// TestAccTeam_subListingNotOffered: where the workspace's API answers a
// team's members or accounts 404 or 405, the read fails on that attribute,
// saying which listing and to turn it off; turned off, the team reads
// without it (null), and no such request is sent.
func TestAccTeam_subListingNotOffered(t *testing.T) {
	for _, status := range []int{http.StatusNotFound, http.StatusMethodNotAllowed} {
		for _, l := range []struct{ attribute, argument, sub string }{
			{"member_ids", "include_member_ids", "members"}, {"account_ids", "include_account_ids", "accounts"},
		} {
			t.Run(fmt.Sprintf("%d %s", status, l.sub), func(t *testing.T) {
				data := cerbyOnlyWorkspace()
				if l.sub == "members" {
					data.NoTeamMembers = status
				} else {
					data.NoTeamAccounts = status
				}
				f := newFakeAPI(t, data)
				id := fmt.Sprintf("id = %q", uuidN(301))
				steps := errorSteps(cerbyOnlyConfig(f, nil, "cerby_team", id),
					words(fmt.Sprintf("Team %s exists, but this workspace's Cerby API does not offer its listing GET /api/v1/teams/{id}/%s", uuidN(301), l.sub)),
					words(fmt.Sprintf("so %s cannot be read. Set `%s = false` to read the team without it.", l.attribute, l.argument)),
					fmt.Sprint(status))
				without := cerbyOnlyConfig(f, nil, "cerby_team", id+"\n  "+l.argument+" = false")
				steps = append(steps, stableSteps(without, teamAddr+".id", []statecheck.StateCheck{
					statecheck.ExpectKnownValue(teamAddr, tfjsonpath.New(l.attribute), knownvalue.Null()),
					statecheck.ExpectKnownValue(teamAddr, tfjsonpath.New("name"), knownvalue.StringExact("Platform")),
				})...)
				accTest(t, true, steps...)
			})
		}
	}
}

// TestAccTeam_withoutSubListingsReadsTheTeamOnly: both turned off, one
// request per read, and both lists null.
func TestAccTeam_withoutSubListingsReadsTheTeamOnly(t *testing.T) {
	f := newFakeAPI(t, cerbyOnlyWorkspace())
	config := cerbyOnlyConfig(f, nil, "cerby_team", fmt.Sprintf("id = %q\n  include_member_ids = false\n  include_account_ids = false", uuidN(301)))
	accTest(t, true, stableSteps(config, teamAddr+".id", []statecheck.StateCheck{
		statecheck.ExpectKnownValue(teamAddr, tfjsonpath.New("member_ids"), knownvalue.Null()),
		statecheck.ExpectKnownValue(teamAddr, tfjsonpath.New("account_ids"), knownvalue.Null()),
	}, f.expectSequence(teamsPath+"/"+uuidN(301)))...)
}

// --- cerby_vaults ----------------------------------------------------------------

const (
	vaultsAddr = "data.cerby_vaults.test"
	vaultsPath = "/api/v1/vaults"
)

func fullVaultFields() map[string]knownvalue.Check {
	s := knownvalue.StringExact
	return map[string]knownvalue.Check{
		"id": s(uuidN(401)), "name": s("Finance"), "scheme": s("kms_byo"), "state": s("enabled"), "created_by_type": s("user"),
		"created_by": s(uuidN(101)), "workspace_id": s(uuidN(990)), "created_at": s("2007-01-09T15:41:27.000Z"), "updated_at": s("2024-01-04T15:36:54"),
	}
}

func TestAccVaults_everyFieldInOrderOverPages(t *testing.T) {
	f := newFakeAPI(t, cerbyOnlyWorkspace())
	s := knownvalue.StringExact
	accTest(t, true, stableSteps(cerbyOnlyConfig(f, []string{"page_size = 2"}, "cerby_vaults", ""), vaultsAddr+".ids",
		[]statecheck.StateCheck{
			idList(vaultsAddr, 401, 402, 403), // Finance, local, Zed
			statecheck.ExpectKnownValue(vaultsAddr, tfjsonpath.New("vaults").AtSliceIndex(0), knownvalue.ObjectExact(fullVaultFields())),
			statecheck.ExpectKnownValue(vaultsAddr, tfjsonpath.New("vaults").AtSliceIndex(1), knownvalue.ObjectExact(nulls(fullVaultFields(),
				map[string]knownvalue.Check{"id": s(uuidN(402)), "name": s("local"), "scheme": s("local_encryption_key")}))),
			statecheck.ExpectKnownValue(vaultsAddr, tfjsonpath.New("truncated"), knownvalue.Bool(false)),
		},
		f.expectWalks(cerbyAPI, vaultsPath, 2, 1, 2),
		f.expectOnlyParams(vaultsPath, cerbyAPI.pageParams()...),
	)...)
}

func TestAccVaults_maxItemsTruncates(t *testing.T) {
	f := newFakeAPI(t, cerbyOnlyWorkspace())
	accTest(t, true, stableSteps(cerbyOnlyConfig(f, []string{"page_size = 1"}, "cerby_vaults", "max_items = 2"), vaultsAddr+".ids",
		[]statecheck.StateCheck{
			idList(vaultsAddr, 401, 403),
			statecheck.ExpectKnownValue(vaultsAddr, tfjsonpath.New("truncated"), knownvalue.Bool(true)),
		}, f.expectWalks(cerbyAPI, vaultsPath, 1, 1, 2, 3))...) // one item past max_items tells whether more were left
}

// --- cerby_integrations ------------------------------------------------------------

const (
	integrationsAddr = "data.cerby_integrations.test"
	integrationsPath = "/api/v1/integrations"
)

func fullIntegrationFields() map[string]knownvalue.Check {
	s := knownvalue.StringExact
	return map[string]knownvalue.Check{
		"id": s(uuidN(501)), "label": s("YouTube Brand"), "application": s("youtube_tenant"), "workspace": s("acme"),
		"created_at": s("2024-07-09T02:30:46+00:00"), "created_by": s(uuidN(101)), "updated_at": s("2026-01-02T04:21:22.158Z"),
	}
}

func TestAccIntegrations_everyFieldInOrderOverPages(t *testing.T) {
	f := newFakeAPI(t, cerbyOnlyWorkspace())
	accTest(t, true, stableSteps(cerbyOnlyConfig(f, []string{"page_size = 2"}, "cerby_integrations", ""), integrationsAddr+".ids",
		[]statecheck.StateCheck{
			idList(integrationsAddr, 502, 503, 501), // discord, Discord, YouTube Brand
			statecheck.ExpectKnownValue(integrationsAddr, tfjsonpath.New("integrations").AtSliceIndex(2), knownvalue.ObjectExact(fullIntegrationFields())),
			statecheck.ExpectKnownValue(integrationsAddr, tfjsonpath.New("integrations").AtSliceIndex(0), knownvalue.ObjectExact(nulls(fullIntegrationFields(),
				map[string]knownvalue.Check{"id": knownvalue.StringExact(uuidN(502)), "label": knownvalue.StringExact("discord")}))),
			statecheck.ExpectKnownValue(integrationsAddr, tfjsonpath.New("truncated"), knownvalue.Bool(false)),
		},
		f.expectWalks(cerbyAPI, integrationsPath, 2, 1, 2),
		f.expectOnlyParams(integrationsPath, cerbyAPI.pageParams()...),
	)...)
}

func TestAccIntegrations_maxItemsTruncates(t *testing.T) {
	f := newFakeAPI(t, cerbyOnlyWorkspace())
	accTest(t, true, stableSteps(cerbyOnlyConfig(f, []string{"page_size = 2"}, "cerby_integrations", "max_items = 1"), integrationsAddr+".ids",
		[]statecheck.StateCheck{
			idList(integrationsAddr, 502),
			statecheck.ExpectKnownValue(integrationsAddr, tfjsonpath.New("truncated"), knownvalue.Bool(true)),
		}, f.expectWalks(cerbyAPI, integrationsPath, 2, 1))...)
}

// --- cerby_integration_users -------------------------------------------------------

const integrationUsersAddr = "data.cerby_integration_users.test"

func seatsPath(n int) string { return integrationsPath + "/" + uuidN(n) + "/users" }

func fullSeatFields() map[string]knownvalue.Check {
	s, null := knownvalue.StringExact, knownvalue.Null()
	entitlement := func(key, label, group, value knownvalue.Check) knownvalue.Check {
		return knownvalue.ObjectExact(map[string]knownvalue.Check{"key": key, "label": label, "group": group, "value": value})
	}
	return map[string]knownvalue.Check{
		"id": s(uuidN(601)), "first_name": s("Ada"), "last_name": s("Lovelace"), "email": s("Ada@example.com"), "status": s("disabled"),
		"is_guest": knownvalue.Bool(false), "role": s("owner"), "created_at": s("2024-01-04T15:36:54"), "updated_at": s("2024-09-05T20:46:14.357000"),
		"entitlements": knownvalue.ListExact([]knownvalue.Check{
			entitlement(s("VIEWER_LIMITED"), s("YOUTUBE_TENANT_VIEWER_DESC"), s("primary"), s("viewer")),
			entitlement(s("SEATS"), s(""), s("secondary"), s("3")),
			entitlement(s("EDITOR"), null, null, null),
		}),
		"dynamic_fields_json": s(mustJSON(fullSeat["meta"].(fixture)["dynamicFields"])),
	}
}

func integrationUsersConfig(f *fakeAPI, providerArgs []string, n int, more string) string {
	return cerbyOnlyConfig(f, providerArgs, "cerby_integration_users", fmt.Sprintf("integration_id = %q\n  %s", uuidN(n), more))
}

func TestAccIntegrationUsers_everySeatFieldInOrderOverPages(t *testing.T) {
	f := newFakeAPI(t, cerbyOnlyWorkspace())
	accTest(t, true, stableSteps(integrationUsersConfig(f, []string{"page_size = 2"}, 501, ""), integrationUsersAddr+".ids",
		[]statecheck.StateCheck{
			idList(integrationUsersAddr, 601, 603, 602), // Ada@, amy@, bob@
			statecheck.ExpectKnownValue(integrationUsersAddr, tfjsonpath.New("users").AtSliceIndex(0), knownvalue.ObjectExact(fullSeatFields())),
			statecheck.ExpectKnownValue(integrationUsersAddr, tfjsonpath.New("users").AtSliceIndex(1).AtMapKey("entitlements"), knownvalue.ListExact([]knownvalue.Check{})),
			statecheck.ExpectKnownValue(integrationUsersAddr, tfjsonpath.New("users").AtSliceIndex(2), knownvalue.ObjectExact(nulls(fullSeatFields(),
				map[string]knownvalue.Check{"id": knownvalue.StringExact(uuidN(602)), "email": knownvalue.StringExact("bob@example.com")}))),
			statecheck.ExpectKnownValue(integrationUsersAddr, tfjsonpath.New("truncated"), knownvalue.Bool(false)),
		},
		f.expectWalks(cerbyAPI, seatsPath(501), 2, 1, 2),
		f.expectOnlyParams(seatsPath(501), cerbyAPI.pageParams()...),
	)...)
}

func TestAccIntegrationUsers_maxItemsTruncates(t *testing.T) {
	f := newFakeAPI(t, cerbyOnlyWorkspace())
	accTest(t, true, stableSteps(integrationUsersConfig(f, []string{"page_size = 2"}, 501, "max_items = 2"), integrationUsersAddr+".ids",
		[]statecheck.StateCheck{
			idList(integrationUsersAddr, 601, 602),
			statecheck.ExpectKnownValue(integrationUsersAddr, tfjsonpath.New("truncated"), knownvalue.Bool(true)),
		}, f.expectWalks(cerbyAPI, seatsPath(501), 2, 1, 2))...) // one item past max_items tells whether more were left
}

// TestAccIntegrationUsers_integrationNotFound: the seats answer 404, and so
// does the integration: an error on integration_id.
func TestAccIntegrationUsers_integrationNotFound(t *testing.T) {
	f := newFakeAPI(t, cerbyOnlyWorkspace())
	steps := errorSteps(integrationUsersConfig(f, nil, 599, ""),
		words(fmt.Sprintf("integration %s not found or not visible to these credentials; cerby_integrations lists those that are", uuidN(599))),
		words(fmt.Sprintf("Integration %s not found.", uuidN(599))))
	accTest(t, true, steps...)
	if err := f.expectSequence(seatsPath(599), integrationsPath+"/"+uuidN(599))(nil); err != nil {
		t.Error(err)
	}
}

// TestAccIntegrationUsers_notOffered: the seats answer 404 or 405 while the
// integration exists: the workspace's API does not offer them, which the
// error says rather than that the integration is missing.
func TestAccIntegrationUsers_notOffered(t *testing.T) {
	for _, status := range []int{http.StatusNotFound, http.StatusMethodNotAllowed} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			data := cerbyOnlyWorkspace()
			data.NoSeats = status
			f := newFakeAPI(t, data)
			config := integrationUsersConfig(f, nil, 501, "")
			accTest(t, true, errorSteps(config, words("The integration exists, but this workspace's Cerby API does not offer its users"), fmt.Sprint(status))...)
			if err := f.expectSequence(seatsPath(501), integrationsPath+"/"+uuidN(501))(nil); err != nil {
				t.Error(err)
			}
		})
	}
}

// --- ephemeral cerby_vaults -----------------------------------------------------

// TestAccEphemeral_vaultGateStoresNothing: a gate that every vault uses a
// customer-managed key judges the ephemeral read, stores none of it, and
// fails the plan with its message when a vault does not.
func TestAccEphemeral_vaultGateStoresNothing(t *testing.T) {
	gate := func(f *fakeAPI) string {
		return cerbyAPI.provider(f) + `
ephemeral "cerby_vaults" "all" {}

resource "terraform_data" "gate" {
  lifecycle {
    precondition {
      condition     = alltrue([for v in ephemeral.cerby_vaults.all.vaults : contains(["kms_byo", "akv"], v.scheme)])
      error_message = "A vault uses Cerby's own key."
    }
  }
}
`
	}
	customerKeys := cerbyOnlyWorkspace()
	customerKeys.Vaults = customerKeys.Vaults[:2] // Zed (akv) and Finance (kms_byo)
	passing := newFakeAPI(t, customerKeys)
	failing := newFakeAPI(t, cerbyOnlyWorkspace()) // and local, on local_encryption_key
	terms := []string{uuidN(401), uuidN(403), "Finance", "Zed"}
	ephemeralTest(t, true,
		resource.TestStep{Config: gate(passing), ConfigStateChecks: []statecheck.StateCheck{stateHoldsNone(terms)}},
		resource.TestStep{Config: gate(failing), PlanOnly: true, ExpectError: regexp.MustCompile(words("A vault uses Cerby's own key."))},
	)
}
