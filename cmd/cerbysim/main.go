// Command cerbysim serves a local imitation of Cerby's Read API (/v1) and
// Cerby API (/api/v1) at once, with a generated or hand-written workspace and
// optional faults, for demos, examples, benchmarks and tests.
//
// It prints the settings a client needs as shell assignments, for example
//
//	CERBY_ENDPOINT=http://127.0.0.1:43123
//	CERBY_API_KEY=sim_…
//	CERBY_API_ENDPOINT=http://127.0.0.1:43123/api/v1
//
// on stdout (and into -ready-file when given), logs one line per request on
// stderr, and stops cleanly on SIGINT or SIGTERM. CERBY_ENDPOINT is the Read
// API's base URL, CERBY_API_ENDPOINT the Cerby API's; the one key works on
// both. CERBY_API_ENDPOINT comes last, after the lines that were there
// before it, so a reader of those lines finds them as it always did.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"time"

	"github.com/cerby-community/terraform-provider-cerby/internal/cerbysim"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

type options struct {
	addr             string
	allowNonLoopback bool
	seed             int64
	size             cerbysim.Size
	workspaceFile    string
	writeWorkspace   string
	apiKey           string
	bearerToken      string
	requireWorkspace string
	readyFile        string
	quiet            bool
	logArrival       bool
	faults           cerbysim.Faults
	cerbyAPI         cerbysim.CerbyAPIOptions
}

