package cerbysim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
)

// The resources only the Cerby API serves: teams (with their members and
// accounts), vaults, and integrations (with their seats). They are written
// in the workspace as served, so each is encoded once, when the server is
// made (or when a between-pages fault makes one).

// resourceEntry is one such resource, encoded.
type resourceEntry struct {
	id   string
	body []byte
}

func (e *resourceEntry) key() string     { return e.id }
func (e *resourceEntry) encoded() []byte { return e.body }

// teamEntry is a team with its members (encoded team_member resources) and
// the ids of its accounts.
type teamEntry struct {
	resourceEntry
	memberIDAs string // the shape new members take (Faults.InsertBetweenPages)
	members    collection[*resourceEntry]
	accounts   []string
}

// integrationEntry is an integration with its seats.
type integrationEntry struct {
	resourceEntry
	users collection[*resourceEntry]
}

// Resource types as the Cerby API spells them; an integration is an
// "account", and its seats are "user"s.
const (
	typeTeam        = "team"
	typeTeamMember  = "team_member"
	typeVault       = "vault"
	typeIntegration = "account"
	typeSeat        = "user"
)

// servedAttributes are a resource's attributes less those it omits.
func servedAttributes(attrs Object, omit []string) Object {
	served := Object{Fields: append([]Field(nil), attrs.Fields...)}
	for _, key := range omit {
		served.Delete(key)
	}
	return served
}

func newResourceEntry(r CerbyResource, resourceType string, meta json.RawMessage) *resourceEntry {
	var compact bytes.Buffer
	if json.Compact(&compact, meta) == nil {
		meta = compact.Bytes()
	}
	return &resourceEntry{id: r.ID, body: cerbyResource(r.ID, resourceType, servedAttributes(r.Attributes, r.Omit), meta)}
}

func newTeamEntry(t *Team) *teamEntry {
	e := &teamEntry{
		resourceEntry: *newResourceEntry(t.CerbyResource, typeTeam, nil),
		memberIDAs:    t.MemberIDAs,
		members:       collection[*resourceEntry]{byID: make(map[string]*resourceEntry, len(t.Members))},
		accounts:      append([]string(nil), t.Accounts...),
	}
	for _, m := range t.Members {
		e.members.add(teamMemberEntry(t.ID, t.MemberIDAs, m))
	}
	return e
}

// teamMemberEntry encodes a team member in its shape (TeamMember).
func teamMemberEntry(teamID, teamShape string, m TeamMember) *resourceEntry {
	shape := m.MemberIDAs
	if shape == "" {
		shape = teamShape
	}
	id := m.MembershipID
	if id == "" {
		id = teamID + ":" + m.ID
	}
	var b builder
	switch shape {
	case TeamMemberIDSnake:
		b.add("member_id", m.ID)
		b.add("member_type", "user")
	case TeamMemberIDResourceID:
		id = m.ID
	default:
		b.add("memberId", m.ID)
		b.add("memberType", "user")
	}
	if m.Role != "" {
		b.add("role", m.Role)
	}
	return &resourceEntry{id: id, body: cerbyResource(id, typeTeamMember, servedAttributes(b.Object, m.Omit), nil)}
}

func newIntegrationEntry(n *Integration) *integrationEntry {
	e := &integrationEntry{
		resourceEntry: *newResourceEntry(n.CerbyResource, typeIntegration, nil),
		users:         collection[*resourceEntry]{byID: make(map[string]*resourceEntry, len(n.Users))},
	}
	for _, u := range n.Users {
		e.users.add(newResourceEntry(u.CerbyResource, typeSeat, u.Meta))
	}
	return e
}

// addCerbyResources puts the workspace's teams, vaults and integrations in
// the state.
func (st *state) addCerbyResources(ws *Workspace) {
	st.teams = collection[*teamEntry]{byID: make(map[string]*teamEntry, len(ws.Teams))}
	st.vaults = collection[*resourceEntry]{byID: make(map[string]*resourceEntry, len(ws.Vaults))}
	st.integrations = collection[*integrationEntry]{byID: make(map[string]*integrationEntry, len(ws.Integrations))}
	for i := range ws.Teams {
		st.teams.add(newTeamEntry(&ws.Teams[i]))
	}
	for _, v := range ws.Vaults {
		st.vaults.add(newResourceEntry(v, typeVault, nil))
	}
	for i := range ws.Integrations {
		st.integrations.add(newIntegrationEntry(&ws.Integrations[i]))
	}
}

// listOf reads a collection of the state: the slice is replaced, never
// written, by a change, so it may be read after the lock is released.
func listOf[T entry](st *state, c *collection[T]) func() []T {
	return func() []T {
		st.mu.RLock()
		defer st.mu.RUnlock()
		return c.list
	}
}

// changeOf is the between-pages faults' change of a collection of the state,
// newItem making what they insert.
func changeOf[T entry](st *state, c *collection[T], newItem func(n int) T) func(insert, remove int) {
	return func(insert, remove int) {
		st.mu.Lock()
		defer st.mu.Unlock()
		c.change(insert, remove, func() T { return newItem(st.next()) })
	}
}

func lookup[T entry](st *state, c *collection[T], id string) (T, bool) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	e, ok := c.byID[id]
	return e, ok
}

// The items the between-pages faults insert, made by the state's generator.

