package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/gatekit/gatekit/internal/testenv"
)

// runJavaScript type-checks the JavaScript SDK's declarations with the
// TypeScript compiler (strict), twice: as a Node.js program sees them,
// compiling the driver (driver.ts), and as a browser application does
// (browser.ts, with the DOM's types and a bundler's resolution). Then it
// runs the compiled driver with node. Both import the SDK by its package
// name, through a node_modules/petstore link to it, so its package.json
// (exports, types) is what resolves it.
//
// TypeScript comes from the driver's node_modules: npm ci installs it.
func runJavaScript(t *testing.T, sdk, driver string, env []string) string {
	node := testenv.Tool(t, "node", "apt-get install nodejs npm")
	testenv.NodeModules(t, driver, "typescript", "npm ci --prefix examples/petstore/testdata/sdk/javascript")

	work := t.TempDir()
	modules := filepath.Join(work, "node_modules")
	if err := os.Mkdir(modules, 0o755); err != nil {
		t.Fatal(err)
	}
	installed, err := os.ReadDir(filepath.Join(driver, "node_modules"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range installed {
		if err := os.Symlink(filepath.Join(driver, "node_modules", e.Name()), filepath.Join(modules, e.Name())); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(sdk, filepath.Join(modules, "petstore")); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"package.json", "tsconfig.json", "tsconfig.browser.json", "driver.ts", "browser.ts"} {
		b, err := os.ReadFile(filepath.Join(driver, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(work, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	tsc := filepath.Join(modules, "typescript", "bin", "tsc")
	testenv.Run(t, work, env, node, tsc, "-p", "tsconfig.browser.json")
	testenv.Run(t, work, env, node, tsc, "-p", "tsconfig.json")
	return testenv.Run(t, work, env, node, "driver.js")
}
