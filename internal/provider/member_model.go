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
	// The Cerby API's mfaStatus, filled only with include_mfa_status.
	MfaEnabled        types.Bool   `tfsdk:"mfa_enabled"`
	MfaEnrollmentDate types.String `tfsdk:"mfa_enrollment_date"`
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

		MfaEnabled:        types.BoolPointerValue(m.MfaEnabled),
		MfaEnrollmentDate: types.StringPointerValue(m.MfaEnrollmentDate),
	}
}

// sortMembers orders members by case-folded email, then id, for stable plans.
// A missing email sorts as "".
func sortMembers(members []client.Member) {
	sortByFoldedKey(members, func(m *client.Member) (*string, string) { return m.Email, m.ID })
}

func memberID(m client.Member) string { return m.ID }

// memberFields follows the Read API's member object (contract/read-api.md
// §3.2) and the Cerby API's user (contract/cerby-api.md §5.2).
var memberFields = []modelField{
	{"id", stringField, "Member id (a UUID).", both("id")},
	{"first_name", stringField, "First name.", both("firstName")},
	{"last_name", stringField, "Last name.", both("lastName")},
	{"email", stringField, "Email address.", both("email")},
	{"status", stringField, "Membership status: `live`, `pending` (invited, never logged in) or `disabled` (removed).", both("status")},
	{"role", stringField, "Workspace role, such as `workspace_owner`, `workspace_super_admin`, `workspace_guest_admin`, `workspace_login_only`, `workspace_guest_user` (the Admin and User role strings are undocumented).", both("role")},
	{"is_guest", boolField, "Whether the member is a guest.", both("isGuest")},
	{"created_at", stringField, "Time the member was added." + timestampNote, both("createdAt")},
	{"updated_at", stringField, "Time the member was last updated." + timestampNote, both("updatedAt")},
	{"last_activity", stringField, "Time of the member's last activity; null when never active." + timestampNote,
		fieldSource{readAPI: "lastActivity", cerbyAPI: "lastActivity", cerbyAPINote: "documented by the Cerby API's 2025 OpenAPI file only, so likely null there"}},
	{"meta_json", stringField, "The free-form `meta` object as JSON; null when absent. Decode with `jsondecode()`.", readAPIOnly("meta")},
	{"mfa_enabled", boolField, "Whether the member has enrolled multi-factor authentication: null unless `include_mfa_status = true` " +
		"(and then null where the API sends no `mfaStatus` for the member). " + mfaStatusNote,
		cerbyAPIOnly("mfaStatus.mfaEnabled")},
	{"mfa_enrollment_date", stringField, "Time the member enrolled multi-factor authentication: null unless `include_mfa_status = true`, " +
		"and null when the member has not enrolled." + timestampNote + " " + mfaStatusNote,
		cerbyAPIOnly("mfaStatus.mfaEnrollmentDate")},
}

// mfaStatusNote says what asking for the members' MFA status needs.
const mfaStatusNote = "Asked with `mfaStatus=true` on `GET /api/v1/users`, under the same `" + client.ScopeReadUsers + "` scope and role as the listing."

func memberAttributes() map[string]schema.Attribute { return computedAttributes(memberFields) }
