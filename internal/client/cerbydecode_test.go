package client

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
)

// The Cerby API's documents (contract/cerby-api.md §3, §5, C9–C12), read
// through a client against a server answering one body.

// readCerby lists accounts and reads account a1 from a server answering body.
func readCerby(t *testing.T, body string) (list []Account, listErr error, one *Account, oneErr error) {
	t.Helper()
	c, _ := newCerbyClient(t, bodyServer(http.StatusOK, body), nil)
	list, _, listErr = c.ListAccounts(bg, AccountFilter{})
	one, oneErr = c.GetAccount(bg, "a1")
	return list, listErr, one, oneErr
}

func TestCerbyDecodeDataShapes(t *testing.T) {
	tests := map[string]struct {
		body     string
		wantList []string
		wantOne  string // "" when reading one must fail
		oneErr   string
	}{
		"an array":         {`{"data":[{"id":"a1","type":"accounts","attributes":{"label":"A"}},{"id":"b"}]}`, []string{"a1", "b"}, "", "holds 2 resources, expected one account"},
		"an array of one":  {`{"data":[{"id":"a1","attributes":{}}]}`, []string{"a1"}, "a1", ""},
		"one object":       {`{"data":{"id":"a1","type":"account","attributes":{"label":"A"}}}`, []string{"a1"}, "a1", ""},
		"null":             {`{"data":null,"links":{"next":null},"meta":{"page":{"total":0}}}`, []string{}, "", "holds 0 resources, expected one account"},
		"empty array":      {`{"data":[]}`, []string{}, "", "holds 0 resources"},
		"spaced, with BOM": {"\uFEFF \n{ \"data\" : [ {\"id\" : \"a1\"} ] }\n", []string{"a1"}, "a1", ""},
		"unknown top-level keys": {`{"jsonapi":{"version":"1.0"},"included":[{"id":"x"}],"data":{"id":"a1","relationships":{"r":{}},"meta":{"m":1}}}`,
			[]string{"a1"}, "a1", ""},
	}
	for name, tt := range tests {
		list, listErr, one, oneErr := readCerby(t, tt.body)
		if listErr != nil || !reflect.DeepEqual(accountIDs(list), tt.wantList) {
			t.Errorf("%s: listed %v, %v; want %v", name, accountIDs(list), listErr, tt.wantList)
		}
		switch {
		case tt.wantOne == "":
			mustContain(t, name+", by id", oneErr, "GET /api/v1/accounts/a1: ", tt.oneErr)
		case oneErr != nil || one == nil || one.ID != tt.wantOne:
			t.Errorf("%s: by id got %v, %v; want %s", name, one, oneErr, tt.wantOne)
		}
	}
}

