package provider

import (
	"context"
	"errors"
	"fmt"
	"slices"

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
	_ datasource.DataSourceWithConfigure        = (*teamDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*teamDataSource)(nil)
)

// teamDataSource is cerby_team: one team, by id or exact name, with the ids
// of its members and accounts.
type teamDataSource struct {
	dataSourceBase
}

func newTeamDataSource() datasource.DataSource { return &teamDataSource{} }

// teamDataSourceModel puts the team's attributes at the top level; id and
// name double as the lookup keys.
type teamDataSourceModel struct {
	teamModel
	IncludeMemberIDs  types.Bool     `tfsdk:"include_member_ids"`
	IncludeAccountIDs types.Bool     `tfsdk:"include_account_ids"`
	MemberIDs         []string       `tfsdk:"member_ids"`  // nil (null) when not asked for
	AccountIDs        []string       `tfsdk:"account_ids"` // nil (null) when not asked for
	Timeouts          timeouts.Value `tfsdk:"timeouts"`
}

const readTeamSummary = "Cannot read Cerby team"

// teamListing is one of a team's sub-listings: the attribute it fills, the
// argument that turns it off, and what it lists.
type teamListing struct {
	attribute, argument, path, scope string
}

var (
	teamMembersListing = teamListing{"member_ids", "include_member_ids", "GET /api/v1/teams/{id}/members",
		"`" + client.ScopeReadUsers + "`"}
	teamAccountsListing = teamListing{"account_ids", "include_account_ids", "GET /api/v1/teams/{id}/accounts",
		"`" + client.ScopeReadUsers + "` and `" + client.ScopeReadAccounts + "`"}
)

func (d *teamDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_team"
}

func (d *teamDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attributes := cerbyAttributes(teamFields)
	attributes["id"] = schema.StringAttribute{
		Optional: true,
		Computed: true,
		MarkdownDescription: "Id (a UUID) of the team to read, with `GET /api/v1/teams/{id}`. Exactly one of `id` or `name` must be set; " +
			"when `name` is set, this is the id it resolved to. Cerby API only (the resource's `id`).",
		Validators: []validator.String{uuidValidator},
	}
	attributes["name"] = schema.StringAttribute{
		Optional: true,
		Computed: true,
		MarkdownDescription: "Exact name of the team to read (case-sensitive), among every page of `GET /api/v1/teams`. " +
			"Exactly one of `id` or `name` must be set; it is an error when no team or several teams have this name (the error lists them). " +
			"Cerby API only (its `name`).",
	}
	for _, l := range []teamListing{teamMembersListing, teamAccountsListing} {
		attributes[l.argument] = schema.BoolAttribute{
			Optional: true,
			MarkdownDescription: fmt.Sprintf("Whether to fill `%s` with `%s`, which needs the %s scope. Defaults to `true`; "+
				"`false` sends no such request and leaves `%s` null, for a workspace whose Cerby API does not offer that listing. Cerby API only.",
				l.attribute, l.path, l.scope, l.attribute),
		}
	}
	attributes[teamMembersListing.attribute] = schema.ListAttribute{
		Computed:    true,
		ElementType: types.StringType,
		MarkdownDescription: "Ids of the team's members (workspace members' ids, as `cerby_users` has them), sorted, from `" + teamMembersListing.path + "` " +
			"(each item's `memberId`, else `member_id`, else its own `id`); null when `include_member_ids = false`. " +
			"That listing is known from Cerby's release notes only: where the workspace's API answers it 404 or 405, the read fails on this attribute, saying so. " +
			"Cerby API only.",
	}
	attributes[teamAccountsListing.attribute] = schema.ListAttribute{
		Computed:    true,
		ElementType: types.StringType,
		MarkdownDescription: "Ids of the accounts shared with the team (as `cerby_accounts` has them), sorted, from `" + teamAccountsListing.path + "`; " +
			"null when `include_account_ids = false`. " +
			"That listing is known from Cerby's release notes only: where the workspace's API answers it 404 or 405, the read fails on this attribute, saying so. " +
			"Cerby API only.",
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one team, by id (`GET /api/v1/teams/{id}`) or by exact name (every page of `GET /api/v1/teams`), " +
			"then the ids of its members (`" + teamMembersListing.path + "`) and of its accounts (`" + teamAccountsListing.path + "`) unless turned off. " +
			"Exactly one of `id` or `name` must be set. " + teamsScopeText +
			" The accounts listing needs `" + client.ScopeReadAccounts + "` too." + cerbyAPIOnlyText,
		Attributes: attributes,
		Blocks:     map[string]schema.Block{"timeouts": timeoutsBlock(ctx)},
	}
}

func (d *teamDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("name")),
	}
}

func (d *teamDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	frameworkRead(ctx, d, req, resp)
}

