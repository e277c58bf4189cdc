package provider

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cerby-community/terraform-provider-cerby/internal/client"
)

// setState must write exactly what the framework's State.Set writes. The
// list data sources hold the client's items, written through stateViewOf;
// the framework is given the list as models, by SetAttribute.
func TestSetStateMatchesStateSet(t *testing.T) {
	accounts := []client.Account{
		fullAccount(t), // every field set, the Cerby API's own too
		decode[client.Account](t, `{"id": "b"}`),
		decode[client.Account](t, `{"id": "c", "mfaTypes": [], "createdBy": "u-1", "workspacePolicyResult": {"mfa_validation": false}}`),
	}
	members := []client.Member{
		decode[client.Member](t, `{"id": "m", "firstName": "Jane", "isGuest": false, "meta": {"a": 1}}`),
		decode[client.Member](t, `{"id": "n"}`),
	}
	t.Run("short lists", func(t *testing.T) { testSetStateMatchesStateSet(t, accounts, members) })

	// Past sampleElements the buffer is grown once, from the first
	// elements' sizes; here the later ones are larger, so the buffer must
	// grow again, and the ids are written after the room reserved.
	var long []client.Account
	for i := range 3 * sampleElements {
		id := fmt.Sprintf(`"id": "a-%03d"`, i)
		if i < sampleElements {
			long = append(long, decode[client.Account](t, "{"+id+"}"))
		} else {
			long = append(long, decode[client.Account](t, strings.Replace(fullAccountJSON, `"id": "11111111-1111-4111-8111-111111111111"`, id, 1)))
		}
	}
	var longMembers []client.Member
	for i := range 2 * sampleElements {
		longMembers = append(longMembers, decode[client.Member](t, fmt.Sprintf(`{"id": "m-%03d", "firstName": "Jane"}`, i)))
	}
	t.Run("long lists", func(t *testing.T) { testSetStateMatchesStateSet(t, long, longMembers) })
}

func testSetStateMatchesStateSet(t *testing.T, accounts []client.Account, members []client.Member) {
	accountModels := mapped(accounts, accountModelFrom)
	for name, tc := range map[string]struct {
		dataSource datasource.DataSource
		fill       func(ctx context.Context, t *testing.T, config tfsdk.Config) (model any, list string, models any)
	}{
		"cerby_accounts": {newAccountsDataSource(), func(ctx context.Context, t *testing.T, config tfsdk.Config) (any, string, any) {
			var m accountsModel
			getConfig(ctx, t, config, &m)
			m.Accounts, m.IDs, m.Truncated = accounts, idsOf(accounts, accountID), types.BoolValue(true)
			return &m, "accounts", accountModels
		}},
		"cerby_user_accounts": {newUserAccountsDataSource(), func(ctx context.Context, t *testing.T, config tfsdk.Config) (any, string, any) {
			var m userAccountsModel
			getConfig(ctx, t, config, &m)
			m.UserID, m.Accounts, m.IDs = types.StringValue("u"), []client.Account{}, idsOf([]client.Account{}, accountID)
			return &m, "accounts", []accountModel{}
		}},
		"cerby_account": {newAccountDataSource(), func(ctx context.Context, t *testing.T, config tfsdk.Config) (any, string, any) {
			var m accountDataSourceModel
			getConfig(ctx, t, config, &m)
			m.accountModel = accountModelFrom(&accounts[0])
			return &m, "", nil
		}},
		"cerby_access": {newAccessDataSource(), func(ctx context.Context, t *testing.T, config tfsdk.Config) (any, string, any) {
			var m accessModel
			getConfig(ctx, t, config, &m)
			m.UserIDs = idsOf(members, memberID)
			m.Grants = []grantModel{
				{UserID: members[0].ID, AccountID: accounts[0].ID, Role: types.StringValue("account_owner")},
				{UserID: members[0].ID, AccountID: accounts[1].ID, Role: types.StringNull()},
				{UserID: members[1].ID, AccountID: accounts[0].ID, Role: types.StringValue("")},
			}
			return &m, "", nil
		}},
		"cerby_users": {newUsersDataSource(), func(ctx context.Context, t *testing.T, config tfsdk.Config) (any, string, any) {
			var m usersModel
			getConfig(ctx, t, config, &m)
			m.Users, m.IDs, m.Truncated = members, idsOf(members, memberID), types.BoolValue(false)
			return &m, "users", mapped(members, memberModelFrom)
		}},
	} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			var s datasource.SchemaResponse
			tc.dataSource.Schema(ctx, datasource.SchemaRequest{}, &s)
			model, list, models := tc.fill(ctx, t, nullConfig(ctx, s))

			got := tfsdk.State{Schema: s.Schema}
			if diags := setState(ctx, &got, model); diags.HasError() {
				t.Fatalf("setState: %v", diags)
			}
			want := tfsdk.State{Schema: s.Schema}
			if list != "" {
				items := reflect.ValueOf(model).Elem().FieldByName(strings.ToUpper(list[:1]) + list[1:])
				items.SetZero() // State.Set writes it as null; SetAttribute then writes the models
			}
			if diags := want.Set(ctx, model); diags.HasError() {
				t.Fatalf("State.Set: %v", diags)
			}
			if list != "" {
				if diags := want.SetAttribute(ctx, path.Root(list), models); diags.HasError() {
					t.Fatalf("State.SetAttribute: %v", diags)
				}
			}
			if !got.Raw.Equal(want.Raw) {
				t.Errorf("setState wrote\n%s\nState.Set wrote\n%s", got.Raw, want.Raw)
			}
		})
	}
}

func mapped[S, M any](items []S, toModel func(*S) M) []M {
	models := make([]M, len(items))
	for i := range items {
		models[i] = toModel(&items[i])
	}
	return models
}

func TestSetStateReportsAModelThatDoesNotFitTheSchema(t *testing.T) {
	ctx := context.Background()
	var s datasource.SchemaResponse
	newUsersDataSource().Schema(ctx, datasource.SchemaRequest{}, &s)
	state := tfsdk.State{Schema: s.Schema}
	if diags := setState(ctx, &state, &accountsModel{}); !diags.HasError() {
		t.Error("an accounts model written into the users schema should be an error")
	}
}

// nullConfig is a configuration of s with every attribute and block null.
func nullConfig(ctx context.Context, s datasource.SchemaResponse) tfsdk.Config {
	typ := s.Schema.Type().TerraformType(ctx).(tftypes.Object)
	values := map[string]tftypes.Value{}
	for name, attrType := range typ.AttributeTypes {
		values[name] = tftypes.NewValue(attrType, nil)
	}
	return tfsdk.Config{Schema: s.Schema, Raw: tftypes.NewValue(typ, values)}
}

func getConfig(ctx context.Context, t *testing.T, config tfsdk.Config, model any) {
	t.Helper()
	if diags := config.Get(ctx, model); diags.HasError() {
		t.Fatalf("Config.Get: %v", diags)
	}
}
