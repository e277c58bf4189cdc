package examplestest

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/cerby-community/terraform-provider-cerby/internal/cerbysim"
)

// What the workspace says the examples must find, computed in Go from the
// data cerbysim serves, as the API of the run serves it.

// cerbyToReadAPI names the Cerby API's renamed account attributes by their
// Read API keys (contract/cerby-api.md, §5.1); the others keep their names.
var cerbyToReadAPI = map[string]string{
	"label":             "name",
	"application":       "provider",
	"lastLoginBy":       "lastLoginUserName",
	"hasTotp":           "hasTotpVirtualDevice",
	"cerbyManagedEmail": "isEmailManaged",
	"cerbyManagedPhone": "isPhoneManaged",
	"avatarUrl":         "avatar_url",
}

// viewOf is ws as api serves it, in the Read API's keys, so that one set of
// checks judges the runs on both APIs. The Read API serves ws's objects as
// they are, and none of what only the Cerby API has (teams, vaults,
// integrations). The Cerby API serves what ws.CerbyAPIAccount and CerbyAPIUser
// say: no key the Read API alone has (an account's type, role or
// workspacePolicyResult), so the provider's attribute is null there, the
// generated workspaces' left-out attributes, the Cerby API's own timestamps;
// and members only in the identity provider are not users there.
func viewOf(a api, ws *cerbysim.Workspace) *cerbysim.Workspace {
	if a == readAPI {
		// The Read API has no teams, vaults nor integrations.
		view := *ws
		view.Teams, view.Vaults, view.Integrations = nil, nil, nil
		return &view
	}
	view := &cerbysim.Workspace{Access: map[string][]string{}}
	for _, id := range ws.AccountIDs() {
		attrs, _ := ws.CerbyAPIAccount(id)
		o := withID(id)
		for _, f := range attrs.Fields {
			o.SetRaw(cmp.Or(cerbyToReadAPI[f.Key], f.Key), f.Value)
		}
		view.Accounts = append(view.Accounts, o)
	}
	for i := range ws.Members {
		id := ws.Members[i].String("id")
		if ws.Members[i].Bool(cerbysim.KeyOnlyInIdp) {
			continue
		}
		// With mfaStatus, as the policies ask for it (include_mfa_status).
		attrs, _ := ws.CerbyAPIUser(id, true)
		o := withID(id)
		o.Fields = append(o.Fields, attrs.Fields...)
		view.Members = append(view.Members, o)
		if reach, ok := ws.Access[id]; ok {
			view.Access[id] = reach
		}
	}
	// What only the Cerby API serves, with the attributes it leaves out gone.
	for _, v := range ws.Vaults {
		view.Vaults = append(view.Vaults, cerbysim.CerbyResource{ID: v.ID, Attributes: served(v)})
	}
	view.Teams, view.Integrations = ws.Teams, ws.Integrations
	return view
}

// served is a Cerby API resource's attributes as served: less those Omit
// names.
func served(r cerbysim.CerbyResource) cerbysim.Object {
	var o cerbysim.Object
	for _, f := range r.Attributes.Fields {
		if !slices.Contains(r.Omit, f.Key) {
			o.Fields = append(o.Fields, f)
		}
	}
	return o
}

func withID(id string) cerbysim.Object {
	raw, _ := json.Marshal(id)
	return cerbysim.Object{Fields: []cerbysim.Field{{Key: "id", Value: raw}}}
}

// value is what an output shows for key (and below it, the keys of path):
// the JSON value decoded, nil (null) when absent.
func value(o *cerbysim.Object, key string, path ...string) any {
	raw, ok := o.Get(key)
	if !ok {
		return nil
	}
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return nil
	}
	for _, k := range path {
		m, _ := v.(map[string]any)
		v = m[k]
	}
	return v
}

// creator is an account's created_by: the creator's id, null when none.
func creator(a *cerbysim.Object) any {
	if id := creatorID(a); id != "" {
		return id
	}
	return nil
}

// The two policies only the Cerby API can judge (members' MFA status,
// vaults); on the Read API the examples skip them.
const (
	policyMemberMFA = "every live member has MFA enrolled"
	policyVaultKey  = "every vault uses a customer-managed key"
)

// findings mirrors examples/policy/findings.tf.
type findings struct {
	withoutMFA    []string       // "application: name"
	disabledReach map[string]int // disabled member's email => accounts reached
	guestReach    map[string]int // guest's email => accounts reached
	guestOwned    []string       // "application: name (created by email)"
	// On the Cerby API only (cerbyAPI):
	cerbyAPI          bool
	membersWithoutMFA []string // "email (not enrolled)" or "email (no MFA status sent)", live members
	vaultsWithoutKey  []string // "name (id …) uses scheme", or "… has no scheme (…)"
}

