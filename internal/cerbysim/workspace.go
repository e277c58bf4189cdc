package cerbysim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
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

// Validate checks that every object has a unique string id and that access
// names only known members and accounts.
func (w *Workspace) Validate() error {
	accounts, err := indexIDs("accounts", w.Accounts)
	if err != nil {
		return err
	}
	members, err := indexIDs("members", w.Members)
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

func indexIDs(list string, objects []Object) (map[string]bool, error) {
	seen := make(map[string]bool, len(objects))
	for i := range objects {
		id := objects[i].String("id")
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
