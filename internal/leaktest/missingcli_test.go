package leaktest_test

import (
	"testing"

	"github.com/cerby-community/terraform-provider-cerby/internal/clitest"
)

// TestMissingCLIFailsTheLeakMatrix: without their CLI the leak tests
// (TestAccLeaks_*, TestAccNetwork_*) fail, never skip.
func TestMissingCLIFailsTheLeakMatrix(t *testing.T) {
	clitest.RequireFailsWithoutCLI(t, "TestAccLeaks_cerbyAPI_successfulReads")
}
