package provider

import (
	"cmp"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cerby-community/terraform-provider-cerby/internal/client"
)

// accountModel is one account as exposed to Terraform. It is embedded by the
// cerby_account model and used as the element of the accounts lists.
type accountModel struct {
	ID                       types.String                `tfsdk:"id"`
	Name                     types.String                `tfsdk:"name"`
	Username                 types.String                `tfsdk:"username"`
	Application              types.String                `tfsdk:"application"`
	VaultID                  types.String                `tfsdk:"vault_id"`
	IdekID                   types.String                `tfsdk:"idek_id"`
	Workspace                types.String                `tfsdk:"workspace"`
	MfaEnabled               types.Bool                  `tfsdk:"mfa_enabled"`
	AutofillMfa              types.Bool                  `tfsdk:"autofill_mfa"`
	PasswordSet              types.Bool                  `tfsdk:"password_set"`
	PasswordVisible          types.Bool                  `tfsdk:"password_visible"`
	CreatedBy                types.String                `tfsdk:"created_by"`
	CreatedByEmail           types.String                `tfsdk:"created_by_email"`
	CreatedByJSON            types.String                `tfsdk:"created_by_json"`
	CreatedAt                types.String                `tfsdk:"created_at"`
	UpdatedAt                types.String                `tfsdk:"updated_at"`
	Role                     types.String                `tfsdk:"role"`
	AvatarURL                types.String                `tfsdk:"avatar_url"`
	Email                    types.String                `tfsdk:"email"`
	Type                     types.String                `tfsdk:"type"`
	URL                      types.String                `tfsdk:"url"`
	Domain                   types.String                `tfsdk:"domain"`
	Status                   types.String                `tfsdk:"status"`
	Phone                    types.String                `tfsdk:"phone"`
	RotatedBy                types.String                `tfsdk:"rotated_by"`
	RotatedAt                types.String                `tfsdk:"rotated_at"`
	SyncedAt                 types.String                `tfsdk:"synced_at"`
	HasBackupCode            types.Bool                  `tfsdk:"has_backup_code"`
	RotatedByID              types.String                `tfsdk:"rotated_by_id"`
	LastLoginDate            types.String                `tfsdk:"last_login_date"`
	LastLoginUserName        types.String                `tfsdk:"last_login_user_name"`
	IsEmailManaged           types.Bool                  `tfsdk:"is_email_managed"`
	IsPhoneManaged           types.Bool                  `tfsdk:"is_phone_managed"`
	OriginalEmail            types.String                `tfsdk:"original_email"`
	OriginalPhone            types.String                `tfsdk:"original_phone"`
	BusinessID               types.String                `tfsdk:"business_id"`
	MfaTypes                 []string                    `tfsdk:"mfa_types"` // nil is a null list, empty stays an empty list
	RotatedByUser            types.String                `tfsdk:"rotated_by_user"`
	HasTotpVirtualDevice     types.Bool                  `tfsdk:"has_totp_virtual_device"`
	WorkspacePolicyResult    *workspacePolicyResultModel `tfsdk:"workspace_policy_result"` // nil is a null object
	WorkspacePolicyCheckDate types.String                `tfsdk:"workspace_policy_check_date"`
	DomainsJSON              types.String                `tfsdk:"domains_json"`
	MetaJSON                 types.String                `tfsdk:"meta_json"`
	PermissionsJSON          types.String                `tfsdk:"permissions_json"`
}

type workspacePolicyResultModel struct {
	MfaValidation    types.Bool `tfsdk:"mfa_validation"`
	PasswordRotation types.Bool `tfsdk:"password_rotation"`
}