func (d *teamDataSource) readState(ctx context.Context, config tfsdk.Config, diags *diag.Diagnostics) any {
	var model teamDataSourceModel
	ctx, cancel, ok := d.beginRead(ctx, config, &model, &model.Timeouts, diags)
	defer cancel()
	if !ok || !requireCerbyAPI(d.data.client.API(), "cerby_team", diags) {
		return nil
	}
	var team *client.Team
	if model.ID.IsNull() {
		team = d.teamByName(ctx, model.Name.ValueString(), diags)
	} else {
		team = d.teamByID(ctx, model.ID.ValueString(), diags)
	}
	if team == nil {
		return nil
	}
	state := teamDataSourceModel{
		teamModel:        teamModelFrom(team),
		IncludeMemberIDs: model.IncludeMemberIDs, IncludeAccountIDs: model.IncludeAccountIDs,
		Timeouts: model.Timeouts,
	}
	if !model.ID.IsNull() {
		state.ID = model.ID // keep the configured spelling (UUID letter case) so state matches configuration
	}
	if included(model.IncludeMemberIDs) {
		state.MemberIDs = d.teamListing(ctx, teamMembersListing, d.data.client.ListTeamMemberIDs, team.ID, diags)
	}
	if included(model.IncludeAccountIDs) {
		state.AccountIDs = d.teamListing(ctx, teamAccountsListing, d.data.client.ListTeamAccountIDs, team.ID, diags)
	}
	if diags.HasError() {
		return nil
	}
	return &state
}

// included is an include_…_ids argument's value: true unless set to false.
func included(b types.Bool) bool { return b.IsNull() || b.ValueBool() }

// teamListing reads one of a team's sub-listings, its ids sorted and never
// nil; nil when diags say why it could not.
func (d *teamDataSource) teamListing(ctx context.Context, l teamListing, list func(context.Context, string) ([]string, error), teamID string, diags *diag.Diagnostics) []string {
	ids, err := list(ctx, teamID)
	switch {
	case errors.Is(err, client.ErrNotOffered):
		diags.AddAttributeError(path.Root(l.attribute), readTeamSummary, notOfferedDetail(l, teamID, err))
		return nil
	case err != nil:
		addReadError(ctx, diags, readTeamSummary, err)
		return nil
	}
	return sortedIDs(ids)
}

// notOfferedDetail says which of a team's listings the workspace's Cerby API
// does not offer, and how to read the team without it.
func notOfferedDetail(l teamListing, teamID string, err error) string {
	return fmt.Sprintf("Team %s exists, but this workspace's Cerby API does not offer its listing %s (it answered 404 or 405; "+
		"the listing is known from Cerby's release notes only), so %s cannot be read. "+
		"Set `%s = false` to read the team without it.\n\n%s", teamID, l.path, l.attribute, l.argument, err)
}

// sortedIDs is ids sorted, never nil, so that none is an empty list rather
// than null.
func sortedIDs(ids []string) []string {
	out := make([]string, 0, len(ids))
	out = append(out, ids...)
	slices.Sort(out)
	return out
}

func (d *teamDataSource) teamByID(ctx context.Context, id string, diags *diag.Diagnostics) *client.Team {
	team, err := d.data.client.GetTeam(ctx, id)
	switch {
	case errors.Is(err, client.ErrNotFound):
		diags.AddAttributeError(path.Root("id"), readTeamSummary,
			fmt.Sprintf("team %s not found or not visible to these credentials (teams need the API key's creator to be a workspace Admin or higher).\n\n%s", id, err))
		return nil
	case err != nil:
		addReadError(ctx, diags, readTeamSummary, err)
		return nil
	}
	return team
}

func (d *teamDataSource) teamByName(ctx context.Context, name string, diags *diag.Diagnostics) *client.Team {
	teams, _, err := d.data.client.ListTeams(ctx, 0)
	if err != nil {
		addReadError(ctx, diags, readTeamSummary, err)
		return nil
	}
	team, detail := teamNamed(teams, name)
	if team == nil {
		diags.AddAttributeError(path.Root("name"), readTeamSummary, detail)
	}
	return team
}

// teamNamed is the one team of teams named exactly name (case-sensitive),
// or nil and why not: none, or several (each listed, so that one can be
// picked by id).
func teamNamed(teams []client.Team, name string) (*client.Team, string) {
	sortTeams(teams)
	var matches []client.Team
	for _, t := range teams {
		if t.Name != nil && *t.Name == name {
			matches = append(matches, t)
		}
	}
	switch len(matches) {
	case 1:
		return &matches[0], ""
	case 0:
		return nil, fmt.Sprintf("No team visible to these credentials is named exactly %q (names are case-sensitive). Teams compared (every page of GET /api/v1/teams): %s",
			name, describeCandidates(teams, describeTeam))
	default:
		return nil, fmt.Sprintf("%d teams are named %q; set id to one of them instead: %s", len(matches), name, describeCandidates(matches, describeTeam))
	}
}

func describeTeam(t client.Team) string {
	if t.Name == nil {
		return t.ID
	}
	return fmt.Sprintf("%s (%q)", t.ID, *t.Name)
}

func (m *teamDataSourceModel) listed() (int, string, string) {
	return len(m.MemberIDs) + len(m.AccountIDs), "member and account ids", "Narrow it: set include_member_ids or include_account_ids = false."
}
