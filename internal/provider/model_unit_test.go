package provider

import (
	"cmp"
	"context"
	"encoding/json"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cerby-community/terraform-provider-cerby/internal/client"
)

// fullAccountJSON sets every documented key, createdBy in its object form.
const fullAccountJSON = `{
  "id": "11111111-1111-4111-8111-111111111111",
  "name": "Marketing Instagram", "username": "mkt", "provider": "instagram",
  "vaultId": "v-1", "idekID": "idek-1", "permissions": ["read", "share"],
  "workspace": "acme", "mfaEnabled": true, "autofillMfa": false,
  "passwordSet": true, "passwordVisible": false,
  "createdBy": {"id": "u-1", "email": "jane@example.com", "firstName": "Jane"},
  "createdAt": "2024-02-03T13:20:32", "updatedAt": "2024-02-04T10:00:00.177000",
  "role": "account_owner", "avatar_url": "https://img/a.png", "email": "mkt@example.com",
  "type": "identity", "url": "https://instagram.com", "domain": "instagram.com",
  "meta": {"k": 1}, "status": "enabled", "phone": "+1555", "rotatedBy": "manual_rotation",
  "rotatedAt": "2024-03-01T00:00:00Z", "syncedAt": "2024-03-02T00:00:00+00:00",
  "hasBackupCode": false, "rotatedById": "u-2",
  "domains": {"id": "d-1", "allowedDomains": [{"domain": "instagram.com"}]},
  "lastLoginDate": "2024-03-03T00:00:00", "lastLoginUserName": "Jane Doe",
  "isEmailManaged": true, "isPhoneManaged": false,
  "originalEmail": "old@example.com", "originalPhone": "+1444", "businessId": "",
  "mfaTypes": ["otp", "email"], "rotatedByUser": "John Roe", "hasTotpVirtualDevice": true,
  "workspacePolicyResult": {"mfa_validation": true, "password_rotation": false},
  "workspacePolicyCheckDate": "2024-03-04T00:00:00"
}`

func decode[T any](t *testing.T, raw string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(raw), &v); err != nil {
		t.Fatalf("decoding fixture: %v", err)
	}
	return v
}

// nullFields lists the model fields (recursively, by tfsdk tag) that hold no
// value: null attr.Values, nil slices, nil pointers.
func nullFields(v any) []string {
	var nulls []string
	rv := reflect.ValueOf(v)
	for i := range rv.NumField() {
		f, tag := rv.Field(i), rv.Type().Field(i).Tag.Get("tfsdk")
		switch value := f.Interface().(type) {
		case attr.Value:
			if value.IsNull() {
				nulls = append(nulls, tag)
			}
		default:
			if f.IsNil() {
				nulls = append(nulls, tag)
			}
		}
	}
	return nulls
}

// fullAccount is fullAccountJSON with the Cerby API's own fields set too, as
// its decoder fills them: an account with every field of the model.
func fullAccount(t *testing.T) client.Account {
	a := decode[client.Account](t, fullAccountJSON)
	passkey, changed := true, "2024-03-05T00:00:00.000+00:00"
	a.HasPasskey, a.LastPasswordChange = &passkey, &changed
	return a
}

