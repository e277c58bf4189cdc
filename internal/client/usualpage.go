package client

import (
	"reflect"
	"slices"
	"strings"
	"unicode/utf8"
)

// The usual page shapes, read by pageDecoder into exactly what the fallback
// decodeAnyList makes of them with encoding/json and the struct tags (the
// tests and a fuzz target hold the two equal on every page the decoder
// accepts), so a page reads the same whichever decoder reads it.

// The json names of the decoded structs, case-folded, for keys that match no
// field exactly.
var (
	envelopeTags = foldedTags(jsonTags[listEnvelope]())
	accountTags  = foldedTags(jsonTags[Account]())
	memberTags   = foldedTags(jsonTags[Member]())
	policyTags   = foldedTags(jsonTags[WorkspacePolicyResult]())
	creatorTags  = foldedTags([]string{"id", "email"}) // CreatedBy.UnmarshalJSON's object
)

// envelope is what readEnvelope finds: the list under each of listKeys (nil
// when absent or null) and the text of totalResults.
type envelope[T identified] struct {
	lists [][]T
	seen  uint // bit i: listKeys[i] was read
	total string
}

func readEnvelope[T identified](d *pageDecoder) (items []T, total *int, ok bool) {
	e := envelope[T]{lists: make([][]T, len(listKeys))}
	if !d.readObject(func(key string) bool { return e.field(d, key) }) {
		return nil, nil, false
	}
	// The first list of listKeys present wins, even an empty one; a null one
	// counts as absent, and a page of null lists is left to the fallback
	// (listEnvelope.list).
	for _, list := range e.lists {
		if list != nil {
			return list, totalResults([]byte(e.total)), true
		}
	}
	return nil, nil, false
}

func (e *envelope[T]) field(d *pageDecoder, key string) bool {
	if key == "totalResults" {
		var ok bool
		e.total, ok = d.readRaw()
		return ok
	}
	i := slices.Index(listKeys, key)
	if i < 0 {
		return d.otherKey(key, envelopeTags, func(tag string) bool { return e.field(d, tag) })
	}
	// encoding/json decodes a repeated list into the first one, merging
	// their items field by field: not usual.
	if e.seen&(1<<i) != 0 {
		return false
	}
	e.seen |= 1 << i
	if d.literal("null") {
		return true
	}
	var ok bool
	e.lists[i], ok = readList[T](d)
	return ok
}

// readList reads an array of items; [] is an empty list, not nil.
func readList[T identified](d *pageDecoder) ([]T, bool) {
	items, start := []T{}, d.pos
	ok := d.readArray(func() bool {
		if n := len(items); n > 0 && n == cap(items) {
			// Not append's growth, which would double the room.
			grown := make([]T, n, n+roomFor(n, d.pos-start, len(d.text)-d.pos))
			items = grown[:copy(grown, items)]
		}
		items = append(items, *new(T))
		return readItem(d, &items[len(items)-1])
	})
	return items, ok
}

// roomFor says how many more items to make room for, when n items took used
// bytes and left bytes remain. Items of a page are much alike, so their
// average length tells, but the guess is bounded by a page or, past a page,
// by n (as append's doubling is).
func roomFor(n, used, left int) int {
	return min(left/max(used/n, 1)+1, max(n, MaxPageSize))
}

// readItem reads one item; null leaves it zero, as in encoding/json.
func readItem[T identified](d *pageDecoder, item *T) bool {
	if d.literal("null") {
		return true
	}
	switch item := any(item).(type) {
	case *Account:
		return d.readObject(func(key string) bool { return d.accountKey(item, key) })
	case *Member:
		return d.readObject(func(key string) bool { return d.memberKey(item, key) })
	}
	return false
}