func accountModelFrom(a *client.Account) accountModel {
	m := accountModel{
		ID:                       types.StringValue(a.ID),
		Name:                     types.StringPointerValue(a.Name),
		Username:                 types.StringPointerValue(a.Username),
		Application:              types.StringPointerValue(a.Provider),
		VaultID:                  types.StringPointerValue(a.VaultID),
		IdekID:                   types.StringPointerValue(a.IdekID),
		Workspace:                types.StringPointerValue(a.Workspace),
		MfaEnabled:               types.BoolPointerValue(a.MfaEnabled),
		AutofillMfa:              types.BoolPointerValue(a.AutofillMfa),
		PasswordSet:              types.BoolPointerValue(a.PasswordSet),
		PasswordVisible:          types.BoolPointerValue(a.PasswordVisible),
		CreatedBy:                types.StringNull(),
		CreatedByEmail:           types.StringNull(),
		CreatedByJSON:            types.StringNull(),
		CreatedAt:                types.StringPointerValue(a.CreatedAt),
		UpdatedAt:                types.StringPointerValue(a.UpdatedAt),
		Role:                     types.StringPointerValue(a.Role),
		AvatarURL:                types.StringPointerValue(a.AvatarURL),
		Email:                    types.StringPointerValue(a.Email),
		Type:                     types.StringPointerValue(a.Type),
		URL:                      types.StringPointerValue(a.URL),
		Domain:                   types.StringPointerValue(a.Domain),
		Status:                   types.StringPointerValue(a.Status),
		Phone:                    types.StringPointerValue(a.Phone),
		RotatedBy:                types.StringPointerValue(a.RotatedBy),
		RotatedAt:                types.StringPointerValue(a.RotatedAt),
		SyncedAt:                 types.StringPointerValue(a.SyncedAt),
		HasBackupCode:            types.BoolPointerValue(a.HasBackupCode),
		RotatedByID:              types.StringPointerValue(a.RotatedByID),
		LastLoginDate:            types.StringPointerValue(a.LastLoginDate),
		LastLoginUserName:        types.StringPointerValue(a.LastLoginUserName),
		IsEmailManaged:           types.BoolPointerValue(a.IsEmailManaged),
		IsPhoneManaged:           types.BoolPointerValue(a.IsPhoneManaged),
		OriginalEmail:            types.StringPointerValue(a.OriginalEmail),
		OriginalPhone:            types.StringPointerValue(a.OriginalPhone),
		BusinessID:               types.StringPointerValue(a.BusinessID),
		MfaTypes:                 a.MfaTypes,
		RotatedByUser:            types.StringPointerValue(a.RotatedByUser),
		HasTotpVirtualDevice:     types.BoolPointerValue(a.HasTotpVirtualDevice),
		WorkspacePolicyCheckDate: types.StringPointerValue(a.WorkspacePolicyCheckDate),
		DomainsJSON:              rawJSONValue(a.Domains),
		MetaJSON:                 rawJSONValue(a.Meta),
		PermissionsJSON:          rawJSONValue(a.Permissions),
	}
	if a.CreatedBy != nil {
		m.CreatedBy = types.StringPointerValue(a.CreatedBy.ID)
		m.CreatedByEmail = types.StringPointerValue(a.CreatedBy.Email)
		m.CreatedByJSON = rawJSONValue(a.CreatedBy.Raw)
	}
	if p := a.WorkspacePolicyResult; p != nil {
		m.WorkspacePolicyResult = &workspacePolicyResultModel{
			MfaValidation:    types.BoolPointerValue(p.MfaValidation),
			PasswordRotation: types.BoolPointerValue(p.PasswordRotation),
		}
	}
	return m
}

// rawJSONValue keeps the JSON exactly as the API sent it; the client leaves
// raw fields empty when they were absent or null.
func rawJSONValue(raw client.RawJSON) types.String {
	if raw == "" {
		return types.StringNull()
	}
	return types.StringValue(string(raw))
}

// sortAccounts orders accounts by case-folded name, then id, so that plans do
// not churn when the API changes its listing order. A missing name sorts as "".
func sortAccounts(accounts []client.Account) {
	sortByFoldedKey(accounts, func(a *client.Account) (*string, string) { return a.Name, a.ID })
}

// sortByFoldedKey orders items by a case-folded key, then id, then their
// place (a listing that is not paged may repeat an id). Each key is folded
// once, the keys are sorted side by side rather than through an index, and
// the items (large structs) move once, to their final place.
func sortByFoldedKey[T any](items []T, keyAndID func(*T) (*string, string)) {
	type sortKey struct {
		folded, id string
		at         int
	}
	keys := make([]sortKey, len(items))
	for i := range items {
		key, id := keyAndID(&items[i])
		if key != nil {
			keys[i].folded = strings.ToLower(*key)
		}
		keys[i].id, keys[i].at = id, i
	}
	slices.SortFunc(keys, func(a, b sortKey) int {
		return cmp.Or(strings.Compare(a.folded, b.folded), strings.Compare(a.id, b.id), cmp.Compare(a.at, b.at))
	})
	order := make([]int, len(items))
	for i, k := range keys {
		order[i] = k.at
	}
	permute(items, order)
}

// permute moves items[order[i]] to i in place, one cycle of the permutation
// at a time; it consumes order.
func permute[T any](items []T, order []int) {
	for start := range order {
		if order[start] < 0 {
			continue
		}
		first, at := items[start], start
		for {
			next := order[at]
			order[at] = -1
			if next == start {
				items[at] = first
				break
			}
			items[at], at = items[next], next
		}
	}
}

// idsOf lists the ids of items, keeping their order; never nil, so an empty
// result is an empty list rather than null.
func idsOf[T any](items []T, id func(T) string) []string {
	ids := make([]string, 0, len(items))
	for _, item := range items {
		ids = append(ids, id(item))
	}
	return ids
}

func accountID(a client.Account) string { return a.ID }

// accountField describes one computed account attribute for the schema.
type accountField struct {
	name        string
	kind        fieldKind
	description string
}

type fieldKind int

const (
	stringField fieldKind = iota
	boolField
	stringListField
	policyField
)

const timestampNote = " Kept as the ISO-8601 string the API sent (often without a time zone)."

