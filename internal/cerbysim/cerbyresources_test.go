package cerbysim

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// resourcesFixture is fixture's workspace with teams, vaults and
// integrations written out in every documented variant.
func resourcesFixture(t *testing.T) *Workspace {
	t.Helper()
	ws := fixture(t)
	extra, err := ParseWorkspace([]byte(`{
	  "members": [{"id": "m1"}, {"id": "m2"}, {"id": "m3"}, {"id": "m4"}],
	  "accounts": [{"id": "a1"}, {"id": "a2"}, {"id": "a3"}],
	  "teams": [
	    {"id": "t1", "attributes": {"name": "Social", "type": "user_managed", "workspaceId": "w1", "vaultId": null,
	      "createdAt": "2024-02-03T13:20:32.177000+00:00", "updatedAt": "2024-02-03T13:20:32"},
	     "members": [{"id": "m1", "role": "admin"}, {"id": "m2", "role": "member", "memberIdAs": "member_id"},
	                 {"id": "m3", "role": "member", "memberIdAs": "id"}, {"id": "m1", "membershipId": "tm9", "omit": ["role", "memberType"]}],
	     "accounts": ["a3", "a1"]},
	    {"id": "t2", "attributes": {"name": "IdP", "type": "scim_managed", "workspaceId": "w1", "surprise": 1}, "omit": ["surprise"],
	     "memberIdAs": "id", "members": [{"id": "m3", "role": "admin"}]},
	    {"id": "t3", "attributes": {}}
	  ],
	  "vaults": [
	    {"id": "v1", "attributes": {"name": "Default", "scheme": "local_encryption_key", "state": "enabled", "createdByType": "system",
	      "createdBy": null, "workspaceId": "w1", "createdAt": "2024-02-03T13:20:32Z", "updatedAt": "2024-02-03T13:20:32+00:00"}},
	    {"id": "v2", "attributes": {"name": "KMS", "scheme": "kms_byo", "state": "disabled"}, "omit": ["state"]}
	  ],
	  "integrations": [
	    {"id": "i1", "attributes": {"label": "YouTube", "application": "youtube_tenant", "workspace": "acme", "createdBy": "m1"},
	     "users": [
	       {"id": "m1", "attributes": {"email": "ana@example.com", "role": "owner",
	         "entitlements": [{"id": "EDITOR", "type": "entitlement", "attributes": {"group": "primary", "key": "EDITOR", "label": "", "value": "editor"}}]},
	        "meta": {"dynamicFields": {"channelId": "UC1", "subscribers": 12, "verified": true}}},
	       {"id": "m3", "attributes": {"email": "chen@example.com", "role": "collaborator",
	         "entitlements": [{"group": "secondary", "key": "VIEWER", "label": "L", "value": 3}, "RAW_KEY"]}},
	       {"id": "x9", "attributes": {"email": "ghost@example.com", "entitlements": []}, "meta": null}
	     ]},
	    {"id": "i2", "attributes": {"label": "Discord", "application": "discord_tenant"}}
	  ]
	}`))
	if err != nil {
		t.Fatal(err)
	}
	ws.Teams, ws.Vaults, ws.Integrations = extra.Teams, extra.Vaults, extra.Integrations
	if err := ws.Validate(); err != nil {
		t.Fatal(err)
	}
	return ws
}

