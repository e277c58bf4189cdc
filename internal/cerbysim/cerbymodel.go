package cerbysim

import (
	"bytes"
	"encoding/json"
	"time"
)

// The Cerby API serves the same accounts and members as the Read API, as
// JSON:API resources {id, type, attributes}. Their attributes are mapped
// from the Read API objects as contract/cerby-api.md (§5.1, §5.2) says, then
// changed by the workspace's CerbyExtras.

// attributeMap is one Cerby API attribute and the Read API key it comes from.
// convert, when set, turns the Read API value into the Cerby API's; false
// leaves the attribute out.
type attributeMap struct {
	to, from string
	convert  func(json.RawMessage) (json.RawMessage, bool)
}

// cerbyAccountMap lists the account attributes in the order served: those of
// Cerby's schema first, then those only a third party reports.
var cerbyAccountMap = []attributeMap{
	{to: "label", from: "name"},
	{to: "application", from: "provider"},
	{to: "workspace", from: "workspace"},
	{to: "createdAt", from: "createdAt", convert: zonedTimestamp},
	{to: "createdBy", from: "createdBy", convert: creatorID},
	{to: "updatedAt", from: "updatedAt", convert: zonedTimestamp},
	{to: "lastLoginDate", from: "lastLoginDate", convert: zonedTimestamp},
	{to: "lastLoginBy", from: "lastLoginUserName"},
	{to: "mfaEnabled", from: "mfaEnabled"},
	{to: "mfaTypes", from: "mfaTypes"},
	{to: "hasBackupCode", from: "hasBackupCode"},
	{to: "hasTotp", from: "hasTotpVirtualDevice"},
	{to: "cerbyManagedEmail", from: "isEmailManaged"},
	{to: "cerbyManagedPhone", from: "isPhoneManaged"},
	{to: "businessId", from: "businessId"},
	{to: "autofillMfa", from: "autofillMfa"},
	{to: "avatarUrl", from: "avatar_url"},
	{to: "createdByEmail", from: "createdBy", convert: creatorEmail},
	{to: "domain", from: "domain"},
	{to: "email", from: "email"},
	{to: "meta", from: "meta"},
	{to: "passwordSet", from: "passwordSet"},
	{to: "passwordVisible", from: "passwordVisible"},
	{to: "phone", from: "phone"},
	{to: "rotatedAt", from: "rotatedAt", convert: zonedTimestamp},
	{to: "rotatedBy", from: "rotatedBy"},
	{to: "rotatedById", from: "rotatedById"},
	{to: "status", from: "status"},
	{to: "syncedAt", from: "syncedAt", convert: zonedTimestamp},
	{to: "url", from: "url"},
}

// cerbyUserMap lists the user attributes in the order served; mfaStatus
// follows them.
var cerbyUserMap = []attributeMap{
	{to: "firstName", from: "firstName"},
	{to: "lastName", from: "lastName"},
	{to: "email", from: "email"},
	{to: "status", from: "status"},
	{to: "role", from: "role"},
	{to: "isGuest", from: "isGuest"},
	{to: "createdAt", from: "createdAt", convert: zonedTimestamp},
	{to: "updatedAt", from: "updatedAt", convert: zonedTimestamp},
	{to: "lastActivity", from: "lastActivity", convert: zonedTimestamp},
}

const keyMFAStatus = "mfaStatus"

func mapAttributes(legacy *Object, table []attributeMap) Object {
	attrs := Object{Fields: make([]Field, 0, len(table)+3)}
	for _, m := range table {
		raw, ok := legacy.Get(m.from)
		if !ok {
			continue
		}
		if m.convert != nil {
			if raw, ok = m.convert(raw); !ok {
				continue
			}
		}
		attrs.Fields = append(attrs.Fields, Field{Key: m.to, Value: raw})
	}
	return attrs
}

