package client

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
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
	Meta       json.RawMessage `json:"meta"` // read by a resourceMetaReader only
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

// cerbyUserAttributes are a member's attributes (§5.2); mfaStatus is null
// unless asked for.
type cerbyUserAttributes struct {
	FirstName    *string         `json:"firstName"`
	LastName     *string         `json:"lastName"`
	Email        *string         `json:"email"`
	Status       *string         `json:"status"`
	Role         *string         `json:"role"`
	IsGuest      *bool           `json:"isGuest"`
	CreatedAt    *string         `json:"createdAt"`
	UpdatedAt    *string         `json:"updatedAt"`
	LastActivity *string         `json:"lastActivity"`
	MfaStatus    *cerbyMFAStatus `json:"mfaStatus"`
}

type cerbyMFAStatus struct {
	MfaEnabled        *bool   `json:"mfaEnabled"`
	MfaEnrollmentDate *string `json:"mfaEnrollmentDate"`
}

// cerbyThirdPartyAccountKeys are the account attributes only a third party
// reports, with types assumed from the Read API: one of another type is
// left null with a warning instead of failing the read (C10).
var cerbyThirdPartyAccountKeys = []string{
	"createdByEmail", "autofillMfa", "passwordSet", "passwordVisible", "email", "phone", "url", "domain",
	"status", "rotatedBy", "rotatedById", "rotatedAt", "syncedAt", "avatarUrl",
}

func decodeCerbyAccount(id string, attrs []byte) (Account, []string, error) {
	var a cerbyAccountAttributes
	warnings, err := decodeAttributes(attrs, &a, cerbyThirdPartyAccountKeys)
	if err != nil {
		return Account{}, nil, err
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
	}, warnings, nil
}

func decodeCerbyMember(id string, attrs []byte) (Member, []string, error) {
	var u cerbyUserAttributes
	if _, err := decodeAttributes(attrs, &u, nil); err != nil {
		return Member{}, nil, err
	}
	m := Member{
		ID: id, FirstName: u.FirstName, LastName: u.LastName, Email: u.Email, Status: u.Status, Role: u.Role,
		IsGuest: u.IsGuest, CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt, LastActivity: u.LastActivity,
	}
	if u.MfaStatus != nil {
		m.MfaEnabled, m.MfaEnrollmentDate = u.MfaStatus.MfaEnabled, u.MfaStatus.MfaEnrollmentDate
	}
	return m, nil, nil
}

// decodeAttributes: missing or null attributes leave everything null; any
// other value that is not an object is an error, as is an attribute of the
// wrong type, except one of lenient, which is left null and named in a
// warning.
func decodeAttributes(attrs []byte, into any, lenient []string) (warnings []string, err error) {
	if len(attrs) == 0 || string(attrs) == "null" {
		return nil, nil
	}
	if attrs[0] != '{' {
		return nil, fmt.Errorf("attributes is not an object (it starts with %q)", truncate(string(attrs), 20))
	}
	err = json.Unmarshal(attrs, into)
	var typeErr *json.UnmarshalTypeError
	if !errors.As(err, &typeErr) || !isOneOf(typeErr.Field, lenient) {
		return nil, err
	}
	// Rare: drop every lenient attribute of the wrong type, and read again,
	// strictly for all the others.
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(attrs, &fields); err != nil {
		return nil, err
	}
	target := reflect.ValueOf(into).Elem()
	for key, raw := range fields {
		if !isOneOf(key, lenient) {
			continue
		}
		probe := reflect.New(target.Type()).Interface()
		if json.Unmarshal(encodeFields(map[string]json.RawMessage{key: raw}), probe) != nil {
			warnings = append(warnings, fmt.Sprintf("attribute %s is %s, not of the type the provider expects; it is left null", key, jsonKind(raw)))
			delete(fields, key)
		}
	}
	slices.Sort(warnings)
	target.SetZero()
	return warnings, json.Unmarshal(encodeFields(fields), into)
}

// isOneOf matches a key as encoding/json matches it to a field.
func isOneOf(key string, keys []string) bool {
	return slices.ContainsFunc(keys, func(k string) bool { return strings.EqualFold(k, key) })
}

// encodeFields cannot fail: every value is JSON the decoder already read.
func encodeFields(fields map[string]json.RawMessage) []byte {
	raw, _ := json.Marshal(fields)
	return raw
}

func jsonKind(raw json.RawMessage) string {
	switch text := strings.TrimSpace(string(raw)); {
	case text == "":
		return "empty"
	case text[0] == '{':
		return "an object"
	case text[0] == '[':
		return "a list"
	case text[0] == '"':
		return "a string"
	case text == "true" || text == "false":
		return "a boolean"
	}
	return "a number"
}

// decodeCerbyList reads one page of a listing: data is a list, or one
// resource (a page of one); null is an empty page. The single-pass reader of
// cerbyusualpage.go reads the usual pages; decodeAnyCerbyList reads the
// others, and explains a bad one.
func decodeCerbyList[T identified](endpoint, body string, decode resourceDecoder[T]) (page[T], error) {
	if pg, usual := decodeUsualCerbyList(body, decode); usual {
		return pg, nil
	}
	return decodeAnyCerbyList(endpoint, body, decode)
}

// decodeAnyCerbyList reads any page with encoding/json.
func decodeAnyCerbyList[T identified](endpoint, body string, decode resourceDecoder[T]) (page[T], error) {
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
		var warnings []string
		if pg.items[i], warnings, err = decodeResource(r, decode); err != nil {
			return page[T]{}, fmt.Errorf("%s: item %d of the response: %w", endpoint, i+1, err)
		}
		for _, w := range warnings {
			pg.warnings = append(pg.warnings, fmt.Sprintf("%s: item %d (id %s): %s", endpoint, i+1, truncate(cleanText(pg.items[i].itemID()), 60), w))
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
func decodeCerbyOne[T identified](endpoint, body, what string, decode resourceDecoder[T]) (*T, []string, error) {
	pg, err := decodeCerbyList(endpoint, body, decode)
	if err != nil {
		return nil, nil, err
	}
	if len(pg.items) != 1 {
		return nil, nil, fmt.Errorf("%s: the response holds %d resources, expected one %s", endpoint, len(pg.items), what)
	}
	return &pg.items[0], pg.warnings, nil
}

// resourceDecoder reads one resource's attributes; warnings name attributes
// it left null.
type resourceDecoder[T identified] func(id string, attrs []byte) (item T, warnings []string, err error)

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

func decodeResource[T identified](r cerbyResource, decode resourceDecoder[T]) (T, []string, error) {
	var id string
	if json.Unmarshal(r.ID, &id) != nil || id == "" {
		var zero T
		return zero, nil, errors.New("it has no id (a non-empty string), so it cannot be told apart from the others")
	}
	item, warnings, err := decode(id, r.Attributes)
	if err != nil {
		return item, nil, fmt.Errorf("id %s: %w", truncate(cleanText(id), 60), err)
	}
	if m, ok := any(&item).(resourceMetaReader); ok {
		warnings = append(warnings, m.readResourceMeta(r.Meta)...)
	}
	return item, warnings, nil
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