func TestAccountModelFromFullAccountHasEveryValue(t *testing.T) {
	m := accountModelOf(fullAccount(t))

	if nulls := nullFields(m); len(nulls) > 0 {
		t.Errorf("fields left null although the API sent them: %v", nulls)
	}
	checks := map[string][2]attr.Value{
		"application":          {m.Application, types.StringValue("instagram")},
		"idek_id":              {m.IdekID, types.StringValue("idek-1")},
		"created_by":           {m.CreatedBy, types.StringValue("u-1")},
		"created_by_email":     {m.CreatedByEmail, types.StringValue("jane@example.com")},
		"created_by_json":      {m.CreatedByJSON, types.StringValue(`{"id": "u-1", "email": "jane@example.com", "firstName": "Jane"}`)},
		"updated_at":           {m.UpdatedAt, types.StringValue("2024-02-04T10:00:00.177000")},
		"avatar_url":           {m.AvatarURL, types.StringValue("https://img/a.png")},
		"mfa_enabled":          {m.MfaEnabled, types.BoolValue(true)},
		"autofill_mfa":         {m.AutofillMfa, types.BoolValue(false)},
		"business_id":          {m.BusinessID, types.StringValue("")},
		"domains_json":         {m.DomainsJSON, types.StringValue(`{"id": "d-1", "allowedDomains": [{"domain": "instagram.com"}]}`)},
		"meta_json":            {m.MetaJSON, types.StringValue(`{"k": 1}`)},
		"permissions_json":     {m.PermissionsJSON, types.StringValue(`["read", "share"]`)},
		"synced_at":            {m.SyncedAt, types.StringValue("2024-03-02T00:00:00+00:00")},
		"has_passkey":          {m.HasPasskey, types.BoolValue(true)},
		"last_password_change": {m.LastPasswordChange, types.StringValue("2024-03-05T00:00:00.000+00:00")},
	}
	for name, c := range checks {
		if !c[0].Equal(c[1]) {
			t.Errorf("%s = %s, want %s", name, c[0], c[1])
		}
	}
	if want := []string{"otp", "email"}; !slices.Equal(m.MfaTypes, want) {
		t.Errorf("mfa_types = %v, want %v", m.MfaTypes, want)
	}
	wantPolicy := workspacePolicyResultModel{MfaValidation: types.BoolValue(true), PasswordRotation: types.BoolValue(false)}
	if *m.WorkspacePolicyResult != wantPolicy {
		t.Errorf("workspace_policy_result = %+v, want %+v", *m.WorkspacePolicyResult, wantPolicy)
	}
}

func TestAccountModelFromMissingOrNullFieldsIsNullNeverZero(t *testing.T) {
	for name, raw := range map[string]string{
		"absent": `{"id": "a"}`,
		"null": `{"id": "a", "name": null, "provider": null, "mfaEnabled": null, "createdBy": null,
			"meta": null, "permissions": null, "domains": null, "mfaTypes": null, "workspacePolicyResult": null}`,
	} {
		t.Run(name, func(t *testing.T) {
			m := accountModelOf(decode[client.Account](t, raw))
			nulls := nullFields(m)
			if len(nulls) != reflect.TypeFor[accountModel]().NumField()-1 || slices.Contains(nulls, "id") {
				t.Errorf("every field but id should be null; null ones: %v", nulls)
			}
		})
	}
}

func TestAccountModelFromCreatedByIDForm(t *testing.T) {
	m := accountModelOf(decode[client.Account](t, `{"id": "a", "createdBy": "u-9"}`))
	if !m.CreatedBy.Equal(types.StringValue("u-9")) || !m.CreatedByEmail.IsNull() || !m.CreatedByJSON.Equal(types.StringValue(`"u-9"`)) {
		t.Errorf("created_by=%s created_by_email=%s created_by_json=%s; want u-9, null, \"u-9\"", m.CreatedBy, m.CreatedByEmail, m.CreatedByJSON)
	}
}

func TestAccountModelFromEmptyMfaTypesStaysEmpty(t *testing.T) {
	m := accountModelOf(decode[client.Account](t, `{"id": "a", "mfaTypes": []}`))
	if m.MfaTypes == nil || len(m.MfaTypes) != 0 {
		t.Errorf("mfa_types = %#v, want an empty, non-nil list", m.MfaTypes)
	}
}

func TestAccountModelFromPartialWorkspacePolicyResult(t *testing.T) {
	m := accountModelOf(decode[client.Account](t, `{"id": "a", "workspacePolicyResult": {"mfa_validation": false}}`))
	p := m.WorkspacePolicyResult
	if p == nil || !p.MfaValidation.Equal(types.BoolValue(false)) || !p.PasswordRotation.IsNull() {
		t.Errorf("workspace_policy_result = %+v, want mfa_validation=false, password_rotation=null", p)
	}
}

