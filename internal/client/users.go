package client

import (
	"context"
	"fmt"
)

// ListUsers walks every page of the workspace members listing.
func (c *Client) ListUsers(ctx context.Context, f UserFilter) (members []Member, truncated bool, err error) {
	if f.MaxItems < 0 {
		return nil, false, fmt.Errorf("max items must be 0 (no limit) or more, got %d", f.MaxItems)
	}
	l, err := c.gen.users(f)
	if err != nil {
		return nil, false, err
	}
	col := newCollector[Member](f.MaxItems)
	col.keep = c.gen.keepMember(f)
	if err := newPager(c, l).walk(ctx, col); err != nil {
		return nil, false, err
	}
	return col.items, col.truncated, nil
}
