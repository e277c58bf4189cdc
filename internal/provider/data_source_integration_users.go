package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cerby-community/terraform-provider-cerby/internal/client"
)

var _ datasource.DataSourceWithConfigure = (*integrationUsersDataSource)(nil)

// integrationUsersDataSource is cerby_integration_users: who holds a seat in
// one integration, with which role and entitlements.
type integrationUsersDataSource struct {
	dataSourceBase
}

func newIntegrationUsersDataSource() datasource.DataSource { return &integrationUsersDataSource{} }

type integrationUsersModel struct {
	IntegrationID types.String           `tfsdk:"integration_id"`
	MaxItems      types.Int64            `tfsdk:"max_items"`
	Users         []integrationUserModel `tfsdk:"users"`
	IDs           []string               `tfsdk:"ids"`
	Truncated     types.Bool             `tfsdk:"truncated"`
	Timeouts      timeouts.Value         `tfsdk:"timeouts"`
}

// integrationUserModel is one seat as exposed to Terraform.
type integrationUserModel struct {
	ID                types.String       `tfsdk:"id"`
	FirstName         types.String       `tfsdk:"first_name"`
	LastName          types.String       `tfsdk:"last_name"`
	Email             types.String       `tfsdk:"email"`
	Status            types.String       `tfsdk:"status"`
	IsGuest           types.Bool         `tfsdk:"is_guest"`
	Role              types.String       `tfsdk:"role"`
	CreatedAt         types.String       `tfsdk:"created_at"`
	UpdatedAt         types.String       `tfsdk:"updated_at"`
	Entitlements      []entitlementModel `tfsdk:"entitlements"` // nil is a null list, empty stays an empty list
	DynamicFieldsJSON types.String       `tfsdk:"dynamic_fields_json"`
}

type entitlementModel struct {
	Key   types.String `tfsdk:"key"`
	Label types.String `tfsdk:"label"`
	Group types.String `tfsdk:"group"`
	Value types.String `tfsdk:"value"`
}

func integrationUserModelFrom(u *client.IntegrationUser) integrationUserModel {
	m := integrationUserModel{
		ID:                types.StringValue(u.ID),
		FirstName:         types.StringPointerValue(u.FirstName),
		LastName:          types.StringPointerValue(u.LastName),
		Email:             types.StringPointerValue(u.Email),
		Status:            types.StringPointerValue(u.Status),
		IsGuest:           types.BoolPointerValue(u.IsGuest),
		Role:              types.StringPointerValue(u.Role),
		CreatedAt:         types.StringPointerValue(u.CreatedAt),
		UpdatedAt:         types.StringPointerValue(u.UpdatedAt),
		DynamicFieldsJSON: rawJSONValue(u.DynamicFields),
	}
	if u.Entitlements != nil {
		m.Entitlements = modelsOf(u.Entitlements, entitlementModelFrom)
	}
	return m
}

func entitlementModelFrom(e *client.Entitlement) entitlementModel {
	return entitlementModel{
		Key:   types.StringPointerValue(e.Key),
		Label: types.StringPointerValue(e.Label),
		Group: types.StringPointerValue(e.Group),
		Value: types.StringPointerValue(e.Value),
	}
}

// integrationUserFields follows the Cerby API's integrationUser
// (contract/cerby-api.md §4); entitlements is entitlementsAttribute.
var integrationUserFields = []cerbyField{
	{"id", stringField, "Id of the member holding the seat (a UUID): a member's `id` in `cerby_users`.", "id"},
	{"first_name", stringField, "First name.", "firstName"},
	{"last_name", stringField, "Last name.", "lastName"},
	{"email", stringField, "Email address.", "email"},
	{"status", stringField, "The member's status: `live`, `pending` or `disabled`; a seat held by a disabled member shows here.", "status"},
	{"is_guest", boolField, "Whether the member is a guest.", "isGuest"},
	{"role", stringField, "The member's role in the integration: `owner` or `collaborator`; passed on unchecked.", "role"},
	{"created_at", stringField, "Time the seat was given; documented by the 2025 OpenAPI file only." + timestampNote, "createdAt"},
	{"updated_at", stringField, "Time the seat was last changed; documented by the 2025 OpenAPI file only." + timestampNote, "updatedAt"},
	{"dynamic_fields_json", stringField, "The app's own fields of the seat, a free-form object of strings, numbers and booleans, as JSON; " +
		"null when absent. Decode with `jsondecode()`.", "meta.dynamicFields"},
}

