package client

import (
	"reflect"
	"strings"
)

// The Cerby API's usual listing pages, read by pageDecoder in a single pass
// into exactly what decodeAnyCerbyList makes of them with encoding/json (the
// tests and FuzzCerbyUsualPageMatchesEncodingJSON hold the two equal on
// every page this reader accepts). Like decodeUsualList, it gives a page up
// to decodeAnyCerbyList whenever it cannot read it exactly as that does:
// besides what pageDecoder gives up on (non-ASCII keys, invalid UTF-8 in a
// string, deep nesting), a repeated envelope key, an errors key, a links.next
// that is not a string or null, a resource that is not an object with a
// non-empty string id, attributes that are not an object or null or come
// twice, and any attribute of another type than its field, including the
// third-party ones decodeAttributes leaves null with a warning: every page
// this reader accepts has no warnings.

// The json names of the Cerby API's structs, case-folded, for keys that
// match no field exactly.
var (
	cerbyDocumentTags  = foldedTags(jsonTags[cerbyDocument]())
	cerbyLinksTags     = foldedTags(jsonTags[cerbyLinks]())
	cerbyMetaTags      = foldedTags(jsonTags[cerbyMeta]())
	cerbyPageTags      = foldedTags([]string{"total"}) // cerbyMeta.Page
	cerbyResourceTags  = foldedTags(jsonTags[cerbyResource]())
	cerbyAccountTags   = foldedTags(jsonTags[cerbyAccountAttributes]())
	cerbyUserTags      = foldedTags(jsonTags[cerbyUserAttributes]())
	cerbyMFAStatusTags = foldedTags(jsonTags[cerbyMFAStatus]())
)

// usualCerbyDecoders are the resource decoders this reader reads as; a page
// for any other decoder is left to decodeAnyCerbyList.
var usualCerbyDecoders = [...]uintptr{
	reflect.ValueOf(decodeCerbyAccount).Pointer(),
	reflect.ValueOf(decodeCerbyMember).Pointer(),
}

// decodeUsualCerbyList reads a usual Cerby API listing page as
// decodeAnyCerbyList does with decode, or reports false.
func decodeUsualCerbyList[T identified](body string, decode resourceDecoder[T]) (page[T], bool) {
	if fn := reflect.ValueOf(decode).Pointer(); fn != usualCerbyDecoders[0] && fn != usualCerbyDecoders[1] {
		return page[T]{}, false
	}
	text := strings.TrimSpace(strings.TrimPrefix(body, "\uFEFF"))
	if len(text) == 0 || text[0] != '{' {
		return page[T]{}, false
	}
	d := pageDecoder{text: text} // the items' strings share this one string
	var doc cerbyReader[T]
	if !d.readObject(func(key string) bool { return doc.field(&d, key) }) || d.pos != len(d.text) || doc.seen&cerbyData == 0 {
		return page[T]{}, false
	}
	return doc.pg, true
}

// Bits of cerbyReader.seen: the envelope keys read so far.
const (
	cerbyData uint8 = 1 << iota
	cerbyLinksKey
	cerbyNext
	cerbyMetaKey
	cerbyPageKey
	cerbyTotal
)

// cerbyReader is what the envelope has given so far.
type cerbyReader[T identified] struct {
	pg   page[T]
	seen uint8
}

// once marks bit as read, and reports false if it already was: encoding/json
// keeps the last of a repeated RawMessage and merges repeated objects, which
// is not usual.
func (r *cerbyReader[T]) once(bit uint8) bool {
	if r.seen&bit != 0 {
		return false
	}
	r.seen |= bit
	return true
}

func (r *cerbyReader[T]) field(d *pageDecoder, key string) bool {
	switch key {
	case "data":
		if !r.once(cerbyData) {
			return false
		}
		var ok bool
		r.pg.items, ok = readCerbyData[T](d)
		return ok
	case "links":
		if !r.once(cerbyLinksKey) {
			return false
		}
		if d.literal("null") {
			return true
		}
		r.pg.links.present = true
		return d.readObject(func(key string) bool { return r.linksField(d, key) })
	case "meta":
		if !r.once(cerbyMetaKey) {
			return false
		}
		return d.literal("null") || d.readObject(func(key string) bool { return r.metaField(d, key) })
	case "errors":
		// Beside data, errors are not read; but a page with both is not usual.
		return false
	}
	return d.otherKey(key, cerbyDocumentTags, func(tag string) bool { return r.field(d, tag) })
}

