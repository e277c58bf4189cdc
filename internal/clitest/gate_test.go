package clitest

import (
	"regexp"
	"strings"
	"testing"
)

// scripts/testsummary's versionGate: the only skip a run under TF_ACC may
// have.
var versionGate = regexp.MustCompile(`Terraform CLI version .*: skipping test`)

// Each kind is gated at its own first version; the reason is the one
// tfversion.SkipBelow gives, which scripts/testsummary counts as a version
// gate.
func TestSkipUnlessGatesEachKindAtItsOwnVersion(t *testing.T) {
	for _, tc := range []struct {
		id   string
		want string // the skip reason, "" to run
	}{
		{"terraform-1.5.7", "Terraform CLI version 1.5.7 is below minimum version 1.10.0: skipping test"},
		{"terraform-1.9.8", "Terraform CLI version 1.9.8 is below minimum version 1.10.0: skipping test"},
		{"terraform-1.10.0", ""},
		{"terraform-1.10.0-rc1", ""}, // as tfversion counts a prerelease
		{"terraform-1.16.2", ""},
		{"tofu-1.10.7", "Terraform CLI version 1.10.7 is below minimum version 1.11.0: skipping test"}, // which tfversion.SkipBelow(1.10.0) would run
		{"tofu-1.11.0", ""},
		{"tofu-1.12.6", ""},
	} {
		kind, _, _ := strings.Cut(tc.id, "-")
		cli := CLI{Name: tc.id, Kind: kind, Path: "/nonexistent/" + kind}
		got := cli.lacks(t, EphemeralResources)
		if got != tc.want {
			t.Errorf("%s: reason %q, want %q", tc.id, got, tc.want)
		}
		if got != "" && !versionGate.MatchString(got) {
			t.Errorf("%s: reason %q is not one scripts/testsummary counts as a version gate", tc.id, got)
		}
		if cli.Supports(t, EphemeralResources) != (tc.want == "") {
			t.Errorf("%s: Supports disagrees with the reason %q", tc.id, got)
		}
	}
	// A CLI that has the feature runs on.
	SkipUnless(t, CLI{Name: "tofu-1.12.6", Kind: "tofu"}, EphemeralResources)
}

func TestVersionBelow(t *testing.T) {
	for _, tc := range []struct {
		v, min string
		want   bool
	}{
		{"1.9.9", "1.10.0", true}, {"1.10.0", "1.10.0", false}, {"1.10.1", "1.10.0", false},
		{"2.0.0", "1.11.0", false}, {"0.15.5", "1.0.0", true}, {"1.11.0-beta2", "1.11.0", false},
	} {
		if got, err := versionBelow(tc.v, tc.min); err != nil || got != tc.want {
			t.Errorf("versionBelow(%s, %s) = %v, %v; want %v", tc.v, tc.min, got, err, tc.want)
		}
	}
	for _, bad := range []string{"1.10", "v1.10.0", "1.x.0", ""} {
		if _, err := versionBelow(bad, "1.10.0"); err == nil {
			t.Errorf("versionBelow(%q) accepted it", bad)
		}
	}
}
