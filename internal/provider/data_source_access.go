package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cerby-community/terraform-provider-cerby/internal/client"
)

var _ datasource.DataSourceWithConfigure = (*accessDataSource)(nil)

// accessDataSource is cerby_access: who can reach what, every selected
// member's accounts in one read, in place of one cerby_user_accounts per
// member through for_each, whose cost in Terraform grows with every
// instance.
type accessDataSource struct {
	dataSourceBase
}

func newAccessDataSource() datasource.DataSource { return &accessDataSource{} }

// accessModel selects members as cerby_users does (memberSelection); its
// user_ids is also the result: the members covered.
type accessModel struct {
	memberSelection
	Concurrency types.Int64    `tfsdk:"concurrency"`
	Grants      []grantModel   `tfsdk:"grants"`
	Timeouts    timeouts.Value `tfsdk:"timeouts"`
}

// grantModel is one account one member reaches: ids and a role only, so that
// the state stays small; names and emails come from cerby_users and
// cerby_accounts.
type grantModel struct {
	UserID    string       `tfsdk:"user_id"`
	AccountID string       `tfsdk:"account_id"`
	Role      types.String `tfsdk:"role"`
}

const readAccessSummary = "Cannot read Cerby access"

func (d *accessDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_access"
}

func (d *accessDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Who can reach what: the accounts of every selected workspace member, in one read. " +
			"It selects members as `cerby_users` does (`GET /v1/admin/users` on the Read API, `GET /api/v1/users` on the Cerby API), " +
			"then reads each member's accounts inside the provider (`GET /v1/users/{id}/accounts` on the Read API, " +
			"`GET /api/v1/users/{id}/accounts` on the Cerby API, an endpoint only a third party reports), `concurrency` members at a time, " +
			"under the provider's `requests_per_second`, retries and shared pause after a 429, as every other read. " +
			"That is one members listing plus each member's pages, none repeated: `GET /api/v1/users/{id}` is asked only for a member whose accounts " +
			"answer 404 or 405 on the Cerby API, to tell a member gone from a workspace whose Cerby API does not offer the endpoint " +
			"(then the read fails saying so; `api = \"read_api\"` in the provider block reads the Read API instead). " +
			"A member listed but gone before its accounts were read is left out of `user_ids` and `grants`, with a warning naming it; " +
			"any other error fails the read. " +
			"Needs the `" + client.ScopeReadUsers + "` API scope and a workspace Admin role or higher (on the Cerby API, the API key's creator's role) " +
			"for the listing, and `" + client.ScopeReadAccounts + "` for the members' accounts. " +
			"Whether the Cerby API lists here only the accounts the API key's creator owns, as it does elsewhere, is not known. " +
			"The result is compact on purpose, ids and roles only: take names and emails from `cerby_users` and `cerby_accounts` " +
			"through a `locals` map keyed by id, as the example shows. " +
			"It replaces one `cerby_user_accounts` per member through `for_each`, whose cost in Terraform grows with every member.",
		Attributes: withAttributes(accessSelectionAttributes(), map[string]schema.Attribute{
			"concurrency": schema.Int64Attribute{
				Optional: true,
				MarkdownDescription: fmt.Sprintf("How many members' accounts are read at once, from 1 to %d; defaults to %d. "+
					"Each member's pages are read one after the other, so this bounds the requests in flight; "+
					"the provider's `requests_per_second` and its pause after a 429 still hold for all of them. Needs no scope of its own.",
					client.MaxAccessConcurrency, client.DefaultAccessConcurrency),
				Validators: []validator.Int64{int64validator.Between(1, client.MaxAccessConcurrency)},
			},
			"grants": schema.ListNestedAttribute{
				Computed: true,
				MarkdownDescription: "One element per account a covered member created or can reach (`" + client.ScopeReadAccounts + "` scope), " +
					"ordered by `user_id`, then `account_id`; an account appears once per member however often the API lists it. " +
					"A member who reaches nothing has no element here, but is in `user_ids`.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"user_id": schema.StringAttribute{
						Computed:            true,
						MarkdownDescription: "Id of the member, one of `user_ids`: a member's `id` in `cerby_users`. " + both("id").sentence(),
					},
					"account_id": schema.StringAttribute{
						Computed:            true,
						MarkdownDescription: "Id of an account the member created or can reach: an account's `id` in `cerby_accounts`. " + both("id").sentence(),
					},
					"role": schema.StringAttribute{
						Computed: true,
						MarkdownDescription: "The member's role on the account, as the Read API's listing of the member's accounts gives it (`role`, " +
							"seen as `owner`, `collaborator`, `account_owner`, …), never checked against a list; null where the API does not say it. " +
							readAPIOnly("role").sentence() + " The Cerby API's accounts carry no role.",
					},
				}},
			},
		}),
		Blocks: map[string]schema.Block{"timeouts": timeoutsBlock(ctx)},
	}
}

