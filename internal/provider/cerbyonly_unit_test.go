package provider

import (
	"maps"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cerby-community/terraform-provider-cerby/internal/client"
)

// cerbyAPIOnlyDataSources are the data sources only the Cerby API serves
// (issue 13), and their constructors.
var cerbyAPIOnlyDataSources = map[string]bool{
	"cerby_teams": true, "cerby_team": true, "cerby_vaults": true, "cerby_integrations": true, "cerby_integration_users": true,
}

func cerbyAPIOnlyReaders() map[string]stateReader {
	return map[string]stateReader{
		"cerby_teams":             newTeamsDataSource().(stateReader),
		"cerby_team":              newTeamDataSource().(stateReader),
		"cerby_vaults":            newVaultsDataSource().(stateReader),
		"cerby_integrations":      newIntegrationsDataSource().(stateReader),
		"cerby_integration_users": newIntegrationUsersDataSource().(stateReader),
	}
}

// Each Cerby-API-only data source says so, names its endpoint and the scope
// it needs, and every attribute of it says it comes from the Cerby API.
func TestCerbyAPIOnlyDataSourcesSaySo(t *testing.T) {
	scopes := map[string][]string{
		"cerby_teams":             {client.ScopeReadUsers},
		"cerby_team":              {client.ScopeReadUsers, client.ScopeReadAccounts},
		"cerby_vaults":            {client.ScopeReadVaults},
		"cerby_integrations":      {client.ScopeReadIntegrations},
		"cerby_integration_users": {client.ScopeReadUsers, client.ScopeReadIntegrations},
	}
	schemas := dataSourceSchemas(t)
	for name := range cerbyAPIOnlyDataSources {
		s, ok := schemas[name]
		if !ok {
			t.Errorf("%s is not registered by the provider", name)
			continue
		}
		d := s.MarkdownDescription
		for _, want := range append([]string{"`GET /api/v1/", cerbyAPIOnlyText, "Admin"}, scopes[name]...) {
			if name == "cerby_integrations" || name == "cerby_integration_users" {
				if want == "Admin" {
					continue // no role rule is documented for integrations
				}
			}
			if !strings.Contains(d, want) {
				t.Errorf("%s's description does not say %q: %s", name, want, d)
			}
		}
		if strings.Contains(d, "`GET /v1/") {
			t.Errorf("%s's description names a Read API endpoint: %s", name, d)
		}
		for attrName, a := range s.Attributes {
			if d := a.GetMarkdownDescription(); !strings.Contains(d, "Cerby API") && !strings.Contains(d, "`GET /api/v1/") && !slices.Contains([]string{"max_items", "ids", "truncated", "integration_id"}, attrName) {
				t.Errorf("%s.%s does not say it comes from the Cerby API: %q", name, attrName, a.GetMarkdownDescription())
			}
		}
	}
}

func TestRequireCerbyAPI(t *testing.T) {
	var diags diag.Diagnostics
	if !requireCerbyAPI(client.CerbyAPI, "cerby_teams", &diags) || len(diags) != 0 {
		t.Errorf("the Cerby API must be let through silently: %v", diags)
	}
	if requireCerbyAPI(client.ReadAPI, "cerby_teams", &diags) {
		t.Error("the Read API must stop the read")
	}
	if len(diags) != 1 || diags[0].Severity() != diag.SeverityError {
		t.Fatalf("want one error: %v", diags)
	}
	if _, hasPath := diags[0].(diag.DiagnosticWithPath); hasPath {
		t.Errorf("the error is on no attribute (the data source as a whole cannot be read): %v", diags[0])
	}
	text := diags[0].Summary() + "\n" + diags[0].Detail()
	for _, want := range []string{"cerby_teams needs the Cerby API", "`cerby_teams`", "Read API", `api = "cerby_api"`, `workspace = "`, envAPI, envWorkspace} {
		if !strings.Contains(text, want) {
			t.Errorf("the error does not say %q: %s", want, text)
		}
	}
}