func (d *pageDecoder) accountKey(a *Account, key string) bool {
	switch key {
	case "id":
		return d.readID(&a.ID)
	case "name":
		return d.readStringPtr(&a.Name)
	case "username":
		return d.readStringPtr(&a.Username)
	case "provider":
		return d.readStringPtr(&a.Provider)
	case "vaultId":
		return d.readStringPtr(&a.VaultID)
	case "idekID":
		return d.readStringPtr(&a.IdekID)
	case "permissions":
		return d.readRawJSON(&a.Permissions)
	case "workspace":
		return d.readStringPtr(&a.Workspace)
	case "mfaEnabled":
		return d.readBoolPtr(&a.MfaEnabled)
	case "autofillMfa":
		return d.readBoolPtr(&a.AutofillMfa)
	case "passwordSet":
		return d.readBoolPtr(&a.PasswordSet)
	case "passwordVisible":
		return d.readBoolPtr(&a.PasswordVisible)
	case "createdBy":
		return d.readCreatedBy(&a.CreatedBy)
	case "createdAt":
		return d.readStringPtr(&a.CreatedAt)
	case "updatedAt":
		return d.readStringPtr(&a.UpdatedAt)
	case "role":
		return d.readStringPtr(&a.Role)
	case "avatar_url":
		return d.readStringPtr(&a.AvatarURL)
	case "email":
		return d.readStringPtr(&a.Email)
	case "type":
		return d.readStringPtr(&a.Type)
	case "url":
		return d.readStringPtr(&a.URL)
	case "domain":
		return d.readStringPtr(&a.Domain)
	case "meta":
		return d.readRawJSON(&a.Meta)
	case "status":
		return d.readStringPtr(&a.Status)
	case "phone":
		return d.readStringPtr(&a.Phone)
	case "rotatedBy":
		return d.readStringPtr(&a.RotatedBy)
	case "rotatedAt":
		return d.readStringPtr(&a.RotatedAt)
	case "syncedAt":
		return d.readStringPtr(&a.SyncedAt)
	case "hasBackupCode":
		return d.readBoolPtr(&a.HasBackupCode)
	case "rotatedById":
		return d.readStringPtr(&a.RotatedByID)
	case "domains":
		return d.readRawJSON(&a.Domains)
	case "lastLoginDate":
		return d.readStringPtr(&a.LastLoginDate)
	case "lastLoginUserName":
		return d.readStringPtr(&a.LastLoginUserName)
	case "isEmailManaged":
		return d.readBoolPtr(&a.IsEmailManaged)
	case "isPhoneManaged":
		return d.readBoolPtr(&a.IsPhoneManaged)
	case "originalEmail":
		return d.readStringPtr(&a.OriginalEmail)
	case "originalPhone":
		return d.readStringPtr(&a.OriginalPhone)
	case "businessId":
		return d.readStringPtr(&a.BusinessID)
	case "mfaTypes":
		return d.readStrings(&a.MfaTypes)
	case "rotatedByUser":
		return d.readStringPtr(&a.RotatedByUser)
	case "hasTotpVirtualDevice":
		return d.readBoolPtr(&a.HasTotpVirtualDevice)
	case "workspacePolicyResult":
		return d.readPolicy(&a.WorkspacePolicyResult)
	case "workspacePolicyCheckDate":
		return d.readStringPtr(&a.WorkspacePolicyCheckDate)
	}
	return d.otherKey(key, accountTags, func(tag string) bool { return d.accountKey(a, tag) })
}

func (d *pageDecoder) memberKey(m *Member, key string) bool {
	switch key {
	case "id":
		return d.readID(&m.ID)
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
	case "meta":
		return d.readRawJSON(&m.Meta)
	}
	return d.otherKey(key, memberTags, func(tag string) bool { return d.memberKey(m, tag) })
}

func (d *pageDecoder) policyKey(p *WorkspacePolicyResult, key string) bool {
	switch key {
	case "mfa_validation":
		return d.readBoolPtr(&p.MfaValidation)
	case "password_rotation":
		return d.readBoolPtr(&p.PasswordRotation)
	}
	return d.otherKey(key, policyTags, func(tag string) bool { return d.policyKey(p, tag) })
}

func (d *pageDecoder) creatorKey(c *CreatedBy, key string) bool {
	switch key {
	case "id":
		return d.readStringPtr(&c.ID)
	case "email":
		return d.readStringPtr(&c.Email)
	}
	return d.otherKey(key, creatorTags, func(tag string) bool { return d.creatorKey(c, tag) })
}

// otherKey reads the value of a key that matched no field exactly:
// encoding/json then matches it case-insensitively, and skips the value of
// any other key. A non-ASCII key is not usual, since Unicode folding could
// match it to a field (ſ to s, the Kelvin sign to k).
func (d *pageDecoder) otherKey(key string, tags map[string]string, field func(tag string) bool) bool {
	tag, found, ascii := foldedTag(tags, key)
	switch {
	case !ascii:
		return false
	case found && tag != key:
		return field(tag)
	}
	return d.skipValue()
}