func TestMemberModelFrom(t *testing.T) {
	full := memberModelOf(decode[client.Member](t, `{"id": "m", "firstName": "Jane", "lastName": "Doe",
		"email": "jane@example.com", "status": "live", "role": "workspace_owner", "isGuest": false,
		"createdAt": "2024-01-01T00:00:00", "updatedAt": "2024-01-02T00:00:00", "lastActivity": "2024-01-03T00:00:00",
		"meta": {"a": [1]}}`))
	full.MfaEnabled, full.MfaEnrollmentDate = types.BoolValue(false), types.StringValue("2024-01-04T00:00:00Z") // decoded from mfaStatus by the Cerby API's decoder only
	if nulls := nullFields(full); len(nulls) > 0 {
		t.Errorf("fields left null although the API sent them: %v", nulls)
	}
	if !full.IsGuest.Equal(types.BoolValue(false)) || !full.MetaJSON.Equal(types.StringValue(`{"a": [1]}`)) {
		t.Errorf("is_guest=%s meta_json=%s, want false and the raw meta", full.IsGuest, full.MetaJSON)
	}

	empty := memberModelOf(decode[client.Member](t, `{"id": "m", "lastActivity": null, "meta": null}`))
	if nulls := nullFields(empty); len(nulls) != reflect.TypeFor[memberModel]().NumField()-1 || slices.Contains(nulls, "id") {
		t.Errorf("every field but id should be null; null ones: %v", nulls)
	}
}

// cerbyAPIAccountJSON sets every key of contract/cerby-api.md §5.1.
const cerbyAPIAccountJSON = `{"data": {"id": "22222222-2222-4222-8222-222222222222", "type": "account", "attributes": {
  "label": "Marketing Instagram", "application": "instagram", "workspace": "acme",
  "createdAt": "2024-02-03T13:20:32.000+00:00", "updatedAt": "2024-02-04T10:00:00.177000Z",
  "createdBy": "u-1", "createdByEmail": "jane@example.com",
  "lastLoginDate": "2024-03-03T00:00:00Z", "lastLoginBy": "Jane Doe", "lastPasswordChange": "2024-03-05T00:00:00Z",
  "mfaEnabled": true, "mfaTypes": ["otp", "non-voip"], "hasBackupCode": false, "hasPasskey": true, "hasTotp": true,
  "cerbyManagedEmail": true, "cerbyManagedPhone": false, "businessId": "b-1",
  "autofillMfa": false, "passwordSet": true, "passwordVisible": false,
  "email": "mkt@example.com", "phone": "+1555", "url": "https://instagram.com", "domain": "instagram.com", "status": "enabled",
  "rotatedBy": "manual_rotation", "rotatedById": "u-2", "rotatedAt": "2024-03-01T00:00:00Z", "syncedAt": "2024-03-02T00:00:00Z",
  "avatarUrl": "https://img/a.png", "meta": {"k": 1}, "updatedBy": "u-3"}}}`

// cerbyAPIUsersJSON is a page of one user with every key of §5.2 but
// mfaStatus, which is not asked for.
const cerbyAPIUsersJSON = `{"data": [{"id": "m", "type": "users", "attributes": {
  "firstName": "Jane", "lastName": "Doe", "email": "jane@example.com", "status": "live", "role": "workspace_owner",
  "isGuest": false, "createdAt": "2024-01-01T00:00:00Z", "updatedAt": "2024-01-02T00:00:00Z", "lastActivity": "2024-01-03T00:00:00"}}],
  "links": {"next": null}, "meta": {"page": {"maxSize": 100, "total": 1}}}`

// answer is what a test server sends for one path.
type answer struct {
	status int
	body   string
}

func ok(body string) answer { return answer{http.StatusOK, body} }

