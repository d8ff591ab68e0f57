package spectest

import (
	"bytes"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gatekit/gatekit/sdkgen/internal/spec"
)

// A Generator is a language's Generate function.
type Generator func(*spec.API, spec.Config) (spec.Files, error)

// Generate returns what gen generates for api and cfg, failing the test
// if it fails.
func Generate(t testing.TB, gen Generator, api *spec.API, cfg spec.Config) spec.Files {
	t.Helper()
	files, err := gen(api, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// GeneratePetstore returns what gen generates for Petstore, failing the
// test unless the files are named want (in any order) and five more runs
// generate the same files with the same bytes.
func GeneratePetstore(t testing.TB, gen Generator, want ...string) spec.Files {
	t.Helper()
	files := Generate(t, gen, Petstore(), spec.Config{})
	HasFiles(t, files, want...)
	for range 5 {
		again := Generate(t, gen, Petstore(), spec.Config{})
		if !maps.EqualFunc(files, again, bytes.Equal) {
			for name := range files {
				if !bytes.Equal(files[name], again[name]) {
					t.Fatalf("%s differs between two runs", name)
				}
			}
			t.Fatalf("two runs generated different files: %q and %q", slices.Sorted(maps.Keys(files)), slices.Sorted(maps.Keys(again)))
		}
	}
	return files
}

// Save writes files under the directory $GATEKIT_SDK_OUT, if it is set,
// for a person to look at.
func Save(t testing.TB, files spec.Files) {
	t.Helper()
	if dir := os.Getenv("GATEKIT_SDK_OUT"); dir != "" {
		Write(t, dir, files)
	}
}

// HasFiles fails the test unless files' names are want (in any order).
func HasFiles(t testing.TB, files spec.Files, want ...string) {
	t.Helper()
	got := slices.Sorted(maps.Keys(files))
	if want = slices.Sorted(slices.Values(want)); !slices.Equal(got, want) {
		t.Errorf("files:\n got %q\nwant %q", got, want)
	}
}

// Contains checks, in a subtest named after each file of want, that the
// file has each of its snippets; it logs a file that lacks one.
func Contains(t *testing.T, files spec.Files, want map[string][]string) {
	t.Helper()
	for _, file := range slices.Sorted(maps.Keys(want)) {
		t.Run(file, func(t *testing.T) {
			got := string(files[file])
			for _, w := range want[file] {
				if !strings.Contains(got, w) {
					t.Errorf("%s lacks %q", file, w)
				}
			}
			if t.Failed() {
				t.Logf("%s:\n%s", file, got)
			}
		})
	}
}

// Lacks fails the test for each snippet of absent[file] that the file
// has.
func Lacks(t testing.TB, files spec.Files, absent map[string][]string) {
	t.Helper()
	for _, file := range slices.Sorted(maps.Keys(absent)) {
		for _, a := range absent[file] {
			if bytes.Contains(files[file], []byte(a)) {
				t.Errorf("%s has %q", file, a)
			}
		}
	}
}

// Write writes files under dir.
func Write(t testing.TB, dir string, files spec.Files) {
	t.Helper()
	for name, data := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// WriteTemp writes files to a new temporary directory and returns it.
func WriteTemp(t testing.TB, files spec.Files) string {
	t.Helper()
	dir := t.TempDir()
	Write(t, dir, files)
	return dir
}

// The AWS SigV4 test suites (see shared/testdata/README.md), as paths
// relative to a generator's package directory, where its tests run.
const (
	// SigV4Suite is aws-sig-v4-test-suite: a .req and a .authz file a case.
	SigV4Suite = "../../../../shared/testdata/aws-sig-v4-test-suite"
	// SigningSuite is the AWS CRT's aws-signing-test-suite-v4: a
	// directory a case, with its context.json.
	SigningSuite = "../../../../shared/testdata/aws-signing-test-suite-v4"
)

// RunCheck runs the check script testdata/script with interpret, which
// runs the language's interpreter on its arguments, giving the script the
// absolute path of SigV4Suite and then args. It logs what the script
// printed and returns it. The script prints "ok sigv4" once it has
// checked the suite: if the suite is there and it did not, the test
// fails.
func RunCheck(t testing.TB, interpret func(args ...string) string, script string, args ...string) string {
	t.Helper()
	check, err := filepath.Abs(filepath.Join("testdata", script))
	if err != nil {
		t.Fatal(err)
	}
	suite, err := filepath.Abs(SigV4Suite)
	if err != nil {
		t.Fatal(err)
	}
	out := interpret(append([]string{check, suite}, args...)...)
	if _, err := os.Stat(suite); err == nil && !strings.Contains(out, "ok sigv4") {
		t.Errorf("the SigV4 test suite was not run:\n%s", out)
	}
	t.Log(out)
	return out
}
