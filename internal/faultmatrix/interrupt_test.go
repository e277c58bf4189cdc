package faultmatrix

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/cerby-community/terraform-provider-cerby/internal/cerbysim"
	"github.com/cerby-community/terraform-provider-cerby/internal/clitest"
)

// hold is how long the server would keep a read waiting in the interrupt
// rows; a run that ends within half of it after SIGINT was cut short by the
// signal, not by the wait ending.
const hold = 20 * time.Second

func interruptDuringBackoff(a api) row {
	return interruptRow(a, "SIGINT during a backoff wait",
		fmt.Sprintf("every request answered 429 with Retry-After: %d (max_retry_wait 30s); SIGINT to plan once the first 429 is sent", int(hold.Seconds())),
		cerbysim.Faults{Random429Rate: 1, RetryAfter: hold},
		func(sim *cerbysim.Server) bool { return sim.Counters().ByStatus[http.StatusTooManyRequests] > 0 })
}

func interruptDuringSlowRequest(a api) row {
	return interruptRow(a, "SIGINT during a slow request",
		fmt.Sprintf("every answer delayed %s (request_timeout 30s); SIGINT to plan while the first request waits", hold),
		cerbysim.Faults{Latency: hold},
		func(*cerbysim.Server) bool { return true }) // arrived is enough: the answer is 20 s away
}

// interruptRow starts a plan, sends SIGINT to the CLI once the first request
// reached the server and waiting says the provider now waits, and expects the
// run to fail soon after. A plan, because both CLIs hold a SIGINT back while apply plans
// (backend/local runs apply's plan phase without watching for a stop).
func interruptRow(a api, name, fault string, f cerbysim.Faults, waiting func(*cerbysim.Server) bool) row {
	patient := settings{maxRetries: 3, maxRetryWait: "30s", requestTimeout: "30s"}
	return row{api: a, name: name, fault: fault, expect: fmt.Sprintf("the run fails within %s of the signal", hold/2), run: func(t *testing.T, cli clitest.CLI) (string, error) {
		arrived := make(chan struct{})
		tg := simulate(t, f, arrivals(arrived))
		w := workdir(t, cli, a.endpoint(tg.url), patient, listAccounts)
		ctx, cancel := context.WithTimeout(context.Background(), ceiling)
		defer cancel()
		p, err := w.Start(ctx, "plan", "-input=false", "-json")
		if err != nil {
			return "the CLI did not start", err
		}
		select {
		case <-arrived:
		case <-ctx.Done():
			r := p.Wait()
			return "no request reached the server", fmt.Errorf("no request within the ceiling:\n%s%s", r.Stdout, r.Stderr)
		}
		for !waiting(tg.sim) {
			if ctx.Err() != nil {
				r := p.Wait()
				return "the provider never started to wait", fmt.Errorf("requests: %s\n%s%s", statuses(tg.sim), r.Stdout, r.Stderr)
			}
			time.Sleep(50 * time.Millisecond)
		}
		// Time for the provider to take in the answer; nothing depends on
		// it being exact.
		time.Sleep(200 * time.Millisecond)
		signalled := time.Now()
		if err := p.Signal(os.Interrupt); err != nil {
			return "SIGINT could not be sent", err
		}
		r := p.Wait()
		took := time.Since(signalled)
		msg, _ := firstError(r)
		result := fmt.Sprintf("ended %.1f s after SIGINT, exit %d: %s [requests: %s]", took.Seconds(), r.ExitCode, brief(msg), statuses(tg.sim))
		switch {
		case hung(r) != nil:
			return "hang: killed at the ceiling", hung(r)
		case leaked(r) != nil:
			return "API KEY LEAKED", leaked(r)
		case len(a.offAPI(tg.sim)) > 0:
			return result, fmt.Errorf("requests off the %s: %s", a.name, a.offAPI(tg.sim))
		case r.ExitCode == 0:
			return result, errors.New("the interrupted run succeeded")
		case took > hold/2:
			return result, fmt.Errorf("the run went on %s after SIGINT", took)
		}
		return result, nil
	}}
}
