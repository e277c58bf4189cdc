package cerbysim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"slices"
)

// Keys that only drive filters; see the package comment.
const (
	KeyAppID         = "appId"
	KeyCollectionIDs = "collectionIds"
	KeyTeamIDs       = "teamIds"
	KeyOnlyInIdp     = "onlyInIdp"
)

// Workspace is the data a Server serves: accounts and members as raw Read
// API objects, which member reaches which account, and what the Cerby API
// serves beyond what it maps from those objects.
type Workspace struct {
	Accounts []Object            `json:"accounts"`
	Members  []Object            `json:"members"`
	Access   map[string][]string `json:"access"`
	// CerbyAPI is optional; without it the Cerby API serves only what it maps
	// from the Read API objects.
	CerbyAPI *CerbyAPIData `json:"cerbyApi,omitempty"`
	// Teams, Vaults and Integrations are served by the Cerby API alone, as
	// written (see the package comment); the Read API has no such endpoints.
	Teams        []Team          `json:"teams,omitempty"`
	Vaults       []CerbyResource `json:"vaults,omitempty"`
	Integrations []Integration   `json:"integrations,omitempty"`
}

// CerbyResource is a resource only the Cerby API serves, written as served:
// {"id", "attributes"}, the attributes in their order and exactly as written
// (nulls, unknown keys, timestamps of any shape, entitlements of any shape),
// less those named in Omit. Its resource type is the endpoint's.
type CerbyResource struct {
	ID         string   `json:"id"`
	Attributes Object   `json:"attributes"`
	Omit       []string `json:"omit,omitempty"`
}

// Team is a team (resource type "team") with what its two sub-listings
// serve: Members on /teams/{id}/members, Accounts (account ids, served as
// /accounts serves them) on /teams/{id}/accounts.
type Team struct {
	CerbyResource
	// MemberIDAs is where the members' user ids are served, for the members
	// that do not say: one of TeamMemberIDShapes, "" for TeamMemberIDCamel.
	MemberIDAs string       `json:"memberIdAs,omitempty"`
	Members    []TeamMember `json:"members,omitempty"`
	Accounts   []string     `json:"accounts,omitempty"`
}

// TeamMember is one item of a team's members listing, a "team_member"
// resource. ID is the workspace member's id, served where MemberIDAs says:
// attributes.memberId (with memberType "user"), attributes.member_id (with
// member_type "user"), or as the resource id alone. In the first two shapes
// the resource id is MembershipID, "<team id>:<member id>" when empty.
// Role ("admin" or "member") is left out when empty; Omit leaves out any of
// the attributes.
type TeamMember struct {
	ID           string   `json:"id"`
	Role         string   `json:"role,omitempty"`
	MembershipID string   `json:"membershipId,omitempty"`
	MemberIDAs   string   `json:"memberIdAs,omitempty"`
	Omit         []string `json:"omit,omitempty"`
}

// Where a team member's user id is served; see TeamMember.
const (
	TeamMemberIDCamel      = "memberId"  // attributes.memberId and memberType, the default
	TeamMemberIDSnake      = "member_id" // attributes.member_id and member_type, as POST /teams/{id}/members spells them
	TeamMemberIDResourceID = "id"        // the resource id only
)

// TeamMemberIDShapes lists the valid memberIdAs values; "" is the first.
var TeamMemberIDShapes = []string{TeamMemberIDCamel, TeamMemberIDSnake, TeamMemberIDResourceID}

// Integration is a business hub integration (resource type "account") and
// its seats, served on /integrations/{id}/users.
type Integration struct {
	CerbyResource
	Users []IntegrationUser `json:"users,omitempty"`
}

// IntegrationUser is one seat (resource type "user"): its attributes as
// written, entitlements included in whichever shape they are written, and
// Meta, the resource-level meta ({"dynamicFields": {…}}), served as written
// when present.
type IntegrationUser struct {
	CerbyResource
	Meta json.RawMessage `json:"meta,omitempty"`
}

// CerbyAPIData holds, by account or member id, what only the Cerby API
// serves, so the Read API objects, and so its answers, stay as they are.
type CerbyAPIData struct {
	Accounts map[string]CerbyExtras `json:"accounts,omitempty"`
	Members  map[string]CerbyExtras `json:"members,omitempty"`
}

// CerbyExtras changes one object's Cerby API attributes: Attributes are
// added to those mapped from the Read API object (replacing one of the same
// name), then the attributes named in Omit are left out. A member's
// "mfaStatus" attribute here is served only when a request asks for it
// (mfaStatus=true); otherwise mfaStatus is null.
type CerbyExtras struct {
	Attributes Object   `json:"attributes"`
	Omit       []string `json:"omit,omitempty"`
}

