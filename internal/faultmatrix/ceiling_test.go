package faultmatrix

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/cerby-community/terraform-provider-cerby/internal/cerbysim"
	"github.com/cerby-community/terraform-provider-cerby/internal/clitest"
)

// envStateCeiling lowers the provider's ceiling on a state
// (internal/provider/ceiling.go). The CLI passes its environment to the
// provider process it starts, so the row sets it in the CLI's.
const envStateCeiling = "CERBY_TEST_STATE_CEILING_BYTES"

// lowCeiling is far below the state of the matrix's 250 accounts (about
// 400 KB on either API) and far above any small message.
const lowCeiling = 64 << 10

// stateOverCeiling is the plugin protocol's 256 MiB ceiling met through a
// real CLI: the full read of 250 accounts over a ceiling lowered to 64 KiB
// must fail with the provider's diagnostic (the items and bytes, that
// Terraform accepts no more, how to narrow the read), never the gRPC error
// terraform-plugin-go would send for a message over its limit; then the
// same read with the ceiling at exactly the state's size, as that
// diagnostic gives it, must succeed with the simulator's data.
func stateOverCeiling(a api) row {
	return row{
		api: a, name: "state over the protocol ceiling",
		fault:  fmt.Sprintf("none; the provider's 256 MiB state ceiling lowered to %d KiB (%s), then set to the state's exact size", lowCeiling>>10, envStateCeiling),
		expect: "a clear error naming the accounts, the bytes, the ceiling and how to narrow the read, not a gRPC error; at the exact size, the simulator's data",
		run: func(t *testing.T, cli clitest.CLI) (string, error) {
			tg := simulate(t, cerbysim.Faults{}, nil)
			tg.before = tg.sim.AccountIDs()
			w := workdir(t, cli, a.endpoint(tg.url), quick, listAccounts)

			w.Env[envStateCeiling] = strconv.Itoa(lowCeiling)
			over := apply(w)
			if result, err := ranCleanly(a, tg, over); err != nil {
				return result, err
			}
			msg, _ := firstError(over)
			overResult, err := clearError(
				"The read is too large for Terraform",
				"The read returned 250 accounts, whose state is ",
				fmt.Sprintf("Terraform accepts at most 64.0 KiB (%s bytes) from a provider", groupDigits(lowCeiling)),
				"a limit of its plugin protocol",
				"Narrow it: filter with applications, status or account_ids, or set max_items.",
			)(t, w, a, tg, over)
			if err != nil {
				return overResult, err
			}
			if grpc := grpcError(over.Stdout + over.Stderr); grpc != "" {
				return "gRPC error: " + brief(grpc), fmt.Errorf("the CLI shows a gRPC error beside the diagnostic: %s", grpc)
			}
			stateBytes, ok := stateSize(msg)
			if !ok || stateBytes <= lowCeiling {
				return overResult, fmt.Errorf("the diagnostic gives no state size over the %d bytes allowed: %s", lowCeiling, msg)
			}
			if pages := tg.sim.Counters().Listings; pages != 3 {
				return overResult, fmt.Errorf("the refused read took %d listing requests, want the 3 pages of a full read", pages)
			}

			w.Env[envStateCeiling] = strconv.Itoa(stateBytes)
			at := apply(w)
			if result, err := ranCleanly(a, tg, at); err != nil {
				return result, err
			}
			atResult, err := rightData(t, w, a, tg, at)
			result := fmt.Sprintf("over %d KiB: %s; at the state's %s bytes: %s", lowCeiling>>10, overResult, groupDigits(stateBytes), atResult)
			return result, err
		},
	}
}

// ranCleanly holds a run to what read holds every row to: no hang, no key
// in the output, no request off the row's API.
func ranCleanly(a api, tg target, r clitest.Result) (string, error) {
	if err := hung(r); err != nil {
		return "hang: killed at the ceiling", err
	}
	if err := leaked(r); err != nil {
		return "API KEY LEAKED", err
	}
	if off := a.offAPI(tg.sim); len(off) > 0 {
		return fmt.Sprintf("requests off the %s: %s", a.name, brief(strings.Join(off, ", "))),
			fmt.Errorf("%d requests were not on the %s's paths (%s…): %s", len(off), a.name, a.pathPrefix, strings.Join(off, ", "))
	}
	return "", nil
}

// grpcError is the first sign, in what the CLI printed, of the error gRPC
// gives a message over its limit, or "".
func grpcError(output string) string {
	for _, sign := range []string{"ResourceExhausted", "rpc error", "grpc: ", "larger than max"} {
		if i := strings.Index(output, sign); i >= 0 {
			return output[max(0, i-80):min(len(output), i+160)]
		}
	}
	return ""
}

// stateBytesRE finds the state's size in the diagnostic: "whose state is
// 402.1 KiB (411,746 bytes)".
var stateBytesRE = regexp.MustCompile(`whose state is [0-9.]+ [KM]iB \(([0-9,]+) bytes\)`)

func stateSize(msg string) (int, bool) {
	m := stateBytesRE.FindStringSubmatch(msg)
	if m == nil {
		return 0, false
	}
	n, err := strconv.Atoi(strings.ReplaceAll(m[1], ",", ""))
	return n, err == nil
}

// groupDigits writes 65536 as 65,536, as the provider's diagnostics do.
func groupDigits(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
