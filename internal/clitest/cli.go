package clitest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// CLI is one pinned command-line binary.
type CLI struct{ Name, Path string } // Name "terraform" or "tofu"

// RequireAcc skips the test unless TF_ACC is set (the unit run), like
// terraform-plugin-testing does; with TF_ACC set nothing here ever skips.
func RequireAcc(t testing.TB) {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("drives a real CLI: set TF_ACC=1 to run")
	}
}

// toolsBin is where scripts/install-clis.sh puts the pinned CLIs.
func toolsBin() string {
	dir := os.Getenv("CERBY_TOOLS_DIR")
	if dir == "" {
		home, _ := os.UserHomeDir()
		dir = filepath.Join(home, ".cache", "terraform-provider-cerby")
	}
	return filepath.Join(dir, "bin")
}

// Pinned returns the pinned CLI name from the tools folder and fails the test
// (never skips) when it is missing.
func Pinned(t testing.TB, name string) CLI {
	t.Helper()
	path := filepath.Join(toolsBin(), name)
	info, err := os.Stat(path)
	if err != nil || info.IsDir() || info.Mode().Perm()&0o111 == 0 {
		t.Fatalf("pinned CLI %s is missing at %s: build it with scripts/install-clis.sh %s", name, path, name)
	}
	return CLI{Name: name, Path: path}
}

// CLIs returns the CLIs named by CERBY_TEST_CLIS (csv, default
// "terraform,tofu"), each via Pinned.
func CLIs(t testing.TB) []CLI {
	t.Helper()
	names := os.Getenv("CERBY_TEST_CLIS")
	if names == "" {
		names = "terraform,tofu"
	}
	var clis []CLI
	for name := range strings.SplitSeq(names, ",") {
		if name = strings.TrimSpace(name); name != "" {
			clis = append(clis, Pinned(t, name))
		}
	}
	if len(clis) == 0 {
		t.Fatalf("CERBY_TEST_CLIS=%q names no CLI", names)
	}
	return clis
}

var provider struct {
	once sync.Once
	dir  string
	err  error
}

// ProviderDir builds the provider once per test process into a temporary
// folder and returns that folder, for dev_overrides.
func ProviderDir(t testing.TB) string {
	t.Helper()
	provider.once.Do(func() { provider.dir, provider.err = buildProvider() })
	if provider.err != nil {
		t.Fatalf("building the provider: %v", provider.err)
	}
	return provider.dir
}

func buildProvider() (string, error) {
	root, err := moduleRoot()
	if err != nil {
		return "", err
	}
	dir, err := os.MkdirTemp("", "cerby-clitest-provider-")
	if err != nil {
		return "", err
	}
	// dev_overrides looks for an executable named terraform-provider-<type>.
	cmd := exec.Command("go", "build", "-ldflags", "-X main.version=test",
		"-o", filepath.Join(dir, "terraform-provider-cerby"), ".")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return dir, nil
}

// moduleRoot asks go rather than walking up, so it works from any package.
func moduleRoot() (string, error) {
	out, err := exec.CommandContext(context.Background(), "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %v", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", errors.New("not inside the provider's module")
	}
	return filepath.Dir(gomod), nil
}

// Main runs the tests, then removes the provider build.
func Main(m *testing.M) {
	code := m.Run()
	if provider.dir != "" {
		os.RemoveAll(provider.dir)
	}
	os.Exit(code)
}