// LoadWorkspace reads a workspace file (format in the package comment).
func LoadWorkspace(path string) (*Workspace, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	ws, err := ParseWorkspace(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return ws, nil
}

// ParseWorkspace decodes and checks a workspace document.
func ParseWorkspace(data []byte) (*Workspace, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var ws Workspace
	if err := dec.Decode(&ws); err != nil {
		return nil, fmt.Errorf("invalid workspace JSON (want {\"accounts\":[…],\"members\":[…],\"access\":{…}}): %w", err)
	}
	if err := ws.Validate(); err != nil {
		return nil, err
	}
	return &ws, nil
}

// WriteFile saves the workspace in the format LoadWorkspace reads.
func (w *Workspace) WriteFile(path string) error {
	data, err := json.MarshalIndent(w, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644) //nolint:gosec // a file of made-up data the user edits, not a secret
}

// Validate checks that every object has a unique string id, that access
// names only known members and accounts, and the teams, vaults and
// integrations likewise.
func (w *Workspace) Validate() error {
	accounts, err := indexIDs("accounts", w.Accounts, objectID)
	if err != nil {
		return err
	}
	members, err := indexIDs("members", w.Members, objectID)
	if err != nil {
		return err
	}
	for memberID, accountIDs := range w.Access {
		if !members[memberID] {
			return fmt.Errorf("access: %q is not the id of a member", memberID)
		}
		for _, id := range accountIDs {
			if !accounts[id] {
				return fmt.Errorf("access[%q]: %q is not the id of an account", memberID, id)
			}
		}
	}
	if err := w.validateCerbyResources(accounts, members); err != nil {
		return err
	}
	if w.CerbyAPI == nil {
		return nil
	}
	for id := range w.CerbyAPI.Accounts {
		if !accounts[id] {
			return fmt.Errorf("cerbyApi.accounts: %q is not the id of an account", id)
		}
	}
	for id := range w.CerbyAPI.Members {
		if !members[id] {
			return fmt.Errorf("cerbyApi.members: %q is not the id of a member", id)
		}
	}
	return nil
}

// validateCerbyResources checks the teams, vaults and integrations: unique
// ids in each list (and among an integration's seats), team members and
// accounts that exist, known memberIdAs values.
func (w *Workspace) validateCerbyResources(accounts, members map[string]bool) error {
	if _, err := indexIDs("vaults", w.Vaults, resourceID); err != nil {
		return err
	}
	if _, err := indexIDs("teams", w.Teams, teamID); err != nil {
		return err
	}
	for i, team := range w.Teams {
		if err := checkMemberIDAs(fmt.Sprintf("teams[%d]", i), team.MemberIDAs); err != nil {
			return err
		}
		for k, m := range team.Members {
			where := fmt.Sprintf("teams[%d].members[%d]", i, k)
			if !members[m.ID] {
				return fmt.Errorf("%s: %q is not the id of a member", where, m.ID)
			}
			if err := checkMemberIDAs(where, m.MemberIDAs); err != nil {
				return err
			}
		}
		for _, id := range team.Accounts {
			if !accounts[id] {
				return fmt.Errorf("teams[%d].accounts: %q is not the id of an account", i, id)
			}
		}
	}
	if _, err := indexIDs("integrations", w.Integrations, integrationID); err != nil {
		return err
	}
	for i, n := range w.Integrations {
		if _, err := indexIDs(fmt.Sprintf("integrations[%d].users", i), n.Users, seatID); err != nil {
			return err
		}
	}
	return nil
}

func checkMemberIDAs(where, as string) error {
	if as != "" && !slices.Contains(TeamMemberIDShapes, as) {
		return fmt.Errorf("%s: memberIdAs must be one of %q, got %q", where, TeamMemberIDShapes, as)
	}
	return nil
}

// indexIDs checks the items' ids are non-empty and unique, and returns
// them as a set.
func indexIDs[T any](list string, items []T, idOf func(*T) string) (map[string]bool, error) {
	seen := make(map[string]bool, len(items))
	for i := range items {
		id := idOf(&items[i])
		if id == "" {
			return nil, fmt.Errorf("%s[%d]: \"id\" must be a non-empty string", list, i)
		}
		if seen[id] {
			return nil, fmt.Errorf("%s[%d]: duplicate id %q", list, i, id)
		}
		seen[id] = true
	}
	return seen, nil
}

func objectID(o *Object) string { return o.String("id") }

func resourceID(r *CerbyResource) string  { return r.ID }
func teamID(t *Team) string               { return t.ID }
func integrationID(n *Integration) string { return n.ID }
func seatID(u *IntegrationUser) string    { return u.ID }

// AccountIDs lists account ids in serving order.
func (w *Workspace) AccountIDs() []string { return idsOf(w.Accounts) }

// MemberIDs lists member ids in serving order.
func (w *Workspace) MemberIDs() []string { return idsOf(w.Members) }

// AccountsOf lists the ids of the accounts a member reaches.
func (w *Workspace) AccountsOf(memberID string) []string {
	return append([]string(nil), w.Access[memberID]...)
}

// Account returns the account with the given id, or nil.
func (w *Workspace) Account(id string) *Object { return findByID(w.Accounts, id) }

// Member returns the member with the given id, or nil.
func (w *Workspace) Member(id string) *Object { return findByID(w.Members, id) }

// CerbyAPIAccount returns the attributes the Cerby API serves for an
// account, in order; false when there is no such account.
func (w *Workspace) CerbyAPIAccount(id string) (Object, bool) {
	o := w.Account(id)
	if o == nil {
		return Object{}, false
	}
	return cerbyAccountAttributes(o, w.cerbyExtras(false, id)), true
}

// CerbyAPIUser returns the attributes the Cerby API serves for a member,
// with mfaStatus filled as for a request with mfaStatus=true when withMFA
// is set; false when there is no such member.
func (w *Workspace) CerbyAPIUser(id string, withMFA bool) (Object, bool) {
	o := w.Member(id)
	if o == nil {
		return Object{}, false
	}
	return cerbyUserAttributes(o, w.cerbyExtras(true, id), withMFA), true
}

func (w *Workspace) cerbyExtras(member bool, id string) *CerbyExtras {
	if w.CerbyAPI == nil {
		return nil
	}
	extras, ok := w.CerbyAPI.Accounts[id]
	if member {
		extras, ok = w.CerbyAPI.Members[id]
	}
	if !ok {
		return nil
	}
	return &extras
}

func idsOf(objects []Object) []string {
	ids := make([]string, len(objects))
	for i := range objects {
		ids[i] = objects[i].String("id")
	}
	return ids
}

func findByID(objects []Object, id string) *Object {
	for i := range objects {
		if objects[i].String("id") == id {
			return &objects[i]
		}
	}
	return nil
}
