package client

import (
	"encoding/json"
	"errors"
	"fmt"
)

// The Cerby API's JSON:API documents (contract/cerby-api.md §3, C9–C12):
// data is a list of {id, type, attributes}, or one of them; the resource
// type is never read; every attribute is optional and unknown ones are
// ignored; values are kept as sent.

// cerbyDocument is an answer as encoding/json reads it.
type cerbyDocument struct {
	Data   json.RawMessage `json:"data"`
	Links  *cerbyLinks     `json:"links"`
	Meta   *cerbyMeta      `json:"meta"`
	Errors json.RawMessage `json:"errors"`
}

type cerbyLinks struct {
	Next json.RawMessage `json:"next"`
}

type cerbyMeta struct {
	Page *struct {
		Total json.RawMessage `json:"total"`
	} `json:"page"`
}

type cerbyResource struct {
	ID         json.RawMessage `json:"id"`
	Attributes json.RawMessage `json:"attributes"`
}

// cerbyAccountAttributes are an account's attributes, named as the Cerby API
// names them (§5.1).
type cerbyAccountAttributes struct {
	Label              *string    `json:"label"`
	Application        *string    `json:"application"`
	Workspace          *string    `json:"workspace"`
	CreatedAt          *string    `json:"createdAt"`
	CreatedBy          *CreatedBy `json:"createdBy"`
	CreatedByEmail     *string    `json:"createdByEmail"`
	UpdatedAt          *string    `json:"updatedAt"`
	LastLoginDate      *string    `json:"lastLoginDate"`
	LastLoginBy        *string    `json:"lastLoginBy"`
	LastPasswordChange *string    `json:"lastPasswordChange"`
	MfaEnabled         *bool      `json:"mfaEnabled"`
	MfaTypes           []string   `json:"mfaTypes"`
	HasBackupCode      *bool      `json:"hasBackupCode"`
	HasPasskey         *bool      `json:"hasPasskey"`
	HasTotp            *bool      `json:"hasTotp"`
	CerbyManagedEmail  *bool      `json:"cerbyManagedEmail"`
	CerbyManagedPhone  *bool      `json:"cerbyManagedPhone"`
	BusinessID         *string    `json:"businessId"`
	AutofillMfa        *bool      `json:"autofillMfa"`
	PasswordSet        *bool      `json:"passwordSet"`
	PasswordVisible    *bool      `json:"passwordVisible"`
	Email              *string    `json:"email"`
	Phone              *string    `json:"phone"`
	URL                *string    `json:"url"`
	Domain             *string    `json:"domain"`
	Status             *string    `json:"status"`
	RotatedBy          *string    `json:"rotatedBy"`
	RotatedByID        *string    `json:"rotatedById"`
	RotatedAt          *string    `json:"rotatedAt"`
	SyncedAt           *string    `json:"syncedAt"`
	AvatarURL          *string    `json:"avatarUrl"`
	Meta               RawJSON    `json:"meta"`
}

// cerbyUserAttributes are a member's attributes (§5.2); mfaStatus is not
// asked for.
type cerbyUserAttributes struct {
	FirstName    *string `json:"firstName"`
	LastName     *string `json:"lastName"`
	Email        *string `json:"email"`
	Status       *string `json:"status"`
	Role         *string `json:"role"`
	IsGuest      *bool   `json:"isGuest"`
	CreatedAt    *string `json:"createdAt"`
	UpdatedAt    *string `json:"updatedAt"`
	LastActivity *string `json:"lastActivity"`
}

func decodeCerbyAccount(id string, attrs []byte) (Account, error) {
	var a cerbyAccountAttributes
	if err := decodeAttributes(attrs, &a); err != nil {
		return Account{}, err
	}
	creator := a.CreatedBy
	if a.CreatedByEmail != nil {
		if creator == nil {
			creator = &CreatedBy{}
		}
		if creator.Email == nil {
			creator.Email = a.CreatedByEmail
		}
	}
	return Account{
		ID: id, Name: a.Label, Provider: a.Application, Workspace: a.Workspace,
		CreatedAt: a.CreatedAt, CreatedBy: creator, UpdatedAt: a.UpdatedAt,
		LastLoginDate: a.LastLoginDate, LastLoginUserName: a.LastLoginBy, LastPasswordChange: a.LastPasswordChange,
		MfaEnabled: a.MfaEnabled, MfaTypes: a.MfaTypes, HasBackupCode: a.HasBackupCode, HasPasskey: a.HasPasskey,
		HasTotpVirtualDevice: a.HasTotp, IsEmailManaged: a.CerbyManagedEmail, IsPhoneManaged: a.CerbyManagedPhone,
		BusinessID: a.BusinessID, AutofillMfa: a.AutofillMfa, PasswordSet: a.PasswordSet, PasswordVisible: a.PasswordVisible,
		Email: a.Email, Phone: a.Phone, URL: a.URL, Domain: a.Domain, Status: a.Status,
		RotatedBy: a.RotatedBy, RotatedByID: a.RotatedByID, RotatedAt: a.RotatedAt, SyncedAt: a.SyncedAt,
		AvatarURL: a.AvatarURL, Meta: a.Meta,
	}, nil
}

