package client

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func TestDecodeListEnvelopes(t *testing.T) {
	two := `[{"id":"a"},{"id":"b","extra":{"unknown":true}}]`
	tests := map[string]struct {
		body  string
		total *int
	}{
		"bare array":          {two, nil},
		"accounts":            {`{"startIndex":1,"limit":100,"totalResults":2,"accounts":` + two + `}`, intPtr(2)},
		"resources":           {`{"totalResults":7,"itemsPerPage":100,"resources":` + two + `}`, intPtr(7)},
		"Resources":           {`{"Resources":` + two + `}`, nil},
		"data":                {`{"data":` + two + `,"totalResults":null}`, nil},
		"items":               {`{"items":` + two + `,"totalResults":"2"}`, intPtr(2)},
		"garbage total":       {`{"items":` + two + `,"totalResults":"many"}`, nil},
		"byte order mark":     {"\uFEFF " + two, nil},
		"unknown top-level":   {`{"next":"x","accounts":` + two + `}`, nil},
		"surrounding spacing": {"\n\t" + two + "\n", nil},
	}
	for name, tt := range tests {
		items, total, err := decodeList[Account]("GET /v1/accounts", tt.body)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if got := accountIDs(items); !reflect.DeepEqual(got, []string{"a", "b"}) {
			t.Errorf("%s: ids = %v", name, got)
		}
		if !reflect.DeepEqual(total, tt.total) {
			t.Errorf("%s: total = %v; want %v", name, deref(total), deref(tt.total))
		}
	}
	items, _, err := decodeList[Account]("GET /v1/accounts", `{"accounts":null}`)
	if err != nil || len(items) != 0 {
		t.Errorf("a null list is an empty page, got %v %v", items, err)
	}
}

// A page reads the same whichever decoder reads it: an item with a
// non-ASCII key sends it down the fallback (decodeAnyList), which must find
// the list and the total where the fast path does.
func TestDecodeListEnvelopesOnTheFallback(t *testing.T) {
	for name, tt := range map[string]struct {
		envelope string // %s is the list
		total    *int
	}{
		"accounts":                   {`{"accounts":%s,"totalResults":2}`, intPtr(2)},
		"Accounts":                   {`{"Accounts":%s,"totalResults":2}`, intPtr(2)},
		"ACCOUNTS":                   {`{"ACCOUNTS":%s}`, nil},
		"Items":                      {`{"Items":%s}`, nil},
		"RESOURCES":                  {`{"RESOURCES":%s,"TOTALRESULTS":"2"}`, intPtr(2)},
		"TotalResults":               {`{"data":%s,"TotalResults":2}`, intPtr(2)},
		"null accounts, then data":   {`{"accounts":null,"data":%s,"totalResults":2}`, intPtr(2)},
		"null accounts, no total":    {`{"accounts":null,"items":%s}`, nil},
		"data, then null resources":  {`{"data":%s,"resources":null}`, nil},
		"null Resources, then items": {`{"Resources":null,"items":%s}`, nil},
	} {
		for _, key := range []string{"extra", "ſtatus"} { // the second is not usual
			list := `[{"id":"a","` + key + `":"x"},{"id":"b"}]`
			body := strings.Replace(tt.envelope, "%s", list, 1)
			_, _, usual := decodeUsualList[Account](body)
			if usual != (key == "extra") {
				t.Fatalf("%s: usual %v with the key %q", name, usual, key)
			}
			items, total, err := decodeList[Account]("GET /v1/accounts", body)
			if err != nil || !reflect.DeepEqual(accountIDs(items), []string{"a", "b"}) || !reflect.DeepEqual(total, tt.total) {
				t.Errorf("%s (usual %v): ids %v, total %v, %v; want [a b], total %v", name, usual, accountIDs(items), deref(total), err, deref(tt.total))
			}
		}
	}
	for _, key := range listKeys { // each one reaches the fallback's list
		items, _, err := decodeAnyList[Account]("GET /v1/accounts", []byte(`{"`+key+`":[{"id":"a"}]}`))
		if err != nil || !reflect.DeepEqual(accountIDs(items), []string{"a"}) {
			t.Errorf("%s: the fallback read %v, %v", key, accountIDs(items), err)
		}
	}
}

