package faultmatrix

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cerby-community/terraform-provider-cerby/internal/cerbysim"
	"github.com/cerby-community/terraform-provider-cerby/internal/clitest"
)

// The rows of what only the Cerby API serves (issue 13): one configuration
// reads cerby_users with include_mfa_status, cerby_teams, one cerby_team with
// its member_ids and account_ids, cerby_vaults, cerby_integrations and the
// seats of one integration (cerby_integration_users), and the row's fault
// acts on all of them at once.

// listingsWorkspace is the ground truth of those rows: small, so that pages
// of a few items give every listing more than one page without many
// requests. Its first team has 10 members and 3 accounts, its integrations
// 5 to 9 seats (cerbysim.Generate).
func listingsWorkspace() *cerbysim.Workspace {
	return cerbysim.Generate(4, cerbysim.Size{Accounts: 12, Members: 10, AccessPerMember: 3})
}

// The configuration's data sources and the listing requests it makes.
const (
	listingsRead = "cerby_users (include_mfa_status), cerby_teams, cerby_team (member_ids, account_ids), cerby_vaults, cerby_integrations and cerby_integration_users"
	// listingsCount is the configuration's listings: users, teams, a team's
	// members and its accounts, vaults, integrations and seats.
	listingsCount = 7
)

func cerbyOnlyRows() []row {
	a := cerbyAPI
	// 30% rather than half the requests: about 20 requests, each of which
	// must get through within max_retries.
	storms := settings{maxRetries: 8, maxRetryWait: "3s", requestTimeout: "2s", pageSize: 3}
	served := func(f cerbysim.Faults) func(*testing.T) target { return listings(cerbysim.Config{Faults: f}) }
	notOffered := func(opts cerbysim.CerbyAPIOptions) func(*testing.T) target {
		return listings(cerbysim.Config{CerbyAPI: opts})
	}
	teamMembers := []string{"Cannot read Cerby team", "does not offer its listing GET /api/v1/teams/{id}/members",
		"so member_ids cannot be read", "Set `include_member_ids = false`"}
	return []row{
		readConfig(a, "Cerby API listings in a 429 storm", "30% of requests answered 429 with Retry-After: 1 while "+listingsRead+" are read, 3 items a page",
			wantData, storms, served(cerbysim.Faults{Seed: 1, Random429Rate: 0.3, RetryAfter: time.Second}), readListings,
			despite(rightListings, isTooMany)),
		readConfig(a, "Cerby API listings in a 5xx burst", "30% of requests answered 500/502/503/504 while "+listingsRead+" are read, 3 items a page",
			wantData, storms, served(cerbysim.Faults{Seed: 3, Random5xxRate: 0.3}), readListings,
			despite(rightListings, isServerError)),
		readConfig(a, "Cerby API listings: links.next to another host",
			"every links.next an absolute URL on a second loopback server, which must receive nothing, while "+listingsRead+" are read, 2 items a page",
			"each listing refused at its page 1 with a clear error naming the link's origin, nothing sent there",
			settings{maxRetries: 2, maxRetryWait: "3s", requestTimeout: "2s", pageSize: 2},
			nextElsewhere(listingsWorkspace, nil), readListings,
			// Page 1 of each listing, and the team itself.
			refusedElsewhere(listingsCount+1, listingsCount)),
		readConfig(a, "team members listing answered 404", "GET /api/v1/teams/{id}/members answers 404 for every team; the rest served",
			"a clear error on cerby_team naming the listing and include_member_ids; no empty list", quick,
			notOffered(cerbysim.CerbyAPIOptions{TeamMembers: cerbysim.ListingNotFound}), readListings,
			notOfferedError("/members", http.StatusNotFound, teamMembers...)),
		readConfig(a, "team members listing answered 405", "GET /api/v1/teams/{id}/members answers 405 (Allow: POST) for every team; the rest served",
			"a clear error on cerby_team naming the listing and include_member_ids; no empty list", quick,
			notOffered(cerbysim.CerbyAPIOptions{TeamMembers: cerbysim.ListingNotAllowed}), readListings,
			notOfferedError("/members", http.StatusMethodNotAllowed, teamMembers...)),
		readConfig(a, "seats listing answered 404", "GET /api/v1/integrations/{id}/users answers 404 for an integration that exists; the rest served",
			"a clear error on cerby_integration_users saying the integration exists and its seats listing is not offered; no empty list", quick,
			notOffered(cerbysim.CerbyAPIOptions{IntegrationUsers: cerbysim.ListingNotFound}), readListings,
			notOfferedError("/users", http.StatusNotFound, "Cannot read Cerby integration users",
				"The integration exists, but this workspace's Cerby API does not offer its users at /users")),
	}
}

// listings serves listingsWorkspace as cfg says.
func listings(cfg cerbysim.Config) func(*testing.T) target {
	return func(t *testing.T) target { return serveWorkspace(t, listingsWorkspace(), cfg, nil) }
}

