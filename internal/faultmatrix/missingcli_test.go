package faultmatrix

import (
	"testing"

	"github.com/cerby-community/terraform-provider-cerby/internal/clitest"
)

// TestMissingCLIFailsTheMatrix: without its CLI the matrix fails, never
// skips.
func TestMissingCLIFailsTheMatrix(t *testing.T) {
	clitest.RequireFailsWithoutCLI(t, "TestAccFaultMatrix")
}