// findingsOf judges ws as viewOf(a, …) serves it.
func findingsOf(a api, ws *cerbysim.Workspace) findings {
	f := findings{disabledReach: map[string]int{}, guestReach: map[string]int{}, cerbyAPI: a == cerbyAPI}
	members := map[string]*cerbysim.Object{}
	for _, m := range listedMembers(ws) {
		members[m.String("id")] = m
		// As the examples' coalesce(email, id).
		reach, key := len(ws.AccountsOf(m.String("id"))), cmp.Or(m.String("email"), m.String("id"))
		if reach > 0 && isDisabled(m) {
			f.disabledReach[key] = reach
		}
		if reach > 0 && m.Bool("isGuest") {
			f.guestReach[key] = reach
		}
	}
	if f.cerbyAPI {
		for _, m := range membersWithoutMFA(ws) {
			why := "no MFA status sent"
			if value(m, "mfaStatus", "mfaEnabled") == false {
				why = "not enrolled"
			}
			f.membersWithoutMFA = append(f.membersWithoutMFA, fmt.Sprintf("%s (%s)", cmp.Or(m.String("email"), m.String("id")), why))
		}
		for _, v := range vaultsWithoutKey(ws) {
			line := fmt.Sprintf("%s (id %s) has no scheme (the Cerby API sent none)", cmp.Or(v.Attributes.String("name"), v.ID), v.ID)
			if scheme, ok := value(&v.Attributes, "scheme").(string); ok {
				line = fmt.Sprintf("%s (id %s) uses %s", cmp.Or(v.Attributes.String("name"), v.ID), v.ID, scheme)
			}
			f.vaultsWithoutKey = append(f.vaultsWithoutKey, line)
		}
	}
	for i := range ws.Accounts {
		a := &ws.Accounts[i]
		if !a.Bool("mfaEnabled") {
			f.withoutMFA = append(f.withoutMFA, appAndName(a))
		}
		if creator := members[creatorID(a)]; creator != nil && creator.Bool("isGuest") {
			f.guestOwned = append(f.guestOwned, fmt.Sprintf("%s (created by %s)", appAndName(a), cmp.Or(creator.String("email"), creator.String("id"))))
		}
	}
	return f
}

// failing lists the broken policies, in the examples' (alphabetical) order.
func (f findings) failing() []string {
	failing := []string{}
	for policy, broken := range map[string]bool{
		"every account has MFA":             len(f.withoutMFA) > 0,
		"no disabled member retains access": len(f.disabledReach) > 0,
		"no guest owns an account":          len(f.guestOwned) > 0,
		policyMemberMFA:                     len(f.membersWithoutMFA) > 0,
		policyVaultKey:                      len(f.vaultsWithoutKey) > 0,
	} {
		if broken {
			failing = append(failing, policy)
		}
	}
	slices.Sort(failing)
	return failing
}

// checked lists the policies judged on the findings' API, in the examples'
// order: on the Read API, all but the two it cannot judge.
func (f findings) checked() []string {
	policies := []string{"every account has MFA", "no disabled member retains access", "no guest owns an account"}
	if f.cerbyAPI {
		policies = append(policies, policyMemberMFA, policyVaultKey)
	}
	slices.Sort(policies)
	return policies
}

// membersWithoutMFA are the live members (of a Cerby API view) whose
// mfaStatus is not {"mfaEnabled": true}, in the provider's order: email
// (case-insensitive), then id.
func membersWithoutMFA(ws *cerbysim.Workspace) []*cerbysim.Object {
	out := filterMembers(ws, func(m *cerbysim.Object) bool {
		return m.String("status") == "live" && value(m, "mfaStatus", "mfaEnabled") != true
	})
	slices.SortStableFunc(out, func(a, b *cerbysim.Object) int {
		return cmp.Or(strings.Compare(strings.ToLower(a.String("email")), strings.ToLower(b.String("email"))),
			strings.Compare(a.String("id"), b.String("id")))
	})
	return out
}

// vaultsWithoutKey are the vaults (of a Cerby API view) whose scheme is
// neither kms_byo nor akv, in the provider's order: name (case-insensitive),
// then id.
func vaultsWithoutKey(ws *cerbysim.Workspace) []cerbysim.CerbyResource {
	var out []cerbysim.CerbyResource
	for _, v := range ws.Vaults {
		if scheme := v.Attributes.String("scheme"); scheme != "kms_byo" && scheme != "akv" {
			out = append(out, v)
		}
	}
	slices.SortStableFunc(out, func(a, b cerbysim.CerbyResource) int {
		return cmp.Or(strings.Compare(strings.ToLower(a.Attributes.String("name")), strings.ToLower(b.Attributes.String("name"))),
			strings.Compare(a.ID, b.ID))
	})
	return out
}

