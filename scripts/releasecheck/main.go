// Command releasecheck checks a goreleaser snapshot in dist/ against what the
// Terraform and OpenTofu registries expect: for every platform built, a zip
// named <project>_<version>_<os>_<arch>.zip holding an executable
// <project>_v<version> (.exe on windows); a <project>_<version>_SHA256SUMS
// giving the digest of every zip and of <project>_<version>_manifest.json; and
// a manifest that declares protocol 6.0, the only one the provider serves.
// It prints every problem it finds and exits 1 when there is one.
//
// Go rather than shell so CI needs nothing beyond Go to run it.
package main

import (
	"archive/zip"
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

func main() {
	dist := flag.String("dist", "dist", "goreleaser's output folder")
	manifest := flag.String("manifest", "terraform-registry-manifest.json", "the registry manifest the release ships")
	buildOnly := flag.Bool("build-only", false, "dist/ holds `goreleaser build` output: check the binaries' names, not zips and sums")
	flag.Parse()

	check := checkRelease
	if *buildOnly {
		check = checkBuild
	}
	summary, problems := check(*dist, *manifest)
	for _, p := range problems {
		fmt.Fprintln(os.Stderr, "release-check:", p)
	}
	if len(problems) > 0 {
		os.Exit(1)
	}
	fmt.Println(summary)
}

// checkRelease returns a one-line summary and every problem found.
func checkRelease(dist, manifestPath string) (string, []string) {
	var c checker
	meta, binaries := c.readDist(dist)
	platforms := platformsOf(binaries)
	if meta.ProjectName == "" || meta.Version == "" {
		c.fail("%s names no project or version", filepath.Join(dist, "metadata.json"))
		return "", c.problems
	}
	if len(platforms) == 0 {
		c.fail("%s lists no binary", filepath.Join(dist, "artifacts.json"))
	}
	prefix := meta.ProjectName + "_" + meta.Version
	zips := c.checkZips(dist, meta, platforms)
	c.checkManifest(manifestPath)
	c.checkSums(filepath.Join(dist, prefix+"_SHA256SUMS"), zips, prefix+"_manifest.json", manifestPath)
	return fmt.Sprintf("release-check: %s v%s: %d zips (%s), SHA256SUMS and manifest (protocol 6.0) as the registries expect",
		meta.ProjectName, meta.Version, len(zips), strings.Join(platforms, ", ")), c.problems
}

type checker struct{ problems []string }

func (c *checker) fail(format string, args ...any) {
	c.problems = append(c.problems, fmt.Sprintf(format, args...))
}

type metadata struct {
	ProjectName string `json:"project_name"`
	Version     string `json:"version"`
}

type artifact struct {
	Name   string `json:"name"`
	Path   string `json:"path"`
	Type   string `json:"type"`
	Goos   string `json:"goos"`
	Goarch string `json:"goarch"`
}

// checkBuild checks what `goreleaser build` leaves: each binary named
// <project>_v<version> (.exe on windows), and the manifest.
func checkBuild(dist, manifestPath string) (string, []string) {
	var c checker
	meta, binaries := c.readDist(dist)
	for _, a := range binaries {
		if want := binaryName(meta, a.Goos); a.Name != want || filepath.Base(a.Path) != want {
			c.fail("the %s binary is %s, want %s", a.platform(), a.Path, want)
		}
	}
	platforms := platformsOf(binaries)
	if len(platforms) == 0 {
		c.fail("%s lists no binary", filepath.Join(dist, "artifacts.json"))
	}
	c.checkManifest(manifestPath)
	return fmt.Sprintf("release-check: %s v%s: binaries for %s named as the registries expect; manifest declares protocol 6.0",
		meta.ProjectName, meta.Version, strings.Join(platforms, ", ")), c.problems
}

func binaryName(meta metadata, goos string) string {
	if goos == "windows" {
		return meta.ProjectName + "_v" + meta.Version + ".exe"
	}
	return meta.ProjectName + "_v" + meta.Version
}

// readDist returns the release's name and version and every binary
// goreleaser built, sorted by os_arch.
func (c *checker) readDist(dist string) (metadata, []artifact) {
	var meta metadata
	var artifacts []artifact
	c.readJSON(filepath.Join(dist, "metadata.json"), &meta)
	c.readJSON(filepath.Join(dist, "artifacts.json"), &artifacts)
	binaries := slices.DeleteFunc(artifacts, func(a artifact) bool { return a.Type != "Binary" })
	slices.SortFunc(binaries, func(a, b artifact) int { return strings.Compare(a.platform(), b.platform()) })
	return meta, binaries
}

func (a artifact) platform() string { return a.Goos + "_" + a.Goarch }

func platformsOf(binaries []artifact) []string {
	platforms := make([]string, 0, len(binaries))
	for _, a := range binaries {
		platforms = append(platforms, a.platform())
	}
	return platforms
}

func (c *checker) readJSON(path string, v any) {
	data, err := os.ReadFile(path)
	if err == nil {
		err = json.Unmarshal(data, v)
	}
	if err != nil {
		c.fail("%v", err)
	}
}

// checkZips returns the name of every zip found, expected or not.
func (c *checker) checkZips(dist string, meta metadata, platforms []string) []string {
	found, err := filepath.Glob(filepath.Join(dist, "*.zip"))
	if err != nil {
		c.fail("%v", err)
	}
	names := make([]string, 0, len(found))
	for _, path := range found {
		names = append(names, filepath.Base(path))
	}
	expected := make([]string, 0, len(platforms))
	for _, platform := range platforms {
		name := meta.ProjectName + "_" + meta.Version + "_" + platform + ".zip"
		expected = append(expected, name)
		if !slices.Contains(names, name) {
			c.fail("no %s for the %s binary", name, platform)
			continue
		}
		goos, _, _ := strings.Cut(platform, "_")
		c.checkZip(filepath.Join(dist, name), meta.ProjectName, binaryName(meta, goos), goos != "windows")
	}
	for _, name := range names {
		if !slices.Contains(expected, name) {
			c.fail("%s matches no binary built", name)
		}
	}
	return names
}

// checkZip wants the provider binary at the root of the zip, as the CLIs
// look for it there, and no other copy of it.
func (c *checker) checkZip(path, project, binary string, executable bool) {
	r, err := zip.OpenReader(path)
	if err != nil {
		c.fail("%v", err)
		return
	}
	defer r.Close()
	var found bool
	for _, f := range r.File {
		switch {
		case f.Name == binary:
			found = true
			if executable && f.Mode()&0o111 == 0 {
				c.fail("%s: %s is not executable (mode %v)", path, binary, f.Mode())
			}
		case strings.Contains(f.Name, project):
			c.fail("%s: unexpected %s beside %s", path, f.Name, binary)
		}
	}
	if !found {
		c.fail("%s does not hold %s at its root", path, binary)
	}
}

func (c *checker) checkManifest(path string) {
	var manifest struct {
		Version  int `json:"version"`
		Metadata struct {
			ProtocolVersions []string `json:"protocol_versions"`
		} `json:"metadata"`
	}
	c.readJSON(path, &manifest)
	if manifest.Version != 1 || !slices.Equal(manifest.Metadata.ProtocolVersions, []string{"6.0"}) {
		c.fail(`%s: want version 1 and protocol_versions ["6.0"], got version %d and %q`,
			path, manifest.Version, manifest.Metadata.ProtocolVersions)
	}
}

// checkSums wants exactly the zips and the manifest listed, each with the
// digest of the file it names.
func (c *checker) checkSums(path string, zips []string, manifestName, manifestPath string) {
	listed, err := readSums(path)
	if err != nil {
		c.fail("%v", err)
		return
	}
	files := map[string]string{manifestName: manifestPath}
	for _, name := range zips {
		files[name] = filepath.Join(filepath.Dir(path), name)
	}
	for name, file := range files {
		want, ok := listed[name]
		if !ok {
			c.fail("%s does not list %s", path, name)
			continue
		}
		if got, err := sha256File(file); err != nil {
			c.fail("%v", err)
		} else if got != want {
			c.fail("%s: the digest of %s is %s, the file's is %s", path, name, want, got)
		}
	}
	for name := range listed {
		if _, ok := files[name]; !ok {
			c.fail("%s lists %s, which the release does not ship", path, name)
		}
	}
}

// readSums reads the "<sha256>  <name>" lines sha256sum writes.
func readSums(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sums := map[string]string{}
	scanner := bufio.NewScanner(f)
	for scanner.Scan() {
		sum, name, ok := strings.Cut(scanner.Text(), "  ")
		if !ok || len(sum) != sha256.Size*2 {
			return nil, fmt.Errorf("%s: not a sha256sum line: %q", path, scanner.Text())
		}
		if _, seen := sums[name]; seen {
			return nil, fmt.Errorf("%s lists %s twice", path, name)
		}
		sums[name] = sum
	}
	return sums, scanner.Err()
}

func sha256File(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
