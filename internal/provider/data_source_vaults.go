package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cerby-community/terraform-provider-cerby/internal/client"
)

var _ datasource.DataSourceWithConfigure = (*vaultsDataSource)(nil)

// vaultsDataSource is cerby_vaults: the workspace's vaults and how each is
// encrypted. It never reads a secret.
type vaultsDataSource struct {
	dataSourceBase
}

func newVaultsDataSource() datasource.DataSource { return &vaultsDataSource{} }

type vaultsModel struct {
	cerbyListingArgs
	Vaults []vaultModel `tfsdk:"vaults"`
}

// vaultsListing is cerby_vaults as a cerbyListing.
var vaultsListing = cerbyListing[client.Vault, vaultModel]{
	dataSource: "cerby_vaults", list: "vaults", read: (*client.Client).ListVaults, toModels: vaultsOf,
}

// vaultModel is one vault as exposed to Terraform.
type vaultModel struct {
	ID            types.String `tfsdk:"id"`
	Name          types.String `tfsdk:"name"`
	Scheme        types.String `tfsdk:"scheme"`
	State         types.String `tfsdk:"state"`
	CreatedByType types.String `tfsdk:"created_by_type"`
	CreatedBy     types.String `tfsdk:"created_by"`
	WorkspaceID   types.String `tfsdk:"workspace_id"`
	CreatedAt     types.String `tfsdk:"created_at"`
	UpdatedAt     types.String `tfsdk:"updated_at"`
}

func vaultModelFrom(v *client.Vault) vaultModel {
	return vaultModel{
		ID:            types.StringValue(v.ID),
		Name:          types.StringPointerValue(v.Name),
		Scheme:        types.StringPointerValue(v.Scheme),
		State:         types.StringPointerValue(v.State),
		CreatedByType: types.StringPointerValue(v.CreatedByType),
		CreatedBy:     types.StringPointerValue(v.CreatedBy),
		WorkspaceID:   types.StringPointerValue(v.WorkspaceID),
		CreatedAt:     types.StringPointerValue(v.CreatedAt),
		UpdatedAt:     types.StringPointerValue(v.UpdatedAt),
	}
}

// vaultFields follows the Cerby API's vault (contract/cerby-api.md §4).
var vaultFields = []cerbyField{
	{"id", stringField, "Vault id (a UUID).", "id"},
	{"name", stringField, "Vault name.", "name"},
	{"scheme", stringField, "How the vault is encrypted: `local_encryption_key` (Cerby's own key), `kms_byo` (the customer's AWS KMS key) " +
		"or `akv` (the customer's Azure Key Vault); passed on unchecked.", "scheme"},
	{"state", stringField, "`enabled` or `disabled`.", "state"},
	{"created_by_type", stringField, "Who created the vault: `system` or `user`.", "createdByType"},
	{"created_by", stringField, "Id of the vault's creator.", "createdBy"},
	{"workspace_id", stringField, "Id of the workspace the vault belongs to.", "workspaceId"},
	{"created_at", stringField, "Creation time." + timestampNote, "createdAt"},
	{"updated_at", stringField, "Last update time." + timestampNote, "updatedAt"},
}

func sortVaults(vaults []client.Vault) {
	sortByFoldedKey(vaults, func(v *client.Vault) (*string, string) { return v.Name, v.ID })
}

func vaultID(v vaultModel) string { return v.ID.ValueString() }

func (d *vaultsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_vaults"
}

func (d *vaultsDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = vaultsListing.schema(ctx, "Lists the workspace's vaults and how each is encrypted: every page of `GET /api/v1/vaults`. It reads no secret. "+
		"Needs the `"+client.ScopeReadVaults+"` API scope and the API key's creator to be a workspace Admin or higher. "+
		"Cerby's documentation says only cloud vaults are listed, while its own example shows a local one: expect either. "+
		"Vaults are ordered by name (case-insensitive), then id.",
		"The vaults `GET /api/v1/vaults` lists, ordered by name (case-insensitive), then id.", vaultFields)
}

func (d *vaultsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	frameworkRead(ctx, d, req, resp)
}

func (d *vaultsDataSource) readState(ctx context.Context, config tfsdk.Config, diags *diag.Diagnostics) any {
	var model vaultsModel
	var ok bool
	if model.Vaults, ok = vaultsListing.readInto(ctx, &d.dataSourceBase, config, &model, &model.cerbyListingArgs, diags); !ok {
		return nil
	}
	return &model
}

// vaultsOf sorts vaults and maps them, with their ids in the same order.
func vaultsOf(vaults []client.Vault) ([]vaultModel, []string) {
	sortVaults(vaults)
	models := modelsOf(vaults, vaultModelFrom)
	return models, idsOf(models, vaultID)
}

func (m *vaultsModel) listed() (int, string, string) {
	return len(m.Vaults), "vaults", cerbyListingNarrowing
}
