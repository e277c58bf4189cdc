package client

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
)

// routes answers each path (without the query) with its status and body;
// any other path is a 404.
type routes map[string]struct {
	status int
	body   string
}

func (rs routes) serve(t *testing.T, h *hits) *Client {
	t.Helper()
	c, _ := newCerbyClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.record(r)
		route, ok := rs[r.URL.Path]
		if !ok {
			route.status, route.body = http.StatusNotFound, `{"errors":[{"status":404,"code":"not_found","title":"Not found"}]}`
		}
		w.WriteHeader(route.status)
		_, _ = w.Write([]byte(route.body))
	}), nil)
	return c
}

func TestCerbyOnlyRefusedOnTheReadAPI(t *testing.T) {
	h := &hits{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.record(r) }))
	defer srv.Close()
	c, _ := newTestClient(t, srv, nil)
	for _, m := range cerbyCalls[len(cerbyCalls)-7:] {
		err := m.call(c)
		if !errors.Is(err, ErrNotOffered) || errors.Is(err, ErrNotFound) {
			t.Errorf("%s: %v; want an error matching ErrNotOffered only", m.name, err)
		}
		mustContain(t, m.name, err, "offered by the Cerby API only, not by the Read API")
	}
	if h.total() != 0 {
		t.Errorf("%d requests sent; want none", h.total())
	}
}

func TestCerbyTeams(t *testing.T) {
	s := &cerbyServer{listing: fixedCerbyListing([]string{"t1", "t2", "t3"}), attributes: func(id string) any {
		if id == "t2" {
			return nil
		}
		return map[string]any{"name": "Team " + id, "type": "scim_managed", "workspaceId": "w1", "vaultId": 7,
			"createdAt": "2024-07-09T02:30:46+00:00", "updatedAt": "2024-01-04T15:36:54"}
	}}
	c, _ := newCerbyClient(t, s, func(o *Options) { o.PageSize = 2 })
	teams, truncated, err := c.ListTeams(bg, 0)
	if err != nil || truncated {
		t.Fatal(err, truncated)
	}
	full := Team{Name: strPtr("Team t1"), Type: strPtr("scim_managed"), WorkspaceID: strPtr("w1"),
		CreatedAt: strPtr("2024-07-09T02:30:46+00:00"), UpdatedAt: strPtr("2024-01-04T15:36:54")} // vaultId 7: null
	want := []Team{full, {ID: "t2"}, full}
	want[0].ID, want[2].ID, want[2].Name = "t1", "t3", strPtr("Team t3")
	if !reflect.DeepEqual(teams, want) {
		t.Errorf("teams:\n got %s\nwant %s", dump(teams), dump(want))
	}
	if got := pageNumbers(&s.hits); !reflect.DeepEqual(sortedCopy(got), []int{1, 2}) {
		t.Errorf("pages %v; want 1 and 2", got)
	}
	teams, truncated, err = c.ListTeams(bg, 2)
	if err != nil || !truncated || len(teams) != 2 {
		t.Errorf("max 2: %d teams, truncated %v, %v; want 2, true", len(teams), truncated, err)
	}
}

func TestCerbyGetTeam(t *testing.T) {
	c := routes{"/api/v1/teams/t1": {200, `{"data":{"id":"t1","type":"team","attributes":{"name":"Ops","type":"user_managed"}}}`}}.serve(t, &hits{})
	team, err := c.GetTeam(bg, "t1")
	if err != nil || team.ID != "t1" || *team.Name != "Ops" || *team.Type != "user_managed" {
		t.Fatalf("%s, %v", dump(team), err)
	}
	if _, err := c.GetTeam(bg, "gone"); !errors.Is(err, ErrNotFound) {
		t.Errorf("a missing team: %v; want ErrNotFound", err)
	}
}