func decodeCerbyMember(id string, attrs []byte) (Member, error) {
	var u cerbyUserAttributes
	if err := decodeAttributes(attrs, &u); err != nil {
		return Member{}, err
	}
	return Member{
		ID: id, FirstName: u.FirstName, LastName: u.LastName, Email: u.Email, Status: u.Status, Role: u.Role,
		IsGuest: u.IsGuest, CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt, LastActivity: u.LastActivity,
	}, nil
}

// decodeAttributes: missing or null attributes leave everything null; any
// other value that is not an object is an error.
func decodeAttributes(attrs []byte, into any) error {
	if len(attrs) == 0 || string(attrs) == "null" {
		return nil
	}
	if attrs[0] != '{' {
		return fmt.Errorf("attributes is not an object (it starts with %q)", truncate(string(attrs), 20))
	}
	return json.Unmarshal(attrs, into)
}

// decodeCerbyList reads one page of a listing: data is a list, or one
// resource (a page of one); null is an empty page.
func decodeCerbyList[T identified](endpoint, body string, decode func(id string, attrs []byte) (T, error)) (page[T], error) {
	doc, err := decodeCerbyDocument(endpoint, body)
	if err != nil {
		return page[T]{}, err
	}
	var resources []cerbyResource
	switch {
	case string(doc.Data) == "null":
	case doc.Data[0] == '{':
		resources = make([]cerbyResource, 1)
		err = json.Unmarshal(doc.Data, &resources[0])
	case doc.Data[0] == '[':
		err = json.Unmarshal(doc.Data, &resources)
	default:
		err = fmt.Errorf("data is neither a list nor an object (it starts with %q)", truncate(string(doc.Data), 20))
	}
	if err != nil {
		return page[T]{}, fmt.Errorf("%s: decoding the response: %w", endpoint, err)
	}
	pg := page[T]{items: make([]T, len(resources))}
	for i, r := range resources {
		if pg.items[i], err = decodeResource(r, decode); err != nil {
			return page[T]{}, fmt.Errorf("%s: item %d of the response: %w", endpoint, i+1, err)
		}
	}
	if doc.Meta != nil && doc.Meta.Page != nil {
		pg.total = totalResults(doc.Meta.Page.Total)
	}
	if doc.Links != nil {
		pg.links.present = true
		if pg.links.next, err = linkText(doc.Links.Next); err != nil {
			return page[T]{}, fmt.Errorf("%s: links.next: %w", endpoint, err)
		}
	}
	return pg, nil
}

// decodeCerbyOne reads one resource by id; a list of exactly one is
// tolerated.
func decodeCerbyOne[T identified](endpoint, body, what string, decode func(id string, attrs []byte) (T, error)) (*T, error) {
	pg, err := decodeCerbyList(endpoint, body, decode)
	if err != nil {
		return nil, err
	}
	if len(pg.items) != 1 {
		return nil, fmt.Errorf("%s: the response holds %d resources, expected one %s", endpoint, len(pg.items), what)
	}
	return &pg.items[0], nil
}

func decodeCerbyDocument(endpoint, body string) (cerbyDocument, error) {
	text, err := jsonBody(endpoint, []byte(body))
	if err != nil {
		return cerbyDocument{}, err
	}
	var doc cerbyDocument
	if text[0] != '{' || json.Unmarshal(text, &doc) != nil {
		return doc, fmt.Errorf("%s: the response is not a JSON:API document: expected an object with a data key, got %q", endpoint, truncate(cleanText(string(text)), 40))
	}
	if doc.Data == nil {
		if msg := jsonMessage(text); msg != "" {
			return doc, fmt.Errorf("%s: the response holds errors and no data: %s", endpoint, truncate(msg, maxMessageRunes))
		}
		return doc, fmt.Errorf("%s: the response has no data key, so it holds no resources", endpoint)
	}
	return doc, nil
}

func decodeResource[T identified](r cerbyResource, decode func(id string, attrs []byte) (T, error)) (T, error) {
	var id string
	if json.Unmarshal(r.ID, &id) != nil || id == "" {
		var zero T
		return zero, errors.New("it has no id (a non-empty string), so it cannot be told apart from the others")
	}
	item, err := decode(id, r.Attributes)
	if err != nil {
		return item, fmt.Errorf("id %s: %w", truncate(cleanText(id), 60), err)
	}
	return item, nil
}

// linkText is a link as a string or a JSON:API link object's href; null is
// no link.
func linkText(raw json.RawMessage) (string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return "", nil
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s, nil
	}
	var obj struct {
		Href *string `json:"href"`
	}
	if json.Unmarshal(raw, &obj) == nil && obj.Href != nil {
		return *obj.Href, nil
	}
	return "", fmt.Errorf("expected a URL string, got %q", truncate(string(raw), 40))
}