func TestCerbyTeamsVaultsIntegrationsAsWritten(t *testing.T) {
	_, base := serve(t, resourcesFixture(t), Config{})
	want := map[string]string{
		"/teams/t1": `{"data":{"id":"t1","type":"team","attributes":{"name":"Social","type":"user_managed","workspaceId":"w1","vaultId":null,` +
			`"createdAt":"2024-02-03T13:20:32.177000+00:00","updatedAt":"2024-02-03T13:20:32"}}}`,
		"/teams/t2": `{"data":{"id":"t2","type":"team","attributes":{"name":"IdP","type":"scim_managed","workspaceId":"w1"}}}`,
		"/teams/t3": `{"data":{"id":"t3","type":"team","attributes":{}}}`,
		"/teams/t1/members": `{"data":[` +
			`{"id":"t1:m1","type":"team_member","attributes":{"memberId":"m1","memberType":"user","role":"admin"}},` +
			`{"id":"t1:m2","type":"team_member","attributes":{"member_id":"m2","member_type":"user","role":"member"}},` +
			`{"id":"m3","type":"team_member","attributes":{"role":"member"}},` +
			`{"id":"tm9","type":"team_member","attributes":{"memberId":"m1"}}],` +
			`"links":{"self":"/api/v1/teams/t1/members?page%5Bnumber%5D=1&page%5Bsize%5D=25","next":null,"previous":null},` +
			`"meta":{"page":{"maxSize":100,"total":4}}}`,
		"/teams/t2/members?page[size]=5": `{"data":[{"id":"m3","type":"team_member","attributes":{"role":"admin"}}],` +
			`"links":{"self":"/api/v1/teams/t2/members?page%5Bnumber%5D=1&page%5Bsize%5D=5","next":null,"previous":null},` +
			`"meta":{"page":{"maxSize":100,"total":1}}}`,
		"/vaults": `{"data":[` +
			`{"id":"v1","type":"vault","attributes":{"name":"Default","scheme":"local_encryption_key","state":"enabled","createdByType":"system",` +
			`"createdBy":null,"workspaceId":"w1","createdAt":"2024-02-03T13:20:32Z","updatedAt":"2024-02-03T13:20:32+00:00"}},` +
			`{"id":"v2","type":"vault","attributes":{"name":"KMS","scheme":"kms_byo"}}],` +
			`"links":{"self":"/api/v1/vaults?page%5Bnumber%5D=1&page%5Bsize%5D=25","next":null,"previous":null},` +
			`"meta":{"page":{"maxSize":100,"total":2}}}`,
		"/integrations/i2": `{"data":{"id":"i2","type":"account","attributes":{"label":"Discord","application":"discord_tenant"}}}`,
		"/integrations/i1/users": `{"data":[` +
			`{"id":"m1","type":"user","attributes":{"email":"ana@example.com","role":"owner",` +
			`"entitlements":[{"id":"EDITOR","type":"entitlement","attributes":{"group":"primary","key":"EDITOR","label":"","value":"editor"}}]},` +
			`"meta":{"dynamicFields":{"channelId":"UC1","subscribers":12,"verified":true}}},` +
			`{"id":"m3","type":"user","attributes":{"email":"chen@example.com","role":"collaborator",` +
			`"entitlements":[{"group":"secondary","key":"VIEWER","label":"L","value":3},"RAW_KEY"]}},` +
			`{"id":"x9","type":"user","attributes":{"email":"ghost@example.com","entitlements":[]},"meta":null}],` +
			`"links":{"self":"/api/v1/integrations/i1/users?page%5Bnumber%5D=1&page%5Bsize%5D=25","next":null,"previous":null},` +
			`"meta":{"page":{"maxSize":100,"total":3}}}`,
		"/integrations/i2/users": `{"data":[],"links":{"self":"/api/v1/integrations/i2/users?page%5Bnumber%5D=1&page%5Bsize%5D=25",` +
			`"next":null,"previous":null},"meta":{"page":{"maxSize":100,"total":0}}}`,
	}
	for path, body := range want {
		r := get(t, base+"/api/v1"+path)
		if r.status != http.StatusOK || r.header.Get("Content-Type") != "application/json" || string(r.body) != body {
			t.Errorf("%s: status %d\n got %s\nwant %s", path, r.status, r.body, body)
		}
	}
	var integrations cerbyListPage
	get(t, base+"/api/v1/integrations").decode(t, &integrations)
	if !slices.Equal(integrations.ids(), []string{"i1", "i2"}) || integrations.Data[0].Type != "account" {
		t.Errorf("integrations %+v", integrations.Data)
	}
	// A team's accounts are served as /accounts serves them, in the team's
	// order, and filtered like /accounts.
	var accounts cerbyListPage
	get(t, base+"/api/v1/teams/t1/accounts").decode(t, &accounts)
	byID := get(t, base+"/api/v1/accounts/a3")
	if !slices.Equal(accounts.ids(), []string{"a3", "a1"}) || !bytes.Contains(byID.body, encodeItem(t, accounts.Data[0])) {
		t.Errorf("team accounts %v; a3 by id %s", accounts.ids(), byID.body)
	}
	get(t, base+"/api/v1/teams/t1/accounts?filter[application]=instagram").decode(t, &accounts)
	if !slices.Equal(accounts.ids(), []string{"a1"}) {
		t.Errorf("filtered team accounts %v", accounts.ids())
	}
	if r := get(t, base+"/api/v1/teams/t3/accounts"); !bytes.HasPrefix(r.body, []byte(`{"data":[],`)) {
		t.Errorf("a team without accounts: %s", r.body)
	}
}

