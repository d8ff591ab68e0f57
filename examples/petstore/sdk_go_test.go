package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gatekit/gatekit/internal/testenv"
)

// runGo builds the Go SDK's driver (testdata/sdk/go/main.go) in a module
// of its own that requires the generated SDK through a replace directive,
// vets both, and runs the driver. GOFLAGS=-mod=mod and GOWORK=off keep the
// surrounding module out; the SDK has no dependencies, so nothing is
// downloaded.
func runGo(t *testing.T, sdk, driver string, env []string) string {
	goTool := testenv.Tool(t, "go", "install Go from https://go.dev/dl/")
	mod, err := os.ReadFile(filepath.Join(sdk, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	const module = "example.com/petstore" // what the driver imports
	if !strings.HasPrefix(string(mod), "module "+module+"\n") {
		t.Fatalf("the SDK's go.mod does not declare module %s:\n%s", module, mod)
	}
	src, err := os.ReadFile(filepath.Join(driver, "main.go"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	goMod := "module driver\n\ngo 1.22\n\nrequire " + module + " v0.0.0\n\nreplace " + module + " => " + sdk + "\n"
	for name, data := range map[string][]byte{"go.mod": []byte(goMod), "main.go": src} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	env = append(env, "GOWORK=off", "GOFLAGS=-mod=mod", "GOTOOLCHAIN=local")
	testenv.Run(t, dir, env, goTool, "vet", ".", module)
	bin := filepath.Join(dir, "driver")
	testenv.Run(t, dir, env, goTool, "build", "-o", bin, ".")
	return testenv.Run(t, dir, env, bin)
}
