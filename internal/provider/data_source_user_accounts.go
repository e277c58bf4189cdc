package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cerby-community/terraform-provider-cerby/internal/client"
)

var (
	_ datasource.DataSourceWithConfigure        = (*userAccountsDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*userAccountsDataSource)(nil)
)

type userAccountsDataSource struct {
	dataSourceBase
}

func newUserAccountsDataSource() datasource.DataSource { return &userAccountsDataSource{} }

type userAccountsModel struct {
	UserID    types.String     `tfsdk:"user_id"`
	UserEmail types.String     `tfsdk:"user_email"`
	Accounts  []client.Account `tfsdk:"accounts"` // written as accountModel (stateViewOf)
	IDs       []string         `tfsdk:"ids"`
	Timeouts  timeouts.Value   `tfsdk:"timeouts"`
}

func (d *userAccountsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_user_accounts"
}

func (d *userAccountsDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the accounts a workspace member created or can access: `GET /v1/users/{id}/accounts` on the Read API; " +
			"on the Cerby API, `GET /api/v1/users/{id}` to find the member, then `GET /api/v1/users/{id}/accounts`, an endpoint only a third party reports: " +
			"where a workspace's Cerby API does not offer it, the read fails saying so (`api = \"read_api\"` in the provider block reads the Read API instead). " +
			"Exactly one of `user_id` or `user_email` must be set. Needs the `" + client.ScopeReadAccounts + "` API scope, " +
			"and also `" + client.ScopeReadUsers + "` when the member is found by `user_email`, or always on the Cerby API. " +
			"Whether the Cerby API lists here only the accounts the API key's creator owns, as it does elsewhere, is not known. " +
			"Accounts are ordered by name (case-insensitive), then id.",
		Attributes: map[string]schema.Attribute{
			"user_id": schema.StringAttribute{
				Optional: true,
				Computed: true,
				MarkdownDescription: "Id (a UUID) of the member. Exactly one of `user_id` or `user_email` must be set; " +
					"when `user_email` is set, this is the id it resolved to.",
				Validators: []validator.String{uuidValidator},
			},
			"user_email": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Email of the member (case-insensitive exact match), looked up among the workspace members (`" + client.ScopeReadUsers + "` scope) " +
					"through the Read API's `search` or the Cerby API's `filter`. " +
					"Exactly one of `user_id` or `user_email` must be set; it is an error when no member or several members have this email.",
				Validators: []validator.String{emailValidator},
			},
			"accounts": accountListAttribute("The member's accounts, ordered by name (case-insensitive), then id."),
			"ids": schema.ListAttribute{
				Computed:            true,
				ElementType:         types.StringType,
				MarkdownDescription: "Ids of `accounts`, in the same order.",
			},
		},
		Blocks: map[string]schema.Block{"timeouts": timeoutsBlock(ctx)},
	}
}

func (d *userAccountsDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("user_id"), path.MatchRoot("user_email")),
	}
}

func (d *userAccountsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	frameworkRead(ctx, d, req, resp)
}

func (d *userAccountsDataSource) readState(ctx context.Context, config tfsdk.Config, diags *diag.Diagnostics) any {
	var model userAccountsModel
	ctx, cancel, ok := d.beginRead(ctx, config, &model, &model.Timeouts, diags)
	defer cancel()
	if !ok {
		return nil
	}
	lookedUpBy := path.Root("user_id")
	if model.UserID.IsNull() {
		lookedUpBy = path.Root("user_email")
		id, found := d.userIDByEmail(ctx, model.UserEmail.ValueString(), diags)
		if !found {
			return nil
		}
		model.UserID = types.StringValue(id)
	}
	userID := model.UserID.ValueString()
	accounts, err := d.data.client.ListUserAccounts(ctx, userID)
	switch {
	case errors.Is(err, client.ErrNotFound):
		diags.AddAttributeError(lookedUpBy, "Cannot read Cerby user accounts",
			fmt.Sprintf("user %s not found.\n\n%s", userID, err))
		return nil
	case err != nil:
		addReadError(ctx, diags, "Cannot read Cerby user accounts", err)
		return nil
	}
	sortAccounts(accounts)
	model.Accounts = accounts
	model.IDs = idsOf(accounts, accountID)
	return &model
}

func (d *userAccountsDataSource) userIDByEmail(ctx context.Context, email string, diags *diag.Diagnostics) (string, bool) {
	const summary = "Cannot find Cerby user"
	candidates, _, err := d.data.client.ListUsers(ctx, client.UserFilter{Search: email})
	if err != nil {
		addReadError(ctx, diags, summary, err)
		return "", false
	}
	sortMembers(candidates)
	var matches []client.Member
	for _, m := range candidates {
		if m.Email != nil && strings.EqualFold(*m.Email, email) {
			matches = append(matches, m)
		}
	}
	switch len(matches) {
	case 1:
		return matches[0].ID, true
	case 0:
		diags.AddAttributeError(path.Root("user_email"), summary,
			fmt.Sprintf("No workspace member visible to these credentials has the email %q. Members the search found: %s",
				email, describeCandidates(candidates, describeMember)))
	default:
		diags.AddAttributeError(path.Root("user_email"), summary,
			fmt.Sprintf("%d members have the email %q; set user_id to one of them instead: %s", len(matches), email, describeCandidates(matches, describeMember)))
	}
	return "", false
}

func describeMember(m client.Member) string {
	if m.Email == nil {
		return m.ID
	}
	return fmt.Sprintf("%s (%s)", m.ID, *m.Email)
}

func (m *userAccountsModel) listed() (int, string, string) {
	return len(m.Accounts), "accounts", "A member's accounts cannot be narrowed on the API: read them with cerby_accounts and its filters instead."
}