// encodeItem re-encodes a decoded item's attributes as the start of a
// resource, to find it in another body.
func encodeItem(t *testing.T, item cerbyItem) []byte {
	t.Helper()
	head, err := json.Marshal(struct {
		ID   string `json:"id"`
		Type string `json:"type"`
	}{item.ID, item.Type})
	if err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSuffix(head, []byte("}"))
}

func TestCerbyResourcePaging(t *testing.T) {
	ws := Generate(5, Size{Accounts: 30, Members: 140, AccessPerMember: 2})
	_, base := serve(t, ws, Config{})
	all := ws.Teams[0] // every user
	seats := ws.Integrations[0]
	for path, want := range map[string][]string{
		"/api/v1/teams?page[size]=4":                                   resourceIDs(ws.Teams, teamID),
		"/api/v1/vaults?page[size]=3":                                  resourceIDs(ws.Vaults, resourceID),
		"/api/v1/integrations?page[size]=2":                            resourceIDs(ws.Integrations, integrationID),
		"/api/v1/teams/" + all.ID + "/accounts?page[size]=3":           all.Accounts,
		"/api/v1/integrations/" + seats.ID + "/users?page%5Bsize%5D=2": resourceIDs(seats.Users, seatID),
	} {
		pages := walkCerby(t, base, path)
		var walked []string
		for _, p := range pages {
			walked = append(walked, p.ids()...)
			if p.Meta.Page.Total == nil || *p.Meta.Page.Total != len(want) || p.Meta.Page.MaxSize != 100 {
				t.Errorf("%s: meta %+v, want total %d", path, p.Meta.Page, len(want))
			}
		}
		if !slices.Equal(walked, want) || len(want) < 2 {
			t.Errorf("%s: walked %v, want %v", path, walked, want)
		}
	}
	pages := walkCerby(t, base, "/api/v1/teams/"+all.ID+"/members?page[size]=100")
	var members []string
	for _, p := range pages {
		for _, item := range p.Data {
			members = append(members, unquote(t, item.Attributes["memberId"]))
		}
	}
	if len(pages) != 2 || !slices.Equal(members, teamMemberIDs(all)) {
		t.Errorf("%d pages of members %v", len(pages), members)
	}

	// Every listing refuses page parameters out of range, as /accounts does.
	for _, path := range []string{"/teams", "/vaults", "/integrations", "/teams/" + all.ID + "/members", "/teams/" + all.ID + "/accounts",
		"/integrations/" + seats.ID + "/users"} {
		for _, query := range []string{"?page[size]=0", "?page[size]=101", "?page[number]=0", "?page[number]=x"} {
			r := get(t, base+"/api/v1"+path+query)
			if e := cerbyError(t, r); r.status != http.StatusBadRequest || unquote(t, e["code"]) != "validation_error" {
				t.Errorf("%s%s: %d %s", path, query, r.status, r.body)
			}
		}
	}
}

func resourceIDs[T any](items []T, idOf func(*T) string) []string {
	out := make([]string, len(items))
	for i := range items {
		out[i] = idOf(&items[i])
	}
	return out
}

func teamMemberIDs(team Team) []string {
	out := make([]string, len(team.Members))
	for i, m := range team.Members {
		out[i] = m.ID
	}
	return out
}

func TestCerbyResourcesNotFound(t *testing.T) {
	_, base := serve(t, resourcesFixture(t), Config{})
	for path, what := range map[string]string{
		"/teams/zz": "Team zz", "/teams/zz/members": "Team zz", "/teams/zz/accounts": "Team zz",
		"/integrations/zz": "Integration zz", "/integrations/zz/users": "Integration zz",
		"/integrations/a1": "Integration a1", // an account is not an integration here
		"/vaults/v1":       "No endpoint", "/teams/t1/secrets": "No endpoint", "/integrations/i1/user": "No endpoint",
		"/teams/": "No endpoint", "/teams/t1/members/m1": "No endpoint",
	} {
		r := get(t, base+"/api/v1"+path)
		if e := cerbyError(t, r); r.status != http.StatusNotFound || unquote(t, e["code"]) != "not_found" || !strings.Contains(unquote(t, e["detail"]), what) {
			t.Errorf("%s: %d %s", path, r.status, r.body)
		}
	}
	// The Read API has none of them.
	for _, path := range []string{"/v1/teams", "/v1/teams/t1", "/v1/teams/t1/members", "/v1/vaults", "/v1/integrations", "/v1/integrations/i1/users"} {
		r := get(t, base+path)
		if r.status != http.StatusNotFound || !strings.Contains(errorDetail(t, r), "No endpoint") || bytes.Contains(r.body, []byte(`"errors"`)) {
			t.Errorf("%s: %d %s", path, r.status, r.body)
		}
	}
}

