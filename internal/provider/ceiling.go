package provider

import (
	"fmt"
	"os"
	"strconv"
)

// protocolCeiling is the largest message terraform-plugin-go sends to the
// CLI (tf6server's grpcMaxMessageSize): a larger state fails the read with
// an opaque gRPC error, ResourceExhausted, that names neither the data
// source nor a way out.
const protocolCeiling = 256 << 20

// ceilingMargin leaves room in that message for what travels beside the
// state: diagnostics and the protocol's framing.
const ceilingMargin = 1 << 20

// envStateCeiling lowers the ceiling, for tests that cannot build a
// workspace of 160k accounts through a real CLI; it never raises it.
const envStateCeiling = "CERBY_TEST_STATE_CEILING_BYTES"

// stateCeiling is the largest state a read may return.
func stateCeiling() int {
	ceiling := protocolCeiling - ceilingMargin
	if n, err := strconv.Atoi(os.Getenv(envStateCeiling)); err == nil && n > 0 {
		ceiling = min(ceiling, n)
	}
	return ceiling
}

// listedModel is a model whose size is its list of items.
type listedModel interface {
	listed() (n int, what, narrowing string)
}

// ceilingError explains a state over the ceiling: how much, why Terraform
// cannot take it, and how to read less.
func ceilingError(stateBytes, ceiling int, model any) (summary, detail string) {
	what, narrowing := "items", "Narrow the read with the data source's filters or max_items."
	n := -1
	if m, ok := model.(listedModel); ok {
		n, what, narrowing = m.listed()
	}
	count := ""
	if n >= 0 {
		count = fmt.Sprintf("%s %s, ", groupDigits(n), what)
	}
	return "The read is too large for Terraform",
		fmt.Sprintf("The read returned %swhose state is %s. Terraform accepts at most %s from a provider in one message (a limit of its plugin protocol, not of Cerby or of this provider), "+
			"so the read cannot be passed on. %s",
			count, mebibytes(stateBytes), mebibytes(ceiling), narrowing)
}

func mebibytes(n int) string {
	if n < 1<<20 {
		return fmt.Sprintf("%.1f KiB (%s bytes)", float64(n)/(1<<10), groupDigits(n))
	}
	return fmt.Sprintf("%.1f MiB (%s bytes)", float64(n)/(1<<20), groupDigits(n))
}

// groupDigits writes 1234567 as 1,234,567.
func groupDigits(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