// On the Read API each of them fails before any request, whatever its
// arguments, with requireCerbyAPI's one error.
func TestCerbyAPIOnlyReadsRefuseTheReadAPIBeforeAnyRequest(t *testing.T) {
	args := map[string]map[string]tftypes.Value{
		"cerby_team":              {"name": str("Engineering")},
		"cerby_integration_users": {"integration_id": str("11111111-1111-4111-8111-111111111111")},
	}
	for name, ds := range cerbyAPIOnlyReaders() {
		t.Run(name, func(t *testing.T) {
			c := testClient(t, client.ReadAPI, nil) // any request fails the test
			model, diags := readState(t, ds, c, args[name])
			if model != nil || len(diags) != 1 || !strings.Contains(diags[0].Summary(), name+" needs the Cerby API") {
				t.Errorf("model %v, diagnostics %v; want none and requireCerbyAPI's error", model, diags)
			}
		})
	}
}

func TestTeamModelFrom(t *testing.T) {
	full := teamModelFrom(&client.Team{ID: "t", Name: ptr("Eng"), Type: ptr("scim_managed"), WorkspaceID: ptr("w"), VaultID: ptr("v"),
		CreatedAt: ptr("2024-07-09T02:30:46+00:00"), UpdatedAt: ptr("2024-01-04T15:36:54")})
	if nulls := nullFields(full); len(nulls) > 0 {
		t.Errorf("fields left null although the API sent them: %v", nulls)
	}
	if !full.Type.Equal(types.StringValue("scim_managed")) || !full.UpdatedAt.Equal(types.StringValue("2024-01-04T15:36:54")) {
		t.Errorf("type=%s updated_at=%s, want them as sent", full.Type, full.UpdatedAt)
	}
	assertOnlyIDSet(t, teamModelFrom(&client.Team{ID: "t"}))
}

func TestVaultModelFrom(t *testing.T) {
	full := vaultModelFrom(&client.Vault{ID: "v", Name: ptr("Main"), Scheme: ptr("kms_byo"), State: ptr("enabled"), CreatedByType: ptr("user"),
		CreatedBy: ptr("u"), WorkspaceID: ptr("w"), CreatedAt: ptr("2025-05-08T19:01:04.984000+00:00"), UpdatedAt: ptr("2026-01-02T04:21:22.158Z")})
	if nulls := nullFields(full); len(nulls) > 0 {
		t.Errorf("fields left null although the API sent them: %v", nulls)
	}
	if !full.Scheme.Equal(types.StringValue("kms_byo")) || !full.CreatedByType.Equal(types.StringValue("user")) {
		t.Errorf("scheme=%s created_by_type=%s", full.Scheme, full.CreatedByType)
	}
	assertOnlyIDSet(t, vaultModelFrom(&client.Vault{ID: "v"}))
}

func TestIntegrationModelFrom(t *testing.T) {
	full := integrationModelFrom(&client.Integration{ID: "i", Label: ptr("YouTube"), Application: ptr("youtube_tenant"), Workspace: ptr("acme"),
		CreatedAt: ptr("2024-07-09T02:30:46+00:00"), CreatedBy: ptr("u"), UpdatedAt: ptr("2024-07-10T02:30:46+00:00")})
	if nulls := nullFields(full); len(nulls) > 0 {
		t.Errorf("fields left null although the API sent them: %v", nulls)
	}
	assertOnlyIDSet(t, integrationModelFrom(&client.Integration{ID: "i"}))
}

func TestIntegrationUserModelFrom(t *testing.T) {
	guest := false
	full := integrationUserModelFrom(&client.IntegrationUser{ID: "u", FirstName: ptr("Ada"), LastName: ptr("Lovelace"), Email: ptr("ada@example.com"),
		Status: ptr("disabled"), IsGuest: &guest, Role: ptr("owner"), CreatedAt: ptr("2024-01-01T00:00:00"), UpdatedAt: ptr("2024-01-02T00:00:00"),
		Entitlements: []client.Entitlement{
			{Key: ptr("VIEWER_LIMITED"), Label: ptr(""), Group: ptr("primary"), Value: ptr("3")},
			{Key: ptr("EDITOR")}, // sent as a bare string
		},
		DynamicFields: `{"channel":"main","seats":2}`})
	if nulls := nullFields(full); len(nulls) > 0 {
		t.Errorf("fields left null although the API sent them: %v", nulls)
	}
	wantEntitlements := []entitlementModel{
		{Key: types.StringValue("VIEWER_LIMITED"), Label: types.StringValue(""), Group: types.StringValue("primary"), Value: types.StringValue("3")},
		{Key: types.StringValue("EDITOR"), Label: types.StringNull(), Group: types.StringNull(), Value: types.StringNull()},
	}
	if !reflect.DeepEqual(full.Entitlements, wantEntitlements) {
		t.Errorf("entitlements = %+v, want %+v", full.Entitlements, wantEntitlements)
	}
	if !full.DynamicFieldsJSON.Equal(types.StringValue(`{"channel":"main","seats":2}`)) || !full.IsGuest.Equal(types.BoolValue(false)) {
		t.Errorf("dynamic_fields_json=%s is_guest=%s", full.DynamicFieldsJSON, full.IsGuest)
	}

	assertOnlyIDSet(t, integrationUserModelFrom(&client.IntegrationUser{ID: "u"}))
	if empty := integrationUserModelFrom(&client.IntegrationUser{ID: "u", Entitlements: []client.Entitlement{}}); empty.Entitlements == nil {
		t.Error("an empty entitlements list must stay an empty list, not null")
	}
}

