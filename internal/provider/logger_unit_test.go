package provider

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-log/tflog"
	"github.com/hashicorp/terraform-plugin-log/tflogtest"
)

// The client logs from every paging goroutine at once, on one context that
// carries fields (tf6server's) and masks (the credentials): this crashed the
// provider before each line got its own copy of the fields. make race runs
// this under the race detector, which reports the shared map at once; without
// it the crash depends on timing.
func TestClientLogLinesFromManyGoroutinesAtOnce(t *testing.T) {
	var out bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &out)
	ctx = tflog.SetField(ctx, "tf_rpc", "ReadDataSource")
	ctx = maskSecrets(ctx, []string{"s3cret-key"})
	const goroutines, lines = 8, 200
	var wg sync.WaitGroup
	for range goroutines {
		wg.Go(func() {
			for i := range lines {
				tflogLogger{}.Debug(ctx, "GET /v1/accounts: 200", map[string]any{"path": "/v1/accounts?x=s3cret-key", "n": i})
			}
		})
	}
	wg.Wait()
	logged := out.String()
	if n := strings.Count(logged, `"tf_rpc":"ReadDataSource"`); n != goroutines*lines {
		t.Errorf("%d lines carry the context's field, want %d", n, goroutines*lines)
	}
	if strings.Contains(logged, "s3cret-key") {
		t.Error("a credential reached the log")
	}
}