// testClient is a client speaking api to a server that answers each path of
// answers, and fails the test on any other request.
func testClient(t *testing.T, api client.API, answers map[string]answer) *client.Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a, found := answers[r.URL.Path]
		if !found {
			t.Errorf("unexpected request %s %s", r.Method, r.URL)
			a = answer{http.StatusTeapot, `{"errors": [{"detail": "unexpected request"}]}`}
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(a.status)
		_, _ = io.WriteString(w, a.body)
	}))
	t.Cleanup(srv.Close)
	c, err := client.New(client.Options{API: api, BaseURL: srv.URL, APIKey: "unit-test-key"})
	if err != nil {
		t.Fatalf("client.New: %v", err)
	}
	return c
}

// nullOn lists the fields of the table that API leaves null, by the table.
func nullOn(fields []modelField, keyOf func(fieldSource) string) []string {
	var names []string
	for _, f := range fields {
		if keyOf(f.source) == "" {
			names = append(names, f.name)
		}
	}
	return names
}

func readAPIKey(s fieldSource) string  { return s.readAPI }
func cerbyAPIKey(s fieldSource) string { return s.cerbyAPI }

func assertSameNames(t *testing.T, what string, got, want []string) {
	t.Helper()
	got, want = slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(want))
	if !slices.Equal(got, want) {
		t.Errorf("%s: null fields %v, the descriptions' table says %v", what, got, want)
	}
}

// The descriptions say which API fills each attribute (the source column of
// accountFields and memberFields); these hold the table to what each API's
// decoder fills from an object carrying every key it documents.
func TestAccountFieldSourcesMatchWhatEachAPIFills(t *testing.T) {
	assertSameNames(t, "Read API", nullFields(accountModelOf(decode[client.Account](t, fullAccountJSON))), nullOn(accountFields, readAPIKey))

	c := testClient(t, client.CerbyAPI, map[string]answer{"/api/v1/accounts/22222222-2222-4222-8222-222222222222": ok(cerbyAPIAccountJSON)})
	a, err := c.GetAccount(context.Background(), "22222222-2222-4222-8222-222222222222")
	if err != nil {
		t.Fatalf("GetAccount: %v", err)
	}
	m := accountModelFrom(a)
	assertSameNames(t, "Cerby API", nullFields(m), nullOn(accountFields, cerbyAPIKey))
	checks := map[string][2]attr.Value{
		"name":                    {m.Name, types.StringValue("Marketing Instagram")},
		"application":             {m.Application, types.StringValue("instagram")},
		"created_by":              {m.CreatedBy, types.StringValue("u-1")},
		"created_by_email":        {m.CreatedByEmail, types.StringValue("jane@example.com")},
		"created_by_json":         {m.CreatedByJSON, types.StringValue(`"u-1"`)},
		"created_at":              {m.CreatedAt, types.StringValue("2024-02-03T13:20:32.000+00:00")},
		"last_login_user_name":    {m.LastLoginUserName, types.StringValue("Jane Doe")},
		"last_password_change":    {m.LastPasswordChange, types.StringValue("2024-03-05T00:00:00Z")},
		"has_passkey":             {m.HasPasskey, types.BoolValue(true)},
		"has_totp_virtual_device": {m.HasTotpVirtualDevice, types.BoolValue(true)},
		"is_email_managed":        {m.IsEmailManaged, types.BoolValue(true)},
		"is_phone_managed":        {m.IsPhoneManaged, types.BoolValue(false)},
		"avatar_url":              {m.AvatarURL, types.StringValue("https://img/a.png")},
		"meta_json":               {m.MetaJSON, types.StringValue(`{"k": 1}`)},
		"type":                    {m.Type, types.StringNull()}, // never the resource type
	}
	for name, c := range checks {
		if !c[0].Equal(c[1]) {
			t.Errorf("%s = %s, want %s", name, c[0], c[1])
		}
	}
}