func TestCerbyResourceScopes(t *testing.T) {
	paths := []string{"/teams", "/teams/t1", "/teams/t1/members", "/teams/t1/accounts", "/vaults", "/integrations", "/integrations/i1", "/integrations/i1/users"}
	cases := []struct {
		scopes []string
		ok     []string // the paths answered 200; the others 401
		named  string   // the scope a 401 names, for the first refused path
	}{
		{nil, paths, ""},
		{[]string{}, nil, ScopeReadUsers},
		{[]string{ScopeReadUsers}, []string{"/teams", "/teams/t1", "/teams/t1/members"}, ScopeReadAccounts},
		{[]string{ScopeReadTeams}, []string{"/teams", "/teams/t1", "/teams/t1/members"}, ScopeReadAccounts},
		{[]string{ScopeReadUsers, ScopeReadItems}, []string{"/teams", "/teams/t1", "/teams/t1/members", "/teams/t1/accounts"}, ScopeReadVaults},
		{[]string{ScopeReadTeams, ScopeReadAccounts}, []string{"/teams", "/teams/t1", "/teams/t1/members", "/teams/t1/accounts"}, ScopeReadVaults},
		{[]string{ScopeReadVaults}, []string{"/vaults"}, ScopeReadUsers},
		{[]string{ScopeReadIntegrations}, []string{"/integrations", "/integrations/i1"}, ScopeReadUsers},
		{[]string{ScopeReadTeams, ScopeReadIntegrations}, []string{"/teams", "/teams/t1", "/teams/t1/members", "/integrations", "/integrations/i1"}, ScopeReadAccounts},
		{[]string{ScopeReadUsers, ScopeReadIntegrations}, []string{"/teams", "/teams/t1", "/teams/t1/members", "/integrations", "/integrations/i1", "/integrations/i1/users"}, ScopeReadAccounts},
	}
	for _, c := range cases {
		_, base := serve(t, resourcesFixture(t), Config{CerbyAPI: CerbyAPIOptions{Scopes: c.scopes}})
		named := false
		for _, path := range paths {
			r := get(t, base+"/api/v1"+path)
			want := http.StatusUnauthorized
			if slices.Contains(c.ok, path) {
				want = http.StatusOK
			}
			if r.status != want {
				t.Errorf("scopes %q, %s: status %d, want %d", c.scopes, path, r.status, want)
				continue
			}
			if want == http.StatusUnauthorized && !named {
				named = true
				if detail := unquote(t, cerbyError(t, r)["detail"]); !strings.Contains(detail, "scope "+c.named+" ") {
					t.Errorf("scopes %q, %s: %q does not name %s", c.scopes, path, detail, c.named)
				}
			}
		}
	}
}