// accountFields follows the API's account object; `provider` is renamed
// `application` because `provider` is a reserved name in Terraform.
var accountFields = []accountField{
	{"id", stringField, "Account id (a UUID)."},
	{"name", stringField, "Account label."},
	{"username", stringField, "Login user name of the account."},
	{"application", stringField, "Application id, such as `google`, `instagram` or `unmanaged` (the API's `provider` field)."},
	{"vault_id", stringField, "Id of the vault holding the account."},
	{"idek_id", stringField, "IDEK id of the account (the API's `idekID`)."},
	{"workspace", stringField, "Workspace the account belongs to."},
	{"mfa_enabled", boolField, "Whether multi-factor authentication is enabled."},
	{"autofill_mfa", boolField, "Whether Cerby autofills the MFA code."},
	{"password_set", boolField, "Whether a password is stored."},
	{"password_visible", boolField, "Whether the password can be revealed to the caller."},
	{"created_by", stringField, "Id of the member who created the account, whether the API sent an id or a user object."},
	{"created_by_email", stringField, "Email of the creator; null when the API sent only an id."},
	{"created_by_json", stringField, "The `createdBy` value exactly as the API sent it (a JSON string or object); null when absent. Decode with `jsondecode()`."},
	{"created_at", stringField, "Creation time." + timestampNote},
	{"updated_at", stringField, "Last update time." + timestampNote},
	{"role", stringField, "The caller's role on the account, such as `account_owner`, `account_manager`, `account_collaborator` (older values: `owner`, `collaborator`)."},
	{"avatar_url", stringField, "URL of the account's avatar."},
	{"email", stringField, "Email of the account."},
	{"type", stringField, "Item type: `identity`, `resource`, `secret` or `integration`."},
	{"url", stringField, "URL of the application."},
	{"domain", stringField, "Domain of the application."},
	{"status", stringField, "Account status: `pending`, `provision`, `success`, `enabled`, `disabled`, …"},
	{"phone", stringField, "Phone number of the account."},
	{"rotated_by", stringField, "How the password was last rotated: `manual_rotation` or `automated_rotation`."},
	{"rotated_at", stringField, "Time of the last password rotation." + timestampNote},
	{"synced_at", stringField, "Time of the last synchronisation." + timestampNote},
	{"has_backup_code", boolField, "Whether MFA backup codes are stored."},
	{"rotated_by_id", stringField, "Id of the member who last rotated the password."},
	{"last_login_date", stringField, "Time of the last login through Cerby." + timestampNote},
	{"last_login_user_name", stringField, "Name of the member who last logged in."},
	{"is_email_managed", boolField, "Whether the email is managed by Cerby."},
	{"is_phone_managed", boolField, "Whether the phone number is managed by Cerby."},
	{"original_email", stringField, "Email before Cerby started managing it."},
	{"original_phone", stringField, "Phone number before Cerby started managing it."},
	{"business_id", stringField, "Business id; the API sends an empty string when unused."},
	{"mfa_types", stringListField, "MFA methods, such as `otp`, `voip`, `email`; null when the API sent none, empty when it sent an empty list."},
	{"rotated_by_user", stringField, "Full name of the member who last rotated the password."},
	{"has_totp_virtual_device", boolField, "Whether a TOTP virtual device is set up."},
	{"workspace_policy_result", policyField, "Result of the workspace policy check; null when the API sent none."},
	{"workspace_policy_check_date", stringField, "Time of the last workspace policy check." + timestampNote},
	{"domains_json", stringField, "The `domains` value exactly as the API sent it (a JSON string or object with `allowedDomains`); null when absent. Decode with `jsondecode()`."},
	{"meta_json", stringField, "The free-form `meta` object as JSON; null when absent. Decode with `jsondecode()`."},
	{"permissions_json", stringField, "The `permissions` array as JSON; null when absent. Decode with `jsondecode()`."},
}

// accountAttributes builds the computed account attributes shared by the
// accounts lists and the top level of cerby_account.
func accountAttributes() map[string]schema.Attribute {
	attrs := make(map[string]schema.Attribute, len(accountFields))
	for _, f := range accountFields {
		attrs[f.name] = computedAttribute(f)
	}
	return attrs
}

func computedAttribute(f accountField) schema.Attribute {
	switch f.kind {
	case boolField:
		return schema.BoolAttribute{Computed: true, MarkdownDescription: f.description}
	case stringListField:
		return schema.ListAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: f.description}
	case policyField:
		return schema.SingleNestedAttribute{
			Computed:            true,
			MarkdownDescription: f.description,
			Attributes: map[string]schema.Attribute{
				"mfa_validation":    schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether the account passes the workspace MFA policy; null when not reported."},
				"password_rotation": schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether the account passes the workspace password rotation policy; null when not reported."},
			},
		}
	default:
		return schema.StringAttribute{Computed: true, MarkdownDescription: f.description}
	}
}

// accountListAttribute is the computed `accounts` list of the list data sources.
func accountListAttribute(description string) schema.Attribute {
	return schema.ListNestedAttribute{
		Computed:            true,
		MarkdownDescription: description,
		NestedObject:        schema.NestedAttributeObject{Attributes: accountAttributes()},
	}
}