// A team member is attributes.memberId, else attributes.member_id, else the
// resource's id (C23); repeats are one member.
func TestCerbyTeamMemberIDs(t *testing.T) {
	body := `{"data":[
	  {"id":"tm1","type":"team_member","attributes":{"memberId":"u1","member_id":"x","role":"admin"}},
	  {"id":"tm2","attributes":{"member_id":"u2","memberType":"user"}},
	  {"id":"u3","attributes":{"role":"member"}},
	  {"id":"u4","attributes":{"memberId":""}},
	  {"id":"u5","attributes":null},
	  {"id":"tm6","attributes":{"memberId":7,"member_id":"u6"}},
	  {"id":"tm7","attributes":{"memberId":"u1"}}],"links":{"next":null}}`
	c := routes{"/api/v1/teams/t1/members": {200, body}}.serve(t, &hits{})
	ids, err := c.ListTeamMemberIDs(bg, "t1")
	if want := []string{"u1", "u2", "u3", "u4", "u5", "u6"}; err != nil || !reflect.DeepEqual(ids, want) {
		t.Errorf("members %v, %v; want %v", ids, err, want)
	}
	empty, err := routes{"/api/v1/teams/t1/members": {200, `{"data":[],"links":{"next":null}}`}}.serve(t, &hits{}).ListTeamMemberIDs(bg, "t1")
	if err != nil || empty == nil || len(empty) != 0 {
		t.Errorf("an empty team: %#v, %v; want an empty list, not nil", empty, err)
	}
}

func TestCerbyTeamAccountIDs(t *testing.T) {
	s := &cerbyServer{listing: fixedCerbyListing([]string{"a1", "a2", "a3"})}
	c, _ := newCerbyClient(t, s, func(o *Options) { o.PageSize = 2 })
	ids, err := c.ListTeamAccountIDs(bg, "t 1")
	if want := []string{"a1", "a2", "a3"}; err != nil || !reflect.DeepEqual(ids, want) {
		t.Errorf("accounts %v, %v; want %v", ids, err, want)
	}
	if uri := s.uris[0]; !strings.HasPrefix(uri, "/api/v1/teams/t%201/accounts?") {
		t.Errorf("requested %s", uri)
	}
}

// A 404 or 405 from a listing only release notes announce is told apart by
// reading what it belongs to.
func TestCerbyUncertainListings(t *testing.T) {
	const notFound, notAllowed = `{"errors":[{"status":404,"title":"Not found"}]}`, `{"errors":[{"status":"405","title":"Method not allowed"}]}`
	team := `{"data":{"id":"t1","attributes":{"name":"Ops"}}}`
	integration := `{"data":{"id":"i1","type":"account","attributes":{"label":"YouTube"}}}`
	calls := map[string]struct {
		listing, parent, parentBody, note string
		call                              func(*Client) error
	}{
		"team members": {"/api/v1/teams/t1/members", "/api/v1/teams/t1", team, "does not offer a team's members",
			func(c *Client) error { _, err := c.ListTeamMemberIDs(bg, "t1"); return err }},
		"team accounts": {"/api/v1/teams/t1/accounts", "/api/v1/teams/t1", team, "does not offer a team's accounts",
			func(c *Client) error { _, err := c.ListTeamAccountIDs(bg, "t1"); return err }},
		"seats": {"/api/v1/integrations/i1/users", "/api/v1/integrations/i1", integration, "does not offer its users at /users",
			func(c *Client) error { _, _, err := c.ListIntegrationUsers(bg, "i1", 0); return err }},
	}
	for name, tt := range calls {
		for status, body := range map[int]string{404: notFound, 405: notAllowed} {
			h := &hits{}
			err := tt.call(routes{tt.listing: {status, body}, tt.parent: {200, tt.parentBody}}.serve(t, h))
			if !errors.Is(err, ErrNotOffered) || errors.Is(err, ErrNotFound) {
				t.Errorf("%s %d, parent there: %v; want ErrNotOffered only", name, status, err)
			}
			mustContain(t, name, err, tt.note)
			if h.count(tt.parent) != 1 {
				t.Errorf("%s %d: the parent was read %d times; want once", name, status, h.count(tt.parent))
			}
			err = tt.call(routes{tt.listing: {status, body}}.serve(t, &hits{}))
			if !errors.Is(err, ErrNotFound) || errors.Is(err, ErrNotOffered) {
				t.Errorf("%s %d, parent gone: %v; want ErrNotFound only", name, status, err)
			}
		}
		h := &hits{}
		err := tt.call(routes{tt.listing: {500, `{}`}, tt.parent: {200, tt.parentBody}}.serve(t, h))
		if err == nil || errors.Is(err, ErrNotOffered) || h.count(tt.parent) != 0 {
			t.Errorf("%s 500: %v, parent read %d times; want the 500 itself, no parent read", name, err, h.count(tt.parent))
		}
	}
}