// accessSelectionAttributes are cerby_users' member-selecting attributes,
// each saying which request it narrows and what unset means; user_ids is
// also the result.
func accessSelectionAttributes() map[string]schema.Attribute {
	attrs := memberSelectionAttributes()
	const listing = " Narrows the members listing (`" + client.ScopeReadUsers + "` scope), and so the members whose accounts are read."
	search := attrs["search"].(schema.StringAttribute)
	search.MarkdownDescription += listing + " Unset: no name or email filter."
	statuses := attrs["statuses"].(schema.ListAttribute)
	statuses.MarkdownDescription += listing + " Unset: members of every status the listing returns without this filter."
	isGuest := attrs["is_guest"].(schema.BoolAttribute)
	isGuest.MarkdownDescription += listing
	userIDs := attrs["user_ids"].(schema.ListAttribute)
	userIDs.Computed = true
	userIDs.MarkdownDescription += listing + " Unset: every member the other arguments select. " +
		"Once read, the ids of the members covered, ordered: those selected, less any gone before their accounts were read " +
		"(each named in a warning) and any id given that no member has."
	attrs["search"], attrs["statuses"], attrs["is_guest"], attrs["user_ids"] = search, statuses, isGuest, userIDs
	return attrs
}

func (d *accessDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	frameworkRead(ctx, d, req, resp)
}

func (d *accessDataSource) readState(ctx context.Context, config tfsdk.Config, diags *diag.Diagnostics) any {
	var model accessModel
	ctx, cancel, ok := d.beginRead(ctx, config, &model, &model.Timeouts, diags)
	defer cancel()
	if !ok || !refuseOnCerbyAPI(d.data.client.API(), "", diags, model.refusedOnCerbyAPI()...) {
		return nil
	}
	concurrency := client.DefaultAccessConcurrency
	if !model.Concurrency.IsNull() {
		concurrency = int(model.Concurrency.ValueInt64())
	}
	members, _, err := d.data.client.ListUsers(ctx, model.userFilter())
	if err != nil {
		addReadError(ctx, diags, readAccessSummary, err)
		return nil
	}
	ids := idsOf(members, memberID)
	slices.Sort(ids)
	access, err := d.data.client.ReadAccess(ctx, ids, concurrency)
	if err != nil {
		addReadError(ctx, diags, readAccessSummary, err)
		return nil
	}
	model.UserIDs, model.Grants = grantsOf(access)
	if gone := goneMembers(access); len(gone) > 0 {
		diags.AddWarning(goneWarning(gone))
	}
	return &model
}

// grantsOf lists the members read and their grants, access being in user id
// order: ordered by user id, then account id. Never nil, so that none is an
// empty list rather than null.
func grantsOf(access []client.MemberAccess) (userIDs []string, grants []grantModel) {
	n := 0
	for _, a := range access {
		n += len(a.Accounts)
	}
	userIDs, grants = make([]string, 0, len(access)), make([]grantModel, 0, n)
	for _, a := range access {
		if a.Gone != nil {
			continue
		}
		userIDs = append(userIDs, a.UserID)
		from := len(grants)
		for i := range a.Accounts {
			grants = append(grants, grantModel{UserID: a.UserID, AccountID: a.Accounts[i].ID, Role: types.StringPointerValue(a.Accounts[i].Role)})
		}
		slices.SortFunc(grants[from:], func(x, y grantModel) int { return strings.Compare(x.AccountID, y.AccountID) })
	}
	return userIDs, grants
}

func goneMembers(access []client.MemberAccess) []client.MemberAccess {
	var gone []client.MemberAccess
	for _, a := range access {
		if a.Gone != nil {
			gone = append(gone, a)
		}
	}
	return gone
}

// goneWarning names every member left out, in one warning: the CLIs fold
// warnings of one summary into the first.
func goneWarning(gone []client.MemberAccess) (summary, detail string) {
	ids := make([]string, len(gone))
	for i, g := range gone {
		ids[i] = g.UserID
	}
	what := "1 member was"
	if len(gone) > 1 {
		what = fmt.Sprintf("%d members were", len(gone))
	}
	return "Members left out of cerby_access",
		fmt.Sprintf("%s listed, then not found when their accounts were read (probably removed from the workspace meanwhile), "+
			"so they are left out of user_ids and grants:\n- %s\n\nThe answer for %s: %s",
			what, strings.Join(ids, "\n- "), gone[0].UserID, gone[0].Gone)
}

func (m *accessModel) listed() (int, string, string) {
	return len(m.Grants), "grants", "Narrow it: select fewer members with " + memberSelectionNarrowing + ", and read each part in its own cerby_access."
}