// assertOnlyIDSet: a resource that sent nothing but its id has every other
// attribute null, never a zero value.
func assertOnlyIDSet(t *testing.T, model any) {
	t.Helper()
	nulls := nullFields(model)
	if len(nulls) != reflect.TypeOf(model).NumField()-1 || slices.Contains(nulls, "id") {
		t.Errorf("%T: every field but id should be null; null ones: %v", model, nulls)
	}
}

// Each field table is its model: the same attributes, nothing more.
func TestCerbyFieldTablesAreTheirModels(t *testing.T) {
	for name, tc := range map[string]struct {
		fields []cerbyField
		model  reflect.Type
		extra  []string // attributes built beside the table
	}{
		"team":             {teamFields, reflect.TypeFor[teamModel](), nil},
		"vault":            {vaultFields, reflect.TypeFor[vaultModel](), nil},
		"integration":      {integrationFields, reflect.TypeFor[integrationModel](), nil},
		"integration user": {integrationUserFields, reflect.TypeFor[integrationUserModel](), []string{"entitlements"}},
		"entitlement":      {entitlementFields, reflect.TypeFor[entitlementModel](), nil},
	} {
		var names []string
		for _, f := range tc.fields {
			names = append(names, f.name)
			if f.description == "" || f.key == "" {
				t.Errorf("%s.%s has no description or no key", name, f.name)
			}
		}
		names = append(names, tc.extra...)
		if got, want := slices.Sorted(slices.Values(names)), slices.Sorted(maps.Keys(tfsdkFields(tc.model))); !slices.Equal(got, want) {
			t.Errorf("%s: the table has %v, the model %v", name, got, want)
		}
	}
}

func TestCerbyAPIOnlyListingsSortByFoldedKeyThenID(t *testing.T) {
	teams := []client.Team{{ID: "3", Name: ptr("beta")}, {ID: "2", Name: ptr("Alpha")}, {ID: "1", Name: ptr("alpha")}, {ID: "4"}}
	models, ids := teamsOf(teams)
	if want := []string{"4", "1", "2", "3"}; !slices.Equal(ids, want) || len(models) != 4 || models[3].ID.ValueString() != "3" {
		t.Errorf("teams: ids %v, want %v", ids, want)
	}
	_, ids = vaultsOf([]client.Vault{{ID: "b", Name: ptr("Zed")}, {ID: "a", Name: ptr("zed")}, {ID: "c", Name: ptr("able")}})
	if want := []string{"c", "a", "b"}; !slices.Equal(ids, want) {
		t.Errorf("vaults: ids %v, want %v", ids, want)
	}
	_, ids = integrationsOf([]client.Integration{{ID: "b", Label: ptr("YouTube")}, {ID: "a", Label: ptr("discord")}})
	if want := []string{"a", "b"}; !slices.Equal(ids, want) {
		t.Errorf("integrations: ids %v, want %v", ids, want)
	}
	_, ids = integrationUsersOf([]client.IntegrationUser{{ID: "b", Email: ptr("Zoe@example.com")}, {ID: "c", Email: ptr("amy@example.com")}, {ID: "a", Email: ptr("AMY@example.com")}})
	if want := []string{"a", "c", "b"}; !slices.Equal(ids, want) {
		t.Errorf("integration users: ids %v, want %v", ids, want)
	}
	for name, ids := range map[string][]string{
		"teams": second(teamsOf(nil)), "vaults": second(vaultsOf(nil)), "integrations": second(integrationsOf(nil)), "seats": second(integrationUsersOf(nil)),
	} {
		if ids == nil {
			t.Errorf("%s: no items must give an empty ids list, not null", name)
		}
	}
	if models, _ := teamsOf(nil); models == nil {
		t.Error("no teams must give an empty teams list, not null")
	}
}

