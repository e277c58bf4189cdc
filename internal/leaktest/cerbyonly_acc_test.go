package leaktest_test

import (
	"fmt"
	"testing"

	"github.com/cerby-community/terraform-provider-cerby/internal/cerbysim"
	"github.com/cerby-community/terraform-provider-cerby/internal/clitest"
)

// What only the Cerby API serves (issue 13) joins the Cerby API's rows:
// users with their MFA status, teams, a team with its member and account
// ids, vaults, integrations and one integration's seats.

// leakTeam and leakIntegration are the team and the integration of
// leakWorkspace the reads name: the first team has 3 members and 2 accounts,
// the first integration 3 seats, so that pages of one item give each of
// their listings a next.
func leakTeam(ws *cerbysim.Workspace) string        { return ws.Teams[0].ID }
func leakIntegration(ws *cerbysim.Workspace) string { return ws.Integrations[0].ID }

// readCerbyOnly reads every data source only the Cerby API has, and
// cerby_users with include_mfa_status, into outputs, so that their values
// reach the plan, the state and `output -json`.
func readCerbyOnly() string {
	ws := leakWorkspace()
	return fmt.Sprintf(`
data "cerby_users" "mfa" {
  include_mfa_status = true
}
data "cerby_teams" "all" {}
data "cerby_team" "one" {
  id = %q
}
data "cerby_vaults" "all" {}
data "cerby_integrations" "all" {}
data "cerby_integration_users" "seats" {
  integration_id = %q
}
output "mfa_enabled" { value = data.cerby_users.mfa.users[*].mfa_enabled }
output "team_ids" { value = data.cerby_teams.all.ids }
output "team_members" { value = [data.cerby_team.one.member_ids, data.cerby_team.one.account_ids] }
output "vaults" { value = data.cerby_vaults.all.vaults }
output "integrations" { value = data.cerby_integrations.all.integrations }
output "seats" { value = data.cerby_integration_users.seats.users }
`, leakTeam(ws), leakIntegration(ws))
}

// cerbyOnlyEndpoints are the endpoints readCerbyOnly reads.
var cerbyOnlyEndpoints = []string{
	cerbysim.EndpointCerbyTeams, cerbysim.EndpointCerbyTeam, cerbysim.EndpointCerbyTeamMembers, cerbysim.EndpointCerbyTeamAccounts,
	cerbysim.EndpointCerbyVaults, cerbysim.EndpointCerbyIntegrations, cerbysim.EndpointCerbyIntegrationUsers,
}

// A workspace whose Cerby API lacks a team's members listing (404) and an
// integration's seats (405): the provider asks further (the team, the
// integration) and fails with a diagnostic naming each listing. The
// diagnostics, and the TRACE log of the requests that led to them, hold no
// key.
func TestAccLeaks_cerbyAPI_listingsNotOffered(t *testing.T) {
	forEachCLI(t, func(t *testing.T, cli clitest.CLI) {
		t.Parallel()
		sim := cerbysim.New(leakWorkspace(), cerbysim.Config{APIKey: apiKey, CerbyAPI: cerbysim.CerbyAPIOptions{
			TeamMembers: cerbysim.ListingNotFound, IntegrationUsers: cerbysim.ListingNotAllowed,
		}})
		s := newCerbySession(t, cli, providerBlock(cerbyEndpoint(serve(t, sim)))+readCerbyOnly(), map[string]string{"CERBY_API_KEY": apiKey})
		s.mustFail([]string{
			"does not offer its listing GET /api/v1/teams/{id}/members", "Set `include_member_ids = false`",
			"The integration exists, but this workspace's Cerby API does not offer its users at /users",
		}, "plan", "-input=false", "-no-color")
		// The log holds the requests, so the search read them.
		s.listing = cerbysim.EndpointCerbyTeams
		s.requireProviderLogs()
		c := sim.Counters()
		for _, e := range []string{cerbysim.EndpointCerbyTeamMembers, cerbysim.EndpointCerbyTeam, cerbysim.EndpointCerbyIntegrationUsers, cerbysim.EndpointCerbyIntegration} {
			if c.ByEndpoint[e] == 0 {
				t.Errorf("no request to %s: the not-offered path was not taken (%v)", e, c.ByEndpoint)
			}
		}
	})
}
