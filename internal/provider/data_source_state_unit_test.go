package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cerby-community/terraform-provider-cerby/internal/client"
)

// setState must write exactly what the framework's State.Set writes.
func TestSetStateMatchesStateSet(t *testing.T) {
	accounts := []client.Account{
		decode[client.Account](t, fullAccountJSON),
		decode[client.Account](t, `{"id": "b"}`),
		decode[client.Account](t, `{"id": "c", "mfaTypes": [], "createdBy": "u-1", "workspacePolicyResult": {"mfa_validation": false}}`),
	}
	members := []client.Member{
		decode[client.Member](t, `{"id": "m", "firstName": "Jane", "isGuest": false, "meta": {"a": 1}}`),
		decode[client.Member](t, `{"id": "n"}`),
	}
	for name, tc := range map[string]struct {
		dataSource datasource.DataSource
		fill       func(ctx context.Context, t *testing.T, config tfsdk.Config) any
	}{
		"cerby_accounts": {newAccountsDataSource(), func(ctx context.Context, t *testing.T, config tfsdk.Config) any {
			var m accountsModel
			getConfig(ctx, t, config, &m)
			m.Accounts, m.IDs, m.Truncated = accountModelsFrom(accounts), idsOf(accounts, accountID), types.BoolValue(true)
			return &m
		}},
		"cerby_user_accounts": {newUserAccountsDataSource(), func(ctx context.Context, t *testing.T, config tfsdk.Config) any {
			var m userAccountsModel
			getConfig(ctx, t, config, &m)
			m.UserID, m.Accounts, m.IDs = types.StringValue("u"), accountModelsFrom(nil), idsOf([]client.Account{}, accountID)
			return &m
		}},
		"cerby_account": {newAccountDataSource(), func(ctx context.Context, t *testing.T, config tfsdk.Config) any {
			var m accountDataSourceModel
			getConfig(ctx, t, config, &m)
			m.accountModel = accountModelFrom(accounts[0])
			return &m
		}},
		"cerby_users": {newUsersDataSource(), func(ctx context.Context, t *testing.T, config tfsdk.Config) any {
			var m usersModel
			getConfig(ctx, t, config, &m)
			m.Users, m.IDs, m.Truncated = memberModelsFrom(members), idsOf(members, memberID), types.BoolValue(false)
			return &m
		}},
	} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			var s datasource.SchemaResponse
			tc.dataSource.Schema(ctx, datasource.SchemaRequest{}, &s)
			model := tc.fill(ctx, t, nullConfig(ctx, s))

			want := tfsdk.State{Schema: s.Schema}
			if diags := want.Set(ctx, model); diags.HasError() {
				t.Fatalf("State.Set: %v", diags)
			}
			got := tfsdk.State{Schema: s.Schema}
			if diags := setState(ctx, &got, model); diags.HasError() {
				t.Fatalf("setState: %v", diags)
			}
			if !got.Raw.Equal(want.Raw) {
				t.Errorf("setState wrote\n%s\nState.Set wrote\n%s", got.Raw, want.Raw)
			}
		})
	}
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