func second[A, B any](_ A, b B) B { return b }

func TestTeamNamed(t *testing.T) {
	teams := []client.Team{{ID: "1", Name: ptr("Eng")}, {ID: "2", Name: ptr("eng")}, {ID: "3", Name: ptr("Ops")}, {ID: "4", Name: ptr("Ops")}, {ID: "5"}}
	if team, _ := teamNamed(slices.Clone(teams), "eng"); team == nil || team.ID != "2" {
		t.Errorf("eng found %v, want team 2 (names are case-sensitive)", team)
	}
	team, detail := teamNamed(slices.Clone(teams), "ENG")
	for _, want := range []string{`"ENG"`, "case-sensitive", `1 ("Eng")`, `2 ("eng")`, "- 5"} {
		if team != nil || !strings.Contains(detail, want) {
			t.Errorf("ENG: team %v, detail does not say %q: %s", team, want, detail)
		}
	}
	team, detail = teamNamed(slices.Clone(teams), "Ops")
	for _, want := range []string{`2 teams are named "Ops"`, "set id", `3 ("Ops")`, `4 ("Ops")`} {
		if team != nil || !strings.Contains(detail, want) {
			t.Errorf("Ops: team %v, detail does not say %q: %s", team, want, detail)
		}
	}
}

const (
	unitTeamID        = "11111111-1111-4111-8111-111111111111"
	unitIntegrationID = "22222222-2222-4222-8222-222222222222"
	cerbyEmptyPage    = `{"data": [], "links": {"next": null}, "meta": {"page": {"total": 0}}}`
	unitTeamJSON      = `{"data": {"id": "` + unitTeamID + `", "type": "team", "attributes": {"name": "Eng", "type": "user_managed"}}}`
	cerbyNotFoundJSON = `{"errors": [{"status": "404", "code": "not_found", "title": "Not found"}]}`
)

func readTeam(t *testing.T, answers map[string]answer, values map[string]tftypes.Value) (*teamDataSourceModel, diag.Diagnostics) {
	t.Helper()
	model, diags := readState(t, newTeamDataSource().(stateReader), testClient(t, client.CerbyAPI, answers), values)
	m, _ := model.(*teamDataSourceModel)
	return m, diags
}

func TestTeamByIDReadsItsMembersAndAccountsSorted(t *testing.T) {
	m, diags := readTeam(t, map[string]answer{
		"/api/v1/teams/" + unitTeamID: ok(unitTeamJSON),
		"/api/v1/teams/" + unitTeamID + "/members": ok(`{"data": [
			{"id": "tm-1", "type": "team_member", "attributes": {"memberId": "u-2", "role": "admin"}},
			{"id": "tm-2", "type": "team_member", "attributes": {"member_id": "u-1"}},
			{"id": "u-3", "type": "team_member", "attributes": {"role": "member"}}], "links": {"next": null}, "meta": {"page": {"total": 3}}}`),
		"/api/v1/teams/" + unitTeamID + "/accounts": ok(`{"data": [{"id": "a-2", "type": "account", "attributes": {}}, {"id": "a-1", "type": "account", "attributes": {}}],
			"links": {"next": null}, "meta": {"page": {"total": 2}}}`),
	}, map[string]tftypes.Value{"id": str(unitTeamID)})
	requireNoDiags(t, "read", diags)
	if !slices.Equal(m.MemberIDs, []string{"u-1", "u-2", "u-3"}) || !slices.Equal(m.AccountIDs, []string{"a-1", "a-2"}) {
		t.Errorf("member_ids %v, account_ids %v; want them sorted, by memberId, member_id, then the resource id", m.MemberIDs, m.AccountIDs)
	}
	if !m.Name.Equal(types.StringValue("Eng")) || !m.ID.Equal(types.StringValue(unitTeamID)) || !m.IncludeMemberIDs.IsNull() {
		t.Errorf("name=%s id=%s include_member_ids=%s", m.Name, m.ID, m.IncludeMemberIDs)
	}
}