func TestDecodeListRejectsWrongShapes(t *testing.T) {
	tests := map[string]struct{ body, want string }{
		"html":            {"<!DOCTYPE html><html><title>Login</title></html>", "HTML page"},
		"plain text":      {"upstream connect error", "not valid JSON"},
		"empty":           {"  ", "empty"},
		"unknown object":  {`{"result":[{"id":"a"}]}`, "not a list"},
		"object in data":  {`{"data":{"id":"a"}}`, "decoding the list"},
		"item without id": {`{"accounts":[{"id":"a"},{"name":"no id"}]}`, "item 2 of the response has no id"},
		"null id":         {`[{"id":null}]`, "has no id"},
		"number":          {`42`, "not a list"},
		"null":            {`null`, "not a list"},
		"spaced null":     {"\uFEFF null\n", "not a list"},
		"string":          {`"accounts"`, "not a list"},
		"bad createdBy":   {`[{"id":"a","createdBy":17}]`, "createdBy"},
	}
	for name, tt := range tests {
		_, _, err := decodeList[Account]("GET /v1/accounts", tt.body)
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "GET /v1/accounts") {
			t.Errorf("%s: error = %v; want one naming the endpoint and %q", name, err, tt.want)
		}
	}
}

func TestDecodeAccountShapes(t *testing.T) {
	for name, body := range map[string]string{
		"bare":          `{"id":"a","name":"x"}`,
		"data":          `{"data":{"id":"a","name":"x"}}`,
		"account":       `{"account":{"id":"a","name":"x"}}`,
		"bare with key": `{"id":"a","name":"x","data":{"id":"other"}}`,
	} {
		got, err := decodeAccount("GET /v1/accounts/a", body)
		if err != nil || got.ID != "a" || *got.Name != "x" {
			t.Errorf("%s: got %+v, %v", name, got, err)
		}
	}
	for name, tt := range map[string]struct{ body, want string }{
		"no id":     {`{"name":"x"}`, "not an account"},
		"empty id":  {`{"id":""}`, "has no id"},
		"array":     {`[{"id":"a"}]`, "not an account object"},
		"html":      {`<html></html>`, "HTML page"},
		"data list": {`{"data":[{"id":"a"}]}`, "decoding the account"},
	} {
		_, err := decodeAccount("GET /v1/accounts/a", tt.body)
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "GET /v1/accounts/a") {
			t.Errorf("%s: error = %v; want one naming the endpoint and %q", name, err, tt.want)
		}
	}
}

func TestAccountFieldDecoding(t *testing.T) {
	body := `{
	  "id": "a1", "name": "Work", "username": "bob", "provider": "google",
	  "vaultId": "v1", "idekID": "k1", "permissions": ["read", {"x": 1}],
	  "mfaEnabled": true, "autofillMfa": false, "passwordSet": null,
	  "createdBy": {"id": "u1", "email": "u1@example.com", "firstName": "U"},
	  "createdAt": "2024-02-03T13:20:32", "updatedAt": "2024-02-03T13:20:39.177000",
	  "rotatedAt": "2024-02-03T13:20:32Z", "syncedAt": "2024-02-03T13:20:32+00:00",
	  "avatar_url": "https://img", "url": null, "meta": {"k": "v"},
	  "domains": {"id": "d1", "allowedDomains": [{"domain": "example.com", "isMainDomain": true}]},
	  "businessId": "", "mfaTypes": ["otp", "email"],
	  "workspacePolicyResult": {"mfa_validation": true, "password_rotation": false},
	  "someFutureField": {"nested": [1, 2, 3]}
	}`
	var a Account
	if err := json.Unmarshal([]byte(body), &a); err != nil {
		t.Fatal(err)
	}
	checks := map[string]bool{
		"idekID":             *a.IdekID == "k1",
		"permissions raw":    string(a.Permissions) == `["read", {"x": 1}]`,
		"mfaEnabled":         *a.MfaEnabled,
		"autofillMfa false":  !*a.AutofillMfa,
		"null bool is nil":   a.PasswordSet == nil,
		"createdBy id":       *a.CreatedBy.ID == "u1",
		"createdBy email":    *a.CreatedBy.Email == "u1@example.com",
		"createdBy raw":      strings.Contains(string(a.CreatedBy.Raw), `"firstName": "U"`),
		"plain timestamp":    *a.CreatedAt == "2024-02-03T13:20:32",
		"microseconds kept":  *a.UpdatedAt == "2024-02-03T13:20:39.177000",
		"zulu kept":          *a.RotatedAt == "2024-02-03T13:20:32Z",
		"offset kept":        *a.SyncedAt == "2024-02-03T13:20:32+00:00",
		"snake avatar":       *a.AvatarURL == "https://img",
		"null string is nil": a.URL == nil,
		"missing is nil":     a.Phone == nil && a.Email == nil,
		"meta raw":           string(a.Meta) == `{"k": "v"}`,
		"domains object":     strings.Contains(string(a.Domains), `"allowedDomains"`),
		"empty string kept":  a.BusinessID != nil && *a.BusinessID == "",
		"mfaTypes":           reflect.DeepEqual(a.MfaTypes, []string{"otp", "email"}),
		"policy snake_case":  *a.WorkspacePolicyResult.MfaValidation && !*a.WorkspacePolicyResult.PasswordRotation,
	}
	for name, ok := range checks {
		if !ok {
			t.Errorf("%s: wrong value in %+v", name, a)
		}
	}
}

