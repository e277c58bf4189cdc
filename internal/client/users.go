package client

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

const usersPath = "/v1/admin/users"

// ListUsers walks every page of GET /v1/admin/users.
func (c *Client) ListUsers(ctx context.Context, f UserFilter) (members []Member, truncated bool, err error) {
	if f.MaxItems < 0 {
		return nil, false, fmt.Errorf("max items must be 0 (no limit) or more, got %d", f.MaxItems)
	}
	col := newCollector[Member](f.MaxItems)
	if err := c.userPager(f).walk(ctx, col); err != nil {
		return nil, false, err
	}
	return col.items, col.truncated, nil
}

func (c *Client) userPager(f UserFilter) pager[Member] {
	return pager[Member]{
		endpoint:    "GET " + usersPath,
		limit:       c.pageSize,
		concurrency: c.pageConcurrency,
		fetch: func(ctx context.Context, start int) (page[Member], error) {
			q := f.query()
			q.Set("startIndex", strconv.Itoa(start))
			q.Set("count", strconv.Itoa(c.pageSize))
			return listPage[Member](ctx, c, usersPath, q, ScopeReadUsers)
		},
	}
}

func (f UserFilter) query() url.Values {
	q := url.Values{}
	setIf(q, "search", f.Search)
	setIf(q, "status", strings.Join(f.Statuses, ","))
	setIf(q, "userIds", strings.Join(f.UserIDs, ","))
	if f.IsGuest != nil {
		q.Set("isGuest", strconv.FormatBool(*f.IsGuest))
	}
	if f.OnlyInIdP != nil {
		q.Set("onlyInIdp", strconv.FormatBool(*f.OnlyInIdP))
	}
	return q
}