func TestCerbyListingsNotOffered(t *testing.T) {
	type option func(*CerbyAPIOptions, ListingMode)
	cases := map[string]struct {
		set      option
		path     string
		endpoint string
	}{
		"team members":      {func(o *CerbyAPIOptions, m ListingMode) { o.TeamMembers = m }, "/teams/t1/members", EndpointCerbyTeamMembers},
		"team accounts":     {func(o *CerbyAPIOptions, m ListingMode) { o.TeamAccounts = m }, "/teams/t1/accounts", EndpointCerbyTeamAccounts},
		"integration users": {func(o *CerbyAPIOptions, m ListingMode) { o.IntegrationUsers = m }, "/integrations/i1/users", EndpointCerbyIntegrationUsers},
	}
	others := []string{"/teams", "/teams/t1", "/teams/t1/members", "/teams/t1/accounts", "/integrations", "/integrations/i1", "/integrations/i1/users", "/users/m1/accounts"}
	for name, c := range cases {
		for _, mode := range []ListingMode{ListingNotFound, ListingNotAllowed} {
			var opts CerbyAPIOptions
			c.set(&opts, mode)
			sim, base := serve(t, resourcesFixture(t), Config{CerbyAPI: opts})
			r := get(t, base+"/api/v1"+c.path)
			e := cerbyError(t, r)
			switch {
			case mode == ListingNotFound && (r.status != 404 || !strings.Contains(unquote(t, e["detail"]), "No endpoint")):
				t.Errorf("%s %s: %d %s", name, mode, r.status, r.body)
			case mode == ListingNotAllowed && (r.status != 405 || r.header.Get("Allow") != http.MethodPost):
				t.Errorf("%s %s: %d, Allow %q", name, mode, r.status, r.header.Get("Allow"))
			}
			// Whatever the id: the endpoint is not there.
			if r := get(t, base+"/api/v1"+strings.Replace(strings.Replace(c.path, "t1", "zz", 1), "i1", "zz", 1)); r.status != mustAtoi(t, string(mode)) {
				t.Errorf("%s %s, unknown id: %d", name, mode, r.status)
			}
			if n := sim.Counters().ByEndpoint[c.endpoint]; n != 2 {
				t.Errorf("%s %s: %d requests counted to %s", name, mode, n, c.endpoint)
			}
			for _, other := range others {
				if other == c.path {
					continue
				}
				if r := get(t, base+"/api/v1"+other); r.status != http.StatusOK {
					t.Errorf("%s %s takes %s away: %d", name, mode, other, r.status)
				}
			}
		}
	}
	for _, field := range []string{"TeamMembers", "TeamAccounts", "IntegrationUsers"} {
		var opts CerbyAPIOptions
		switch field {
		case "TeamMembers":
			opts.TeamMembers = "410"
		case "TeamAccounts":
			opts.TeamAccounts = "served"
		default:
			opts.IntegrationUsers = "404 "
		}
		if err := opts.Validate(); err == nil || !strings.Contains(err.Error(), "CerbyAPI."+field) {
			t.Errorf("%s: %v", field, err)
		}
	}
}

