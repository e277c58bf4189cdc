package examplestest

import (
	"cmp"
	"slices"
	"strings"
	"testing"

	"github.com/cerby-community/terraform-provider-cerby/internal/cerbysim"
)

// runGeneratedExample runs a data-source example beside the provider
// example against the workspace make demo generates, and checks its outputs
// against that workspace.
func runGeneratedExample(check func(t *testing.T, ws *cerbysim.Workspace, out map[string]any)) func(*testing.T, target, string) {
	return func(t *testing.T, x target, dir string) {
		ws := cerbysim.Generate(7, cerbysim.Size{Accounts: 60, Members: 30, AccessPerMember: 8})
		s := startSim(t, x, ws, "")
		w := workdir(t, x.cli, dir, s)
		w.WriteFile(t, "provider.tf", providerConfig(t, x.api))
		check(t, ws, apply(t, w))
	}
}

// byFoldedName orders resources as the provider does: by the case-folded
// value of key, then id.
func byFoldedName(items []cerbysim.CerbyResource, key string) []cerbysim.CerbyResource {
	out := slices.Clone(items)
	slices.SortFunc(out, func(a, b cerbysim.CerbyResource) int {
		return cmp.Or(strings.Compare(strings.ToLower(a.Attributes.String(key)), strings.ToLower(b.Attributes.String(key))), strings.Compare(a.ID, b.ID))
	})
	return out
}

func teamResources(ws *cerbysim.Workspace) []cerbysim.CerbyResource {
	var out []cerbysim.CerbyResource
	for _, team := range ws.Teams {
		out = append(out, team.CerbyResource)
	}
	return out
}

func checkTeamsExample(t *testing.T, ws *cerbysim.Workspace, out map[string]any) {
	names, scim := []string{}, []string{}
	for _, team := range byFoldedName(teamResources(ws), "name") {
		names = append(names, team.Attributes.String("name"))
		if team.Attributes.String("type") == "scim_managed" {
			scim = append(scim, team.Attributes.String("name"))
		}
	}
	equalJSON(t, "team_names", out["team_names"], names)
	equalJSON(t, "scim_managed_teams", out["scim_managed_teams"], scim)
	if len(scim) == 0 || len(scim) == len(names) {
		t.Error("the generated workspace should have teams of both types")
	}
}

func checkTeamExample(t *testing.T, ws *cerbysim.Workspace, out map[string]any) {
	i := slices.IndexFunc(ws.Teams, func(team cerbysim.Team) bool { return team.Attributes.String("name") == "Social media" })
	if i < 0 {
		t.Fatal("the generated workspace has no team named Social media")
	}
	team := ws.Teams[i]
	members := map[string]bool{}
	for _, m := range team.Members {
		members[m.ID] = true
	}
	accounts := map[string]bool{}
	for _, a := range team.Accounts {
		accounts[a] = true
	}
	equalJSON(t, "social_media_team", out["social_media_team"], map[string]any{
		"id": team.ID, "type": team.Attributes.String("type"), "members": len(members), "accounts": len(accounts),
	})
}

func checkVaultsExample(t *testing.T, ws *cerbysim.Workspace, out map[string]any) {
	own, schemes := []string{}, map[string]string{}
	for _, v := range byFoldedName(ws.Vaults, "name") {
		name, scheme := v.Attributes.String("name"), v.Attributes.String("scheme")
		schemes[name] = scheme
		if scheme != "kms_byo" && scheme != "akv" {
			own = append(own, name)
		}
	}
	equalJSON(t, "vaults_on_cerbys_own_key", out["vaults_on_cerbys_own_key"], own)
	equalJSON(t, "vault_schemes", out["vault_schemes"], schemes)
	if len(own) == 0 || len(own) == len(ws.Vaults) {
		t.Error("the generated workspace should have vaults on both kinds of key")
	}
}

func checkIntegrationsExample(t *testing.T, ws *cerbysim.Workspace, out map[string]any) {
	want := map[string]string{}
	for _, n := range ws.Integrations {
		want[n.Attributes.String("label")] = n.Attributes.String("application")
	}
	equalJSON(t, "integrations", out["integrations"], want)
	if len(want) == 0 {
		t.Error("the generated workspace should have integrations")
	}
}

// checkIntegrationUsersExample: every integration's disabled seats, in the
// provider's order (folded email, then id), and one entry per seat in
// entitlements.
func checkIntegrationUsersExample(t *testing.T, ws *cerbysim.Workspace, out map[string]any) {
	disabled, seats := map[string][]string{}, map[string]int{}
	anyDisabled := false
	for _, n := range ws.Integrations {
		var users []cerbysim.CerbyResource
		for _, u := range n.Users {
			users = append(users, u.CerbyResource)
		}
		emails := []string{}
		for _, u := range byFoldedName(users, "email") {
			if u.Attributes.String("status") == "disabled" {
				emails = append(emails, u.Attributes.String("email"))
				anyDisabled = true
			}
		}
		disabled[n.ID] = emails
		seats[n.ID] = len(users)
	}
	equalJSON(t, "seats_of_disabled_members", out["seats_of_disabled_members"], disabled)
	got, _ := out["entitlements"].(map[string]any)
	for id, n := range seats {
		if bySeat, _ := got[id].(map[string]any); len(bySeat) != n {
			t.Errorf("entitlements[%s] has %d seats, want %d: %v", id, len(bySeat), n, got[id])
		}
	}
	if !anyDisabled {
		t.Error("the generated workspace should have a disabled member holding a seat")
	}
}
