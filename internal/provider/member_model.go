package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cerby-community/terraform-provider-cerby/internal/client"
)

// memberModel is one workspace member as exposed to Terraform.
type memberModel struct {
	ID           types.String `tfsdk:"id"`
	FirstName    types.String `tfsdk:"first_name"`
	LastName     types.String `tfsdk:"last_name"`
	Email        types.String `tfsdk:"email"`
	Status       types.String `tfsdk:"status"`
	Role         types.String `tfsdk:"role"`
	IsGuest      types.Bool   `tfsdk:"is_guest"`
	CreatedAt    types.String `tfsdk:"created_at"`
	UpdatedAt    types.String `tfsdk:"updated_at"`
	LastActivity types.String `tfsdk:"last_activity"`
	MetaJSON     types.String `tfsdk:"meta_json"`
}

func memberModelFrom(m *client.Member) memberModel {
	return memberModel{
		ID:           types.StringValue(m.ID),
		FirstName:    types.StringPointerValue(m.FirstName),
		LastName:     types.StringPointerValue(m.LastName),
		Email:        types.StringPointerValue(m.Email),
		Status:       types.StringPointerValue(m.Status),
		Role:         types.StringPointerValue(m.Role),
		IsGuest:      types.BoolPointerValue(m.IsGuest),
		CreatedAt:    types.StringPointerValue(m.CreatedAt),
		UpdatedAt:    types.StringPointerValue(m.UpdatedAt),
		LastActivity: types.StringPointerValue(m.LastActivity),
		MetaJSON:     rawJSONValue(m.Meta),
	}
}

// sortMembers orders members by case-folded email, then id, for stable plans.
// A missing email sorts as "".
func sortMembers(members []client.Member) {
	sortByFoldedKey(members, func(m *client.Member) (*string, string) { return m.Email, m.ID })
}

func memberID(m client.Member) string { return m.ID }

func memberAttributes() map[string]schema.Attribute {
	computedString := func(description string) schema.Attribute {
		return schema.StringAttribute{Computed: true, MarkdownDescription: description}
	}
	const timestamp = " Kept as the ISO-8601 string the API sent."
	return map[string]schema.Attribute{
		"id":            computedString("Member id (a UUID)."),
		"first_name":    computedString("First name."),
		"last_name":     computedString("Last name."),
		"email":         computedString("Email address."),
		"status":        computedString("Membership status: `live`, `pending` (invited, never logged in) or `disabled` (removed)."),
		"role":          computedString("Workspace role, such as `workspace_owner`, `workspace_super_admin`, `workspace_guest_admin`, `workspace_login_only`, `workspace_guest_user` (the Admin and User role strings are undocumented)."),
		"is_guest":      schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether the member is a guest."},
		"created_at":    computedString("Time the member was added." + timestamp),
		"updated_at":    computedString("Time the member was last updated." + timestamp),
		"last_activity": computedString("Time of the member's last activity; null when never active." + timestamp),
		"meta_json":     computedString("The free-form `meta` object as JSON; null when absent. Decode with `jsondecode()`."),
	}
}