func mustAtoi(t *testing.T, s string) int {
	t.Helper()
	var n int
	if err := json.Unmarshal([]byte(s), &n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestCerbyResourceFaultsCountersAndLog(t *testing.T) {
	ws := Generate(9, Size{Accounts: 10, Members: 30})
	team, seats := ws.Teams[0], ws.Integrations[0]
	t.Run("InsertBetweenPages", func(t *testing.T) {
		_, base := serve(t, ws, Config{Faults: Faults{Seed: 1, InsertBetweenPages: 2}})
		for _, path := range []string{"/api/v1/teams", "/api/v1/vaults", "/api/v1/integrations", "/api/v1/teams/" + team.ID + "/members",
			"/api/v1/integrations/" + seats.ID + "/users"} {
			var first, second cerbyListPage
			get(t, base+path+"?page[size]=2").decode(t, &first)
			get(t, base+path+"?page[size]=2&page[number]=2").decode(t, &second)
			// Two new items in front: page 2 repeats page 1.
			if total(second) != total(first)+2 || !slices.Equal(second.ids(), first.ids()) {
				t.Errorf("%s: %v of %d, then %v of %d", path, first.ids(), total(first), second.ids(), total(second))
			}
		}
	})
	t.Run("RemoveBetweenPages", func(t *testing.T) {
		_, base := serve(t, ws, Config{Faults: Faults{RemoveBetweenPages: 1}})
		var second cerbyListPage
		get(t, base+"/api/v1/teams/"+team.ID+"/members?page[size]=2&page[number]=2").decode(t, &second)
		if want := []string{team.ID + ":" + team.Members[3].ID, team.ID + ":" + team.Members[4].ID}; !slices.Equal(second.ids(), want) {
			t.Errorf("page 2 %v, want %v", second.ids(), want)
		}
	})
	t.Run("DuplicateItems and totals", func(t *testing.T) {
		_, base := serve(t, ws, Config{Faults: Faults{DuplicateItems: 1, TotalResultsOffset: 3}})
		var vaults cerbyListPage
		get(t, base+"/api/v1/vaults").decode(t, &vaults)
		if n := len(ws.Vaults); len(vaults.Data) != n+1 || vaults.Data[n].ID != ws.Vaults[0].ID || total(vaults) != n+4 {
			t.Errorf("vaults %v of %d", vaults.ids(), total(vaults))
		}
	})
	t.Run("counters and log", func(t *testing.T) {
		var log syncBuffer
		sim, base := serve(t, ws, Config{Log: &log})
		paths := map[string]string{
			"/api/v1/teams":                                EndpointCerbyTeams,
			"/api/v1/teams/" + team.ID:                     EndpointCerbyTeam,
			"/api/v1/teams/" + team.ID + "/members":        EndpointCerbyTeamMembers,
			"/api/v1/teams/" + team.ID + "/accounts":       EndpointCerbyTeamAccounts,
			"/api/v1/vaults":                               EndpointCerbyVaults,
			"/api/v1/integrations":                         EndpointCerbyIntegrations,
			"/api/v1/integrations/" + seats.ID:             EndpointCerbyIntegration,
			"/api/v1/integrations/" + seats.ID + "/users":  EndpointCerbyIntegrationUsers,
			"/api/v1/integrations/" + seats.ID + "/assets": EndpointUnknown,
		}
		for path := range paths {
			get(t, base+path)
		}
		c := sim.Counters()
		for path, endpoint := range paths {
			if c.ByEndpoint[endpoint] != 1 {
				t.Errorf("%s: %d requests to %s", path, c.ByEndpoint[endpoint], endpoint)
			}
			if !strings.Contains(log.String(), "GET "+path+" ") {
				t.Errorf("%s is not in the log", path)
			}
		}
		if c.Listings != 6 || c.ByStatus[200] != 8 || c.ByStatus[404] != 1 {
			t.Errorf("listings %d, by status %v", c.Listings, c.ByStatus)
		}
	})
	t.Run("request faults", func(t *testing.T) {
		_, base := serve(t, ws, Config{Faults: Faults{Random429Rate: 1}})
		if r := get(t, base+"/api/v1/vaults"); r.status != http.StatusTooManyRequests {
			t.Errorf("vaults under the 429 fault: %d", r.status)
		} else {
			cerbyError(t, r)
		}
	})
}

func TestParseWorkspaceCerbyResources(t *testing.T) {
	base := `"members": [{"id": "m1"}], "accounts": [{"id": "a1"}], `
	cases := map[string]struct{ doc, want string }{
		"team member unknown":    {`"teams": [{"id": "t", "attributes": {}, "members": [{"id": "m9"}]}]`, `teams[0].members[0]: "m9" is not the id of a member`},
		"team account unknown":   {`"teams": [{"id": "t", "attributes": {}, "accounts": ["a9"]}]`, `teams[0].accounts: "a9" is not the id of an account`},
		"team id missing":        {`"teams": [{"attributes": {}}]`, `teams[0]: "id" must be a non-empty string`},
		"team shape unknown":     {`"teams": [{"id": "t", "attributes": {}, "memberIdAs": "memberID"}]`, `teams[0]: memberIdAs must be one of`},
		"member shape unknown":   {`"teams": [{"id": "t", "attributes": {}, "members": [{"id": "m1", "memberIdAs": "x"}]}]`, `teams[0].members[0]: memberIdAs`},
		"team key unknown":       {`"teams": [{"id": "t", "attributes": {}, "member": []}]`, `unknown field "member"`},
		"vault id duplicate":     {`"vaults": [{"id": "v", "attributes": {}}, {"id": "v", "attributes": {}}]`, `vaults[1]: duplicate id "v"`},
		"vault key unknown":      {`"vaults": [{"id": "v", "scheme": "akv"}]`, `unknown field "scheme"`},
		"integration id missing": {`"integrations": [{"id": "", "attributes": {}}]`, `integrations[0]: "id" must be a non-empty string`},
		"seat id duplicate":      {`"integrations": [{"id": "i", "attributes": {}, "users": [{"id": "u", "attributes": {}}, {"id": "u", "attributes": {}}]}]`, `integrations[0].users[1]: duplicate id "u"`},
		"seat key unknown":       {`"integrations": [{"id": "i", "attributes": {}, "users": [{"id": "u", "entitlements": []}]}]`, `unknown field "entitlements"`},
		"attributes not object":  {`"vaults": [{"id": "v", "attributes": []}]`, "expected a JSON object"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := ParseWorkspace([]byte("{" + base + c.doc + "}"))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want it to contain %q", err, c.want)
			}
		})
	}
}