func TestCerbyVaults(t *testing.T) {
	body := `{"data":[{"id":"v1","type":"vault","attributes":{"name":"Main","scheme":"kms_byo","state":"enabled","createdByType":"system",
	  "createdBy":"u1","workspaceId":"w1","createdAt":"2025-05-08T19:01:04.984000+00:00","updatedAt":"2026-01-02T04:21:22.158Z"}},
	  {"id":"v2","attributes":{"scheme":"local_encryption_key"}}],"links":{"next":null},"meta":{"page":{"total":2}}}`
	vaults, truncated, err := routes{"/api/v1/vaults": {200, body}}.serve(t, &hits{}).ListVaults(bg, 0)
	want := []Vault{
		{ID: "v1", Name: strPtr("Main"), Scheme: strPtr("kms_byo"), State: strPtr("enabled"), CreatedByType: strPtr("system"),
			CreatedBy: strPtr("u1"), WorkspaceID: strPtr("w1"), CreatedAt: strPtr("2025-05-08T19:01:04.984000+00:00"), UpdatedAt: strPtr("2026-01-02T04:21:22.158Z")},
		{ID: "v2", Scheme: strPtr("local_encryption_key")},
	}
	if err != nil || truncated || !reflect.DeepEqual(vaults, want) {
		t.Errorf("vaults %s, %v, %v;\nwant %s", dump(vaults), truncated, err, dump(want))
	}
	_, _, err = routes{"/api/v1/vaults": {200, `{"data":[{"id":"v1","attributes":{"scheme":3}}]}`}}.serve(t, &hits{}).ListVaults(bg, 0)
	mustContain(t, "a numeric scheme", err, "GET /api/v1/vaults: item 1 of the response: id v1")
}

func TestCerbyIntegrations(t *testing.T) {
	body := `{"data":[{"id":"i1","type":"account","attributes":{"label":"YouTube","application":"youtube_tenant","workspace":"acme",
	  "createdAt":"c","createdBy":"u1","updatedAt":"u"}},{"id":"i2","attributes":{"createdBy":{"id":"u2","email":"e"}}}],"links":{"next":null}}`
	integrations, _, err := routes{"/api/v1/integrations": {200, body}}.serve(t, &hits{}).ListIntegrations(bg, 0)
	want := []Integration{
		{ID: "i1", Label: strPtr("YouTube"), Application: strPtr("youtube_tenant"), Workspace: strPtr("acme"), CreatedAt: strPtr("c"), CreatedBy: strPtr("u1"), UpdatedAt: strPtr("u")},
		{ID: "i2", CreatedBy: strPtr("u2")},
	}
	if err != nil || !reflect.DeepEqual(integrations, want) {
		t.Errorf("integrations %s, %v;\nwant %s", dump(integrations), err, dump(want))
	}
}