// run is main without the process: it returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	opts, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "cerbysim:", err)
		return 2
	}
	if err := serve(ctx, opts, stdout, stderr); err != nil {
		fmt.Fprintln(stderr, "cerbysim:", err)
		return 1
	}
	return 0
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("cerbysim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.addr, "addr", "127.0.0.1:0", "address to listen on (port 0 picks a free one)")
	fs.BoolVar(&o.allowNonLoopback, "allow-non-loopback", false, "allow -addr to be reachable from other hosts")
	fs.Int64Var(&o.seed, "seed", 1, "seed for the generated workspace and the random faults")
	fs.IntVar(&o.size.Accounts, "accounts", 200, "accounts to generate")
	fs.IntVar(&o.size.Members, "members", 40, "workspace members to generate")
	fs.IntVar(&o.size.AccessPerMember, "access", 10, "accounts each generated member reaches")
	fs.StringVar(&o.workspaceFile, "workspace-file", "", "serve this workspace JSON file instead of a generated one")
	fs.StringVar(&o.writeWorkspace, "write-workspace", "", "write the workspace to this file, in the -workspace-file format, and exit")
	fs.StringVar(&o.apiKey, "api-key", "", "API key to accept in X-API-Key (default: a random key, printed)")
	fs.StringVar(&o.bearerToken, "bearer-token", "", "bearer token to accept in Authorization")
	fs.StringVar(&o.requireWorkspace, "require-workspace", "", "Cerby-Workspace value every request must send")
	fs.StringVar(&o.readyFile, "ready-file", "", "once listening, also write the printed settings to this file")
	fs.BoolVar(&o.quiet, "quiet", false, "do not log requests")
	fs.BoolVar(&o.logArrival, "log-arrival", false, "start each request's log line with the Unix time in microseconds it arrived")
	fs.IntVar(&o.faults.RateLimitPerSecond, "rate-limit", 0, "answer 429 beyond this many requests per second (0: no limit)")
	fs.Float64Var(&o.faults.Random429Rate, "random-429", 0, "share of requests answered 429, 0 to 1")
	fs.DurationVar(&o.faults.RetryAfter, "retry-after", 0, "Retry-After sent with random 429s (0: none)")
	fs.BoolVar(&o.faults.RetryAfterHTTPDate, "retry-after-date", false, "send Retry-After as an HTTP date instead of seconds")
	fs.Float64Var(&o.faults.Random5xxRate, "random-5xx", 0, "share of requests answered 500, 502, 503 or 504, 0 to 1")
	fs.Float64Var(&o.faults.HTMLErrorRate, "html-errors", 0, "share of those 5xx answered with an HTML page, 0 to 1")
	fs.DurationVar(&o.faults.Latency, "latency", 0, "delay before every response")
	fs.Float64Var(&o.faults.DropConnectionRate, "drop-rate", 0, "share of requests whose connection is closed unanswered, 0 to 1")
	fs.IntVar(&o.faults.InsertBetweenPages, "insert-between-pages", 0, "items added in front of a listing before each page after the first")
	fs.IntVar(&o.faults.RemoveBetweenPages, "remove-between-pages", 0, "items removed from the front of a listing before each page after the first")
	fs.BoolVar(&o.faults.NeverAdvance, "never-advance", false, "serve the first page whatever startIndex asks")
	fs.IntVar(&o.faults.ChangeLimit, "change-limit", 0, "pages the insert/remove faults act before at most (0: every page)")
	fs.IntVar(&o.faults.DuplicateItems, "duplicate-items", 0, "list the first n items of a listing again at its end")
	fs.IntVar(&o.faults.EmptyPageAt, "empty-page-at", 0, "serve an empty page at this startIndex (0: never)")
	fs.IntVar(&o.faults.TotalResultsOffset, "total-offset", 0, "add this to totalResults (negative: too low)")
	fs.BoolVar(&o.faults.OmitTotalResults, "omit-total", false, "leave totalResults (Cerby API: meta.page.total) out of listings")
	fs.IntVar(&o.faults.TotalShiftAfterFirstPage, "total-shift", 0, "add this to the total of every page after the first, the listing unchanged")
	fs.StringVar(&o.faults.NextOrigin, "next-origin", "", "Cerby API: make links.next absolute on this origin (scheme://host[:port])")
	fs.BoolVar(&o.faults.NextRepeatsSelf, "next-repeats-self", false, "Cerby API: make links.next equal links.self on every page")
	fs.StringVar(&o.faults.NextPath, "next-path", "", "Cerby API: give every links.next this path, its query kept")
	fs.BoolVar(&o.faults.OmitNullLinks, "omit-null-links", false, "Cerby API: leave out links.next and links.previous where null")
	fs.BoolVar(&o.faults.OmitLinks, "omit-links", false, "Cerby API: leave links out of listings")
	fs.IntVar(&o.faults.ServerErrorStatus, "server-error-status", 0, "status of the random 5xx, 500 to 599 (0: 500, 502, 503 or 504 drawn)")
	fs.BoolVar(&o.cerbyAPI.OwnerOnly, "cerby-api-owner-only", false, "Cerby API: serve only the accounts whose Read API role is owner or account_owner")
	fs.Func("cerby-api-scopes", "Cerby API: the key's scopes, a comma list of read:items:accounts, read:items, read:users, read:teams, read:vaults, read:integrations (default: every scope; \"\": none)", func(v string) error {
		o.cerbyAPI.Scopes = []string{}
		for _, scope := range strings.Split(v, ",") {
			if scope = strings.TrimSpace(scope); scope != "" {
				o.cerbyAPI.Scopes = append(o.cerbyAPI.Scopes, scope)
			}
		}
		return nil
	})
	fs.Func("cerby-api-errors", "Cerby API error bodies: mixed (default), snake or title", func(v string) error {
		if v == "mixed" {
			v = ""
		}
		o.cerbyAPI.Errors = cerbysim.ErrorStyle(v)
		return nil
	})
	for _, l := range []struct {
		name, path string
		mode       *cerbysim.ListingMode
	}{
		{"cerby-api-user-accounts", "/users/{id}/accounts", &o.cerbyAPI.UserAccounts},
		{"cerby-api-team-members", "/teams/{id}/members", &o.cerbyAPI.TeamMembers},
		{"cerby-api-team-accounts", "/teams/{id}/accounts", &o.cerbyAPI.TeamAccounts},
		{"cerby-api-integration-users", "/integrations/{id}/users", &o.cerbyAPI.IntegrationUsers},
	} {
		fs.Func(l.name, "Cerby API GET "+l.path+": served (default), 404 or 405", func(v string) error {
			if v == "served" {
				v = ""
			}
			*l.mode = cerbysim.ListingMode(v)
			return nil
		})
	}
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected argument %q; every setting is a flag (see -h)", fs.Arg(0))
	}
	o.faults.Seed = o.seed
	return o, o.check(fs)
}