func TestAccountVariantFields(t *testing.T) {
	var a Account
	if err := json.Unmarshal([]byte(`{"id":"a","createdBy":"u-9","domains":"example.com"}`), &a); err != nil {
		t.Fatal(err)
	}
	if *a.CreatedBy.ID != "u-9" || a.CreatedBy.Email != nil || string(a.CreatedBy.Raw) != `"u-9"` {
		t.Errorf("createdBy as a string: %+v", a.CreatedBy)
	}
	if string(a.Domains) != `"example.com"` {
		t.Errorf("domains as a string: %s", a.Domains)
	}

	for name, body := range map[string]string{
		"nulls":   `{"id":"a","permissions":null,"meta":null,"domains":null,"createdBy":null}`,
		"missing": `{"id":"a"}`,
		"spaced":  `{"id":"a","permissions": null ,"meta":  null,"domains":null}`,
	} {
		var a Account
		if err := json.Unmarshal([]byte(body), &a); err != nil {
			t.Fatal(err)
		}
		if a.Permissions != "" || a.Meta != "" || a.Domains != "" || a.CreatedBy != nil {
			t.Errorf("%s: raw fields should be empty, got permissions=%q meta=%q domains=%q createdBy=%v",
				name, a.Permissions, a.Meta, a.Domains, a.CreatedBy)
		}
	}

	var cb CreatedBy
	if err := cb.UnmarshalJSON([]byte("null")); err != nil || cb.Raw != "" || cb.ID != nil {
		t.Errorf("createdBy null: %+v %v", cb, err)
	}
	if err := cb.UnmarshalJSON([]byte("[1]")); err == nil {
		t.Error("createdBy as an array should be an error")
	}
}

func TestMemberDecoding(t *testing.T) {
	items, total, err := decodeList[Member]("GET /v1/admin/users", `{"totalResults":2,"resources":[
	  {"id":"m1","firstName":"Ann","status":"live","role":"workspace_some_new_role","isGuest":false,"lastActivity":null,"meta":null,"new":1},
	  {"id":"m2","meta":{"a":1},"createdAt":"2024-02-03T13:20:39.177000"}]}`)
	if err != nil {
		t.Fatal(err)
	}
	if *total != 2 || len(items) != 2 {
		t.Fatalf("total %v, %d items", deref(total), len(items))
	}
	m1, m2 := items[0], items[1]
	if *m1.FirstName != "Ann" || *m1.Role != "workspace_some_new_role" || *m1.IsGuest || m1.LastActivity != nil || m1.Meta != "" {
		t.Errorf("m1 = %+v", m1)
	}
	if string(m2.Meta) != `{"a":1}` || *m2.CreatedAt != "2024-02-03T13:20:39.177000" || m2.FirstName != nil {
		t.Errorf("m2 = %+v", m2)
	}
}

func intPtr(n int) *int { return &n }

func deref(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}