// readListings is the configuration of every listing; the team and the
// integration are those of tg's workspace with the most to list.
func readListings(tg target) string {
	team, integration := fullestTeam(tg.ws), fullestIntegration(tg.ws)
	return fmt.Sprintf(`
data "cerby_users" "all" {
  include_mfa_status = true
}
data "cerby_teams" "all" {}
data "cerby_team" "one" {
  id = %q
}
data "cerby_vaults" "all" {}
data "cerby_integrations" "all" {}
data "cerby_integration_users" "seats" {
  integration_id = %q
}

output "users" {
  value = data.cerby_users.all.users
}
output "teams" {
  value = data.cerby_teams.all.teams
}
output "team" {
  value = { member_ids = data.cerby_team.one.member_ids, account_ids = data.cerby_team.one.account_ids }
}
output "vaults" {
  value = data.cerby_vaults.all.vaults
}
output "integrations" {
  value = data.cerby_integrations.all.integrations
}
output "seats" {
  value = data.cerby_integration_users.seats.users
}
`, team.ID, integration.ID)
}

func fullestTeam(ws *cerbysim.Workspace) cerbysim.Team {
	return slices.MaxFunc(ws.Teams, func(x, y cerbysim.Team) int {
		return min(len(x.Members), len(x.Accounts)) - min(len(y.Members), len(y.Accounts))
	})
}

func fullestIntegration(ws *cerbysim.Workspace) cerbysim.Integration {
	return slices.MaxFunc(ws.Integrations, func(x, y cerbysim.Integration) int { return len(x.Users) - len(y.Users) })
}

// listing is one list output of readListings and where each attribute
// compared comes from in what the simulator serves.
type listing struct {
	output string
	fields []field
	// served is every item the Cerby API serves there, by id: its
	// attributes as served (decoded JSON).
	served func(ws *cerbysim.Workspace) map[string]map[string]any
}

// field is an attribute and the served attribute it holds: a dotted path
// into a nested object, such as mfaStatus.mfaEnabled; byID reads an object
// there as its id, as the provider reads a creator (C26).
type field struct {
	attribute, from string
	byID            bool
}

func fields(pairs ...string) []field {
	var fs []field
	for i := 0; i+1 < len(pairs); i += 2 {
		fs = append(fs, field{attribute: pairs[i], from: pairs[i+1]})
	}
	return fs
}

var timestamps = fields("created_at", "createdAt", "updated_at", "updatedAt")

var cerbyListings = []listing{
	{"users", append(fields("first_name", "firstName", "last_name", "lastName", "email", "email", "status", "status", "is_guest", "isGuest",
		"mfa_enabled", "mfaStatus.mfaEnabled", "mfa_enrollment_date", "mfaStatus.mfaEnrollmentDate"), timestamps...),
		func(ws *cerbysim.Workspace) map[string]map[string]any {
			users := map[string]map[string]any{}
			for _, m := range ws.Members {
				if id := m.String("id"); !m.Bool(cerbysim.KeyOnlyInIdp) {
					attrs, _ := ws.CerbyAPIUser(id, true)
					users[id] = decoded(attrs, nil)
				}
			}
			return users
		}},
	{"teams", append(fields("name", "name", "type", "type", "workspace_id", "workspaceId", "vault_id", "vaultId"), timestamps...),
		func(ws *cerbysim.Workspace) map[string]map[string]any {
			return servedResources(ws.Teams, func(t cerbysim.Team) cerbysim.CerbyResource { return t.CerbyResource })
		}},
	{"vaults", append(append(fields("name", "name", "scheme", "scheme", "state", "state", "created_by_type", "createdByType",
		"workspace_id", "workspaceId"), field{"created_by", "createdBy", true}), timestamps...),
		func(ws *cerbysim.Workspace) map[string]map[string]any {
			return servedResources(ws.Vaults, func(v cerbysim.CerbyResource) cerbysim.CerbyResource { return v })
		}},
	{"integrations", append(append(fields("label", "label", "application", "application", "workspace", "workspace"),
		field{"created_by", "createdBy", true}), timestamps...),
		func(ws *cerbysim.Workspace) map[string]map[string]any {
			return servedResources(ws.Integrations, func(i cerbysim.Integration) cerbysim.CerbyResource { return i.CerbyResource })
		}},
	{"seats", append(fields("first_name", "firstName", "last_name", "lastName", "email", "email", "status", "status",
		"is_guest", "isGuest", "role", "role"), timestamps...),
		func(ws *cerbysim.Workspace) map[string]map[string]any {
			return servedResources(fullestIntegration(ws).Users, func(u cerbysim.IntegrationUser) cerbysim.CerbyResource { return u.CerbyResource })
		}},
}

func servedResources[T any](items []T, resource func(T) cerbysim.CerbyResource) map[string]map[string]any {
	out := make(map[string]map[string]any, len(items))
	for _, item := range items {
		r := resource(item)
		out[r.ID] = decoded(r.Attributes, r.Omit)
	}
	return out
}

// decoded is o as JSON decodes it, less the keys of omit.
func decoded(o cerbysim.Object, omit []string) map[string]any {
	raw, _ := json.Marshal(o)
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	for _, k := range omit {
		delete(m, k)
	}
	return m
}

