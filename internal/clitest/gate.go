package clitest

import (
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Feature is something of the configuration language not every pinned CLI
// has: the first version of each kind that has it.
type Feature struct {
	Name            string
	Terraform, Tofu string // first versions, e.g. "1.10.0"
}

// EphemeralResources are `ephemeral` blocks: Terraform 1.10, OpenTofu 1.11.
var EphemeralResources = Feature{Name: "ephemeral resources", Terraform: "1.10.0", Tofu: "1.11.0"}

// SkipUnless skips the test when cli lacks the feature, with the reason
// terraform-plugin-testing's tfversion.SkipBelow gives ("Terraform CLI
// version … is below minimum version …: skipping test"), which
// scripts/testsummary counts as a version gate; every other skip fails a
// run under TF_ACC. Unlike tfversion it compares each kind with its own
// first version, so tofu 1.10 is skipped for ephemeral resources.
func SkipUnless(t testing.TB, cli CLI, f Feature) {
	t.Helper()
	if reason := cli.lacks(t, f); reason != "" {
		t.Logf("%s: %s needs %s", cli.Name, f.Name, f.needs())
		t.Skip(reason)
	}
}

// Supports reports whether cli has the feature.
func (c CLI) Supports(t testing.TB, f Feature) bool {
	t.Helper()
	return c.lacks(t, f) == ""
}

// lacks is the skip reason when c lacks f, "" when it has it.
func (c CLI) lacks(t testing.TB, f Feature) string {
	t.Helper()
	first := f.Terraform
	if c.Kind == "tofu" {
		first = f.Tofu
	}
	version := c.Version(t)
	below, err := versionBelow(version, first)
	if err != nil {
		t.Fatalf("%s: %v", c.Name, err)
	}
	if below {
		return fmt.Sprintf("Terraform CLI version %s is below minimum version %s: skipping test", version, first)
	}
	return ""
}

func (f Feature) needs() string {
	return fmt.Sprintf("terraform %s or tofu %s or later", f.Terraform, f.Tofu)
}

var versions sync.Map // CLI path → version

// Version is the CLI's own version number, such as 1.12.6 for tofu 1.12.6:
// the version of its id (<kind>-<version>, as scripts/clis.txt pins it), or
// else what `version -json` says.
func (c CLI) Version(t testing.TB) string {
	t.Helper()
	if _, v, ok := strings.Cut(c.Name, "-"); ok && isVersion(v) {
		return v
	}
	if v, ok := versions.Load(c.Path); ok {
		return v.(string)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, c.Path, "version", "-json").Output()
	var reported struct {
		Version string `json:"terraform_version"` // tofu says it so too
	}
	if err == nil {
		err = json.Unmarshal(out, &reported)
	}
	if err != nil || !isVersion(reported.Version) {
		t.Fatalf("%s version -json: %v %q", c.Path, err, out)
	}
	versions.Store(c.Path, reported.Version)
	return reported.Version
}

// isVersion accepts 1.2.3, and a prerelease 1.2.3-rc1 (compared as 1.2.3).
func isVersion(v string) bool {
	_, err := versionNumbers(v)
	return err == nil
}

func versionNumbers(v string) ([3]int, error) {
	var n [3]int
	core, _, _ := strings.Cut(v, "-")
	parts := strings.Split(core, ".")
	if len(parts) != 3 {
		return n, fmt.Errorf("version %q is not major.minor.patch", v)
	}
	for i, p := range parts {
		x, err := strconv.Atoi(p)
		if err != nil || x < 0 {
			return n, fmt.Errorf("version %q is not major.minor.patch", v)
		}
		n[i] = x
	}
	return n, nil
}

// versionBelow reports whether v is below min, prereleases counting as their
// release, as tfversion.SkipBelow counts them.
func versionBelow(v, min string) (bool, error) {
	a, err := versionNumbers(v)
	if err != nil {
		return false, err
	}
	b, err := versionNumbers(min)
	if err != nil {
		return false, err
	}
	for i := range a {
		if a[i] != b[i] {
			return a[i] < b[i], nil
		}
	}
	return false, nil
}