// linksField reads links.next as linkText does, when it is a string or null.
func (r *cerbyReader[T]) linksField(d *pageDecoder, key string) bool {
	if key != "next" {
		return d.otherKey(key, cerbyLinksTags, func(tag string) bool { return r.linksField(d, tag) })
	}
	if !r.once(cerbyNext) {
		return false
	}
	if d.literal("null") {
		r.pg.links.next = ""
		return true
	}
	var ok bool
	r.pg.links.next, ok = d.readString() // an href object is not usual
	return ok
}

func (r *cerbyReader[T]) metaField(d *pageDecoder, key string) bool {
	if key != "page" {
		return d.otherKey(key, cerbyMetaTags, func(tag string) bool { return r.metaField(d, tag) })
	}
	if !r.once(cerbyPageKey) {
		return false
	}
	return d.literal("null") || d.readObject(func(key string) bool { return r.pageField(d, key) })
}

func (r *cerbyReader[T]) pageField(d *pageDecoder, key string) bool {
	if key != "total" {
		return d.otherKey(key, cerbyPageTags, func(tag string) bool { return r.pageField(d, tag) })
	}
	if !r.once(cerbyTotal) {
		return false
	}
	raw, ok := d.readRaw()
	r.pg.total = totalResults([]byte(raw))
	return ok
}

// readCerbyData reads data: a list of resources, one resource (a page of
// one) or null (an empty page); an empty page is [], not nil, as
// decodeAnyCerbyList makes it.
func readCerbyData[T identified](d *pageDecoder) ([]T, bool) {
	switch {
	case d.literal("null"):
		return []T{}, true
	case d.at('{'):
		items := make([]T, 1)
		return items, readCerbyResource(d, &items[0])
	}
	items, start := []T{}, d.pos
	ok := d.readArray(func() bool {
		if n := len(items); n > 0 && n == cap(items) {
			// As readList grows its items.
			grown := make([]T, n, n+roomFor(n, d.pos-start, len(d.text)-d.pos))
			items = grown[:copy(grown, items)]
		}
		items = append(items, *new(T))
		return readCerbyResource(d, &items[len(items)-1])
	})
	return items, ok
}

// cerbyResourceReader is what a resource has given so far.
type cerbyResourceReader struct {
	id         string
	attributes bool // the attributes key was read
}

// readCerbyResource reads one resource, which must be an object (a null one
// has no id) with a non-empty string id, as decodeResource requires.
func readCerbyResource[T identified](d *pageDecoder, item *T) bool {
	var r cerbyResourceReader
	if !d.readObject(func(key string) bool { return cerbyResourceField(d, &r, item, key) }) || r.id == "" {
		return false
	}
	switch item := any(item).(type) {
	case *Account:
		item.ID = r.id
	case *Member:
		item.ID = r.id
	}
	return true
}

func cerbyResourceField[T identified](d *pageDecoder, r *cerbyResourceReader, item *T, key string) bool {
	switch key {
	case "id":
		// Of a repeated id, the last counts, as in encoding/json; a null one
		// is no id, which decodeResource refuses.
		var ok bool
		r.id, ok = d.readString()
		return ok
	case "type":
		return d.skipValue() // never read (C9); otherKey would skip it too
	case "attributes":
		// encoding/json keeps the last of repeated attributes: not usual.
		if r.attributes {
			return false
		}
		r.attributes = true
		return d.literal("null") || readCerbyAttributes(d, item)
	}
	return d.otherKey(key, cerbyResourceTags, func(tag string) bool { return cerbyResourceField(d, r, item, tag) })
}

// readCerbyAttributes reads an attributes object into item, mapped as
// decodeCerbyAccount and decodeCerbyMember map it.
func readCerbyAttributes[T identified](d *pageDecoder, item *T) bool {
	switch item := any(item).(type) {
	case *Account:
		var creatorEmail *string
		if !d.readObject(func(key string) bool { return d.cerbyAccountKey(item, &creatorEmail, key) }) {
			return false
		}
		if creatorEmail != nil {
			if item.CreatedBy == nil {
				item.CreatedBy = d.newCreator()
			}
			if item.CreatedBy.Email == nil {
				item.CreatedBy.Email = creatorEmail
			}
		}
		return true
	case *Member:
		return d.readObject(func(key string) bool { return d.cerbyUserKey(item, key) })
	}
	return false
}

