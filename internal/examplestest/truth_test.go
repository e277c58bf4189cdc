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
// data cerbysim serves.

// findings mirrors examples/policy/findings.tf.
type findings struct {
	withoutMFA    []string       // "application: name"
	disabledReach map[string]int // disabled member's email => accounts reached
	guestReach    map[string]int // guest's email => accounts reached
	guestOwned    []string       // "application: name (created by email)"
}

func findingsOf(ws *cerbysim.Workspace) findings {
	f := findings{disabledReach: map[string]int{}, guestReach: map[string]int{}}
	members := map[string]*cerbysim.Object{}
	for _, m := range listedMembers(ws) {
		members[m.String("id")] = m
		reach := len(ws.AccountsOf(m.String("id")))
		if reach > 0 && isDisabled(m) {
			f.disabledReach[m.String("email")] = reach
		}
		if reach > 0 && m.Bool("isGuest") {
			f.guestReach[m.String("email")] = reach
		}
	}
	for i := range ws.Accounts {
		a := &ws.Accounts[i]
		if !a.Bool("mfaEnabled") {
			f.withoutMFA = append(f.withoutMFA, appAndName(a))
		}
		if creator := members[creatorID(a)]; creator != nil && creator.Bool("isGuest") {
			f.guestOwned = append(f.guestOwned, fmt.Sprintf("%s (created by %s)", appAndName(a), creator.String("email")))
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
	} {
		if broken {
			failing = append(failing, policy)
		}
	}
	slices.Sort(failing)
	return failing
}

// listedMembers are the members the users listing returns: those only in the
// identity provider are left out unless asked for.
func listedMembers(ws *cerbysim.Workspace) []*cerbysim.Object {
	return filterMembers(ws, func(m *cerbysim.Object) bool { return !m.Bool(cerbysim.KeyOnlyInIdp) })
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

func appAndName(a *cerbysim.Object) string { return a.String("provider") + ": " + a.String("name") }

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
