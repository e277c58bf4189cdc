package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"

	"github.com/cerby-community/terraform-provider-cerby/internal/client"
)

var (
	_ datasource.DataSourceWithConfigure        = (*accountDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*accountDataSource)(nil)
)

type accountDataSource struct {
	dataSourceBase
}

func newAccountDataSource() datasource.DataSource { return &accountDataSource{} }

// accountDataSourceModel puts every account attribute at the top level; id
// and name double as the lookup keys.
type accountDataSourceModel struct {
	accountModel
	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

const readAccountSummary = "Cannot read Cerby account"

// ownerRule404Text says what the owner rule means for a read by id (C21).
const ownerRule404Text = "There, an account the key's creator does not own answers 404 when read by id, as a missing one does."

func (d *accountDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_account"
}

func (d *accountDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attributes := accountAttributes()
	attributes["id"] = schema.StringAttribute{
		Optional: true,
		Computed: true,
		MarkdownDescription: "Id (a UUID) of the account to read. Exactly one of `id` or `name` must be set. " +
			accountField("id").source.sentence(),
		Validators: []validator.String{uuidValidator},
	}
	attributes["name"] = schema.StringAttribute{
		Optional: true,
		Computed: true,
		MarkdownDescription: "Exact name of the account to read (case-sensitive): on the Read API among the accounts its `search` finds, " +
			"on the Cerby API among every account (it cannot search). " +
			"Exactly one of `id` or `name` must be set; it is an error when no account or several accounts have this name. " +
			accountField("name").source.sentence(),
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one account, by id (`GET /v1/accounts/{id}` on the Read API, `GET /api/v1/accounts/{id}` on the Cerby API) " +
			"or by exact name (`GET /v1/accounts?search=…` on the Read API; on the Cerby API, every page of `GET /api/v1/accounts`). " +
			"Exactly one of `id` or `name` must be set. Needs the `" + client.ScopeReadAccounts + "` API scope on either API. " +
			ownerRuleText + " " + ownerRule404Text,
		Attributes: attributes,
		Blocks:     map[string]schema.Block{"timeouts": timeoutsBlock(ctx)},
	}
}

func (d *accountDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("name")),
	}
}

func (d *accountDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	frameworkRead(ctx, d, req, resp)
}

func (d *accountDataSource) readState(ctx context.Context, config tfsdk.Config, diags *diag.Diagnostics) any {
	var model accountDataSourceModel
	ctx, cancel, ok := d.beginRead(ctx, config, &model, &model.Timeouts, diags)
	defer cancel()
	if !ok {
		return nil
	}
	var account *client.Account
	if model.ID.IsNull() {
		account = d.accountByName(ctx, model.Name.ValueString(), diags)
	} else {
		account = d.accountByID(ctx, model.ID.ValueString(), diags)
	}
	if account == nil {
		return nil
	}
	state := accountDataSourceModel{accountModel: accountModelFrom(account), Timeouts: model.Timeouts}
	if !model.ID.IsNull() {
		state.ID = model.ID // keep the configured spelling (UUID letter case) so state matches configuration
	}
	return &state
}

func (d *accountDataSource) accountByID(ctx context.Context, id string, diags *diag.Diagnostics) *client.Account {
	account, err := d.data.client.GetAccount(ctx, id)
	switch {
	case errors.Is(err, client.ErrNotFound):
		diags.AddAttributeError(path.Root("id"), readAccountSummary,
			fmt.Sprintf("account %s not found or not visible to these credentials. %s %s\n\n%s", id, ownerRuleText, ownerRule404Text, err))
	case err != nil:
		addReadError(ctx, diags, readAccountSummary, err)
	}
	return account
}

func (d *accountDataSource) accountByName(ctx context.Context, name string, diags *diag.Diagnostics) *client.Account {
	candidates, err := d.data.client.AccountNameCandidates(ctx, name)
	if err != nil {
		addReadError(ctx, diags, readAccountSummary, err)
		return nil
	}
	sortAccounts(candidates)
	var matches []client.Account
	for _, a := range candidates {
		if a.Name != nil && *a.Name == name {
			matches = append(matches, a)
		}
	}
	switch len(matches) {
	case 1:
		return &matches[0]
	case 0:
		diags.AddAttributeError(path.Root("name"), readAccountSummary,
			fmt.Sprintf("No account visible to these credentials is named exactly %q (names are case-sensitive). %s "+
				"Accounts compared (on the Read API, those its search for the name found; on the Cerby API, every visible account): %s",
				name, ownerRuleText, describeCandidates(candidates, describeAccount)))
	default:
		diags.AddAttributeError(path.Root("name"), readAccountSummary,
			fmt.Sprintf("%d accounts are named %q; set id to one of them instead: %s", len(matches), name, describeCandidates(matches, describeAccount)))
	}
	return nil
}

func describeAccount(a client.Account) string {
	if a.Name == nil {
		return a.ID
	}
	return fmt.Sprintf("%s (%q)", a.ID, *a.Name)
}
