package client

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Account is one account (an "item") as either API returns it, in the Read
// API's terms (the Cerby API's names are mapped by its decoder). Every field
// is a pointer or RawJSON so that a missing or null field stays distinguishable
// from a zero value. Timestamps are kept as the strings the API sent.
type Account struct {
	ID                       string                 `json:"id"`
	Name                     *string                `json:"name"`
	Username                 *string                `json:"username"`
	Provider                 *string                `json:"provider"`
	VaultID                  *string                `json:"vaultId"`
	IdekID                   *string                `json:"idekID"`
	Permissions              RawJSON                `json:"permissions"`
	Workspace                *string                `json:"workspace"`
	MfaEnabled               *bool                  `json:"mfaEnabled"`
	AutofillMfa              *bool                  `json:"autofillMfa"`
	PasswordSet              *bool                  `json:"passwordSet"`
	PasswordVisible          *bool                  `json:"passwordVisible"`
	CreatedBy                *CreatedBy             `json:"createdBy"`
	CreatedAt                *string                `json:"createdAt"`
	UpdatedAt                *string                `json:"updatedAt"`
	Role                     *string                `json:"role"`
	AvatarURL                *string                `json:"avatar_url"`
	Email                    *string                `json:"email"`
	Type                     *string                `json:"type"`
	URL                      *string                `json:"url"`
	Domain                   *string                `json:"domain"`
	Meta                     RawJSON                `json:"meta"`
	Status                   *string                `json:"status"`
	Phone                    *string                `json:"phone"`
	RotatedBy                *string                `json:"rotatedBy"`
	RotatedAt                *string                `json:"rotatedAt"`
	SyncedAt                 *string                `json:"syncedAt"`
	HasBackupCode            *bool                  `json:"hasBackupCode"`
	RotatedByID              *string                `json:"rotatedById"`
	Domains                  RawJSON                `json:"domains"`
	LastLoginDate            *string                `json:"lastLoginDate"`
	LastLoginUserName        *string                `json:"lastLoginUserName"`
	IsEmailManaged           *bool                  `json:"isEmailManaged"`
	IsPhoneManaged           *bool                  `json:"isPhoneManaged"`
	OriginalEmail            *string                `json:"originalEmail"`
	OriginalPhone            *string                `json:"originalPhone"`
	BusinessID               *string                `json:"businessId"`
	MfaTypes                 []string               `json:"mfaTypes"`
	RotatedByUser            *string                `json:"rotatedByUser"`
	HasTotpVirtualDevice     *bool                  `json:"hasTotpVirtualDevice"`
	WorkspacePolicyResult    *WorkspacePolicyResult `json:"workspacePolicyResult"`
	WorkspacePolicyCheckDate *string                `json:"workspacePolicyCheckDate"`

	// Sent by the Cerby API only; the Read API decoders never fill them.
	HasPasskey         *bool   `json:"-"`
	LastPasswordChange *string `json:"-"`
}

func (a Account) itemID() string { return a.ID }

// WorkspacePolicyResult uses snake_case keys on the wire, unlike the rest.
type WorkspacePolicyResult struct {
	MfaValidation    *bool `json:"mfa_validation"`
	PasswordRotation *bool `json:"password_rotation"`
}

// CreatedBy is the account creator, sent either as a bare id string or as a
// user object. Raw keeps exactly what the API sent.
type CreatedBy struct {
	ID    *string
	Email *string
	Raw   RawJSON
}

