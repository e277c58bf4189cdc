package main

import (
	"archive/zip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	project  = "terraform-provider-cerby"
	version  = "0.0.0-SNAPSHOT-abc1234"
	manifest = `{"version": 1, "metadata": {"protocol_versions": ["6.0"]}}`
)

// fakeRelease is the layout goreleaser leaves for two platforms; each test
// case breaks one thing in it.
type fakeRelease struct {
	dist, manifest string
}

func newFakeRelease(t *testing.T) fakeRelease {
	t.Helper()
	root := t.TempDir()
	r := fakeRelease{dist: filepath.Join(root, "dist"), manifest: filepath.Join(root, "terraform-registry-manifest.json")}
	must(t, os.MkdirAll(r.dist, 0o755))
	r.write(t, "metadata.json", fmt.Sprintf(`{"project_name": %q, "version": %q, "tag": "v0.0.0"}`, project, version))
	r.write(t, "artifacts.json", `[
		{"type": "Binary", "goos": "linux", "goarch": "amd64", "name": "x"},
		{"type": "Binary", "goos": "windows", "goarch": "arm64", "name": "x.exe"},
		{"type": "Archive", "goos": "linux", "goarch": "amd64", "name": "x.zip"}]`)
	must(t, os.WriteFile(r.manifest, []byte(manifest), 0o644))
	r.zip(t, "linux_amd64", map[string]os.FileMode{project + "_v" + version: 0o755, "LICENSE": 0o644})
	r.zip(t, "windows_arm64", map[string]os.FileMode{project + "_v" + version + ".exe": 0o644})
	r.writeSums(t)
	return r
}

func (r fakeRelease) write(t *testing.T, name, content string) {
	t.Helper()
	must(t, os.WriteFile(filepath.Join(r.dist, name), []byte(content), 0o644))
}

func (r fakeRelease) zip(t *testing.T, platform string, entries map[string]os.FileMode) {
	t.Helper()
	f, err := os.Create(filepath.Join(r.dist, project+"_"+version+"_"+platform+".zip"))
	must(t, err)
	w := zip.NewWriter(f)
	for name, mode := range entries {
		header := &zip.FileHeader{Name: name}
		header.SetMode(mode)
		entry, err := w.CreateHeader(header)
		must(t, err)
		_, err = entry.Write([]byte(name))
		must(t, err)
	}
	must(t, w.Close())
	must(t, f.Close())
}

