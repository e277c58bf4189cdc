package provider

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"maps"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cerby-community/terraform-provider-cerby/internal/client"
)

const (
	defaultReadTimeout     = 20 * time.Minute
	defaultReadTimeoutText = "20m" // as the docs show it; a unit test keeps the two in step
)

// dataSourceBase is embedded by every data source: it receives the shared
// client from the provider and prepares each read.
type dataSourceBase struct {
	data *providerData
}

func (d *dataSourceBase) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	if req.ProviderData == nil {
		return // validate time: the provider is not configured yet
	}
	data, ok := req.ProviderData.(*providerData)
	if !ok {
		resp.Diagnostics.AddError("Unexpected provider data",
			fmt.Sprintf("The data source expected *providerData but received %T. This is a bug in the provider: please report it at %s/issues.", req.ProviderData, repositoryURL))
		return
	}
	d.data = data
}

// beginRead reads config into model, masks the credentials in this read's
// logs and bounds the whole read by t, the model's timeouts block. The caller
// must call cancel, and stop when ok is false (the problem is in diags).
func (d *dataSourceBase) beginRead(ctx context.Context, config tfsdk.Config, model any, t *timeouts.Value, diags *diag.Diagnostics) (_ context.Context, cancel context.CancelFunc, ok bool) {
	if diags.Append(config.Get(ctx, model)...); diags.HasError() {
		return ctx, func() {}, false
	}
	if d.data == nil {
		diags.AddError("Cerby provider not configured",
			"The data source was read before the provider was configured. This is a bug in the provider: please report it at "+repositoryURL+"/issues.")
		return ctx, func() {}, false
	}
	timeout, timeoutDiags := t.Read(ctx, defaultReadTimeout)
	diags.Append(timeoutDiags...)
	if timeoutDiags.HasError() {
		return ctx, func() {}, false
	}
	ctx, cancel = context.WithTimeout(maskSecrets(ctx, d.data.secrets), timeout)
	return ctx, cancel, true
}

// addReadError turns a client error into a diagnostic; the client's message
// already names the status, its likely cause, the scope and the request id.
func addReadError(ctx context.Context, diags *diag.Diagnostics, summary string, err error) {
	detail := err.Error()
	if errors.As(err, new(x509.UnknownAuthorityError)) {
		detail += fmt.Sprintf("\n\nThe server's TLS certificate is signed by an authority this machine does not trust. Behind a TLS-inspecting proxy, "+
			"set ca_certificate_file (or %s) to the proxy's CA certificate in PEM format.", envCAFile)
	}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		detail += fmt.Sprintf("\n\nThe read did not finish within its time limit (default %s): raise it with a `timeouts { read = \"30m\" }` block.", defaultReadTimeoutText)
	}
	diags.AddError(summary, detail)
}

func timeoutsBlock(ctx context.Context) schema.Block {
	block := timeouts.BlockWithOpts(ctx, timeouts.Opts{
		ReadDescription: fmt.Sprintf("Time limit of the whole read, including retries, as a Go duration such as `\"30m\"`. Defaults to `\"%s\"`.", defaultReadTimeoutText),
	})
	if nested, ok := block.(schema.SingleNestedBlock); ok {
		nested.MarkdownDescription = "Time limits of this data source."
		return nested
	}
	return block
}

const maxCandidatesListed = 20

// describeCandidates lists items for an error message, capped so that a broad
// search does not flood the terminal.
func describeCandidates[T any](items []T, describe func(T) string) string {
	if len(items) == 0 {
		return "none"
	}
	var lines []string
	for i, item := range items {
		if i == maxCandidatesListed {
			lines = append(lines, fmt.Sprintf("… and %d more", len(items)-maxCandidatesListed))
			break
		}
		lines = append(lines, "- "+describe(item))
	}
	return "\n" + strings.Join(lines, "\n")
}

// ownerRuleText is the Cerby API's visibility rule for accounts
// (contract/cerby-api.md §2, C21), said by the account data sources.
const ownerRuleText = "On the Cerby API, only the accounts the API key's creator owns are visible, not those merely shared with them."