func TestTeamWithoutSubListingsSendsOnlyTheTeamsRequest(t *testing.T) {
	no := tftypes.NewValue(tftypes.Bool, false)
	m, diags := readTeam(t, map[string]answer{"/api/v1/teams/" + unitTeamID: ok(unitTeamJSON)}, // any other request fails the test
		map[string]tftypes.Value{"id": str(unitTeamID), "include_member_ids": no, "include_account_ids": no})
	requireNoDiags(t, "read", diags)
	if m.MemberIDs != nil || m.AccountIDs != nil {
		t.Errorf("member_ids %v, account_ids %v; want both null", m.MemberIDs, m.AccountIDs)
	}
}

// A sub-listing the workspace's API does not offer is an error on its
// attribute, saying which and how to do without; both are reported at once.
func TestTeamSubListingNotOffered(t *testing.T) {
	_, diags := readTeam(t, map[string]answer{
		"/api/v1/teams/" + unitTeamID:               ok(unitTeamJSON),
		"/api/v1/teams/" + unitTeamID + "/members":  {http.StatusNotFound, cerbyNotFoundJSON},
		"/api/v1/teams/" + unitTeamID + "/accounts": {http.StatusMethodNotAllowed, `{"errors": [{"status": "405", "title": "Method not allowed"}]}`},
	}, map[string]tftypes.Value{"id": str(unitTeamID)})
	if got := errorPaths(diags); !slices.Equal(got, []string{"account_ids", "member_ids"}) {
		t.Fatalf("errors on %v, want account_ids and member_ids: %v", got, diags)
	}
	for _, d := range diags.Errors() {
		p := d.(diag.DiagnosticWithPath).Path()
		l := teamMembersListing
		if p.Equal(path.Root("account_ids")) {
			l = teamAccountsListing
		}
		for _, want := range []string{l.path, "does not offer", "Set `" + l.argument + " = false`", unitTeamID} {
			if !strings.Contains(d.Detail(), want) {
				t.Errorf("the error on %s does not say %q: %s", p, want, d.Detail())
			}
		}
	}
}

func TestTeamByIDNotFound(t *testing.T) {
	_, diags := readTeam(t, map[string]answer{"/api/v1/teams/" + unitTeamID: {http.StatusNotFound, cerbyNotFoundJSON}},
		map[string]tftypes.Value{"id": str(unitTeamID)})
	if got := errorPaths(diags); !slices.Equal(got, []string{"id"}) || !strings.Contains(diags.Errors()[0].Detail(), "team "+unitTeamID+" not found") {
		t.Errorf("errors on %v, want one on id saying the team was not found: %v", got, diags)
	}
}

func TestTeamByNameReadsTheListingThenTheSubListingsOfTheMatch(t *testing.T) {
	m, diags := readTeam(t, map[string]answer{
		"/api/v1/teams": ok(`{"data": [{"id": "` + unitTeamID + `", "type": "team", "attributes": {"name": "Eng"}},
			{"id": "33333333-3333-4333-8333-333333333333", "type": "team", "attributes": {"name": "eng"}}], "links": {"next": null}, "meta": {"page": {"total": 2}}}`),
		"/api/v1/teams/" + unitTeamID + "/members":  ok(cerbyEmptyPage),
		"/api/v1/teams/" + unitTeamID + "/accounts": ok(cerbyEmptyPage),
	}, map[string]tftypes.Value{"name": str("Eng")})
	requireNoDiags(t, "read", diags)
	if !m.ID.Equal(types.StringValue(unitTeamID)) || m.MemberIDs == nil || len(m.MemberIDs) != 0 || m.AccountIDs == nil {
		t.Errorf("id=%s member_ids=%#v account_ids=%#v; want the match's id and empty lists, not null", m.ID, m.MemberIDs, m.AccountIDs)
	}
}

func TestIntegrationUsersOfAMissingIntegrationIsAnErrorOnItsID(t *testing.T) {
	c := testClient(t, client.CerbyAPI, map[string]answer{
		"/api/v1/integrations/" + unitIntegrationID + "/users": {http.StatusNotFound, cerbyNotFoundJSON},
		"/api/v1/integrations/" + unitIntegrationID:            {http.StatusNotFound, cerbyNotFoundJSON},
	})
	_, diags := readState(t, newIntegrationUsersDataSource().(stateReader), c, map[string]tftypes.Value{"integration_id": str(unitIntegrationID)})
	if got := errorPaths(diags); !slices.Equal(got, []string{"integration_id"}) || !strings.Contains(diags.Errors()[0].Detail(), "integration "+unitIntegrationID+" not found") {
		t.Errorf("errors on %v, want one on integration_id saying it was not found: %v", got, diags)
	}
}

