package faultmatrix

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/cerby-community/terraform-provider-cerby/internal/cerbysim"
	"github.com/cerby-community/terraform-provider-cerby/internal/clitest"
)

const (
	stormReads       = 60
	stormParallelism = 20
	storm429Rate     = 0.3
	stormRetryAfter  = 2 * time.Second
	// inFlight is how long after a 429 a request the client had already sent
	// may still be answered; a later one inside the pause broke it. Generous,
	// because a loaded machine delays requests already on their way.
	inFlight = 700 * time.Millisecond
)

// parallelReadsInA429Storm reads 60 accounts through one provider at
// -parallelism=20 while the server answers 30% of requests 429 with
// Retry-After: 2. One client serves all reads, so one 429 pauses them all: the
// simulator must see no request in any pause, and every read must still get
// its account.
func parallelReadsInA429Storm(a api) row {
	return row{
		api:    a,
		name:   "parallel reads in a 429 storm",
		serial: true,
		fault: fmt.Sprintf("%d cerby_account reads at -parallelism=%d through one provider; %.0f%% of requests answered 429 with Retry-After: %d",
			stormReads, stormParallelism, storm429Rate*100, int(stormRetryAfter.Seconds())),
		expect: fmt.Sprintf("every read gets its account; no request answered inside a pause (from %s after a 429 until its Retry-After ends)", inFlight),
		run:    func(t *testing.T, cli clitest.CLI) (string, error) { return stormRun(t, cli, a) },
	}
}

func stormRun(t *testing.T, cli clitest.CLI, a api) (string, error) {
	tg := simulate(t, cerbysim.Faults{Seed: 1, Random429Rate: storm429Rate, RetryAfter: stormRetryAfter}, nil)
	ids := tg.ws.AccountIDs()[:stormReads]
	patient := settings{maxRetries: 10, maxRetryWait: "3s", requestTimeout: "2s"}
	w := workdir(t, cli, a.endpoint(tg.url), patient, readEach(ids))
	ctx, cancel := context.WithTimeout(context.Background(), ceiling)
	defer cancel()
	r := w.Run(ctx, "apply", "-auto-approve", "-input=false", "-json", fmt.Sprintf("-parallelism=%d", stormParallelism))
	if err := hung(r); err != nil {
		return "hang: killed at the ceiling", err
	}
	if err := leaked(r); err != nil {
		return "API KEY LEAKED", err
	}
	if r.ExitCode != 0 {
		msg, _ := firstError(r)
		return "error: " + brief(msg), fmt.Errorf("exit %d:\n%s%s", r.ExitCode, msg, r.Stderr)
	}
	names, _ := w.Outputs(t)["names"].(map[string]any)
	wrong := 0
	for _, id := range ids {
		if want, _ := a.want(tg.ws, id); names[id] != want.Name {
			wrong++
		}
	}
	if off := a.offAPI(tg.sim); len(off) > 0 {
		return fmt.Sprintf("requests off the %s: %s", a.name, brief(strings.Join(off, ", "))), fmt.Errorf("%d requests were not on the %s's paths", len(off), a.name)
	}
	c := tg.sim.Counters()
	pauses, inside := insidePauses(c.Requests)
	result := fmt.Sprintf("%d of %d reads right; %d requests, %d answered 429; %d answered inside a pause",
		len(ids)-wrong, len(ids), len(c.Requests), pauses, inside)
	switch {
	case wrong > 0 || len(names) != len(ids):
		return result, fmt.Errorf("%d reads wrong, %d outputs", wrong, len(names))
	case pauses == 0:
		return result, errors.New("no 429 at all: the storm did not happen")
	case inside > 0:
		return result, fmt.Errorf("%d requests were answered while the client should have been paused:\n%s", inside, timeline(c.Requests))
	}
	return result, nil
}

// readEach reads every id with its own cerby_account, as a for_each does.
func readEach(ids []string) string {
	return fmt.Sprintf(`
locals {
  ids = ["%s"]
}

data "cerby_account" "each" {
  for_each = toset(local.ids)
  id       = each.value
}

output "names" {
  value = { for id, a in data.cerby_account.each : id => a.name }
}
`, strings.Join(ids, `", "`))
}

// insidePauses counts the 429s and the requests answered inside the pause
// one of them imposed: later than inFlight after it, before its Retry-After
// ran out.
func insidePauses(requests []cerbysim.Request) (pauses, inside int) {
	for _, r := range requests {
		if r.Status == http.StatusTooManyRequests {
			pauses++
		}
	}
	for _, r := range requests {
		for _, limited := range requests {
			since := r.At.Sub(limited.At)
			if limited.Status == http.StatusTooManyRequests && since > inFlight && since < stormRetryAfter {
				inside++
				break
			}
		}
	}
	return pauses, inside
}

// timeline lists when each request was answered, for a failure's log.
func timeline(requests []cerbysim.Request) string {
	var b strings.Builder
	for _, r := range requests {
		fmt.Fprintf(&b, "%s %d %s\n", r.At.Sub(requests[0].At).Round(time.Millisecond), r.Status, r.Path)
	}
	return b.String()
}