func TestCerbyDecodeRejects(t *testing.T) {
	tests := map[string]struct{ body, want string }{
		"no id":                    {`{"data":[{"attributes":{"label":"A"}}]}`, "item 1 of the response: it has no id"},
		"null id":                  {`{"data":[{"id":"a"},{"id":null}]}`, "item 2 of the response: it has no id"},
		"empty id":                 {`{"data":{"id":""}}`, "item 1 of the response: it has no id"},
		"numeric id":               {`{"data":[{"id":7,"attributes":{}}]}`, "it has no id (a non-empty string)"},
		"object id":                {`{"data":[{"id":{"v":"a"}}]}`, "it has no id"},
		"attributes a list":        {`{"data":[{"id":"a","attributes":[]}]}`, `id a: attributes is not an object (it starts with "[]")`},
		"attributes a string":      {`{"data":[{"id":"a","attributes":"label"}]}`, "id a: attributes is not an object"},
		"attributes a number":      {`{"data":[{"id":"a","attributes":7}]}`, "id a: attributes is not an object"},
		"attributes false":         {`{"data":[{"id":"a","attributes":false}]}`, "id a: attributes is not an object"},
		"a documented wrong type":  {`{"data":[{"id":"a","attributes":{"label":5}}]}`, "id a: json: cannot unmarshal number"},
		"empty body":               {``, "the response body is empty, expected JSON"},
		"blank body":               {" \n\t", "the response body is empty, expected JSON"},
		"HTML":                     {`<!DOCTYPE html><html><title>Sign in</title></html>`, "the response is an HTML page, not JSON"},
		"not JSON":                 {`accounts: a, b`, `the response is not valid JSON (it starts with "accounts: a, b")`},
		"truncated JSON":           {`{"data":[{"id":"a"}`, "the response is not valid JSON"},
		"a top-level array":        {`[{"id":"a"}]`, "the response is not a JSON:API document: expected an object with a data key"},
		"a top-level null":         {`null`, "the response is not a JSON:API document"},
		"a top-level string":       {`"data"`, "the response is not a JSON:API document"},
		"no data key":              {`{"meta":{"page":{"total":3}},"links":{}}`, "the response has no data key, so it holds no resources"},
		"errors and no data":       {`{"errors":[{"status":"500","code":"internal_error","title":"Internal","detail":"database down","meta":{"loc":"db"}}]}`, "the response holds errors and no data: database down (at db)"},
		"data a string":            {`{"data":"a"}`, `data is neither a list nor an object (it starts with "\"a\"")`},
		"data a number":            {`{"data":1}`, "data is neither a list nor an object"},
		"data a list of strings":   {`{"data":["a","b"]}`, "decoding the response"},
		"next a number":            {`{"data":[{"id":"a"}],"links":{"next":2}}`, `links.next: expected a URL string, got "2"`},
		"next an object sans href": {`{"data":[{"id":"a"}],"links":{"next":{"meta":{}}}}`, "links.next: expected a URL string"},
		"next a null href":         {`{"data":[{"id":"a"}],"links":{"next":{"href":null}}}`, "links.next: expected a URL string"},
	}
	for name, tt := range tests {
		list, listErr, one, oneErr := readCerby(t, tt.body)
		if list != nil || one != nil {
			t.Errorf("%s: an error came with data: %v %v", name, list, one)
		}
		mustContain(t, name+", listing", listErr, "GET /api/v1/accounts: ", tt.want)
		if !strings.HasPrefix(name, "next") { // by id, links are not read
			mustContain(t, name+", by id", oneErr, "GET /api/v1/accounts/a1: ", tt.want)
		}
	}
}

// Missing and null attributes both leave every field null (D12); the
// resource's type and unknown attributes are never read (C9, C11).
func TestCerbyDecodeAttributesMissingNullOrUnknown(t *testing.T) {
	list, err, _, _ := readCerby(t, `{"data":[
	  {"id":"a"},
	  {"id":"b","attributes":null},
	  {"id":"c","attributes":{}},
	  {"id":"d","type":"identity","attributes":{"type":"resource","role":"account_owner","name":"not the label",
	    "username":"u","vaultId":"v","provider":"not the application","secretValue":"x","nested":{"deep":[1,2]}}}]}`)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range list {
		if !reflect.DeepEqual(a, Account{ID: a.ID}) {
			t.Errorf("%s: fields were set: %s", a.ID, dump(a))
		}
	}
	if len(list) != 4 {
		t.Errorf("got %d accounts; want 4", len(list))
	}
}

// cerbyAccountBody has every attribute of cerbyAccountAttributes, each with a
// value of its own, so that a swapped mapping shows.
const cerbyAccountBody = `{"data":{"id":"acc-1","type":"accounts","attributes":{
  "label":"Team Google","application":"google","workspace":"acme",
  "createdAt":"2026-01-02T03:04:05.123+00:00","createdBy":"u-9","createdByEmail":"owner@acme.test",
  "updatedAt":"2026-01-02T03:04:06.123456Z","lastLoginDate":"2026-01-02T03:04:07.123456",
  "lastLoginBy":"Ann Smith","lastPasswordChange":"2025-12-31T23:59:59Z",
  "mfaEnabled":true,"mfaTypes":["totp","rsa_secur_id_token","non-voip"],
  "hasBackupCode":false,"hasPasskey":true,"hasTotp":true,
  "cerbyManagedEmail":true,"cerbyManagedPhone":false,"businessId":"biz-1",
  "autofillMfa":true,"passwordSet":true,"passwordVisible":false,
  "email":"svc@acme.test","phone":"+1 555 0100","url":"https://accounts.google.com","domain":"google.com",
  "status":"enabled","rotatedBy":"Bob Jones","rotatedById":"u-7",
  "rotatedAt":"2026-01-03T00:00:00.000+00:00","syncedAt":"2026-01-04T00:00:00Z",
  "avatarUrl":"https://img.test/a.png","meta":{"k": [1, "two"]}}}}`

