package faultmatrix

import (
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cerby-community/terraform-provider-cerby/internal/cerbysim"
	"github.com/cerby-community/terraform-provider-cerby/internal/clitest"
)

// row is one line of the matrix on one API. run returns what happened, and
// an error when that is not what the row expects.
type row struct {
	n                   int // the row's number in the table, the same on both APIs
	api                 api
	name, fault, expect string
	serial              bool // runs alone: it counts requests against the clock
	run                 func(t *testing.T, cli clitest.CLI) (result string, err error)
}

// TestAccFaultMatrix runs every row on every CLI of CERBY_TEST_CLIS and,
// when CERBY_RELIABILITY_TABLE names a file, writes the table there.
func TestAccFaultMatrix(t *testing.T) {
	clitest.RequireAcc(t)
	t.Cleanup(func() { writeReport(t) })
	rows := matrix()
	for _, cli := range clitest.CLIs(t) {
		label := cliLabel(t, cli)
		for _, r := range rows {
			t.Run(fmt.Sprintf("%s/%s/%02d_%s", cli.Name, r.api.slug, r.n, strings.ReplaceAll(r.name, " ", "_")), func(t *testing.T) {
				if !r.serial {
					t.Parallel()
				}
				began := time.Now()
				result := "the test stopped early: see its log"
				defer func() {
					record(Outcome{Row: r.n, Name: r.name, API: r.api.name, Fault: r.fault, Expected: r.expect, Result: result,
						Passed: !t.Failed(), Duration: time.Since(began), CLI: label})
				}()
				var err error
				result, err = r.run(t, cli)
				if err != nil {
					t.Error(err)
				}
			})
		}
	}
}

// Expectations, as the table words them.
const (
	wantData        = "exactly the simulator's data"
	wantDataOrError = "exactly the simulator's data, or a clear error; never a wrong list"
	wantPromise     = "every item present for the whole read exactly once, no duplicates; or an error saying the listing kept changing"
)

// matrix is every row: the generic ones on both APIs, each under one number,
// then those only the Cerby API has.
func matrix() []row {
	read, cerby := generic(readAPI), generic(cerbyAPI)
	var rows []row
	for i := range read {
		read[i].n, cerby[i].n = i+1, i+1
		rows = append(rows, read[i], cerby[i])
	}
	for i, r := range append(cerbyOnly(), cerbyOnlyRows()...) {
		r.n = len(read) + i + 1
		rows = append(rows, r)
	}
	return rows
}

