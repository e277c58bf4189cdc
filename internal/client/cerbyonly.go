package client

import (
	"context"
	"fmt"
	"net/url"
)

// What only the Cerby API offers (contract/cerby-api.md §3, §4): teams,
// vaults and the business hub's integrations and their seats. They are
// methods of cerbyAPI alone; on the Read API every one is refused before any
// request.

const (
	cerbyTeamsPath        = "/api/v1/teams"
	cerbyVaultsPath       = "/api/v1/vaults"
	cerbyIntegrationsPath = "/api/v1/integrations"
)

// cerbyOnly is the client's Cerby API adapter, or an error matching
// ErrNotOffered that names what was asked.
func (c *Client) cerbyOnly(what string) (cerbyAPI, error) {
	a, ok := c.gen.(cerbyAPI)
	if !ok {
		return cerbyAPI{}, fmt.Errorf("%s are offered by the Cerby API only, not by the %s: %w", what, c.api, ErrNotOffered)
	}
	return a, nil
}

// ListTeams walks every page of the workspace's teams; truncated when
// maxItems (0: no limit) stopped the walk.
func (c *Client) ListTeams(ctx context.Context, maxItems int) ([]Team, bool, error) {
	a, err := c.cerbyOnly("teams")
	if err != nil {
		return nil, false, err
	}
	return collect(ctx, c, numberListing(a, cerbyTeamsPath, url.Values{}, ScopeReadUsers, decodeCerbyTeam), maxItems)
}

// GetTeam reads one team; a 404 matches ErrNotFound.
func (c *Client) GetTeam(ctx context.Context, id string) (*Team, error) {
	if _, err := c.cerbyOnly("teams"); err != nil {
		return nil, err
	}
	return getOne(ctx, c, cerbyTeamsPath, "team id", id, ScopeReadUsers, "team", decodeCerbyTeam)
}

// ListTeamMemberIDs reads the ids of a team's members. The listing is
// announced by Cerby's release notes only: a 404 or 405 from it matches
// ErrNotOffered while the team exists, ErrNotFound once it does not.
func (c *Client) ListTeamMemberIDs(ctx context.Context, teamID string) ([]string, error) {
	members, err := teamListing(ctx, c, teamID, "members", ScopeReadUsers, decodeCerbyTeamMember)
	if err != nil {
		return nil, err
	}
	return idsOf(members), nil
}

// ListTeamAccountIDs reads the ids of the accounts a team reaches, as
// ListTeamMemberIDs reads its members.
func (c *Client) ListTeamAccountIDs(ctx context.Context, teamID string) ([]string, error) {
	accounts, err := teamListing(ctx, c, teamID, "accounts", ScopeReadUsers+" and "+ScopeReadAccounts, decodeCerbyAccount)
	if err != nil {
		return nil, err
	}
	return idsOf(accounts), nil
}

func teamListing[T identified](ctx context.Context, c *Client, teamID, sub, scope string, decode resourceDecoder[T]) ([]T, error) {
	a, err := c.cerbyOnly("teams")
	if err != nil {
		return nil, err
	}
	seg, err := pathSegment("team id", teamID)
	if err != nil {
		return nil, err
	}
	teamPath := cerbyTeamsPath + "/" + seg
	l := numberListing(a, teamPath+"/"+sub, url.Values{}, scope, decode)
	l.uncertain = fmt.Sprintf("The team exists, but this workspace's Cerby API does not offer a team's %s (a listing Cerby's release notes announce and no OpenAPI file has yet)", sub)
	col := newCollector[T](0)
	if err := walkOrTell(ctx, c, newPager(c, l), col, func(ctx context.Context, c *Client) error {
		_, err := getOne(ctx, c, cerbyTeamsPath, "team id", teamID, ScopeReadUsers, "team", decodeCerbyTeam)
		return err
	}); err != nil {
		return nil, err
	}
	return col.items, nil
}

// ListVaults walks every page of the workspace's vaults.
func (c *Client) ListVaults(ctx context.Context, maxItems int) ([]Vault, bool, error) {
	a, err := c.cerbyOnly("vaults")
	if err != nil {
		return nil, false, err
	}
	return collect(ctx, c, numberListing(a, cerbyVaultsPath, url.Values{}, ScopeReadVaults, decodeCerbyVault), maxItems)
}

// ListIntegrations walks every page of the business hub's integrations.
func (c *Client) ListIntegrations(ctx context.Context, maxItems int) ([]Integration, bool, error) {
	a, err := c.cerbyOnly("integrations")
	if err != nil {
		return nil, false, err
	}
	return collect(ctx, c, numberListing(a, cerbyIntegrationsPath, url.Values{}, ScopeReadIntegrations, decodeCerbyIntegration), maxItems)
}

// ListIntegrationUsers walks the seats of one integration. Its path is
// /users as the docs' prose and their clients have it, not the /user of the
// V1 OpenAPI file (C24): a 404 or 405 there is told apart by reading the
// integration, a missing one matching ErrNotFound, an existing one
// ErrNotOffered.
func (c *Client) ListIntegrationUsers(ctx context.Context, integrationID string, maxItems int) ([]IntegrationUser, bool, error) {
	a, err := c.cerbyOnly("integration seats")
	if err != nil {
		return nil, false, err
	}
	seg, err := pathSegment("integration id", integrationID)
	if err != nil {
		return nil, false, err
	}
	l := numberListing(a, cerbyIntegrationsPath+"/"+seg+"/users", url.Values{}, ScopeReadUsers+" and "+ScopeReadIntegrations, decodeCerbyIntegrationUser)
	l.uncertain = "The integration exists, but this workspace's Cerby API does not offer its users at /users (the V1 OpenAPI file writes /user, which its prose and Cerby's own clients do not)"
	col := newCollector[IntegrationUser](maxItems)
	err = walkOrTell(ctx, c, newPager(c, l), col, func(ctx context.Context, c *Client) error {
		_, err := getOne(ctx, c, cerbyIntegrationsPath, "integration id", integrationID, ScopeReadIntegrations, "integration", decodeCerbyIntegration)
		return err
	})
	if err != nil {
		return nil, false, err
	}
	return col.items, col.truncated, nil
}

// collect walks l into a collector of at most maxItems.
func collect[T identified](ctx context.Context, c *Client, l listing[T], maxItems int) ([]T, bool, error) {
	if maxItems < 0 {
		return nil, false, fmt.Errorf("max items must be 0 (no limit) or more, got %d", maxItems)
	}
	col := newCollector[T](maxItems)
	if err := newPager(c, l).walk(ctx, col); err != nil {
		return nil, false, err
	}
	return col.items, col.truncated, nil
}

// getOne reads the resource at collection/{id}; a 404 matches ErrNotFound.
func getOne[T identified](ctx context.Context, c *Client, collection, idName, id, scope, what string, decode resourceDecoder[T]) (*T, error) {
	seg, err := pathSegment(idName, id)
	if err != nil {
		return nil, err
	}
	path := collection + "/" + seg
	body, err := c.get(ctx, path, nil, scope)
	if err != nil {
		return nil, err
	}
	item, warnings, err := decodeCerbyOne("GET "+path, body, what, decode)
	c.warn(ctx, warnings)
	return item, redactError(err, c.secrets)
}

func idsOf[T identified](items []T) []string {
	ids := make([]string, len(items))
	for i, item := range items {
		ids[i] = item.itemID()
	}
	return ids
}