func TestIntegrationUsersNotOfferedSaysSo(t *testing.T) {
	c := testClient(t, client.CerbyAPI, map[string]answer{
		"/api/v1/integrations/" + unitIntegrationID + "/users": {http.StatusMethodNotAllowed, `{"errors": [{"status": "405"}]}`},
		"/api/v1/integrations/" + unitIntegrationID:            ok(`{"data": {"id": "` + unitIntegrationID + `", "type": "account", "attributes": {"label": "YouTube"}}}`),
	})
	_, diags := readState(t, newIntegrationUsersDataSource().(stateReader), c, map[string]tftypes.Value{"integration_id": str(unitIntegrationID)})
	if len(diags.Errors()) != 1 || !strings.Contains(diags.Errors()[0].Detail(), "does not offer") || strings.Contains(diags.Errors()[0].Detail(), "not found or not visible") {
		t.Errorf("want one error saying the listing is not offered, not that the integration is missing: %v", diags)
	}
}

func TestUsersIncludeMFAStatus(t *testing.T) {
	yes := map[string]tftypes.Value{"include_mfa_status": tftypes.NewValue(tftypes.Bool, true)}
	t.Run("Read API: a warning, and no MFA status", func(t *testing.T) {
		c := testClient(t, client.ReadAPI, map[string]answer{"/v1/admin/users": ok(`{"resources": [{"id": "m", "email": "a@example.com"}], "totalResults": 1}`)})
		model, diags := readState(t, newUsersDataSource().(stateReader), c, yes)
		if diags.HasError() || len(diags.Warnings()) != 1 {
			t.Fatalf("want one warning and no error: %v", diags)
		}
		w := diags.Warnings()[0]
		if p, ok := w.(diag.DiagnosticWithPath); !ok || !p.Path().Equal(path.Root("include_mfa_status")) || !strings.Contains(w.Summary(), "no effect on the Read API") {
			t.Errorf("the warning is not on include_mfa_status saying it has no effect: %v", w)
		}
		if m := memberModelOf(model.(*usersModel).Users[0]); !m.MfaEnabled.IsNull() || !m.MfaEnrollmentDate.IsNull() {
			t.Errorf("mfa_enabled=%s mfa_enrollment_date=%s, want null", m.MfaEnabled, m.MfaEnrollmentDate)
		}
	})
	t.Run("Cerby API: filled, no warning", func(t *testing.T) {
		withMFA := strings.Replace(cerbyAPIUsersJSON, `"lastActivity"`, `"mfaStatus": {"mfaEnabled": false, "mfaEnrollmentDate": null}, "lastActivity"`, 1)
		c := testClient(t, client.CerbyAPI, map[string]answer{"/api/v1/users": ok(withMFA)})
		model, diags := readState(t, newUsersDataSource().(stateReader), c, yes)
		if len(diags) != 0 {
			t.Fatalf("want no diagnostics: %v", diags)
		}
		if m := memberModelOf(model.(*usersModel).Users[0]); !m.MfaEnabled.Equal(types.BoolValue(false)) || !m.MfaEnrollmentDate.IsNull() {
			t.Errorf("mfa_enabled=%s mfa_enrollment_date=%s, want false and null", m.MfaEnabled, m.MfaEnrollmentDate)
		}
	})
}

// The data sources the tests above cover are the ones the provider serves.
func TestCerbyAPIOnlyReadersAreRegistered(t *testing.T) {
	names := map[string]bool{}
	for name, ds := range cerbyAPIOnlyReaders() {
		var meta datasource.MetadataResponse
		ds.Metadata(t.Context(), datasource.MetadataRequest{ProviderTypeName: providerTypeName}, &meta)
		if meta.TypeName != name {
			t.Errorf("%s is named %s", name, meta.TypeName)
		}
		names[name] = true
	}
	if !reflect.DeepEqual(names, cerbyAPIOnlyDataSources) {
		t.Errorf("readers %v, data sources %v", names, cerbyAPIOnlyDataSources)
	}
}