// generic is the rows that make sense on either API, worded for a.
func generic(a api) []row {
	storms := settings{maxRetries: 3, maxRetryWait: "3s", requestTimeout: "2s"}
	return []row{
		read(a, "no fault", "none: the baseline", wantData, quick, faults(cerbysim.Faults{}), rightData),

		read(a, "429 storm, Retry-After seconds", "half the requests answered 429 with Retry-After: 1", wantData, storms,
			faults(cerbysim.Faults{Seed: 1, Random429Rate: 0.5, RetryAfter: time.Second}), rightDataDespite(isTooMany)),
		read(a, "429 storm, no Retry-After", "half the requests answered 429 without Retry-After (backoff with jitter)", wantData, storms,
			faults(cerbysim.Faults{Seed: 1, Random429Rate: 0.5}), rightDataDespite(isTooMany)),
		read(a, "429 storm, Retry-After HTTP-date", "half the requests answered 429 with Retry-After as an HTTP date 2 s ahead", wantData, storms,
			faults(cerbysim.Faults{Seed: 1, Random429Rate: 0.5, RetryAfter: 2 * time.Second, RetryAfterHTTPDate: true}), rightDataDespite(isTooMany)),
		read(a, "429 longer than max_retry_wait", "every request answered 429 with Retry-After: 10 (max_retry_wait 3s)",
			"a clear error at once, naming the wait and max_retry_wait", quick,
			faults(cerbysim.Faults{Random429Rate: 1, RetryAfter: 10 * time.Second}),
			failsAfter(1, "asked to wait 10s, longer than max_retry_wait (3s)")),
		read(a, "429 without Retry-After until retries run out", "every request answered 429 without Retry-After",
			"a clear error naming the attempts and saying no Retry-After was sent", quick,
			faults(cerbysim.Faults{Random429Rate: 1}),
			failsAfter(3, "429 Too Many Requests", "gave up after 3 attempts", "the server sent no Retry-After", "requests_per_second")),

		read(a, "5xx burst", "half the requests answered 500/502/503/504", wantData, storms,
			faults(cerbysim.Faults{Seed: 3, Random5xxRate: 0.5}), rightDataDespite(isServerError)),
		read(a, "5xx with HTML bodies", "every request answered 5xx with a proxy's HTML page",
			"a clear error naming the HTML page's title and the attempts, no raw HTML", quick,
			faults(cerbysim.Faults{Random5xxRate: 1, HTMLErrorRate: 1}),
			failsAfter(3, "HTML page (probably from a proxy)", "Server error after 3 attempts")),
		read(a, "server always fails", "every request answered 5xx", "a clear error saying how many attempts were made", quick,
			faults(cerbysim.Faults{Random5xxRate: 1}), failsAfter(3, "The service is temporarily unavailable", "Server error after 3 attempts")),

		read(a, "latency beyond request_timeout", "every answer delayed 5 s (request_timeout 2s)", "a clear error naming the timeout and the attempts", quick,
			faults(cerbysim.Faults{Latency: 5 * time.Second}), failsAfter(3, "within the 2s request timeout", "after 3 attempts")),
		read(a, "accepts and never answers", "a listener that accepts connections and never responds",
			"a clear error naming the timeout and the attempts", quick, silent, clearError("within the 2s request timeout", "after 3 attempts")),

		read(a, "connection reset mid-body", "the first 2 requests get a 200 whose body stops halfway, then a TCP reset (page 1 needs its third attempt)",
			"retried; exactly the simulator's data", quick, wrapped(resetMidBody(a, 2)), rightData),
		read(a, "connections dropped", "40% of connections closed without any response", "retried; exactly the simulator's data", storms,
			faults(cerbysim.Faults{Seed: 1, DropConnectionRate: 0.4}), rightDataDespite(isUnanswered)),
		read(a, "truncated JSON", "every body cut in half (Content-Length matching the cut)", "a clear error: not valid JSON", quick,
			wrapped(rewriteBody(truncated)), clearError(a.list+": the response is not valid JSON")),
		read(a, "200 with HTML", "every request answered 200 with a sign-in HTML page", "a clear error: an HTML page, not JSON", quick,
			wrapped(loginPage), clearError("the response is an HTML page, not JSON")),
		read(a, "200 with JSON of the wrong shape", fmt.Sprintf(`the list comes under "results" instead of %q`, a.listKey), "a clear error: not a list", quick,
			wrapped(rewriteBody(wrongShape(a))), clearError(a.list+": the response "+a.notAList)),

		read(a, "items inserted between pages", "3 accounts inserted in front before page 2, once", wantPromise, quick,
			faults(cerbysim.Faults{Seed: 1, InsertBetweenPages: 3, ChangeLimit: 1}), keptPromise),
		read(a, "items removed between pages", "3 accounts removed from the front before page 2, once", wantPromise, quick,
			faults(cerbysim.Faults{Seed: 1, RemoveBetweenPages: 3, ChangeLimit: 1}), keptPromise),
		read(a, "items inserted before every page", "2 accounts inserted in front before every page after the first", wantPromise, quick,
			faults(cerbysim.Faults{Seed: 1, InsertBetweenPages: 2}), keptPromise),
		read(a, "items removed before every page", "2 accounts removed from the front before every page after the first", wantPromise, quick,
			faults(cerbysim.Faults{Seed: 1, RemoveBetweenPages: 2}), keptPromise),
		read(a, "duplicate ids across pages", fmt.Sprintf("the first 5 accounts listed again on the last page, counted in %s", a.total), wantData, quick,
			faults(cerbysim.Faults{DuplicateItems: 5}), rightData),
		read(a, "empty page mid-stream", fmt.Sprintf("the page at %s comes back empty; %s still 250", a.secondPage, a.total), wantDataOrError, quick,
			faults(cerbysim.Faults{EmptyPageAt: 101}), rightDataOrError),
		read(a, "total too high", fmt.Sprintf("%s 400 for 250 accounts", a.total), wantDataOrError, quick,
			faults(cerbysim.Faults{TotalResultsOffset: 150}), rightDataOrError),
		read(a, "total too low", fmt.Sprintf("%s 125 for 250 accounts", a.total), wantDataOrError, quick,
			faults(cerbysim.Faults{TotalResultsOffset: -125}), rightDataOrError),
		read(a, "total missing", fmt.Sprintf("no %s in any page", a.total), wantData, quick,
			faults(cerbysim.Faults{OmitTotalResults: true}), rightData),
		read(a, "pagination never advances", "every page asked for answered with the first page", "a clear error: pagination is not advancing", quick,
			faults(cerbysim.Faults{NeverAdvance: true}), clearError("pagination is not advancing")),
		// A long request_timeout: the row is about the size, not the speed.
		read(a, "body larger than the cap", fmt.Sprintf("a 200 JSON body of %d MiB", bodyLimitMiB+1), "a clear error naming the limit, not retried",
			settings{maxRetries: 2, maxRetryWait: "3s", requestTimeout: "25s"},
			wrapped(oversized(a)), clearError(fmt.Sprintf("exceeds the %d MiB limit", bodyLimitMiB))),

		interruptDuringBackoff(a),
		interruptDuringSlowRequest(a),
		parallelReadsInA429Storm(a),
		stateOverCeiling(a),
	}
}

