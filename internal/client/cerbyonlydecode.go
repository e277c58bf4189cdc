package client

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Decoders of what only the Cerby API offers (contract/cerby-api.md §4),
// read by decodeAnyCerbyList as every resource is: attributes optional,
// unknown ones ignored, values kept as sent.

type cerbyTeamAttributes struct {
	Name        *string `json:"name"`
	Type        *string `json:"type"`
	WorkspaceID *string `json:"workspaceId"`
	VaultID     *string `json:"vaultId"`
	CreatedAt   *string `json:"createdAt"`
	UpdatedAt   *string `json:"updatedAt"`
}

func decodeCerbyTeam(id string, attrs []byte) (Team, []string, error) {
	var t cerbyTeamAttributes
	// vaultId is in the 2025 OpenAPI file only: of another type, null.
	warnings, err := decodeAttributes(attrs, &t, []string{"vaultId"})
	return Team{ID: id, Name: t.Name, Type: t.Type, WorkspaceID: t.WorkspaceID, VaultID: t.VaultID, CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt}, warnings, err
}

// cerbyTeamMemberAttributes: the members listing has no published schema.
// Adding a member sends member_id, so the member is attributes.memberId,
// else attributes.member_id, else the resource's id (C23).
type cerbyTeamMemberAttributes struct {
	MemberID      *string `json:"memberId"`
	SnakeMemberID *string `json:"member_id"`
}

func decodeCerbyTeamMember(id string, attrs []byte) (teamMember, []string, error) {
	var m cerbyTeamMemberAttributes
	warnings, err := decodeAttributes(attrs, &m, []string{"memberId", "member_id"})
	switch {
	case m.MemberID != nil && *m.MemberID != "":
		id = *m.MemberID
	case m.SnakeMemberID != nil && *m.SnakeMemberID != "":
		id = *m.SnakeMemberID
	}
	return teamMember{userID: id}, warnings, err
}

type cerbyVaultAttributes struct {
	Name          *string `json:"name"`
	Scheme        *string `json:"scheme"`
	State         *string `json:"state"`
	CreatedByType *string `json:"createdByType"`
	CreatedBy     *string `json:"createdBy"`
	WorkspaceID   *string `json:"workspaceId"`
	CreatedAt     *string `json:"createdAt"`
	UpdatedAt     *string `json:"updatedAt"`
}

func decodeCerbyVault(id string, attrs []byte) (Vault, []string, error) {
	var v cerbyVaultAttributes
	_, err := decodeAttributes(attrs, &v, nil)
	return Vault{
		ID: id, Name: v.Name, Scheme: v.Scheme, State: v.State, CreatedByType: v.CreatedByType, CreatedBy: v.CreatedBy,
		WorkspaceID: v.WorkspaceID, CreatedAt: v.CreatedAt, UpdatedAt: v.UpdatedAt,
	}, nil, err
}

type cerbyIntegrationAttributes struct {
	Label       *string    `json:"label"`
	Application *string    `json:"application"`
	Workspace   *string    `json:"workspace"`
	CreatedAt   *string    `json:"createdAt"`
	CreatedBy   *CreatedBy `json:"createdBy"`
	UpdatedAt   *string    `json:"updatedAt"`
}

// decodeCerbyIntegration: an integration is account-like, and its creator
// is read as an account's is (a string id, or an object with an id).
func decodeCerbyIntegration(id string, attrs []byte) (Integration, []string, error) {
	var a cerbyIntegrationAttributes
	_, err := decodeAttributes(attrs, &a, nil)
	var creator *string
	if a.CreatedBy != nil {
		creator = a.CreatedBy.ID
	}
	return Integration{ID: id, Label: a.Label, Application: a.Application, Workspace: a.Workspace, CreatedAt: a.CreatedAt, CreatedBy: creator, UpdatedAt: a.UpdatedAt}, nil, err
}

