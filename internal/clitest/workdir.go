package clitest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// Workdir is a configuration folder plus a private CLI config whose
// dev_overrides point both registry addresses of the provider at ProviderDir.
type Workdir struct {
	Dir string
	CLI CLI
	// Env is added to a minimal environment; nothing else is inherited, so no
	// CERBY_* or TF_LOG of the developer's shell reaches the run.
	Env map[string]string

	home, cliConfig string
}

// NewWorkdir copies the .tf files of srcDir (may be "") into a fresh folder.
func NewWorkdir(t testing.TB, cli CLI, srcDir string) *Workdir {
	t.Helper()
	base := t.TempDir()
	w := &Workdir{
		Dir:       filepath.Join(base, "config"),
		CLI:       cli,
		Env:       map[string]string{},
		home:      filepath.Join(base, "home"),
		cliConfig: filepath.Join(base, "cli.tfrc"),
	}
	for _, dir := range []string{w.Dir, w.home} {
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(w.cliConfig, []byte(devOverrides(ProviderDir(t))), 0o644); err != nil {
		t.Fatal(err)
	}
	if srcDir != "" {
		copyTF(t, srcDir, w.Dir)
	}
	return w
}

func copyTF(t testing.TB, from, to string) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(from, "*.tf"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no .tf file in %s (%v)", from, err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, filepath.Base(f)), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// devOverrides is the CLI config: terraform expands an unqualified source to
// registry.terraform.io and tofu to registry.opentofu.org, so both are listed.
func devOverrides(providerDir string) string {
	return fmt.Sprintf(`provider_installation {
  dev_overrides {
    "registry.terraform.io/cerby-community/cerby"  = %[1]q
    "registry.opentofu.org/cerby-community/cerby" = %[1]q
  }
  direct {}
}
`, providerDir)
}

// WriteFile writes name (relative to Dir) with content.
func (w *Workdir) WriteFile(t testing.TB, name, content string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(w.Dir, name), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func (w *Workdir) environ() []string {
	env := []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + w.home,
		"CHECKPOINT_DISABLE=1",
		"TF_IN_AUTOMATION=1",
		"TF_CLI_CONFIG_FILE=" + w.cliConfig,
	}
	for k, v := range w.Env {
		env = append(env, k+"="+v)
	}
	return env
}

// Result is everything a CLI run produced.
type Result struct {
	Stdout, Stderr string
	ExitCode       int // -1 when the process did not exit by itself
	Duration       time.Duration
	Err            error // start and kill errors
}

// Process is a CLI run in progress.
type Process struct {
	Cmd            *exec.Cmd
	stdout, stderr bytes.Buffer
	started        time.Time
}

// Start starts the CLI in Dir without waiting. When ctx ends, the whole
// process group is killed, so no provider plugin outlives the test.
func (w *Workdir) Start(ctx context.Context, args ...string) (*Process, error) {
	p := &Process{}
	cmd := exec.CommandContext(ctx, w.CLI.Path, args...)
	cmd.Dir = w.Dir
	cmd.Env = w.environ()
	cmd.Stdout, cmd.Stderr = &p.stdout, &p.stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	// A plugin holding the output pipes open must not keep Wait blocked.
	cmd.WaitDelay = 5 * time.Second
	p.Cmd = cmd
	p.started = time.Now()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	return p, nil
}

// Signal sends sig to the CLI process alone, as `kill` would.
func (p *Process) Signal(sig os.Signal) error { return p.Cmd.Process.Signal(sig) }

// Wait waits for the CLI to exit and returns what it produced.
func (p *Process) Wait() Result {
	err := p.Cmd.Wait()
	r := Result{
		Stdout:   p.stdout.String(),
		Stderr:   p.stderr.String(),
		ExitCode: p.Cmd.ProcessState.ExitCode(),
		Duration: time.Since(p.started),
	}
	var exit *exec.ExitError
	if err != nil && (!errors.As(err, &exit) || r.ExitCode < 0) {
		r.Err = err
	}
	return r
}

// Run runs the CLI with args in Dir; it never fails the test itself.
func (w *Workdir) Run(ctx context.Context, args ...string) Result {
	p, err := w.Start(ctx, args...)
	if err != nil {
		return Result{ExitCode: -1, Err: err}
	}
	return p.Wait()
}

// Outputs runs `output -json` and decodes it into name → value.
func (w *Workdir) Outputs(t testing.TB) map[string]any {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	r := w.Run(ctx, "output", "-json")
	if r.ExitCode != 0 || r.Err != nil {
		t.Fatalf("%s output -json: exit %d, %v\n%s%s", w.CLI.Name, r.ExitCode, r.Err, r.Stdout, r.Stderr)
	}
	var raw map[string]struct {
		Value any `json:"value"`
	}
	if err := json.Unmarshal([]byte(r.Stdout), &raw); err != nil {
		t.Fatalf("%s output -json is not JSON: %v\n%s", w.CLI.Name, err, r.Stdout)
	}
	values := make(map[string]any, len(raw))
	for name, o := range raw {
		values[name] = o.Value
	}
	return values
}