func TestCerbyDecodeEveryAccountAttribute(t *testing.T) {
	var doc struct {
		Data struct {
			Attributes map[string]json.RawMessage
		}
	}
	if err := json.Unmarshal([]byte(cerbyAccountBody), &doc); err != nil {
		t.Fatal(err)
	}
	for _, key := range jsonTags[cerbyAccountAttributes]() {
		if _, ok := doc.Data.Attributes[key]; !ok {
			t.Errorf("the test body lacks the attribute %q: give it a value and say where it goes", key)
		}
	}
	want := Account{
		ID: "acc-1", Name: strPtr("Team Google"), Provider: strPtr("google"), Workspace: strPtr("acme"),
		CreatedAt: strPtr("2026-01-02T03:04:05.123+00:00"),
		CreatedBy: &CreatedBy{ID: strPtr("u-9"), Email: strPtr("owner@acme.test"), Raw: `"u-9"`},
		UpdatedAt: strPtr("2026-01-02T03:04:06.123456Z"), LastLoginDate: strPtr("2026-01-02T03:04:07.123456"),
		LastLoginUserName: strPtr("Ann Smith"), LastPasswordChange: strPtr("2025-12-31T23:59:59Z"),
		MfaEnabled: boolPtr(true), MfaTypes: []string{"totp", "rsa_secur_id_token", "non-voip"},
		HasBackupCode: boolPtr(false), HasPasskey: boolPtr(true), HasTotpVirtualDevice: boolPtr(true),
		IsEmailManaged: boolPtr(true), IsPhoneManaged: boolPtr(false), BusinessID: strPtr("biz-1"),
		AutofillMfa: boolPtr(true), PasswordSet: boolPtr(true), PasswordVisible: boolPtr(false),
		Email: strPtr("svc@acme.test"), Phone: strPtr("+1 555 0100"), URL: strPtr("https://accounts.google.com"),
		Domain: strPtr("google.com"), Status: strPtr("enabled"), RotatedBy: strPtr("Bob Jones"), RotatedByID: strPtr("u-7"),
		RotatedAt: strPtr("2026-01-03T00:00:00.000+00:00"), SyncedAt: strPtr("2026-01-04T00:00:00Z"),
		AvatarURL: strPtr("https://img.test/a.png"), Meta: `{"k": [1, "two"]}`,
	}
	list, listErr, one, oneErr := readCerby(t, cerbyAccountBody)
	if listErr != nil || oneErr != nil || len(list) != 1 {
		t.Fatalf("listed %d, %v; by id %v", len(list), listErr, oneErr)
	}
	for how, got := range map[string]Account{"listed": list[0], "by id": *one} {
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got %s\nwant %s", how, dump(got), dump(want))
		}
		if got.Type != nil || got.Role != nil || got.Username != nil {
			t.Errorf("%s: type, role or username set from what the Cerby API does not send", how)
		}
	}
}

