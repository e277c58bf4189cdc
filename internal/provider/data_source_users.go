package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cerby-community/terraform-provider-cerby/internal/client"
)

var _ datasource.DataSourceWithConfigure = (*usersDataSource)(nil)

type usersDataSource struct {
	dataSourceBase
}

func newUsersDataSource() datasource.DataSource { return &usersDataSource{} }

type usersModel struct {
	memberSelection
	OnlyInIdP        types.Bool      `tfsdk:"only_in_idp"`
	IncludeMFAStatus types.Bool      `tfsdk:"include_mfa_status"`
	MaxItems         types.Int64     `tfsdk:"max_items"`
	Users            []client.Member `tfsdk:"users"` // written as memberModel (stateViewOf)
	IDs              []string        `tfsdk:"ids"`
	Truncated        types.Bool      `tfsdk:"truncated"`
	Timeouts         timeouts.Value  `tfsdk:"timeouts"`
}

// refusedOnCerbyAPI lists the arguments the Cerby API cannot honour (C5).
func (m *usersModel) refusedOnCerbyAPI() []argument {
	return append(m.memberSelection.refusedOnCerbyAPI(), argument{"only_in_idp", m.OnlyInIdP})
}

const usersOnCerbyAPI = " The Cerby API lists the workspace's members only, not people who are only in the identity provider."

func (d *usersDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_users"
}

func (d *usersDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the members of the workspace, optionally filtered: `GET /v1/admin/users` on the Read API, " +
			"`GET /api/v1/users` on the Cerby API. Needs the `" + client.ScopeReadUsers + "` API scope on either API, " +
			"and a workspace Admin role or higher (on the Cerby API, the API key's creator's role). " +
			"On the Read API, filters are passed to the API as given. On the Cerby API, `search` is sent as `filter`, " +
			"`statuses` as `filter[status]` when it holds one value, and `is_guest` as `filter[isGuest]`; " +
			"the provider then applies `statuses`, `is_guest` and `user_ids` exactly itself, so the answer is exact whether or not the server honours them; " +
			"`only_in_idp` is refused. " +
			"`include_mfa_status` adds each member's MFA enrollment on the Cerby API (`mfaStatus=true`); the Read API has none. " +
			"Members are ordered by email (case-insensitive), then id.",
		Attributes: withAttributes(memberSelectionAttributes(), map[string]schema.Attribute{
			"only_in_idp": schema.BoolAttribute{
				Optional:            true,
				MarkdownDescription: "`true` for users of the identity provider who are not yet in the workspace: the Read API's `onlyInIdp`." + refusedOnCerbyAPIText,
			},
			"include_mfa_status": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "`true` to fill each member's `mfa_enabled` and `mfa_enrollment_date`: the Cerby API's `mfaStatus=true`, " +
					"under the listing's own `" + client.ScopeReadUsers + "` scope and role. Defaults to `false`: not asked, those two stay null. " +
					"The Read API sends no MFA status, so there it has no effect (with a warning) and they stay null.",
			},
			"max_items": maxItemsAttribute("members"),
			"users": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The members found, ordered by email (case-insensitive), then id.",
				NestedObject:        schema.NestedAttributeObject{Attributes: memberAttributes()},
			},
			"ids":       idsAttribute("users"),
			"truncated": truncatedAttribute("members"),
		}),
		Blocks: map[string]schema.Block{"timeouts": timeoutsBlock(ctx)},
	}
}

func (d *usersDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	frameworkRead(ctx, d, req, resp)
}

func (d *usersDataSource) readState(ctx context.Context, config tfsdk.Config, diags *diag.Diagnostics) any {
	var model usersModel
	ctx, cancel, ok := d.beginRead(ctx, config, &model, &model.Timeouts, diags)
	defer cancel()
	if !ok || !refuseOnCerbyAPI(d.data.client.API(), usersOnCerbyAPI, diags, model.refusedOnCerbyAPI()...) {
		return nil
	}
	filter := model.userFilter()
	filter.OnlyInIdP = model.OnlyInIdP.ValueBoolPointer()
	filter.MaxItems = int(model.MaxItems.ValueInt64())
	filter.IncludeMFAStatus = model.IncludeMFAStatus.ValueBool()
	if filter.IncludeMFAStatus && d.data.client.API() != client.CerbyAPI {
		diags.AddAttributeWarning(path.Root("include_mfa_status"), "include_mfa_status has no effect on the "+d.data.client.API().String(),
			"The "+d.data.client.API().String()+" sends no member's MFA status, so mfa_enabled and mfa_enrollment_date stay null. "+
				"Remove include_mfa_status, or read the Cerby API (api = \""+apiCerby+"\" and workspace in the provider block), which sends it.")
	}
	members, truncated, err := d.data.client.ListUsers(ctx, filter)
	if err != nil {
		addReadError(ctx, diags, "Cannot read Cerby users", err)
		return nil
	}
	sortMembers(members)
	model.Users = members
	model.IDs = idsOf(members, memberID)
	model.Truncated = types.BoolValue(truncated)
	return &model
}

func (m *usersModel) listed() (int, string, string) {
	return len(m.Users), "members", "Narrow it: filter with " + memberSelectionNarrowing + ", or set max_items."
}