// cerbyAccountKey reads the attribute key into its field of a, as
// decodeCerbyAccount maps cerbyAccountAttributes; createdByEmail goes to
// *creatorEmail, for after the last attribute.
func (d *pageDecoder) cerbyAccountKey(a *Account, creatorEmail **string, key string) bool {
	switch key {
	case "label":
		return d.readStringPtr(&a.Name)
	case "application":
		return d.readStringPtr(&a.Provider)
	case "workspace":
		return d.readStringPtr(&a.Workspace)
	case "createdAt":
		return d.readStringPtr(&a.CreatedAt)
	case "createdBy":
		return d.readCreatedBy(&a.CreatedBy)
	case "createdByEmail":
		return d.readStringPtr(creatorEmail)
	case "updatedAt":
		return d.readStringPtr(&a.UpdatedAt)
	case "lastLoginDate":
		return d.readStringPtr(&a.LastLoginDate)
	case "lastLoginBy":
		return d.readStringPtr(&a.LastLoginUserName)
	case "lastPasswordChange":
		return d.readStringPtr(&a.LastPasswordChange)
	case "mfaEnabled":
		return d.readBoolPtr(&a.MfaEnabled)
	case "mfaTypes":
		return d.readStrings(&a.MfaTypes)
	case "hasBackupCode":
		return d.readBoolPtr(&a.HasBackupCode)
	case "hasPasskey":
		return d.readBoolPtr(&a.HasPasskey)
	case "hasTotp":
		return d.readBoolPtr(&a.HasTotpVirtualDevice)
	case "cerbyManagedEmail":
		return d.readBoolPtr(&a.IsEmailManaged)
	case "cerbyManagedPhone":
		return d.readBoolPtr(&a.IsPhoneManaged)
	case "businessId":
		return d.readStringPtr(&a.BusinessID)
	case "autofillMfa":
		return d.readBoolPtr(&a.AutofillMfa)
	case "passwordSet":
		return d.readBoolPtr(&a.PasswordSet)
	case "passwordVisible":
		return d.readBoolPtr(&a.PasswordVisible)
	case "email":
		return d.readStringPtr(&a.Email)
	case "phone":
		return d.readStringPtr(&a.Phone)
	case "url":
		return d.readStringPtr(&a.URL)
	case "domain":
		return d.readStringPtr(&a.Domain)
	case "status":
		return d.readStringPtr(&a.Status)
	case "rotatedBy":
		return d.readStringPtr(&a.RotatedBy)
	case "rotatedById":
		return d.readStringPtr(&a.RotatedByID)
	case "rotatedAt":
		return d.readStringPtr(&a.RotatedAt)
	case "syncedAt":
		return d.readStringPtr(&a.SyncedAt)
	case "avatarUrl":
		return d.readStringPtr(&a.AvatarURL)
	case "meta":
		return d.readRawJSON(&a.Meta)
	}
	return d.otherKey(key, cerbyAccountTags, func(tag string) bool { return d.cerbyAccountKey(a, creatorEmail, tag) })
}

// cerbyUserKey reads the attribute key into its field of m, as
// decodeCerbyMember maps cerbyUserAttributes.
func (d *pageDecoder) cerbyUserKey(m *Member, key string) bool {
	switch key {
	case "firstName":
		return d.readStringPtr(&m.FirstName)
	case "lastName":
		return d.readStringPtr(&m.LastName)
	case "email":
		return d.readStringPtr(&m.Email)
	case "status":
		return d.readStringPtr(&m.Status)
	case "role":
		return d.readStringPtr(&m.Role)
	case "isGuest":
		return d.readBoolPtr(&m.IsGuest)
	case "createdAt":
		return d.readStringPtr(&m.CreatedAt)
	case "updatedAt":
		return d.readStringPtr(&m.UpdatedAt)
	case "lastActivity":
		return d.readStringPtr(&m.LastActivity)
	case "mfaStatus":
		return d.readMFAStatus(m)
	}
	return d.otherKey(key, cerbyUserTags, func(tag string) bool { return d.cerbyUserKey(m, tag) })
}

// readMFAStatus reads mfaStatus into m's two fields. Like encoding/json
// into a struct pointer, null clears both, and an object (even a repeated
// one) sets only the keys it has.
func (d *pageDecoder) readMFAStatus(m *Member) bool {
	if d.literal("null") {
		m.MfaEnabled, m.MfaEnrollmentDate = nil, nil
		return true
	}
	return d.readObject(func(key string) bool { return d.mfaStatusKey(m, key) })
}

func (d *pageDecoder) mfaStatusKey(m *Member, key string) bool {
	switch key {
	case "mfaEnabled":
		return d.readBoolPtr(&m.MfaEnabled)
	case "mfaEnrollmentDate":
		return d.readStringPtr(&m.MfaEnrollmentDate)
	}
	return d.otherKey(key, cerbyMFAStatusTags, func(tag string) bool { return d.mfaStatusKey(m, tag) })
}