// argument is one of a data source's arguments as its read got it.
type argument struct {
	name  string
	value attr.Value
}

// refusedOnCerbyAPIText ends the description of an argument the Cerby API
// cannot honour.
const refusedOnCerbyAPIText = " Refused on the Cerby API, which has no such filter: leave it unset there, or set `api = \"read_api\"` in the provider block."

// refuseOnCerbyAPI is the one place a data source branches on the API: it
// adds an error on each of args that is set (not null) while the client
// speaks the Cerby API, which has no such filter and whose answers cannot be
// narrowed to it exactly (contract/cerby-api.md, C5). It runs before any
// request and reports every such argument at once; instead says what works
// on the Cerby API. It reports whether the read may go on.
func refuseOnCerbyAPI(api client.API, instead string, diags *diag.Diagnostics, args ...argument) bool {
	if api != client.CerbyAPI {
		return true
	}
	ok := true
	for _, a := range args {
		if a.value.IsNull() {
			continue
		}
		ok = false
		diags.AddAttributeError(path.Root(a.name), "Argument not supported by the "+api.String(),
			fmt.Sprintf("`%s` cannot be used while the provider reads the %s: that API has no such filter, and the provider cannot apply it exactly itself. "+
				"Remove `%s`.%s Or, if your credentials are accepted by the legacy Read API, set `api = \"read_api\"` in the provider block to use it.",
				a.name, api, a.name, instead))
	}
	return ok
}

// cerbyAPIOnlyText ends the description of a data source only the Cerby API
// serves (cerby_teams, cerby_team, cerby_vaults, cerby_integrations,
// cerby_integration_users).
const cerbyAPIOnlyText = " Cerby API only: with the provider on the Read API, which has no such listing, the read fails at plan time before any request, " +
	"saying so; choose the Cerby API with `api = \"" + apiCerby + "\"` and `workspace` in the provider block (or `" + envAPI + "` and `" + envWorkspace + "`)."

// requireCerbyAPI is refuseOnCerbyAPI's counterpart for a data source only
// the Cerby API serves: on any other API it adds one error, on no attribute
// (the data source as a whole cannot be read there), that names the data
// source and how to choose the Cerby API, before any request. It reports
// whether the read may go on.
func requireCerbyAPI(api client.API, dataSource string, diags *diag.Diagnostics) bool {
	if api == client.CerbyAPI {
		return true
	}
	diags.AddError(dataSource+" needs the Cerby API",
		fmt.Sprintf("`%s` reads what only the Cerby API (`https://<workspace>.cerby.com/api/v1`) offers, and the provider is reading the %s, which has no such listing. "+
			"Set `api = %q` and `workspace = \"<your workspace>\"` in the provider block (or the %s and %s environment variables), "+
			"with an API key made for the Cerby API; or remove this data source.",
			dataSource, api, apiCerby, envAPI, envWorkspace))
	return false
}

// cerbyField is one computed attribute of an object only the Cerby API
// serves: what it is, and the resource key it is read from, which its
// description names (C11).
type cerbyField struct {
	name        string
	kind        fieldKind // stringField, boolField or stringListField
	description string
	key         string // the resource's key: `id`, or one of its attributes
}

func (f cerbyField) fullDescription() string {
	if f.key == "id" {
		return f.description + " Cerby API only (the resource's `id`)."
	}
	return f.description + " Cerby API only (its `" + f.key + "`); null when the API does not send it."
}

// cerbyAttributes is the schema of a table of cerbyFields.
func cerbyAttributes(fields []cerbyField) map[string]schema.Attribute {
	attrs := make(map[string]schema.Attribute, len(fields))
	for _, f := range fields {
		switch f.kind {
		case boolField:
			attrs[f.name] = schema.BoolAttribute{Computed: true, MarkdownDescription: f.fullDescription()}
		case stringListField:
			attrs[f.name] = schema.ListAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: f.fullDescription()}
		default:
			attrs[f.name] = schema.StringAttribute{Computed: true, MarkdownDescription: f.fullDescription()}
		}
	}
	return attrs
}