// entitlementFields are the attributes of one entitlement. An entitlement
// may come as a JSON:API resource, a flat object or a bare key (C24).
var entitlementFields = []cerbyField{
	{"key", stringField, "Entitlement key, such as `VIEWER_LIMITED`; an entitlement sent as a bare string is this key.", "key"},
	{"label", stringField, "Label, often an i18n key such as `YOUTUBE_TENANT_EDITOR_DESC`, or `\"\"`.", "label"},
	{"group", stringField, "`primary` or `secondary`.", "group"},
	{"value", stringField, "Value; a number or boolean is kept as its JSON text, such as `\"3\"` or `\"true\"`.", "value"},
}

func entitlementsAttribute() schema.Attribute {
	return schema.ListNestedAttribute{
		Computed: true,
		MarkdownDescription: "The seat's entitlements, in the order the API sent them; null when the API sent none, empty when it sent an empty list. " +
			"Cerby API only (its `entitlements`).",
		NestedObject: schema.NestedAttributeObject{Attributes: cerbyAttributes(entitlementFields)},
	}
}

func sortIntegrationUsers(users []client.IntegrationUser) {
	sortByFoldedKey(users, func(u *client.IntegrationUser) (*string, string) { return u.Email, u.ID })
}

func integrationUserID(u integrationUserModel) string { return u.ID.ValueString() }

const readIntegrationUsersSummary = "Cannot read Cerby integration users"

func (d *integrationUsersDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_integration_users"
}

func (d *integrationUsersDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	userAttributes := cerbyAttributes(integrationUserFields)
	userAttributes["entitlements"] = entitlementsAttribute()
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists who holds a seat in one business hub integration, with the seat's role and entitlements: " +
			"every page of `GET /api/v1/integrations/{id}/users` (Cerby's 2026 OpenAPI file writes `/user`, its prose `/users`). " +
			"Where that answers 404 or 405, `GET /api/v1/integrations/{id}` tells a missing integration from a workspace whose API does not offer the listing; " +
			"either fails the read, saying which. " +
			"Needs the `" + client.ScopeReadUsers + "` and `" + client.ScopeReadIntegrations + "` API scopes. " +
			"Seats are ordered by email (case-insensitive), then id." + cerbyAPIOnlyText,
		Attributes: map[string]schema.Attribute{
			"integration_id": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Id (a UUID) of the integration, as `cerby_integrations` lists it. Required; an integration not found is an error on it.",
				Validators:          []validator.String{uuidValidator},
			},
			"max_items": maxItemsAttribute("seats"),
			"users": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The seats `GET /api/v1/integrations/{id}/users` lists, ordered by email (case-insensitive), then id.",
				NestedObject:        schema.NestedAttributeObject{Attributes: userAttributes},
			},
			"ids":       idsAttribute("users"),
			"truncated": truncatedAttribute("seats"),
		},
		Blocks: map[string]schema.Block{"timeouts": timeoutsBlock(ctx)},
	}
}

func (d *integrationUsersDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	frameworkRead(ctx, d, req, resp)
}

func (d *integrationUsersDataSource) readState(ctx context.Context, config tfsdk.Config, diags *diag.Diagnostics) any {
	var model integrationUsersModel
	ctx, cancel, ok := d.beginRead(ctx, config, &model, &model.Timeouts, diags)
	defer cancel()
	if !ok || !requireCerbyAPI(d.data.client.API(), "cerby_integration_users", diags) {
		return nil
	}
	id := model.IntegrationID.ValueString()
	users, truncated, err := d.data.client.ListIntegrationUsers(ctx, id, int(model.MaxItems.ValueInt64()))
	switch {
	case errors.Is(err, client.ErrNotFound):
		diags.AddAttributeError(path.Root("integration_id"), readIntegrationUsersSummary,
			fmt.Sprintf("integration %s not found or not visible to these credentials; cerby_integrations lists those that are.\n\n%s", id, err))
		return nil
	case err != nil:
		addReadError(ctx, diags, readIntegrationUsersSummary, err)
		return nil
	}
	model.Users, model.IDs = integrationUsersOf(users)
	model.Truncated = types.BoolValue(truncated)
	return &model
}

// integrationUsersOf sorts seats and maps them, with their ids in the same
// order.
func integrationUsersOf(users []client.IntegrationUser) ([]integrationUserModel, []string) {
	sortIntegrationUsers(users)
	models := modelsOf(users, integrationUserModelFrom)
	return models, idsOf(models, integrationUserID)
}

func (m *integrationUsersModel) listed() (int, string, string) {
	return len(m.Users), "seats", "Narrow it: set max_items."
}
