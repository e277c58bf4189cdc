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

// Workspace is the data a Server serves: accounts and members as raw API
// objects, and which member reaches which account.
type Workspace struct {
	Accounts []Object            `json:"accounts"`
	Members  []Object            `json:"members"`
	Access   map[string][]string `json:"access"`
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
