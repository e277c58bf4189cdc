package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cerby-community/terraform-provider-cerby/internal/client"
)

var _ datasource.DataSourceWithConfigure = (*teamsDataSource)(nil)

// teamsDataSource is cerby_teams: every team of the workspace, a Cerby API
// listing the Read API never had.
type teamsDataSource struct {
	dataSourceBase
}

func newTeamsDataSource() datasource.DataSource { return &teamsDataSource{} }

type teamsModel struct {
	cerbyListingArgs
	Teams []teamModel `tfsdk:"teams"`
}

// teamsListing is cerby_teams as a cerbyListing.
var teamsListing = cerbyListing[client.Team, teamModel]{
	dataSource: "cerby_teams", list: "teams", read: (*client.Client).ListTeams, toModels: teamsOf,
}

// teamModel is one team as exposed to Terraform: an element of cerby_teams'
// teams, and the top level of cerby_team.
type teamModel struct {
	ID          types.String `tfsdk:"id"`
	Name        types.String `tfsdk:"name"`
	Type        types.String `tfsdk:"type"`
	WorkspaceID types.String `tfsdk:"workspace_id"`
	VaultID     types.String `tfsdk:"vault_id"`
	CreatedAt   types.String `tfsdk:"created_at"`
	UpdatedAt   types.String `tfsdk:"updated_at"`
}

func teamModelFrom(t *client.Team) teamModel {
	return teamModel{
		ID:          types.StringValue(t.ID),
		Name:        types.StringPointerValue(t.Name),
		Type:        types.StringPointerValue(t.Type),
		WorkspaceID: types.StringPointerValue(t.WorkspaceID),
		VaultID:     types.StringPointerValue(t.VaultID),
		CreatedAt:   types.StringPointerValue(t.CreatedAt),
		UpdatedAt:   types.StringPointerValue(t.UpdatedAt),
	}
}

// teamFields follows the Cerby API's team (contract/cerby-api.md §4).
var teamFields = []cerbyField{
	{"id", stringField, "Team id (a UUID).", "id"},
	{"name", stringField, "Team name.", "name"},
	{"type", stringField, "How the team is managed: `scim_managed` (synchronised from the identity provider) or `user_managed` " +
		"(the 2025 OpenAPI file adds `undefined`); passed on unchecked. Not the resource's JSON:API type.", "type"},
	{"workspace_id", stringField, "Id of the workspace the team belongs to.", "workspaceId"},
	{"vault_id", stringField, "Id of the team's vault; documented by the Cerby API's 2025 OpenAPI file only, so likely null.", "vaultId"},
	{"created_at", stringField, "Creation time." + timestampNote, "createdAt"},
	{"updated_at", stringField, "Last update time." + timestampNote, "updatedAt"},
}

// sortTeams orders teams by case-folded name, then id; a missing name sorts
// as "".
func sortTeams(teams []client.Team) {
	sortByFoldedKey(teams, func(t *client.Team) (*string, string) { return t.Name, t.ID })
}

func teamID(t teamModel) string { return t.ID.ValueString() }

// teamsScopeText is what reading teams needs (contract/cerby-api.md §1, §3).
const teamsScopeText = "Needs the `" + client.ScopeReadUsers + "` API scope (which some workspaces call `Read teams`) " +
	"and the API key's creator to be a workspace Admin or higher."

func (d *teamsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_teams"
}

func (d *teamsDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = teamsListing.schema(ctx, "Lists every team of the workspace, through which access is granted: every page of `GET /api/v1/teams`. "+
		teamsScopeText+" Teams are ordered by name (case-insensitive), then id. "+
		"A team's members and accounts are `cerby_team`'s.",
		"The teams `GET /api/v1/teams` lists, ordered by name (case-insensitive), then id.", teamFields)
}

func (d *teamsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	frameworkRead(ctx, d, req, resp)
}

func (d *teamsDataSource) readState(ctx context.Context, config tfsdk.Config, diags *diag.Diagnostics) any {
	var model teamsModel
	var ok bool
	if model.Teams, ok = teamsListing.readInto(ctx, &d.dataSourceBase, config, &model, &model.cerbyListingArgs, diags); !ok {
		return nil
	}
	return &model
}

// teamsOf sorts teams and maps them, with their ids in the same order.
func teamsOf(teams []client.Team) ([]teamModel, []string) {
	sortTeams(teams)
	models := modelsOf(teams, teamModelFrom)
	return models, idsOf(models, teamID)
}

func (m *teamsModel) listed() (int, string, string) {
	return len(m.Teams), "teams", cerbyListingNarrowing
}