// modelsOf maps the client's items to their models, in order; never nil, so
// that none is an empty list rather than null.
func modelsOf[S, M any](items []S, toModel func(*S) M) []M {
	out := make([]M, len(items))
	for i := range items {
		out[i] = toModel(&items[i])
	}
	return out
}

// maxItemsAttribute is the optional max_items of a listing of what.
func maxItemsAttribute(what string) schema.Attribute {
	return schema.Int64Attribute{
		Optional: true,
		MarkdownDescription: "Stop reading once this many " + what + " were found (at least 1), then sort them; `truncated` tells whether more were left. " +
			"Without it every page is read. Needs no scope of its own.",
		Validators: []validator.Int64{int64validator.AtLeast(1)},
	}
}

// idsAttribute is the computed ids of a list attribute.
func idsAttribute(list string) schema.Attribute {
	return schema.ListAttribute{
		Computed:            true,
		ElementType:         types.StringType,
		MarkdownDescription: "Ids of `" + list + "`, in the same order.",
	}
}

// truncatedAttribute is the computed truncated of a listing of what.
func truncatedAttribute(what string) schema.Attribute {
	return schema.BoolAttribute{
		Computed:            true,
		MarkdownDescription: "Whether `max_items` stopped the read before every one of the " + what + " was read.",
	}
}

// memberSelection is the arguments that select workspace members, the same
// in cerby_users and cerby_access (which embed it): one schema
// (memberSelectionAttributes), one filter (userFilter), one list of what the
// Cerby API refuses.
type memberSelection struct {
	Search   types.String `tfsdk:"search"`
	Statuses []string     `tfsdk:"statuses"`
	UserIDs  []string     `tfsdk:"user_ids"`
	IsGuest  types.Bool   `tfsdk:"is_guest"`
}

func (s *memberSelection) userFilter() client.UserFilter {
	return client.UserFilter{
		Search:   s.Search.ValueString(),
		Statuses: s.Statuses,
		UserIDs:  s.UserIDs,
		IsGuest:  s.IsGuest.ValueBoolPointer(),
	}
}

// refusedOnCerbyAPI lists the selecting arguments the Cerby API cannot
// honour: none, since the provider applies exactly what its filters lack
// (C7). A data source adds its own.
func (s *memberSelection) refusedOnCerbyAPI() []argument { return nil }

// memberSelectionNarrowing names the selecting arguments, for a read too
// large for Terraform (ceiling.go).
const memberSelectionNarrowing = "search, statuses, user_ids or is_guest"

// memberSelectionAttributes is the schema of memberSelection.
func memberSelectionAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"search": schema.StringAttribute{
			Optional:            true,
			MarkdownDescription: "Partial match on name or email: the Read API's `search`, the Cerby API's `filter`.",
		},
		"statuses": schema.ListAttribute{
			Optional:    true,
			ElementType: types.StringType,
			MarkdownDescription: "Only members with one of these statuses. Documented values: `live`, `pending`, `disabled`. " +
				"The Read API's `status`; on the Cerby API, `filter[status]` when one value is given, and applied exactly by the provider.",
			Validators: []validator.List{listvalidator.NoNullValues()},
		},
		"user_ids": schema.ListAttribute{
			Optional:    true,
			ElementType: types.StringType,
			MarkdownDescription: "Only the members with these ids (UUIDs): the Read API's `userIds`. The Cerby API has no such filter, " +
				"so there the provider reads the listing and keeps exactly these.",
			Validators: []validator.List{listvalidator.NoNullValues(), listvalidator.ValueStringsAre(uuidValidator)},
		},
		"is_guest": schema.BoolAttribute{
			Optional: true,
			MarkdownDescription: "`true` for guests only, `false` for non-guests only; unset for both. " +
				"The Read API's `isGuest`; on the Cerby API, `filter[isGuest]`, and applied exactly by the provider.",
		},
	}
}

// withAttributes is attrs with more added: a data source's own attributes
// beside those it shares.
func withAttributes(attrs, more map[string]schema.Attribute) map[string]schema.Attribute {
	maps.Copy(attrs, more)
	return attrs
}
