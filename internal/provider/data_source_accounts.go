package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cerby-community/terraform-provider-cerby/internal/client"
)

var _ datasource.DataSourceWithConfigure = (*accountsDataSource)(nil)

type accountsDataSource struct {
	dataSourceBase
}

func newAccountsDataSource() datasource.DataSource { return &accountsDataSource{} }

type accountsModel struct {
	Search       types.String     `tfsdk:"search"`
	Status       types.String     `tfsdk:"status"`
	Type         types.String     `tfsdk:"type"`
	Role         types.String     `tfsdk:"role"`
	Applications []string         `tfsdk:"applications"`
	AccountIDs   []string         `tfsdk:"account_ids"`
	MaxItems     types.Int64      `tfsdk:"max_items"`
	Accounts     []client.Account `tfsdk:"accounts"` // written as accountModel (stateViewOf)
	IDs          []string         `tfsdk:"ids"`
	Truncated    types.Bool       `tfsdk:"truncated"`
	Timeouts     timeouts.Value   `tfsdk:"timeouts"`
}

// refusedOnCerbyAPI lists the arguments the Cerby API cannot honour (C5).
func (m *accountsModel) refusedOnCerbyAPI() []argument {
	return []argument{{"search", m.Search}, {"type", m.Type}, {"role", m.Role}}
}

const accountsOnCerbyAPI = " On the Cerby API, filter with `applications`, `status` or `account_ids`."

func (d *accountsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_accounts"
}

func (d *accountsDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the accounts visible to the credentials, optionally filtered: `GET /v1/accounts` on the Read API, " +
			"`GET /api/v1/accounts` on the Cerby API. Needs the `" + client.ScopeReadAccounts + "` API scope on either API. " +
			ownerRuleText + " An empty list there usually means that person owns none. " +
			"Filters are passed to the API as given, except on the Cerby API: `account_ids` is applied exactly by the provider there, " +
			"and `search`, `type` and `role` are refused. " +
			"Accounts are ordered by name (case-insensitive), then id, so that plans stay stable whatever order the API uses.",
		Attributes: map[string]schema.Attribute{
			"search": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Partial match on the account, as the Read API's `search` parameter does it." + refusedOnCerbyAPIText,
			},
			"status": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Only accounts with this status, sent as given: the Read API's `status`, the Cerby API's `filter[status]`. " +
					"Documented values: `pending`, `provision`, `success`, `enabled`, `disabled` on the Read API; `enabled`, `disabled` on the Cerby API, " +
					"which rejects the others.",
			},
			"type": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Only items of this type, the Read API's `type`. Documented values: `identity`, `resource`, `secret`, `integration`. " +
					"Never the Cerby API's JSON:API resource type." + refusedOnCerbyAPIText,
			},
			"role": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Only accounts on which the caller has this role, the Read API's `role`. " +
					"Documented values: `account_owner`, `account_manager`, `account_collaborator`." + refusedOnCerbyAPIText,
			},
			"applications": schema.ListAttribute{
				Optional:    true,
				ElementType: types.StringType,
				MarkdownDescription: "Only accounts of these applications (ids such as `google`, `instagram`): the Read API's `provider`, " +
					"the Cerby API's `filter[application]`. The API is asked once per application and the results are merged.",
				Validators: []validator.List{listvalidator.NoNullValues()},
			},
			"account_ids": schema.ListAttribute{
				Optional:    true,
				ElementType: types.StringType,
				MarkdownDescription: "Only the accounts with these ids (UUIDs): the Read API's `ids`. The Cerby API has no such filter, " +
					"so there the provider reads the listing and keeps exactly these.",
				Validators: []validator.List{listvalidator.NoNullValues(), listvalidator.ValueStringsAre(uuidValidator)},
			},
			"max_items": maxItemsAttribute("accounts"),
			"accounts":  accountListAttribute("The accounts found, ordered by name (case-insensitive), then id."),
			"ids":       idsAttribute("accounts"),
			"truncated": truncatedAttribute("accounts"),
		},
		Blocks: map[string]schema.Block{"timeouts": timeoutsBlock(ctx)},
	}
}

func (d *accountsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	frameworkRead(ctx, d, req, resp)
}

func (d *accountsDataSource) readState(ctx context.Context, config tfsdk.Config, diags *diag.Diagnostics) any {
	var model accountsModel
	ctx, cancel, ok := d.beginRead(ctx, config, &model, &model.Timeouts, diags)
	defer cancel()
	if !ok || !refuseOnCerbyAPI(d.data.client.API(), accountsOnCerbyAPI, diags, model.refusedOnCerbyAPI()...) {
		return nil
	}
	accounts, truncated, err := d.data.client.ListAccounts(ctx, client.AccountFilter{
		Search:       model.Search.ValueString(),
		Status:       model.Status.ValueString(),
		Type:         model.Type.ValueString(),
		Role:         model.Role.ValueString(),
		Applications: model.Applications,
		IDs:          model.AccountIDs,
		MaxItems:     int(model.MaxItems.ValueInt64()),
	})
	if err != nil {
		addReadError(ctx, diags, "Cannot read Cerby accounts", err)
		return nil
	}
	sortAccounts(accounts)
	model.Accounts = accounts
	model.IDs = idsOf(accounts, accountID)
	model.Truncated = types.BoolValue(truncated)
	return &model
}

func (m *accountsModel) listed() (int, string, string) {
	return len(m.Accounts), "accounts", "Narrow it: filter with applications, status or account_ids, or set max_items."
}