// judgement decides a read row from the finished run.
type judgement func(t *testing.T, w *clitest.Workdir, a api, tg target, r clitest.Result) (string, error)

// read is a row that lists the accounts once through a against serve's
// server. Every request must be on a's paths: the simulator serves both
// APIs, so a provider reading the other would otherwise pass.
func read(a api, name, fault, expect string, s settings, serve func(*testing.T) target, judge judgement) row {
	return readConfig(a, name, fault, expect, s, serve, func(target) string { return listAccounts }, judge)
}

// readConfig is read with the configuration's data sources and outputs
// written by body for the server the row serves.
func readConfig(a api, name, fault, expect string, s settings, serve func(*testing.T) target, body func(target) string, judge judgement) row {
	return row{api: a, name: name, fault: fault, expect: expect, run: func(t *testing.T, cli clitest.CLI) (string, error) {
		tg := serve(t)
		if tg.sim != nil {
			tg.before = tg.sim.AccountIDs()
		}
		w := workdir(t, cli, a.endpoint(tg.url), s, body(tg))
		r := apply(w)
		if err := hung(r); err != nil {
			return "hang: killed at the ceiling", err
		}
		if err := leaked(r); err != nil {
			return "API KEY LEAKED", err
		}
		for _, sim := range []*cerbysim.Server{tg.first, tg.sim} {
			if sim == nil {
				continue
			}
			if off := a.offAPI(sim); len(off) > 0 {
				return fmt.Sprintf("requests off the %s: %s", a.name, brief(strings.Join(off, ", "))),
					fmt.Errorf("%d requests were not on the %s's paths (%s…): %s", len(off), a.name, a.pathPrefix, strings.Join(off, ", "))
			}
		}
		return judge(t, w, a, tg, r)
	}}
}

func faults(f cerbysim.Faults) func(*testing.T) target {
	return func(t *testing.T) target { return simulate(t, f, nil) }
}

func wrapped(wrap func(http.Handler) http.Handler) func(*testing.T) target {
	return func(t *testing.T) target { return simulate(t, cerbysim.Faults{}, wrap) }
}

// rightData wants the simulator's ids, each once, and each account's name
// and last_password_change as the row's API serves them.
func rightData(t *testing.T, w *clitest.Workdir, a api, tg target, r clitest.Result) (string, error) {
	if r.ExitCode != 0 {
		msg, _ := firstError(r)
		return "error: " + brief(msg), fmt.Errorf("exit %d, want the data:\n%s%s", r.ExitCode, msg, r.Stderr)
	}
	got, want := stringList(t, w, "ids"), tg.sim.AccountIDs()
	if !sameSet(got, want) {
		return fmt.Sprintf("WRONG DATA: %d ids (duplicates: %t) for %d in the simulator", len(got), hasDuplicates(got), len(want)),
			fmt.Errorf("ids differ from the simulator's: got %d, want %d", len(got), len(want))
	}
	accounts, err := accountsOutput(t, w)
	if err != nil {
		return "WRONG DATA: " + err.Error(), err
	}
	if n, some := a.differences(tg.ws, accounts); n > 0 || len(accounts) != len(want) {
		return fmt.Sprintf("WRONG DATA: %d of %d accounts differ from the %s's", n, len(accounts), a.name),
			fmt.Errorf("%d accounts (of %d) differ from what the %s serves: %s", n, len(accounts), a.name, some)
	}
	return fmt.Sprintf("right data: %d ids; requests: %s", len(got), statuses(tg.sim)), nil
}

// accountsOutput reads the accounts output, id → its grouped accounts; an
// id with more than one is a duplicate.
func accountsOutput(t *testing.T, w *clitest.Workdir) (map[string]any, error) {
	grouped, ok := w.Outputs(t)["accounts"].(map[string]any)
	if !ok {
		return nil, errors.New("the accounts output is not a map")
	}
	accounts := make(map[string]any, len(grouped))
	for id, v := range grouped {
		list, _ := v.([]any)
		if len(list) != 1 {
			return nil, fmt.Errorf("account %s is in the accounts list %d times", id, len(list))
		}
		accounts[id] = list[0]
	}
	return accounts, nil
}