// Timestamps are the API's text (C12): none is parsed, so none is changed.
func TestCerbyDecodeKeepsTimestampsAsSent(t *testing.T) {
	for _, ts := range []string{
		"2026-01-02T03:04:05.123+00:00", "2026-01-02T03:04:05.123456+00:00", "2026-01-02T03:04:05Z",
		"2026-01-02T03:04:05.123Z", "2026-01-02T03:04:05.123456Z", "2026-01-02T03:04:05.123456",
		"2026-01-02T03:04:05.123", "2026-01-02T03:04:05", "2026-01-02T03:04:05.1+05:30", "2026-01-02", "not a time", "",
	} {
		q, _ := json.Marshal(ts)
		attr := func(keys ...string) string {
			parts := make([]string, len(keys))
			for i, k := range keys {
				parts[i] = `"` + k + `":` + string(q)
			}
			return strings.Join(parts, ",")
		}
		list, err, _, _ := readCerby(t, `{"data":[{"id":"a","attributes":{`+
			attr("createdAt", "updatedAt", "lastLoginDate", "lastPasswordChange", "rotatedAt", "syncedAt")+`}}]}`)
		if err != nil || len(list) != 1 {
			t.Fatalf("%q: %v", ts, err)
		}
		a := list[0]
		for name, got := range map[string]*string{"createdAt": a.CreatedAt, "updatedAt": a.UpdatedAt, "lastLoginDate": a.LastLoginDate,
			"lastPasswordChange": a.LastPasswordChange, "rotatedAt": a.RotatedAt, "syncedAt": a.SyncedAt} {
			if got == nil || *got != ts {
				t.Errorf("%s %q came back as %v", name, ts, dump(got))
			}
		}
		c, _ := newCerbyClient(t, bodyServer(http.StatusOK, `{"data":[{"id":"m","attributes":{`+attr("createdAt", "updatedAt", "lastActivity")+`}}]}`), nil)
		members, _, err := c.ListUsers(bg, UserFilter{})
		if err != nil || len(members) != 1 {
			t.Fatalf("%q: members %v", ts, err)
		}
		m := members[0]
		if *m.CreatedAt != ts || *m.UpdatedAt != ts || *m.LastActivity != ts {
			t.Errorf("member timestamps %q came back as %s", ts, dump(m))
		}
	}
}

// mfa_types is null when absent or null, empty for [] (C12).
func TestCerbyDecodeMfaTypes(t *testing.T) {
	list, err, _, _ := readCerby(t, `{"data":[
	  {"id":"absent","attributes":{}},
	  {"id":"null","attributes":{"mfaTypes":null}},
	  {"id":"empty","attributes":{"mfaTypes":[]}},
	  {"id":"two","attributes":{"mfaTypes":["sms","non-voip"]}}]}`)
	if err != nil || len(list) != 4 {
		t.Fatal(err)
	}
	if list[0].MfaTypes != nil || list[1].MfaTypes != nil {
		t.Errorf("absent or null mfaTypes should be nil: %#v %#v", list[0].MfaTypes, list[1].MfaTypes)
	}
	if list[2].MfaTypes == nil || len(list[2].MfaTypes) != 0 {
		t.Errorf("[] should be an empty, non-nil list: %#v", list[2].MfaTypes)
	}
	if !reflect.DeepEqual(list[3].MfaTypes, []string{"sms", "non-voip"}) {
		t.Errorf("mfaTypes = %#v", list[3].MfaTypes)
	}
}

// createdBy is a user id here; created_by_json is its JSON text, and
// createdByEmail fills the creator's email (§5.1).
func TestCerbyDecodeCreatedBy(t *testing.T) {
	tests := map[string]struct {
		attrs string
		want  *CreatedBy
	}{
		"absent":                 {`{}`, nil},
		"null":                   {`{"createdBy":null}`, nil},
		"a plain id":             {`{"createdBy":"u-1"}`, &CreatedBy{ID: strPtr("u-1"), Raw: `"u-1"`}},
		"an id with escapes":     {`{"createdBy":"u\u002d1"}`, &CreatedBy{ID: strPtr("u-1"), Raw: `"u\u002d1"`}},
		"an id and an email":     {`{"createdBy":"u-1","createdByEmail":"a@x.test"}`, &CreatedBy{ID: strPtr("u-1"), Email: strPtr("a@x.test"), Raw: `"u-1"`}},
		"an email alone":         {`{"createdByEmail":"a@x.test"}`, &CreatedBy{Email: strPtr("a@x.test")}},
		"a null id and an email": {`{"createdBy":null,"createdByEmail":"a@x.test"}`, &CreatedBy{Email: strPtr("a@x.test")}},
		"a null email":           {`{"createdBy":"u-1","createdByEmail":null}`, &CreatedBy{ID: strPtr("u-1"), Raw: `"u-1"`}},
		"an object (tolerated)": {`{"createdBy":{"id":"u-1","email":"own@x.test"},"createdByEmail":"other@x.test"}`,
			&CreatedBy{ID: strPtr("u-1"), Email: strPtr("own@x.test"), Raw: `{"id":"u-1","email":"own@x.test"}`}},
	}
	for name, tt := range tests {
		list, err, _, _ := readCerby(t, `{"data":[{"id":"a","attributes":`+tt.attrs+`}]}`)
		if err != nil || len(list) != 1 {
			t.Fatalf("%s: %v", name, err)
		}
		if !reflect.DeepEqual(list[0].CreatedBy, tt.want) {
			t.Errorf("%s: createdBy = %s; want %s", name, dump(list[0].CreatedBy), dump(tt.want))
		}
	}
	_, err, _, _ := readCerby(t, `{"data":[{"id":"a","attributes":{"createdBy":7}}]}`)
	mustContain(t, "a numeric createdBy", err, "id a: createdBy: expected a string id or an object")
}

