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

// CLI is one pinned command-line binary of scripts/clis.txt.
type CLI struct {
	Name string // the id in scripts/clis.txt, e.g. "terraform-1.16.2"
	Kind string // "terraform" or "tofu"
	Path string
}

// RequireAcc skips the test unless TF_ACC is set (the unit run), like
// terraform-plugin-testing does; with TF_ACC set nothing here ever skips.
func RequireAcc(t testing.TB) {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("drives a real CLI: set TF_ACC=1 to run")
	}
}

// ToolsDir is where scripts/install-clis.sh and scripts/install-tools.sh put
// what they build.
func ToolsDir() string {
	if dir := os.Getenv("CERBY_TOOLS_DIR"); dir != "" {
		return dir
	}
	home, _ := os.UserHomeDir()
	return filepath.Join(home, ".cache", "terraform-provider-cerby")
}

// Pinned returns the pinned CLI id (as in scripts/clis.txt) from the tools
// folder, where scripts/clis.sh --path puts it, and fails the test (never
// skips) when it is missing.
func Pinned(t testing.TB, id string) CLI {
	t.Helper()
	kind, _, _ := strings.Cut(id, "-")
	if kind != "terraform" && kind != "tofu" {
		t.Fatalf("CLI id %q: want terraform-<version> or tofu-<version>, as in scripts/clis.txt", id)
	}
	path := filepath.Join(ToolsDir(), "clis", id, kind)
	info, err := os.Stat(path)
	if err != nil || info.IsDir() || info.Mode().Perm()&0o111 == 0 {
		t.Fatalf("pinned CLI %s is missing at %s: build it with scripts/install-clis.sh %s", id, path, id)
	}
	return CLI{Name: id, Kind: kind, Path: path}
}

// CLIs returns the CLIs named by CERBY_TEST_CLIS (comma-separated ids), by
// default every CLI of scripts/clis.txt, each via Pinned.
func CLIs(t testing.TB) []CLI {
	t.Helper()
	ids, err := testCLIIDs()
	if err != nil {
		t.Fatal(err)
	}
	clis := make([]CLI, 0, len(ids))
	for _, id := range ids {
		clis = append(clis, Pinned(t, id))
	}
	return clis
}

func testCLIIDs() ([]string, error) {
	if names := os.Getenv("CERBY_TEST_CLIS"); names != "" {
		ids := strings.FieldsFunc(names, func(r rune) bool { return r == ',' || r == ' ' })
		if len(ids) == 0 {
			return nil, fmt.Errorf("CERBY_TEST_CLIS=%q names no CLI", names)
		}
		return ids, nil
	}
	root, err := moduleRoot()
	if err != nil {
		return nil, err
	}
	table, err := os.ReadFile(filepath.Join(root, "scripts", "clis.txt"))
	if err != nil {
		return nil, err
	}
	return parseCLITable(string(table)), nil
}

// parseCLITable reads scripts/clis.txt: one id a line, # comments.
func parseCLITable(table string) []string {
	var ids []string
	for line := range strings.Lines(table) {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			ids = append(ids, line)
		}
	}
	return ids
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
