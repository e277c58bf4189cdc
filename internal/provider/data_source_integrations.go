package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cerby-community/terraform-provider-cerby/internal/client"
)

var _ datasource.DataSourceWithConfigure = (*integrationsDataSource)(nil)

// integrationsDataSource is cerby_integrations: the business hub
// integrations, account-like resources whose seats cerby_integration_users
// lists.
type integrationsDataSource struct {
	dataSourceBase
}

func newIntegrationsDataSource() datasource.DataSource { return &integrationsDataSource{} }

type integrationsModel struct {
	cerbyListingArgs
	Integrations []integrationModel `tfsdk:"integrations"`
}

// integrationsListing is cerby_integrations as a cerbyListing.
var integrationsListing = cerbyListing[client.Integration, integrationModel]{
	dataSource: "cerby_integrations", list: "integrations", read: (*client.Client).ListIntegrations, toModels: integrationsOf,
}

// integrationModel is one integration as exposed to Terraform.
type integrationModel struct {
	ID          types.String `tfsdk:"id"`
	Label       types.String `tfsdk:"label"`
	Application types.String `tfsdk:"application"`
	Workspace   types.String `tfsdk:"workspace"`
	CreatedAt   types.String `tfsdk:"created_at"`
	CreatedBy   types.String `tfsdk:"created_by"`
	UpdatedAt   types.String `tfsdk:"updated_at"`
}

func integrationModelFrom(i *client.Integration) integrationModel {
	return integrationModel{
		ID:          types.StringValue(i.ID),
		Label:       types.StringPointerValue(i.Label),
		Application: types.StringPointerValue(i.Application),
		Workspace:   types.StringPointerValue(i.Workspace),
		CreatedAt:   types.StringPointerValue(i.CreatedAt),
		CreatedBy:   types.StringPointerValue(i.CreatedBy),
		UpdatedAt:   types.StringPointerValue(i.UpdatedAt),
	}
}

// integrationFields follows the Cerby API's integration (contract/cerby-api.md
// §4), whose resource type is `account`.
var integrationFields = []cerbyField{
	{"id", stringField, "Integration id (a UUID), which is also the id of the tenant account it is (`cerby_accounts` may list it); " +
		"`cerby_integration_users`' `integration_id`.", "id"},
	{"label", stringField, "Integration name.", "label"},
	{"application", stringField, "Application id, such as `youtube_tenant` or `discord_tenant`.", "application"},
	{"workspace", stringField, "Name of the workspace the integration belongs to, such as `acme`.", "workspace"},
	{"created_at", stringField, "Creation time." + timestampNote, "createdAt"},
	{"created_by", stringField, "Id of the member who created the integration.", "createdBy"},
	{"updated_at", stringField, "Last update time." + timestampNote, "updatedAt"},
}

func sortIntegrations(integrations []client.Integration) {
	sortByFoldedKey(integrations, func(i *client.Integration) (*string, string) { return i.Label, i.ID })
}

func integrationID(i integrationModel) string { return i.ID.ValueString() }

func (d *integrationsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_integrations"
}

func (d *integrationsDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = integrationsListing.schema(ctx, "Lists the workspace's business hub integrations (the tenant accounts of apps such as YouTube or Discord whose seats Cerby manages): "+
		"every page of `GET /api/v1/integrations`. Needs the `"+client.ScopeReadIntegrations+"` API scope. "+
		"Integrations are ordered by label (case-insensitive), then id; who holds a seat in each is `cerby_integration_users`'.",
		"The integrations `GET /api/v1/integrations` lists, ordered by label (case-insensitive), then id.", integrationFields)
}

func (d *integrationsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	frameworkRead(ctx, d, req, resp)
}

func (d *integrationsDataSource) readState(ctx context.Context, config tfsdk.Config, diags *diag.Diagnostics) any {
	var model integrationsModel
	var ok bool
	if model.Integrations, ok = integrationsListing.readInto(ctx, &d.dataSourceBase, config, &model, &model.cerbyListingArgs, diags); !ok {
		return nil
	}
	return &model
}

// integrationsOf sorts integrations and maps them, with their ids in the
// same order.
func integrationsOf(integrations []client.Integration) ([]integrationModel, []string) {
	sortIntegrations(integrations)
	models := modelsOf(integrations, integrationModelFrom)
	return models, idsOf(models, integrationID)
}

func (m *integrationsModel) listed() (int, string, string) {
	return len(m.Integrations), "integrations", cerbyListingNarrowing
}