// applyExtras adds extras' attributes, except those skipped, then omits.
func applyExtras(attrs *Object, extras *CerbyExtras, skip string) {
	if extras == nil {
		return
	}
	for _, f := range extras.Attributes.Fields {
		if f.Key != skip {
			attrs.SetRaw(f.Key, f.Value)
		}
	}
	for _, key := range extras.Omit {
		attrs.Delete(key)
	}
}

func cerbyAccountAttributes(legacy *Object, extras *CerbyExtras) Object {
	attrs := mapAttributes(legacy, cerbyAccountMap)
	applyExtras(&attrs, extras, "")
	return attrs
}

// cerbyUserAttributes ends with mfaStatus: null unless withMFA, and then the
// extras' mfaStatus (null when they have none).
func cerbyUserAttributes(legacy *Object, extras *CerbyExtras, withMFA bool) Object {
	attrs := mapAttributes(legacy, cerbyUserMap)
	mfa := json.RawMessage("null")
	if extras != nil {
		if raw, ok := extras.Attributes.Get(keyMFAStatus); ok && withMFA {
			mfa = raw
		}
	}
	attrs.Fields = append(attrs.Fields, Field{Key: keyMFAStatus, Value: mfa})
	applyExtras(&attrs, extras, keyMFAStatus)
	return attrs
}

// cerbyResource encodes {"id","type","attributes"}, then "meta" when meta is
// set; the values are JSON the workspace already holds, so it cannot fail
// but for a broken hand-written value, which is served as null rather than
// as broken JSON.
func cerbyResource(id, resourceType string, attrs Object, meta json.RawMessage) []byte {
	encoded, err := attrs.MarshalJSON()
	if err != nil {
		encoded = []byte("null")
	}
	var buf bytes.Buffer
	buf.Grow(len(encoded) + len(id) + len(meta) + 56)
	buf.WriteString(`{"id":`)
	buf.Write(encodeJSON(id))
	buf.WriteString(`,"type":`)
	buf.Write(encodeJSON(resourceType))
	buf.WriteString(`,"attributes":`)
	buf.Write(encoded)
	if len(meta) > 0 {
		buf.WriteString(`,"meta":`)
		buf.Write(meta)
	}
	buf.WriteByte('}')
	return buf.Bytes()
}

// Timestamp layouts the Read API sends: with or without a zone, with or
// without a fraction.
var readAPITimestampLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999"}

// zonedTimestamp writes a Read API timestamp the way the Cerby API does, in
// UTC with a "+00:00" offset, keeping microseconds when it had a fraction; a
// naive timestamp is taken as UTC. Anything else (null, a value that is not a
// timestamp) passes unchanged.
func zonedTimestamp(raw json.RawMessage) (json.RawMessage, bool) {
	var text string
	if len(raw) == 0 || raw[0] != '"' || json.Unmarshal(raw, &text) != nil {
		return raw, true
	}
	for _, layout := range readAPITimestampLayouts {
		t, err := time.Parse(layout, text)
		if err != nil {
			continue
		}
		out := "2006-01-02T15:04:05-07:00"
		if bytes.ContainsRune([]byte(text[len("2006-01-02T15:04:05"):]), '.') {
			out = "2006-01-02T15:04:05.000000-07:00"
		}
		return encodeJSON(t.UTC().Format(out)), true
	}
	return raw, true
}

// creatorID is createdBy as a plain id: the string as is, an object's "id".
func creatorID(raw json.RawMessage) (json.RawMessage, bool) {
	if len(raw) == 0 || raw[0] != '{' {
		return raw, true
	}
	return creatorField(raw, "id")
}

// creatorEmail is the email of a createdBy object; absent for an id.
func creatorEmail(raw json.RawMessage) (json.RawMessage, bool) {
	return creatorField(raw, "email")
}

// creatorField is one field of a createdBy object; absent for an id.
func creatorField(raw json.RawMessage, name string) (json.RawMessage, bool) {
	if len(raw) == 0 || raw[0] != '{' {
		return nil, false
	}
	var o Object
	if json.Unmarshal(raw, &o) != nil {
		return nil, false
	}
	return o.Get(name)
}