// rightDataDespite is rightData that also wants the fault to have struck:
// a row whose fault never happened proves nothing.
func rightDataDespite(struck func(status int) bool) judgement { return despite(rightData, struck) }

// despite is judge that also wants the fault to have struck.
func despite(judge judgement, struck func(status int) bool) judgement {
	return func(t *testing.T, w *clitest.Workdir, a api, tg target, r clitest.Result) (string, error) {
		result, err := judge(t, w, a, tg, r)
		if err == nil && !slices.ContainsFunc(tg.sim.Counters().Requests, func(req cerbysim.Request) bool { return struck(req.Status) }) {
			err = fmt.Errorf("the fault never struck: %s", result)
		}
		return result, err
	}
}

func isTooMany(status int) bool     { return status == http.StatusTooManyRequests }
func isServerError(status int) bool { return status >= 500 }
func isUnanswered(status int) bool  { return status == 0 }

// clearError wants a failed run whose first error diagnostic contains each
// of wants and no raw HTML.
func clearError(wants ...string) judgement {
	return func(t *testing.T, w *clitest.Workdir, a api, tg target, r clitest.Result) (string, error) {
		msg, found := firstError(r)
		result := "error: " + brief(msg)
		switch {
		case r.ExitCode == 0:
			return "no error: exit 0", fmt.Errorf("the run succeeded; want an error containing %q", wants)
		case !found:
			return fmt.Sprintf("exit %d without a diagnostic", r.ExitCode), fmt.Errorf("no error diagnostic:\n%s%s", r.Stdout, r.Stderr)
		case strings.Contains(strings.ToLower(msg), "<html"):
			return result, fmt.Errorf("the error quotes raw HTML: %s", msg)
		}
		for _, want := range wants {
			if !strings.Contains(msg, want) {
				return result, fmt.Errorf("the error lacks %q:\n%s", want, msg)
			}
		}
		return result, nil
	}
}

// failsAfter is clearError plus a check that the simulator saw exactly the
// attempts the message claims.
func failsAfter(attempts int, wants ...string) judgement {
	return func(t *testing.T, w *clitest.Workdir, a api, tg target, r clitest.Result) (string, error) {
		result, err := clearError(wants...)(t, w, a, tg, r)
		if err != nil {
			return result, err
		}
		if seen := len(tg.sim.Counters().Requests); seen != attempts {
			return result, fmt.Errorf("the simulator saw %d requests, want %d", seen, attempts)
		}
		return fmt.Sprintf("%s [the simulator saw %s]", result, plural(attempts, "request")), nil
	}
}

// rightDataOrError accepts exactly the right data, or an error that names
// the listing; a wrong list is the failure.
func rightDataOrError(t *testing.T, w *clitest.Workdir, a api, tg target, r clitest.Result) (string, error) {
	if r.ExitCode == 0 {
		return rightData(t, w, a, tg, r)
	}
	return clearError(a.list)(t, w, a, tg, r)
}

// keptPromise checks the rule for lists that change while they are read.
func keptPromise(t *testing.T, w *clitest.Workdir, a api, tg target, r clitest.Result) (string, error) {
	if r.ExitCode != 0 {
		return clearError("chang")(t, w, a, tg, r)
	}
	got, after := stringList(t, w, "ids"), tg.sim.AccountIDs()
	var missing, unknown []string
	for _, id := range tg.before {
		if slices.Contains(after, id) && !slices.Contains(got, id) {
			missing = append(missing, id)
		}
	}
	for _, id := range got {
		if !slices.Contains(tg.before, id) && !slices.Contains(after, id) {
			unknown = append(unknown, id)
		}
	}
	result := fmt.Sprintf("%d ids (%d before, %d after); %d present throughout but missing; duplicates: %t",
		len(got), len(tg.before), len(after), len(missing), hasDuplicates(got))
	if len(missing) > 0 || len(unknown) > 0 || hasDuplicates(got) {
		return "BROKEN PROMISE: " + result, fmt.Errorf("the listing rule broke: missing %v, never served %v, duplicates %t", missing, unknown, hasDuplicates(got))
	}
	return "promise kept: " + result, nil
}

// statuses summarises what the simulator answered, e.g. "200×3, 429×2".
func statuses(sim *cerbysim.Server) string {
	by := sim.Counters().ByStatus
	var parts []string
	for _, code := range slices.Sorted(maps.Keys(by)) {
		label := fmt.Sprint(code)
		if code == 0 {
			label = "unanswered"
		}
		parts = append(parts, fmt.Sprintf("%s×%d", label, by[code]))
	}
	return strings.Join(parts, ", ")
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