type cerbyIntegrationUserAttributes struct {
	FirstName    *string       `json:"firstName"`
	LastName     *string       `json:"lastName"`
	Email        *string       `json:"email"`
	Status       *string       `json:"status"`
	IsGuest      *bool         `json:"isGuest"`
	Role         *string       `json:"role"`
	CreatedAt    *string       `json:"createdAt"`
	UpdatedAt    *string       `json:"updatedAt"`
	Entitlements []Entitlement `json:"entitlements"`
}

func decodeCerbyIntegrationUser(id string, attrs []byte) (IntegrationUser, []string, error) {
	var u cerbyIntegrationUserAttributes
	// createdAt and updatedAt are in the 2025 OpenAPI file only.
	warnings, err := decodeAttributes(attrs, &u, []string{"createdAt", "updatedAt"})
	return IntegrationUser{
		ID: id, FirstName: u.FirstName, LastName: u.LastName, Email: u.Email, Status: u.Status, IsGuest: u.IsGuest,
		Role: u.Role, CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt, Entitlements: u.Entitlements,
	}, warnings, err
}

// readResourceMeta keeps meta.dynamicFields, the app's own fields, as sent
// (compacted); a meta that is not an object leaves them null with a warning.
func (u *IntegrationUser) readResourceMeta(meta []byte) []string {
	if len(meta) == 0 || string(meta) == "null" {
		return nil
	}
	var m struct {
		DynamicFields json.RawMessage `json:"dynamicFields"`
	}
	if meta[0] != '{' || json.Unmarshal(meta, &m) != nil {
		return []string{fmt.Sprintf("the resource's meta is %s, not an object; dynamic fields are left null", jsonKind(meta))}
	}
	if len(m.DynamicFields) == 0 || string(m.DynamicFields) == "null" {
		return nil
	}
	var compact bytes.Buffer
	if json.Compact(&compact, m.DynamicFields) == nil { // valid: encoding/json read it
		u.DynamicFields = RawJSON(compact.String())
	}
	return nil
}

// resourceMetaReader is an item that keeps what its resource-level meta
// holds: only a seat has one (§2).
type resourceMetaReader interface {
	readResourceMeta(meta []byte) (warnings []string)
}

// UnmarshalJSON reads an entitlement as a JSON:API resource (its
// attributes, the id standing for a missing key), a flat object, or a bare
// string, its key (the 2025 OpenAPI file) (C24). A value that is not a
// string is kept as its JSON text.
func (e *Entitlement) UnmarshalJSON(data []byte) error {
	*e = Entitlement{}
	text := bytes.TrimSpace(data)
	switch {
	case string(text) == "null":
		return nil
	case text[0] == '"':
		var key string
		if err := json.Unmarshal(text, &key); err != nil {
			return err
		}
		e.Key = &key
		return nil
	case text[0] != '{':
		return fmt.Errorf("an entitlement is an object or a string, not %s", jsonKind(text))
	}
	var wire struct {
		ID         *string          `json:"id"`
		Attributes *json.RawMessage `json:"attributes"`
		entitlementFields
	}
	if err := json.Unmarshal(text, &wire); err != nil {
		return err
	}
	fields := wire.entitlementFields
	if wire.Attributes != nil && string(*wire.Attributes) != "null" {
		fields = entitlementFields{}
		if err := json.Unmarshal(*wire.Attributes, &fields); err != nil {
			return fmt.Errorf("entitlement attributes: %w", err)
		}
	}
	e.Key, e.Label, e.Group = fields.Key, fields.Label, fields.Group
	if e.Key == nil {
		e.Key = wire.ID // id equals key (§4)
	}
	if v := bytes.TrimSpace(fields.Value); len(v) > 0 && string(v) != "null" {
		value := string(v)
		if v[0] == '"' {
			if err := json.Unmarshal(v, &value); err != nil {
				return err
			}
		}
		e.Value = &value
	}
	return nil
}

type entitlementFields struct {
	Key   *string         `json:"key"`
	Label *string         `json:"label"`
	Group *string         `json:"group"`
	Value json.RawMessage `json:"value"`
}