func (st *state) newTeam(n int) *teamEntry {
	t := st.gen.team(n)
	return newTeamEntry(&t)
}

func (st *state) newVault(n int) *resourceEntry {
	return newResourceEntry(st.gen.vault(n), typeVault, nil)
}

func (st *state) newIntegration(n int) *integrationEntry {
	i := st.gen.integration(n)
	return newIntegrationEntry(&i)
}

func (s *Server) cerbyTeams(w http.ResponseWriter, r *http.Request, q url.Values) {
	st := s.state
	cerbyList(s, w, r, q, cerbyListing[*teamEntry]{
		list: listOf(st, &st.teams), change: changeOf(st, &st.teams, st.newTeam), encode: (*teamEntry).encoded,
	})
}

func (s *Server) cerbyTeam(w http.ResponseWriter, id string) {
	team, ok := lookup(s.state, &s.state.teams, id)
	if !ok {
		s.cerbyNotFound(w, "Team", id)
		return
	}
	writeCerbyData(w, team.body)
}

// cerbyTeamMembers serves a team's members; CerbyAPIOptions.TeamMembers can
// take the endpoint away.
func (s *Server) cerbyTeamMembers(w http.ResponseWriter, r *http.Request, q url.Values, id string) {
	if !s.offered(w, r, s.cfg.CerbyAPI.TeamMembers) {
		return
	}
	team, ok := lookup(s.state, &s.state.teams, id)
	if !ok {
		s.cerbyNotFound(w, "Team", id)
		return
	}
	st := s.state
	cerbyList(s, w, r, q, cerbyListing[*resourceEntry]{
		list: listOf(st, &team.members),
		change: changeOf(st, &team.members, func(int) *resourceEntry {
			return teamMemberEntry(team.id, team.memberIDAs, TeamMember{ID: st.gen.uuid(), Role: "member"})
		}),
		encode: (*resourceEntry).encoded,
	})
}

// cerbyTeamAccounts serves a team's accounts like /accounts, filters
// included, as a member's are; CerbyAPIOptions.TeamAccounts can take the
// endpoint away.
func (s *Server) cerbyTeamAccounts(w http.ResponseWriter, r *http.Request, q url.Values, id string) {
	if !s.offered(w, r, s.cfg.CerbyAPI.TeamAccounts) {
		return
	}
	team, ok := lookup(s.state, &s.state.teams, id)
	if !ok {
		s.cerbyNotFound(w, "Team", id)
		return
	}
	s.cerbyListAccounts(w, r, q, func() []*accountEntry { return s.state.accountsByID(team.accounts) }, false)
}

func (s *Server) cerbyVaults(w http.ResponseWriter, r *http.Request, q url.Values) {
	st := s.state
	cerbyList(s, w, r, q, cerbyListing[*resourceEntry]{
		list: listOf(st, &st.vaults), change: changeOf(st, &st.vaults, st.newVault), encode: (*resourceEntry).encoded,
	})
}

func (s *Server) cerbyIntegrations(w http.ResponseWriter, r *http.Request, q url.Values) {
	st := s.state
	cerbyList(s, w, r, q, cerbyListing[*integrationEntry]{
		list: listOf(st, &st.integrations), change: changeOf(st, &st.integrations, st.newIntegration), encode: (*integrationEntry).encoded,
	})
}

func (s *Server) cerbyIntegration(w http.ResponseWriter, id string) {
	n, ok := lookup(s.state, &s.state.integrations, id)
	if !ok {
		s.cerbyNotFound(w, "Integration", id)
		return
	}
	writeCerbyData(w, n.body)
}

// cerbyIntegrationUsers serves an integration's seats;
// CerbyAPIOptions.IntegrationUsers can take the endpoint away.
func (s *Server) cerbyIntegrationUsers(w http.ResponseWriter, r *http.Request, q url.Values, id string) {
	if !s.offered(w, r, s.cfg.CerbyAPI.IntegrationUsers) {
		return
	}
	n, ok := lookup(s.state, &s.state.integrations, id)
	if !ok {
		s.cerbyNotFound(w, "Integration", id)
		return
	}
	st := s.state
	cerbyList(s, w, r, q, cerbyListing[*resourceEntry]{
		list: listOf(st, &n.users),
		change: changeOf(st, &n.users, func(k int) *resourceEntry {
			u := st.gen.seat(k)
			return newResourceEntry(u.CerbyResource, typeSeat, u.Meta)
		}),
		encode: (*resourceEntry).encoded,
	})
}

// offered answers a listing the workspace's API does not offer, as mode
// says, and reports whether it is offered.
func (s *Server) offered(w http.ResponseWriter, r *http.Request, mode ListingMode) bool {
	switch mode {
	case ListingNotFound:
		s.cerbyNoEndpoint(w, r)
		return false
	case ListingNotAllowed:
		w.Header().Set("Allow", http.MethodPost)
		s.fail(w, cerbyAPI, apiError{status: http.StatusMethodNotAllowed, detail: fmt.Sprintf("Method GET is not allowed at %s.", r.URL.Path)})
		return false
	}
	return true
}

// cerbyNotFound answers 404 for an id the endpoint does not know.
func (s *Server) cerbyNotFound(w http.ResponseWriter, what, id string) {
	s.fail(w, cerbyAPI, apiError{status: http.StatusNotFound, code: "not_found", detail: fmt.Sprintf("%s %s not found.", what, id)})
}
