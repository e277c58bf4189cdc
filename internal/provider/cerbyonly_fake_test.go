package provider_test

import (
	"maps"
	"net/http"
)

// What only the Cerby API serves, as the fake API serves it
// (contract/cerby-api.md §3.1 rows 13, 15, 20-23, §3.2, §4): teams and
// their members and accounts, vaults, integrations and their seats. The
// fixtures are written in the Cerby API's own attribute names.

// cerbyOnlyData is the part of fakeData only the Cerby API serves.
type cerbyOnlyData struct {
	Teams        []fixture            // team resources: id and attributes
	TeamMembers  map[string][]fixture // by team id: team_member resources (memberId, member_id, role)
	TeamAccounts map[string][]fixture // by team id: accounts, in the Read API's form as Accounts
	// NoTeamMembers, NoTeamAccounts (404, 405): a workspace whose API does
	// not offer that team listing.
	NoTeamMembers, NoTeamAccounts int
	Vaults                        []fixture
	Integrations                  []fixture
	Seats                         map[string][]fixture // by integration id: attributes, and the resource's "meta"
	// NoSeats (404, 405): a workspace whose API does not offer the seats.
	NoSeats int
}

// sameNames serves each key under its own name.
func sameNames(keys ...string) map[string]string {
	names := make(map[string]string, len(keys))
	for _, k := range keys {
		names[k] = k
	}
	return names
}

var (
	cerbyTeamAttributes       = sameNames("name", "type", "workspaceId", "vaultId", "createdAt", "updatedAt", "someFieldFromTheFuture")
	cerbyTeamMemberAttributes = sameNames("memberId", "member_id", "memberType", "member_type", "role")
	cerbyVaultAttributes      = sameNames("name", "scheme", "state", "createdByType", "createdBy", "workspaceId", "createdAt", "updatedAt",
		"someFieldFromTheFuture")
	cerbyIntegrationAttributes = sameNames("label", "application", "workspace", "createdAt", "createdBy", "updatedAt", "someFieldFromTheFuture")
	cerbySeatAttributes        = sameNames("firstName", "lastName", "email", "status", "isGuest", "role", "createdAt", "updatedAt", "entitlements",
		"someFieldFromTheFuture")
	cerbyUserAttributesWithMFA = func() map[string]string {
		names := maps.Clone(cerbyUserAttributes)
		names["mfaStatus"] = "mfaStatus"
		return names
	}()
)

func (f *fakeAPI) serveCerbyAPIOnly(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/teams", f.withAPIKey(f.cerbyList(func() []fixture { return f.data.Teams }, "team", cerbyTeamAttributes)))
	mux.HandleFunc("GET /api/v1/teams/{id}", f.withAPIKey(f.cerbyGet(func() []fixture { return f.data.Teams }, "Team", "team", cerbyTeamAttributes)))
	mux.HandleFunc("GET /api/v1/teams/{id}/members", f.withAPIKey(f.cerbyTeamListing(
		func(d *fakeData) (map[string][]fixture, int) { return d.TeamMembers, d.NoTeamMembers }, "team_member", cerbyTeamMemberAttributes)))
	mux.HandleFunc("GET /api/v1/teams/{id}/accounts", f.withAPIKey(f.cerbyTeamListing(
		func(d *fakeData) (map[string][]fixture, int) { return d.TeamAccounts, d.NoTeamAccounts }, "account", cerbyAccountAttributes)))
	mux.HandleFunc("GET /api/v1/vaults", f.withAPIKey(f.cerbyList(func() []fixture { return f.data.Vaults }, "vault", cerbyVaultAttributes)))
	mux.HandleFunc("GET /api/v1/integrations", f.withAPIKey(f.cerbyList(func() []fixture { return f.data.Integrations }, "account", cerbyIntegrationAttributes)))
	mux.HandleFunc("GET /api/v1/integrations/{id}", f.withAPIKey(f.cerbyGet(func() []fixture { return f.data.Integrations }, "Integration", "account", cerbyIntegrationAttributes)))
	mux.HandleFunc("GET /api/v1/integrations/{id}/users", f.withAPIKey(f.cerbySeats))
}

// cerbyList serves a whole listing, paged.
func (f *fakeAPI) cerbyList(items func() []fixture, typ string, names map[string]string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q, number, size, ok := cerbyQuery(w, r, nil, pageParams...)
		if !ok {
			return
		}
		cerbyPage(w, r, q, number, size, items(), typ, names)
	}
}

// find is the fixture of items with this id, or nil.
func find(items []fixture, id string) fixture {
	for _, it := range items {
		if it["id"] == id {
			return it
		}
	}
	return nil
}

// cerbyGet serves one item of a listing by id, or 404.
func (f *fakeAPI) cerbyGet(items func() []fixture, what, typ string, names map[string]string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if _, _, _, ok := cerbyQuery(w, r, nil); !ok {
			return
		}
		it := find(items(), r.PathValue("id"))
		if it == nil {
			cerbyError(w, http.StatusNotFound, what+" "+r.PathValue("id")+" not found.", nil)
			return
		}
		writeJSON(w, http.StatusOK, fixture{"data": cerbyResource(it, typ, names), "links": fixture{"self": r.URL.Path}})
	}
}

// cerbyTeamListing serves one of a team's listings: a 404 for a missing
// team, the configured 404 or 405 where the workspace lacks the listing.
func (f *fakeAPI) cerbyTeamListing(of func(*fakeData) (map[string][]fixture, int), typ string, names map[string]string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		byTeam, lacking := of(&f.data)
		if lacking != 0 {
			cerbyError(w, lacking, "No endpoint GET "+r.URL.Path+".", nil)
			return
		}
		q, number, size, ok := cerbyQuery(w, r, nil, pageParams...)
		if !ok {
			return
		}
		if find(f.data.Teams, r.PathValue("id")) == nil {
			cerbyError(w, http.StatusNotFound, "Team "+r.PathValue("id")+" not found.", nil)
			return
		}
		cerbyPage(w, r, q, number, size, byTeam[r.PathValue("id")], typ, names)
	}
}

// cerbySeats serves an integration's seats, each with its resource-level
// meta (the dynamic fields).
func (f *fakeAPI) cerbySeats(w http.ResponseWriter, r *http.Request) {
	if f.data.NoSeats != 0 {
		cerbyError(w, f.data.NoSeats, "No endpoint GET "+r.URL.Path+".", nil)
		return
	}
	q, number, size, ok := cerbyQuery(w, r, nil, pageParams...)
	if !ok {
		return
	}
	if find(f.data.Integrations, r.PathValue("id")) == nil {
		cerbyError(w, http.StatusNotFound, "Integration "+r.PathValue("id")+" not found.", nil)
		return
	}
	cerbyPageOf(w, r, q, number, size, f.data.Seats[r.PathValue("id")], func(it fixture) any {
		seat := cerbyResource(it, "user", cerbySeatAttributes)
		if meta, ok := it["meta"]; ok {
			seat["meta"] = meta
		}
		return seat
	})
}