func (o options) check(fs *flag.FlagSet) error {
	var errs []error
	if !o.allowNonLoopback && !isLoopback(o.addr) {
		errs = append(errs, fmt.Errorf("-addr %s is reachable from other hosts; use a loopback address such as 127.0.0.1:0, or add -allow-non-loopback", o.addr))
	}
	if o.size.Accounts < 0 || o.size.Members < 0 || o.size.AccessPerMember < 0 {
		errs = append(errs, errors.New("-accounts, -members and -access must not be negative"))
	}
	if o.workspaceFile != "" {
		fs.Visit(func(f *flag.Flag) {
			if f.Name == "accounts" || f.Name == "members" || f.Name == "access" {
				errs = append(errs, fmt.Errorf("-%s generates a workspace; it cannot be combined with -workspace-file", f.Name))
			}
		})
	}
	if err := o.faults.Validate(); err != nil {
		errs = append(errs, err)
	}
	if err := o.cerbyAPI.Validate(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// isLoopback accepts localhost and loopback IPs; an empty host means every
// interface, so it is not loopback.
func isLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func serve(ctx context.Context, o options, stdout, stderr io.Writer) error {
	ws, err := workspace(o)
	if err != nil {
		return err
	}
	if o.writeWorkspace != "" {
		return ws.WriteFile(o.writeWorkspace)
	}
	if o.apiKey == "" {
		if o.apiKey, err = randomKey(); err != nil {
			return err
		}
	}
	cfg := cerbysim.Config{APIKey: o.apiKey, BearerToken: o.bearerToken, RequireWorkspace: o.requireWorkspace, Faults: o.faults, CerbyAPI: o.cerbyAPI}
	if !o.quiet {
		cfg.Log, cfg.LogArrival = stderr, o.logArrival
	}
	sim := cerbysim.New(ws, cfg)
	if err := sim.Err(); err != nil {
		return err
	}
	baseURL, err := sim.Start(o.addr)
	if err != nil {
		return err
	}
	settings := readySettings(baseURL, o)
	fmt.Fprint(stdout, settings)
	fmt.Fprintf(stderr, "cerbysim: serving %d accounts and %d members at %s (Cerby API: %s); stop with Ctrl-C\n",
		len(ws.Accounts), len(ws.Members), baseURL, baseURL+cerbysim.CerbyAPIPrefix)
	if o.readyFile != "" {
		if err := writeAtomically(o.readyFile, settings); err != nil {
			_ = sim.Close()
			return err
		}
	}

	<-ctx.Done()
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := sim.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutting down: %w", err)
	}
	fmt.Fprintln(stderr, "cerbysim: stopped")
	return nil
}

func workspace(o options) (*cerbysim.Workspace, error) {
	if o.workspaceFile != "" {
		return cerbysim.LoadWorkspace(o.workspaceFile)
	}
	return cerbysim.Generate(o.seed, o.size), nil
}

func randomKey() (string, error) {
	var b [24]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return "sim_" + hex.EncodeToString(b[:]), nil
}

// readySettings are the lines a script evals or sources. The bearer token is
// left out: whoever passed it already has it. CERBY_API_ENDPOINT is last so
// the lines before it are what they were before the Cerby API was served.
func readySettings(baseURL string, o options) string {
	lines := []string{"CERBY_ENDPOINT=" + shellQuote(baseURL), "CERBY_API_KEY=" + shellQuote(o.apiKey)}
	if o.requireWorkspace != "" {
		lines = append(lines, "CERBY_WORKSPACE="+shellQuote(o.requireWorkspace))
	}
	lines = append(lines, "CERBY_API_ENDPOINT="+shellQuote(baseURL+cerbysim.CerbyAPIPrefix))
	return strings.Join(lines, "\n") + "\n"
}

var shellSafe = regexp.MustCompile(`^[A-Za-z0-9_.:/@%+=,-]+$`)

func shellQuote(s string) string {
	if shellSafe.MatchString(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// writeAtomically makes the file appear complete or not at all, so a script
// polling for it never reads half; it holds the key, hence owner-only.
func writeAtomically(path, content string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".cerbysim-ready-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.WriteString(content); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