// listedMembers are the members the use cases' users listing returns
// (statuses = ["live", "pending", "disabled"]): those only in the identity
// provider are left out, and on the Cerby API, which may leave a member's
// status out, those without one.
func listedMembers(ws *cerbysim.Workspace) []*cerbysim.Object {
	return filterMembers(ws, func(m *cerbysim.Object) bool {
		return slices.Contains([]string{"live", "pending", "disabled"}, m.String("status"))
	})
}

func filterMembers(ws *cerbysim.Workspace, keep func(*cerbysim.Object) bool) []*cerbysim.Object {
	var out []*cerbysim.Object
	for i := range ws.Members {
		if m := &ws.Members[i]; !m.Bool(cerbysim.KeyOnlyInIdp) && keep(m) {
			out = append(out, m)
		}
	}
	return out
}

func isDisabled(m *cerbysim.Object) bool { return m.String("status") == "disabled" }

// filterAccounts keeps the provider's order: name (case-insensitive), then id.
func filterAccounts(ws *cerbysim.Workspace, keep func(*cerbysim.Object) bool) []*cerbysim.Object {
	var out []*cerbysim.Object
	for i := range ws.Accounts {
		if a := &ws.Accounts[i]; keep(a) {
			out = append(out, a)
		}
	}
	slices.SortStableFunc(out, func(a, b *cerbysim.Object) int {
		return cmp.Or(strings.Compare(strings.ToLower(a.String("name")), strings.ToLower(b.String("name"))),
			strings.Compare(a.String("id"), b.String("id")))
	})
	return out
}

// reachable lists the accounts a member reaches, in the provider's order.
func reachable(ws *cerbysim.Workspace, memberID string) []*cerbysim.Object {
	reach := ws.AccountsOf(memberID)
	return filterAccounts(ws, func(a *cerbysim.Object) bool { return slices.Contains(reach, a.String("id")) })
}

func findAccount(t *testing.T, ws *cerbysim.Workspace, name string) *cerbysim.Object {
	t.Helper()
	found := filterAccounts(ws, func(a *cerbysim.Object) bool { return a.String("name") == name })
	if len(found) != 1 {
		t.Fatalf("the workspace has %d accounts named %q, want 1", len(found), name)
	}
	return found[0]
}

func findMember(t *testing.T, ws *cerbysim.Workspace, email string) *cerbysim.Object {
	t.Helper()
	found := filterMembers(ws, func(m *cerbysim.Object) bool { return m.String("email") == email })
	if len(found) != 1 {
		t.Fatalf("the workspace has %d members with email %q, want 1", len(found), email)
	}
	return found[0]
}

// creatorID reads createdBy in either of its shapes: an id or an object.
func creatorID(a *cerbysim.Object) string {
	if id := a.String("createdBy"); id != "" {
		return id
	}
	raw, _ := a.Get("createdBy")
	var creator struct{ ID string }
	_ = json.Unmarshal(raw, &creator)
	return creator.ID
}

// appAndName is examples/policy's account label, coalesce() and all.
func appAndName(a *cerbysim.Object) string {
	return cmp.Or(a.String("provider"), "(none)") + ": " + cmp.Or(a.String("name"), a.String("id"))
}

func appAndNames(accounts []*cerbysim.Object) []string { return mapped(accounts, appAndName) }

func names(accounts []*cerbysim.Object) []string {
	return mapped(accounts, func(a *cerbysim.Object) string { return a.String("name") })
}

func ids(objects []*cerbysim.Object) []string {
	return mapped(objects, func(o *cerbysim.Object) string { return o.String("id") })
}

func mapped(objects []*cerbysim.Object, f func(*cerbysim.Object) string) []string {
	out := []string{}
	for _, o := range objects {
		out = append(out, f(o))
	}
	return out
}

func sorted(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return out
}

func sortedUnique(s []string) []string { return slices.Compact(sorted(s)) }

// Decoded outputs: JSON arrays and objects as any.

func asList(v any) []map[string]any {
	var out []map[string]any
	for _, item := range v.([]any) {
		out = append(out, item.(map[string]any))
	}
	return out
}

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func sortedStrings(v any) []string {
	var out []string
	list, _ := v.([]any)
	for _, item := range list {
		out = append(out, fmt.Sprint(item))
	}
	return sorted(out)
}

// asStrings is a decoded list of strings in its order; nil when empty.
func asStrings(v any) []string {
	var out []string
	list, _ := v.([]any)
	for _, item := range list {
		out = append(out, fmt.Sprint(item))
	}
	return out
}

func sortedField(v any, key string) []string {
	var out []string
	for _, item := range asList(v) {
		out = append(out, fmt.Sprint(item[key]))
	}
	return sorted(out)
}

// countsOf turns name => list into name => length.
func countsOf(v any) map[string]int {
	out := map[string]int{}
	for k, list := range asMap(v) {
		l, _ := list.([]any)
		out[k] = len(l)
	}
	return out
}