// writeSums lists every zip in dist and the manifest, as goreleaser does.
func (r fakeRelease) writeSums(t *testing.T) {
	t.Helper()
	files := map[string]string{project + "_" + version + "_manifest.json": r.manifest}
	zips, err := filepath.Glob(filepath.Join(r.dist, "*.zip"))
	must(t, err)
	for _, path := range zips {
		files[filepath.Base(path)] = path
	}
	var sums strings.Builder
	for name, path := range files {
		data, err := os.ReadFile(path)
		must(t, err)
		sum := sha256.Sum256(data)
		fmt.Fprintf(&sums, "%s  %s\n", hex.EncodeToString(sum[:]), name)
	}
	r.write(t, project+"_"+version+"_SHA256SUMS", sums.String())
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestAGoodReleasePasses(t *testing.T) {
	r := newFakeRelease(t)
	summary, problems := checkRelease(r.dist, r.manifest)
	if len(problems) > 0 {
		t.Fatalf("problems in a good release: %q", problems)
	}
	want := "2 zips (linux_amd64, windows_arm64)"
	if !strings.Contains(summary, want) || !strings.Contains(summary, "v"+version) {
		t.Errorf("summary %q does not say %q and the version", summary, want)
	}
}

func TestEachDefectIsReported(t *testing.T) {
	linuxZip := project + "_" + version + "_linux_amd64.zip"
	sums := project + "_" + version + "_SHA256SUMS"
	cases := []struct {
		name  string
		spoil func(t *testing.T, r fakeRelease)
		want  string
	}{
		{"a binary without its zip", func(t *testing.T, r fakeRelease) {
			must(t, os.Remove(filepath.Join(r.dist, linuxZip)))
			r.writeSums(t)
		}, "no " + linuxZip + " for the linux_amd64 binary"},
		{"a zip for no binary", func(t *testing.T, r fakeRelease) {
			r.zip(t, "darwin_arm64", map[string]os.FileMode{project + "_v" + version: 0o755})
			r.writeSums(t)
		}, "_darwin_arm64.zip matches no binary built"},
		{"the binary under another name", func(t *testing.T, r fakeRelease) {
			r.zip(t, "linux_amd64", map[string]os.FileMode{project: 0o755})
			r.writeSums(t)
		}, "unexpected " + project + " beside"},
		{"the binary in a folder", func(t *testing.T, r fakeRelease) {
			r.zip(t, "linux_amd64", map[string]os.FileMode{"bin/" + project + "_v" + version: 0o755})
			r.writeSums(t)
		}, "does not hold " + project + "_v" + version + " at its root"},
		{"a windows binary without .exe", func(t *testing.T, r fakeRelease) {
			r.zip(t, "windows_arm64", map[string]os.FileMode{project + "_v" + version: 0o755})
			r.writeSums(t)
		}, "does not hold " + project + "_v" + version + ".exe at its root"},
		{"a binary that cannot run", func(t *testing.T, r fakeRelease) {
			r.zip(t, "linux_amd64", map[string]os.FileMode{project + "_v" + version: 0o644})
			r.writeSums(t)
		}, "is not executable"},
		{"a zip changed after its digest", func(t *testing.T, r fakeRelease) {
			r.zip(t, "linux_amd64", map[string]os.FileMode{project + "_v" + version: 0o700})
		}, "the digest of " + linuxZip + " is"},
		{"a zip left out of the sums", func(t *testing.T, r fakeRelease) {
			data, err := os.ReadFile(filepath.Join(r.dist, sums))
			must(t, err)
			var kept []string
			for line := range strings.Lines(string(data)) {
				if !strings.Contains(line, linuxZip) {
					kept = append(kept, line)
				}
			}
			r.write(t, sums, strings.Join(kept, ""))
		}, "does not list " + linuxZip},
		{"a stale entry in the sums", func(t *testing.T, r fakeRelease) {
			data, err := os.ReadFile(filepath.Join(r.dist, sums))
			must(t, err)
			r.write(t, sums, string(data)+strings.Repeat("0", 64)+"  old.zip\n")
		}, "lists old.zip, which the release does not ship"},
		{"no sums", func(t *testing.T, r fakeRelease) {
			must(t, os.Remove(filepath.Join(r.dist, sums)))
		}, sums + ": no such file"},
		{"a manifest for protocol 5", func(t *testing.T, r fakeRelease) {
			must(t, os.WriteFile(r.manifest, []byte(`{"version": 1, "metadata": {"protocol_versions": ["5.0"]}}`), 0o644))
			r.writeSums(t)
		}, `want version 1 and protocol_versions ["6.0"], got version 1 and ["5.0"]`},
		{"no metadata", func(t *testing.T, r fakeRelease) {
			must(t, os.Remove(filepath.Join(r.dist, "metadata.json")))
		}, "metadata.json names no project or version"},
		{"no binary built", func(t *testing.T, r fakeRelease) {
			r.write(t, "artifacts.json", `[]`)
		}, "artifacts.json lists no binary"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := newFakeRelease(t)
			tc.spoil(t, r)
			_, problems := checkRelease(r.dist, r.manifest)
			if !strings.Contains(strings.Join(problems, "\n"), tc.want) {
				t.Errorf("want a problem containing %q, got %q", tc.want, problems)
			}
		})
	}
}

func TestBuildOnlyChecksBinaryNames(t *testing.T) {
	r := newFakeRelease(t)
	r.write(t, "artifacts.json", `[{"type": "Binary", "goos": "windows", "goarch": "amd64",
		"name": "`+project+`_v`+version+`.exe", "path": "dist/w/`+project+`_v`+version+`.exe"}]`)
	if _, problems := checkBuild(r.dist, r.manifest); len(problems) > 0 {
		t.Fatalf("problems in a good build: %q", problems)
	}
	r.write(t, "artifacts.json", `[{"type": "Binary", "goos": "windows", "goarch": "amd64",
		"name": "`+project+`", "path": "dist/w/`+project+`"}]`)
	_, problems := checkBuild(r.dist, r.manifest)
	if want := "want " + project + "_v" + version + ".exe"; !strings.Contains(strings.Join(problems, "\n"), want) {
		t.Errorf("want a problem containing %q, got %q", want, problems)
	}
}
