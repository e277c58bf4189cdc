package faultmatrix

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/cerby-community/terraform-provider-cerby/internal/cerbysim"
	"github.com/cerby-community/terraform-provider-cerby/internal/clitest"
)

// secretsPath is where the next-off-the-path row points links.next: a path
// that returns an account's password in plain text on the real API.
const secretsPath = "/api/v1/accounts/3f2b6c1e-8d4a-4e5b-9c7d-1a2b3c4d5e6f/secrets"

// cerbyOnly is the rows of faults only the Cerby API can have: its links,
// meta.page.total moving while its links stay put, and a gateway's HTML 502.
func cerbyOnly() []row {
	a := cerbyAPI
	storms := settings{maxRetries: 3, maxRetryWait: "3s", requestTimeout: "2s"}
	return []row{
		read(a, "HTML 502 burst", "half the requests answered 502 with a gateway's HTML page", wantData, storms,
			faults(cerbysim.Faults{Seed: 3, Random5xxRate: 0.5, HTMLErrorRate: 1, ServerErrorStatus: http.StatusBadGateway}),
			rightDataDespite(func(status int) bool { return status == http.StatusBadGateway })),
		read(a, "HTML 502 always", "every request answered 502 with a gateway's HTML page",
			"a clear error naming the 502, the HTML page and the attempts, no raw HTML", quick,
			faults(cerbysim.Faults{Random5xxRate: 1, HTMLErrorRate: 1, ServerErrorStatus: http.StatusBadGateway}),
			failsAfter(3, "502 Bad Gateway", "HTML page (probably from a proxy)", "Server error after 3 attempts")),

		read(a, "links.next to another host", "every links.next an absolute URL on a second loopback server, which must receive nothing",
			"a clear error naming the link's origin, nothing sent there", quick, nextElsewhere(workspace, nil), refusedElsewhere(1, 1)),
		read(a, "links.next off the listing's path", "every links.next points to "+secretsPath+", its query kept",
			"a clear error naming the path, nothing requested there", quick,
			faults(cerbysim.Faults{NextPath: secretsPath}),
			failsAfter(1, "leaves the listing (it points to "+secretsPath+"): not followed")),
		read(a, "links.next repeats self", "every links.next equals links.self",
			"a clear error: pagination is not advancing", quick,
			faults(cerbysim.Faults{NextRepeatsSelf: true}),
			failsAfter(1, "pagination is not advancing", "points back to page[number] 1")),

		read(a, "meta.page.total shifts once", "meta.page.total one higher on every page after the first, for the first 3 requests only; the list unchanged",
			"read again from the start; exactly the simulator's data", quick, shiftOnce, restartedRightData),
		read(a, "meta.page.total shifts on every pass", "meta.page.total one higher on every page after the first, always; the list unchanged",
			"exactly the simulator's data, or an error saying the listing kept changing", quick,
			faults(cerbysim.Faults{TotalShiftAfterFirstPage: 1}), rightDataOrChanging),

		read(a, "links omitted", "no links object in any page (meta.page.total kept)", "pages read by number; exactly the simulator's data", quick,
			faults(cerbysim.Faults{OmitLinks: true}), rightData),
		read(a, "links and total omitted", "no links and no meta.page.total in any page", "pages read by number up to a short page; exactly the simulator's data", quick,
			faults(cerbysim.Faults{OmitLinks: true, OmitTotalResults: true}), rightData),
		read(a, "null links omitted", "next and previous left out where they would be null", wantData, quick,
			faults(cerbysim.Faults{OmitNullLinks: true}), rightData),
	}
}

// nextElsewhere serves ws() as cfg says, every links.next pointing to a
// second loopback server's origin (another port of 127.0.0.1), which records
// what it gets.
func nextElsewhere(ws func() *cerbysim.Workspace, cfg *cerbysim.Config) func(*testing.T) target {
	return func(t *testing.T) target {
		t.Helper()
		log := newRequestLog(t)
		var c cerbysim.Config
		if cfg != nil {
			c = *cfg
		}
		c.Faults.NextOrigin = log.url
		tg := serveWorkspace(t, ws(), c, nil)
		tg.elsewhere = log
		return tg
	}
}

// refusedElsewhere wants each of the configuration's listings refused at
// its page 1, one error each naming the other origin, the simulator having
// seen exactly requests, and nothing at all sent to the other origin.
func refusedElsewhere(requests, listings int) judgement {
	return func(t *testing.T, w *clitest.Workdir, a api, tg target, r clitest.Result) (string, error) {
		seen, keys := tg.elsewhere.seen()
		if len(seen) > 0 {
			return fmt.Sprintf("THE OTHER HOST GOT %d requests (%d with a credential)", len(seen), keys),
				fmt.Errorf("the second server received %s (%d with a credential header)", strings.Join(seen, ", "), keys)
		}
		result, err := failsAfter(requests, "points to another origin", "not followed")(t, w, a, tg, r)
		if err != nil {
			return result, err
		}
		errs := errorMessages(r)
		if len(errs) != listings {
			return result, fmt.Errorf("%d error diagnostics, want one for each of the %d listings:\n%s", len(errs), listings, strings.Join(errs, "\n"))
		}
		for _, msg := range errs {
			if other := tg.elsewhere.url; !strings.Contains(msg, other) || !strings.Contains(msg, "not followed") {
				return result, fmt.Errorf("an error does not refuse the link to %s:\n%s", other, msg)
			}
		}
		if listings > 1 {
			result = fmt.Sprintf("%d listings refused, e.g. %s", listings, result)
		}
		return result + "; the other host received nothing", nil
	}
}

// shiftOnce serves the first 3 requests from a simulator whose total is one
// higher after page 1, and the rest from a second one of the same workspace
// without the fault: the walk notices the change, starts over, and then
// sees a listing that holds still.
func shiftOnce(t *testing.T) target {
	t.Helper()
	ws := workspace()
	first := cerbysim.New(workspace(), cerbysim.Config{APIKey: apiKey, Faults: cerbysim.Faults{TotalShiftAfterFirstPage: 1}})
	sim := cerbysim.New(ws, cerbysim.Config{APIKey: apiKey})
	return target{url: listen(t, switchover(3, first, sim)), sim: sim, ws: ws, first: first}
}

// restartedRightData is rightData that also wants the walk to have started
// over: more listing requests than the 3 pages a single pass takes.
func restartedRightData(t *testing.T, w *clitest.Workdir, a api, tg target, r clitest.Result) (string, error) {
	result, err := rightData(t, w, a, tg, r)
	if err != nil {
		return result, err
	}
	first, then := tg.first.Counters().Listings, tg.sim.Counters().Listings
	result += fmt.Sprintf(" after the shifting server's %s", plural(first, "page"))
	if then < 1 || first+then <= 3 {
		return result, fmt.Errorf("the walk did not start over: %d listing requests to the shifting server, %d after", first, then)
	}
	return result, nil
}

// rightDataOrChanging accepts exactly the right data or the error for a
// listing that kept changing, naming the total that moved.
func rightDataOrChanging(t *testing.T, w *clitest.Workdir, a api, tg target, r clitest.Result) (string, error) {
	if r.ExitCode == 0 {
		return rightData(t, w, a, tg, r)
	}
	return clearError("the listing kept changing while it was read", "meta.page.total went from 250 to 251")(t, w, a, tg, r)
}
