package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
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
	Search    types.String    `tfsdk:"search"`
	Statuses  []string        `tfsdk:"statuses"`
	UserIDs   []string        `tfsdk:"user_ids"`
	IsGuest   types.Bool      `tfsdk:"is_guest"`
	OnlyInIdP types.Bool      `tfsdk:"only_in_idp"`
	MaxItems  types.Int64     `tfsdk:"max_items"`
	Users     []client.Member `tfsdk:"users"` // written as memberModel (stateViewOf)
	IDs       []string        `tfsdk:"ids"`
	Truncated types.Bool      `tfsdk:"truncated"`
	Timeouts  timeouts.Value  `tfsdk:"timeouts"`
}

func (d *usersDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_users"
}

func (d *usersDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the members of the workspace (`GET /v1/admin/users`), optionally filtered. " +
			"Needs the `" + client.ScopeReadUsers + "` API scope and a workspace Admin role or higher. Filters are passed to the API as given. " +
			"Members are ordered by email (case-insensitive), then id.",
		Attributes: map[string]schema.Attribute{
			"search": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Partial match on name or email.",
			},
			"statuses": schema.ListAttribute{
				Optional:            true,
				ElementType:         types.StringType,
				MarkdownDescription: "Only members with one of these statuses. Documented values: `live`, `pending`, `disabled`.",
				Validators:          []validator.List{listvalidator.NoNullValues()},
			},
			"user_ids": schema.ListAttribute{
				Optional:            true,
				ElementType:         types.StringType,
				MarkdownDescription: "Only the members with these ids (UUIDs; the API's `userIds`).",
				Validators:          []validator.List{listvalidator.NoNullValues(), listvalidator.ValueStringsAre(uuidValidator)},
			},
			"is_guest": schema.BoolAttribute{
				Optional:            true,
				MarkdownDescription: "`true` for guests only, `false` for non-guests only; unset for both.",
			},
			"only_in_idp": schema.BoolAttribute{
				Optional:            true,
				MarkdownDescription: "`true` for users of the identity provider who are not yet in the workspace.",
			},
			"max_items": schema.Int64Attribute{
				Optional: true,
				MarkdownDescription: "Stop reading once this many members were read (at least 1), then sort them; `truncated` tells whether more were left. " +
					"Without it every page is read.",
				Validators: []validator.Int64{int64validator.AtLeast(1)},
			},
			"users": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The members found, ordered by email (case-insensitive), then id.",
				NestedObject:        schema.NestedAttributeObject{Attributes: memberAttributes()},
			},
			"ids": schema.ListAttribute{
				Computed:            true,
				ElementType:         types.StringType,
				MarkdownDescription: "Ids of `users`, in the same order.",
			},
			"truncated": schema.BoolAttribute{
				Computed:            true,
				MarkdownDescription: "Whether `max_items` stopped the read before every member was read.",
			},
		},
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
	if !ok {
		return nil
	}
	members, truncated, err := d.data.client.ListUsers(ctx, client.UserFilter{
		Search:    model.Search.ValueString(),
		Statuses:  model.Statuses,
		UserIDs:   model.UserIDs,
		IsGuest:   model.IsGuest.ValueBoolPointer(),
		OnlyInIdP: model.OnlyInIdP.ValueBoolPointer(),
		MaxItems:  int(model.MaxItems.ValueInt64()),
	})
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