func TestCerbyDecodeMembers(t *testing.T) {
	body := `{"data":[
	  {"id":"m1","type":"users","attributes":{"firstName":"Ann","lastName":"Smith","email":"ann@acme.test",
	    "status":"live","role":"workspace_admin","isGuest":false,"createdAt":"2026-01-02T03:04:05.123+00:00",
	    "updatedAt":"2026-01-02T03:04:05Z","lastActivity":"2026-01-02T03:04:05.123456",
	    "mfaStatus":{"mfaEnabled":true,"mfaEnrollmentDate":"2026-01-01"},"meta":{"x":1},"unknown":[1]}},
	  {"id":"m2","attributes":null},
	  {"id":"m3","attributes":{"role":"some_new_role","isGuest":true,"status":"pending","lastActivity":null}}]}`
	c, _ := newCerbyClient(t, bodyServer(http.StatusOK, body), nil)
	got, truncated, err := c.ListUsers(bg, UserFilter{})
	if err != nil || truncated {
		t.Fatal(err, truncated)
	}
	want := []Member{
		{ID: "m1", FirstName: strPtr("Ann"), LastName: strPtr("Smith"), Email: strPtr("ann@acme.test"), Status: strPtr("live"),
			Role: strPtr("workspace_admin"), IsGuest: boolPtr(false), CreatedAt: strPtr("2026-01-02T03:04:05.123+00:00"),
			UpdatedAt: strPtr("2026-01-02T03:04:05Z"), LastActivity: strPtr("2026-01-02T03:04:05.123456"),
			MfaEnabled: boolPtr(true), MfaEnrollmentDate: strPtr("2026-01-01")},
		{ID: "m2"},
		{ID: "m3", Role: strPtr("some_new_role"), IsGuest: boolPtr(true), Status: strPtr("pending")},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("members:\n got %s\nwant %s", dump(got), dump(want))
	}
	for _, key := range jsonTags[cerbyUserAttributes]() {
		if !strings.Contains(body, `"`+key+`"`) {
			t.Errorf("the test body lacks the member attribute %q", key)
		}
	}
}