func TestMemberFieldSourcesMatchWhatEachAPIFills(t *testing.T) {
	full := memberModelOf(decode[client.Member](t, `{"id": "m", "firstName": "Jane", "lastName": "Doe",
		"email": "jane@example.com", "status": "live", "role": "workspace_owner", "isGuest": false,
		"createdAt": "2024-01-01T00:00:00", "updatedAt": "2024-01-02T00:00:00", "lastActivity": "2024-01-03T00:00:00",
		"meta": {"a": [1]}}`))
	assertSameNames(t, "Read API", nullFields(full), nullOn(memberFields, readAPIKey))

	withMFA := strings.Replace(cerbyAPIUsersJSON, `"lastActivity"`, `"mfaStatus": {"mfaEnabled": true, "mfaEnrollmentDate": "2024-01-04T00:00:00+00:00"}, "lastActivity"`, 1)
	c := testClient(t, client.CerbyAPI, map[string]answer{"/api/v1/users": ok(withMFA)})
	members, _, err := c.ListUsers(context.Background(), client.UserFilter{IncludeMFAStatus: true})
	if err != nil || len(members) != 1 {
		t.Fatalf("ListUsers = %d members, %v; want 1", len(members), err)
	}
	m := memberModelOf(members[0])
	assertSameNames(t, "Cerby API", nullFields(m), nullOn(memberFields, cerbyAPIKey))
	if !m.MfaEnabled.Equal(types.BoolValue(true)) || !m.MfaEnrollmentDate.Equal(types.StringValue("2024-01-04T00:00:00+00:00")) {
		t.Errorf("mfa_enabled=%s mfa_enrollment_date=%s, want true and the date as sent", m.MfaEnabled, m.MfaEnrollmentDate)
	}
}

func ptr(s string) *string { return &s }

func TestSortAccountsByCaseFoldedNameThenID(t *testing.T) {
	accounts := []client.Account{
		{ID: "4", Name: ptr("beta")},
		{ID: "3", Name: ptr("Alpha")},
		{ID: "2", Name: ptr("alpha")},
		{ID: "5"}, // no name sorts first
		{ID: "1", Name: ptr("ALPHA")},
	}
	sortAccounts(accounts)
	if got, want := idsOf(accounts, accountID), []string{"5", "1", "2", "3", "4"}; !slices.Equal(got, want) {
		t.Errorf("order = %v, want %v", got, want)
	}
}

func TestSortMembersByCaseFoldedEmailThenID(t *testing.T) {
	members := []client.Member{
		{ID: "b", Email: ptr("Zed@example.com")},
		{ID: "c", Email: ptr("amy@example.com")},
		{ID: "a", Email: ptr("AMY@example.com")},
		{ID: "d"},
	}
	sortMembers(members)
	if got, want := idsOf(members, memberID), []string{"d", "a", "c", "b"}; !slices.Equal(got, want) {
		t.Errorf("order = %v, want %v", got, want)
	}
}

func TestIDsOfEmptyIsAnEmptyListNotNull(t *testing.T) {
	if ids := idsOf([]client.Account{}, accountID); ids == nil {
		t.Error("idsOf(empty) = nil, want an empty slice (a null list would break for_each)")
	}
}

// sortByFoldedKey must give what a plain stable sort on folded keys gives,
// whatever the permutation's cycles look like.
func TestSortByFoldedKeyMatchesAPlainStableSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	names := []string{"a", "A", "b", "B", "c"}
	for n := range 200 {
		accounts := make([]client.Account, n)
		for i := range accounts {
			accounts[i].ID = strconv.Itoa(rng.IntN(n + 1))
			if k := rng.IntN(len(names) + 1); k < len(names) {
				accounts[i].Name = &names[k]
			}
		}
		want := slices.Clone(accounts)
		slices.SortStableFunc(want, func(a, b client.Account) int {
			fold := func(s *string) string {
				if s == nil {
					return ""
				}
				return strings.ToLower(*s)
			}
			return cmp.Or(strings.Compare(fold(a.Name), fold(b.Name)), strings.Compare(a.ID, b.ID))
		})
		sortAccounts(accounts)
		if !reflect.DeepEqual(accounts, want) {
			t.Fatalf("n=%d: got %v, want %v", n, idsOf(accounts, accountID), idsOf(want, accountID))
		}
	}
}

func accountModelOf(a client.Account) accountModel { return accountModelFrom(&a) }

func memberModelOf(m client.Member) memberModel { return memberModelFrom(&m) }