// Entitlements come as resources, flat objects or bare keys (C24); a seat's
// dynamic fields are its resource meta's, compacted.
func TestCerbyIntegrationUsers(t *testing.T) {
	body := `{"data":[
	  {"id":"u1","type":"user","attributes":{"firstName":"Ann","lastName":"Lee","email":"ann@x","status":"live","isGuest":false,
	    "role":"owner","createdAt":"c","updatedAt":"u","entitlements":[
	      {"id":"VIEWER_LIMITED","type":"entitlement","attributes":{"group":"primary","label":"YOUTUBE_TENANT_VIEWER_DESC","value":"v"}},
	      {"key":"EDITOR","label":"","group":"secondary","value":3},
	      "MANAGER", null, {"key":"K","value":true}, {"key":"N","value":null}]},
	   "meta":{"dynamicFields": { "channel" : "main", "seats": 2, "ok": true }}},
	  {"id":"u2","attributes":{"role":"collaborator","createdAt":5},"meta":{"other":1}},
	  {"id":"u3","attributes":{"entitlements":[]},"meta":[1]}],"links":{"next":null}}`
	c := routes{"/api/v1/integrations/i1/users": {200, body}}.serve(t, &hits{})
	log := &capturingLogger{}
	c.log = log
	seats, truncated, err := c.ListIntegrationUsers(bg, "i1", 0)
	if err != nil || truncated {
		t.Fatal(err, truncated)
	}
	want := []IntegrationUser{
		{ID: "u1", FirstName: strPtr("Ann"), LastName: strPtr("Lee"), Email: strPtr("ann@x"), Status: strPtr("live"), IsGuest: boolPtr(false),
			Role: strPtr("owner"), CreatedAt: strPtr("c"), UpdatedAt: strPtr("u"), Entitlements: []Entitlement{
				{Key: strPtr("VIEWER_LIMITED"), Label: strPtr("YOUTUBE_TENANT_VIEWER_DESC"), Group: strPtr("primary"), Value: strPtr("v")},
				{Key: strPtr("EDITOR"), Label: strPtr(""), Group: strPtr("secondary"), Value: strPtr("3")},
				{Key: strPtr("MANAGER")}, {}, {Key: strPtr("K"), Value: strPtr("true")}, {Key: strPtr("N")},
			}, DynamicFields: `{"channel":"main","seats":2,"ok":true}`},
		{ID: "u2", Role: strPtr("collaborator")}, // createdAt 5: null, with a warning
		{ID: "u3", Entitlements: []Entitlement{}},
	}
	if !reflect.DeepEqual(seats, want) {
		t.Errorf("seats:\n got %s\nwant %s", dump(seats), dump(want))
	}
	logged := log.all()
	for _, w := range []string{"item 2 (id u2): attribute createdAt is a number", "item 3 (id u3): the resource's meta is a list, not an object"} {
		if !strings.Contains(logged, w) {
			t.Errorf("warnings %q lack %q", logged, w)
		}
	}
	for _, bad := range []string{`{"entitlements":[7]}`, `{"entitlements":[{"key":1}]}`, `{"entitlements":"x"}`, `{"entitlements":[{"attributes":[]}]}`} {
		_, _, err := routes{"/api/v1/integrations/i1/users": {200, `{"data":[{"id":"u1","attributes":` + bad + `}]}`}}.serve(t, &hits{}).ListIntegrationUsers(bg, "i1", 0)
		mustContain(t, bad, err, "GET /api/v1/integrations/i1/users: item 1 of the response: id u1")
	}
}

func TestListUsersAsksForTheMFAStatusOnlyWhenTold(t *testing.T) {
	for _, api := range []API{CerbyAPI, ReadAPI} {
		for _, include := range []bool{false, true} {
			h := &hits{}
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				h.record(r)
				_, _ = w.Write([]byte(`{"data":[],"Resources":[],"totalResults":0,"links":{"next":null}}`))
			}))
			c, _ := newTestClient(t, srv, func(o *Options) { o.API = api })
			_, _, err := c.ListUsers(bg, UserFilter{IncludeMFAStatus: include})
			srv.Close()
			asked := len(h.uris) == 1 && strings.Contains(h.uris[0], "mfaStatus=true")
			if err != nil || asked != (include && api == CerbyAPI) {
				t.Errorf("%s, include %v: requests %v, %v", api, include, h.uris, err)
			}
		}
	}
}
