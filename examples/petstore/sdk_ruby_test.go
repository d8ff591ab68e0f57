package main

import (
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gatekit/gatekit/internal/testenv"
)

// runRuby checks every generated Ruby file with ruby -wc (syntax, and no
// warnings) and runs the driver, with warnings on, with the SDK's lib on
// the load path.
func runRuby(t *testing.T, sdk, driver string, env []string) string {
	ruby := testenv.Tool(t, "ruby", "apt-get install ruby")
	err := filepath.WalkDir(sdk, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || (filepath.Ext(path) != ".rb" && filepath.Ext(path) != ".gemspec") {
			return err
		}
		if out := testenv.Run(t, sdk, env, ruby, "-wc", path); out != "Syntax OK\n" {
			t.Errorf("ruby -wc %s:\n%s", path, out)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	out := testenv.Run(t, sdk, env, ruby, "-w", "-I", filepath.Join(sdk, "lib"), filepath.Join(driver, "driver.rb"))
	if strings.Contains(out, "warning:") {
		t.Errorf("the driver ran with warnings:\n%s", out)
	}
	return out
}