// links.next as the walk sees it: a string, an href object, or no link.
func TestCerbyDecodeLinksAndTotal(t *testing.T) {
	tests := map[string]struct {
		body  string
		links pageLinks
		total *int
	}{
		"next a string":       {`{"data":[],"links":{"self":"/s","next":"/api/v1/accounts?page%5Bnumber%5D=2"}}`, pageLinks{true, "/api/v1/accounts?page%5Bnumber%5D=2"}, nil},
		"next null":           {`{"data":[],"links":{"next":null}}`, pageLinks{true, ""}, nil},
		"next absent":         {`{"data":[],"links":{"self":"/s"}}`, pageLinks{true, ""}, nil},
		"next empty":          {`{"data":[],"links":{"next":""}}`, pageLinks{true, ""}, nil},
		"next an href object": {`{"data":[],"links":{"next":{"href":"/n","meta":{}}}}`, pageLinks{true, "/n"}, nil},
		"no links":            {`{"data":[]}`, pageLinks{}, nil},
		"links null":          {`{"data":[],"links":null}`, pageLinks{}, nil},
		"a total":             {`{"data":[],"meta":{"page":{"maxSize":100,"total":1234}}}`, pageLinks{}, intPtr(1234)},
		"a numeric string":    {`{"data":[],"meta":{"page":{"total":"12"}}}`, pageLinks{}, intPtr(12)},
		"a negative total":    {`{"data":[],"meta":{"page":{"total":-1}}}`, pageLinks{}, nil},
		"a fractional total":  {`{"data":[],"meta":{"page":{"total":2.5}}}`, pageLinks{}, nil},
		"a null total":        {`{"data":[],"meta":{"page":{"total":null}}}`, pageLinks{}, nil},
		"meta without page":   {`{"data":[],"meta":{"total":5}}`, pageLinks{}, nil},
	}
	for name, tt := range tests {
		pg, err := decodeCerbyList("GET /api/v1/accounts", tt.body, decodeCerbyAccount)
		if err != nil || pg.links != tt.links || !reflect.DeepEqual(pg.total, tt.total) {
			t.Errorf("%s: links %+v, total %v, err %v; want %+v, %v", name, pg.links, deref(pg.total), err, tt.links, deref(tt.total))
		}
	}
}

// TestCerbyDecodeThirdPartyAttributeOfAnotherType: only a third party reports
// these attributes and their types, so one of another type is left null with
// a warning naming it (C10); a documented attribute of the wrong type still
// fails the page, and the other attributes keep their values.
func TestCerbyDecodeThirdPartyAttributeOfAnotherType(t *testing.T) {
	const body = `{"data":[{"id":"a1","attributes":{"label":"Brand","status":1,"email":{"address":"x@example.com"},"phone":"+1 555","mfaEnabled":true}}],"meta":{"page":{"total":1}}}`
	pg, err := decodeCerbyList("GET /api/v1/accounts", body, decodeCerbyAccount)
	if err != nil {
		t.Fatal(err)
	}
	a := pg.items[0]
	if a.Status != nil || a.Email != nil || a.Name == nil || *a.Name != "Brand" || a.Phone == nil || *a.Phone != "+1 555" || a.MfaEnabled == nil || !*a.MfaEnabled {
		t.Errorf("account = %+v; want status and email null, the other attributes read", a)
	}
	want := []string{
		"GET /api/v1/accounts: item 1 (id a1): attribute email is an object, not of the type the provider expects; it is left null",
		"GET /api/v1/accounts: item 1 (id a1): attribute status is a number, not of the type the provider expects; it is left null",
	}
	if !reflect.DeepEqual(pg.warnings, want) {
		t.Errorf("warnings = %q; want %q", pg.warnings, want)
	}

	_, err = decodeCerbyList("GET /api/v1/accounts", `{"data":[{"id":"a1","attributes":{"label":7,"status":1}}]}`, decodeCerbyAccount)
	if err == nil || !strings.Contains(err.Error(), "label") {
		t.Errorf("err = %v; want the documented label of the wrong type to fail the page, naming it", err)
	}
}

// TestCerbyThirdPartyAttributeWarningIsLogged: the warning reaches the
// provider's log, on a listing and on a read by id.
func TestCerbyThirdPartyAttributeWarningIsLogged(t *testing.T) {
	const resource = `{"id":"a1","attributes":{"label":"Brand","status":1}}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/v1/accounts" {
			fmt.Fprintf(w, `{"data":[%s],"meta":{"page":{"total":1}},"links":{"next":null}}`, resource)
			return
		}
		fmt.Fprintf(w, `{"data":%s}`, resource)
	}))
	defer srv.Close()
	log := &capturingLogger{}
	c, _ := newTestClient(t, srv, func(o *Options) { o.API, o.Logger = CerbyAPI, log })
	if _, _, err := c.ListAccounts(context.Background(), AccountFilter{}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetAccount(context.Background(), "a1"); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"WARN GET /api/v1/accounts: item 1 (id a1): attribute status is a number",
		"WARN GET /api/v1/accounts/a1: item 1 (id a1): attribute status is a number",
	} {
		if !strings.Contains(log.all(), want) {
			t.Errorf("log lacks %q:\n%s", want, log.all())
		}
	}
}