// UnmarshalJSON accepts a string id, an object with id/email, or null.
func (c *CreatedBy) UnmarshalJSON(data []byte) error {
	trimmed := bytes.TrimSpace(data)
	*c = CreatedBy{Raw: RawJSON(trimmed)}
	switch {
	case len(trimmed) == 0 || bytes.Equal(trimmed, []byte("null")):
		*c = CreatedBy{}
		return nil
	case trimmed[0] == '"':
		var id string
		if err := json.Unmarshal(trimmed, &id); err != nil {
			return err
		}
		c.ID = &id
		return nil
	case trimmed[0] == '{':
		var obj struct {
			ID    *string `json:"id"`
			Email *string `json:"email"`
		}
		if err := json.Unmarshal(trimmed, &obj); err != nil {
			return err
		}
		c.ID, c.Email = obj.ID, obj.Email
		return nil
	default:
		return fmt.Errorf("createdBy: expected a string id or an object, got %.40s", trimmed)
	}
}

// Member is one workspace member from /v1/admin/users.
type Member struct {
	ID           string  `json:"id"`
	FirstName    *string `json:"firstName"`
	LastName     *string `json:"lastName"`
	Email        *string `json:"email"`
	Status       *string `json:"status"`
	Role         *string `json:"role"`
	IsGuest      *bool   `json:"isGuest"`
	CreatedAt    *string `json:"createdAt"`
	UpdatedAt    *string `json:"updatedAt"`
	LastActivity *string `json:"lastActivity"`
	Meta         RawJSON `json:"meta"`

	// The Cerby API's mfaStatus, sent only when asked (IncludeMFAStatus).
	MfaEnabled        *bool   `json:"-"`
	MfaEnrollmentDate *string `json:"-"`
}

func (m Member) itemID() string { return m.ID }

// RawJSON is a value's JSON text exactly as the API sent it, "" when absent
// or null (JSON text is never empty; a json.RawMessage would keep a null as
// the literal "null"). It is a string so that the page decoder can keep a
// slice of the page rather than a copy, and the provider can use it as it
// is. It decodes without a method on Account or Member, which would make
// encoding/json scan every item twice.
type RawJSON string

func (r *RawJSON) UnmarshalJSON(data []byte) error {
	if bytes.Equal(data, []byte("null")) {
		*r = ""
		return nil
	}
	*r = RawJSON(data)
	return nil
}

// Team is one of the Cerby API's teams (contract/cerby-api.md §4).
type Team struct {
	ID          string
	Name        *string
	Type        *string // scim_managed or user_managed (attributes.type, not the resource type)
	WorkspaceID *string
	VaultID     *string // documented by the 2025 OpenAPI file only
	CreatedAt   *string
	UpdatedAt   *string
}

func (t Team) itemID() string { return t.ID }

// teamMember is one item of a team's members listing, by the member's id.
type teamMember struct{ userID string }

func (m teamMember) itemID() string { return m.userID }

// Vault is one of the Cerby API's vaults.
type Vault struct {
	ID            string
	Name          *string
	Scheme        *string // local_encryption_key, kms_byo or akv
	State         *string
	CreatedByType *string
	CreatedBy     *string
	WorkspaceID   *string
	CreatedAt     *string
	UpdatedAt     *string
}

func (v Vault) itemID() string { return v.ID }

// Integration is one business hub integration: an account-like resource.
type Integration struct {
	ID          string
	Label       *string
	Application *string
	Workspace   *string
	CreatedAt   *string
	CreatedBy   *string
	UpdatedAt   *string
}

func (i Integration) itemID() string { return i.ID }

// IntegrationUser is one seat of an integration: a member, the member's role
// there and entitlements, and the app's own fields.
type IntegrationUser struct {
	ID           string
	FirstName    *string
	LastName     *string
	Email        *string
	Status       *string
	IsGuest      *bool
	Role         *string // owner or collaborator
	CreatedAt    *string
	UpdatedAt    *string
	Entitlements []Entitlement // nil when absent
	// DynamicFields is the resource's meta.dynamicFields as sent, "" when
	// absent or null.
	DynamicFields RawJSON
}

func (u IntegrationUser) itemID() string { return u.ID }

// Entitlement is one entitlement of a seat.
type Entitlement struct {
	Key   *string
	Label *string
	Group *string
	Value *string // a value that is not a string is kept as its JSON text
}