// value is what Terraform holds for f of an item served as attrs: the
// served JSON value, nil when absent or null.
func (f field) value(attrs map[string]any) any {
	var v any = attrs
	for key := range strings.SplitSeq(f.from, ".") {
		o, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = o[key]
	}
	if o, ok := v.(map[string]any); ok && f.byID {
		return o["id"]
	}
	return v
}

// differences compares l's output with what ws serves: each id once, the
// same ids, and each field; it describes the first difference.
func (l listing) differences(t *testing.T, w *clitest.Workdir, ws *cerbysim.Workspace) (items int, diff string) {
	got, _ := w.Outputs(t)[l.output].([]any)
	want := l.served(ws)
	seen := map[string]bool{}
	for _, v := range got {
		item, _ := v.(map[string]any)
		id, _ := item["id"].(string)
		attrs, ok := want[id]
		switch {
		case seen[id]:
			return len(got), fmt.Sprintf("%s: %s listed twice", l.output, id)
		case !ok:
			return len(got), fmt.Sprintf("%s: %s is not in the simulator", l.output, id)
		}
		seen[id] = true
		for _, f := range l.fields {
			if have, served := item[f.attribute], f.value(attrs); !reflect.DeepEqual(have, served) {
				return len(got), fmt.Sprintf("%s: %s's %s is %#v, served %#v", l.output, id, f.attribute, have, served)
			}
		}
	}
	if len(seen) != len(want) {
		return len(got), fmt.Sprintf("%s: %d items, the simulator serves %d", l.output, len(seen), len(want))
	}
	return len(got), ""
}

// rightListings wants every listing of readListings to be exactly what the
// simulator serves, and the team's member_ids and account_ids its members
// and accounts, sorted.
func rightListings(t *testing.T, w *clitest.Workdir, a api, tg target, r clitest.Result) (string, error) {
	if r.ExitCode != 0 {
		msg, _ := firstError(r)
		return "error: " + brief(msg), fmt.Errorf("exit %d, want the data:\n%s%s", r.ExitCode, strings.Join(errorMessages(r), "\n"), r.Stderr)
	}
	var counts []string
	for _, l := range cerbyListings {
		n, diff := l.differences(t, w, tg.ws)
		if diff != "" {
			return "WRONG DATA: " + diff, fmt.Errorf("the %s output differs from what the simulator serves: %s", l.output, diff)
		}
		counts = append(counts, fmt.Sprintf("%d %s", n, l.output))
	}
	team := fullestTeam(tg.ws)
	got, _ := w.Outputs(t)["team"].(map[string]any)
	for attribute, ids := range map[string][]string{"member_ids": memberIDs(team), "account_ids": team.Accounts} {
		raw, _ := got[attribute].([]any)
		have := make([]string, len(raw))
		for i, v := range raw {
			have[i], _ = v.(string)
		}
		if want := slices.Sorted(slices.Values(ids)); len(want) == 0 || !slices.Equal(have, want) {
			return fmt.Sprintf("WRONG DATA: the team's %s", attribute),
				fmt.Errorf("the team's %s is %v, want the simulator's %v, sorted", attribute, got[attribute], want)
		}
	}
	counts = append(counts, fmt.Sprintf("a team of %d members and %d accounts", len(team.Members), len(team.Accounts)))
	return fmt.Sprintf("right data: %s; requests: %s", strings.Join(counts, ", "), statuses(tg.sim)), nil
}

func memberIDs(team cerbysim.Team) []string {
	ids := make([]string, len(team.Members))
	for i, m := range team.Members {
		ids[i] = m.ID
	}
	return ids
}

// notOfferedError wants the run to fail with exactly one error, containing
// each of wants, after the simulator answered status to a listing whose
// path ends in suffix: the listing not offered is an error, not an empty
// list, and the other listings are read.
func notOfferedError(suffix string, status int, wants ...string) judgement {
	return func(t *testing.T, w *clitest.Workdir, a api, tg target, r clitest.Result) (string, error) {
		result, err := clearError(wants...)(t, w, a, tg, r)
		if err != nil {
			return result, err
		}
		if errs := errorMessages(r); len(errs) != 1 {
			return result, fmt.Errorf("%d error diagnostics, want the one about the listing:\n%s", len(errs), strings.Join(errs, "\n"))
		}
		answered := map[int]int{}
		for _, req := range tg.sim.Counters().Requests {
			if strings.HasSuffix(req.Path, suffix) && !strings.HasPrefix(req.Path, cerbysim.CerbyAPIPrefix+"/users") {
				answered[req.Status]++
			}
		}
		if answered[status] == 0 {
			return result, fmt.Errorf("the simulator never answered %d on …%s (answers there: %v)", status, suffix, answered)
		}
		var counts []string
		for _, code := range slices.Sorted(maps.Keys(answered)) {
			counts = append(counts, fmt.Sprintf("%d×%d", code, answered[code]))
		}
		return fmt.Sprintf("%s [GET …%s answered %s]", result, suffix, strings.Join(counts, ", ")), nil
	}
}