// readID reads a string into a field that is not a pointer, which null
// leaves as it is.
func (d *pageDecoder) readID(field *string) bool {
	if d.literal("null") {
		return true
	}
	s, ok := d.readString()
	*field = s
	return ok
}

// readStringPtr reads a string, or null as nil.
func (d *pageDecoder) readStringPtr(field **string) bool {
	if d.literal("null") {
		*field = nil
		return true
	}
	s, ok := d.readString()
	*field = d.newString(s)
	return ok
}

// readBoolPtr reads a boolean, or null as nil.
func (d *pageDecoder) readBoolPtr(field **bool) bool {
	switch {
	case d.literal("null"):
		*field = nil
	case d.literal("true"):
		*field = d.newBool(true)
	case d.literal("false"):
		*field = d.newBool(false)
	default:
		return false
	}
	return true
}

// readRawJSON keeps any value's exact text, or null as "".
func (d *pageDecoder) readRawJSON(field *RawJSON) bool {
	if d.literal("null") {
		*field = ""
		return true
	}
	raw, ok := d.readRaw()
	*field = RawJSON(raw)
	return ok
}

// readStrings reads mfaTypes: null is nil, [] an empty list, a null element
// an empty string.
func (d *pageDecoder) readStrings(field *[]string) bool {
	if d.literal("null") {
		*field = nil
		return true
	}
	var buf [8]string
	list, nulls := buf[:0], false
	ok := d.readArray(func() bool {
		if d.literal("null") {
			list, nulls = append(list, ""), true
			return true
		}
		s, ok := d.readString()
		list = append(list, s)
		return ok
	})
	// encoding/json decodes a repeated key into the list already there,
	// where a null element keeps the earlier string: not usual.
	if !ok || nulls && *field != nil {
		return false
	}
	*field = d.copyStrings(list)
	return true
}

// readCreatedBy reads what CreatedBy.UnmarshalJSON accepts: a string id, an
// object with id and email, or null.
func (d *pageDecoder) readCreatedBy(field **CreatedBy) bool {
	if d.literal("null") {
		*field = nil
		return true
	}
	start, c := d.pos, d.newCreator()
	switch {
	case d.at('"'):
		id, ok := d.readString()
		if !ok {
			return false
		}
		c.ID = d.newString(id)
	case !d.readObject(func(key string) bool { return d.creatorKey(c, key) }):
		return false
	}
	c.Raw = RawJSON(d.text[start:d.pos])
	*field = c
	return true
}

// readPolicy reads workspacePolicyResult, or null as nil. Like encoding/json,
// a repeated key decodes into the result already there, keeping the fields
// it does not name.
func (d *pageDecoder) readPolicy(field **WorkspacePolicyResult) bool {
	if d.literal("null") {
		*field = nil
		return true
	}
	if *field == nil {
		*field = d.newPolicy()
	}
	p := *field
	return d.readObject(func(key string) bool { return d.policyKey(p, key) })
}

// foldedTag finds key's field by encoding/json's case folding, which for
// ASCII is upper-casing; ascii is false if key is not all ASCII.
func foldedTag(tags map[string]string, key string) (tag string, found, ascii bool) {
	var buf [32]byte // longer keys match no field
	for i := 0; i < len(key); i++ {
		c := key[i]
		if c >= utf8.RuneSelf {
			return "", false, false
		}
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		if i < len(buf) {
			buf[i] = c
		}
	}
	if len(key) > len(buf) {
		return "", false, true
	}
	tag, found = tags[string(buf[:len(key)])]
	return tag, found, true
}

// foldedTags maps each json name, folded as encoding/json folds ASCII names,
// to the name; of two that fold alike the first wins, as in encoding/json.
func foldedTags(tags []string) map[string]string {
	folded := make(map[string]string, len(tags))
	for _, tag := range tags {
		if key := strings.ToUpper(tag); folded[key] == "" {
			folded[key] = tag
		}
	}
	return folded
}

// jsonTags lists the json names of T's fields.
func jsonTags[T any]() []string {
	t := reflect.TypeFor[T]()
	tags := make([]string, t.NumField())
	for i := range tags {
		tags[i], _, _ = strings.Cut(t.Field(i).Tag.Get("json"), ",")
	}
	return tags
}
