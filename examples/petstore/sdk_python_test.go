package main

import (
	"path/filepath"
	"testing"

	"github.com/gatekit/gatekit/internal/testenv"
)

// runPython byte-compiles every module of the Python SDK and runs the
// driver with the SDK on PYTHONPATH.
func runPython(t *testing.T, sdk, driver string, env []string) string {
	python := testenv.Tool(t, "python3", "apt-get install python3")
	testenv.Run(t, sdk, env, python, "-m", "compileall", "-q", ".")
	env = append(env, "PYTHONPATH="+sdk, "PYTHONDONTWRITEBYTECODE=1")
	return testenv.Run(t, sdk, env, python, filepath.Join(driver, "driver.py"))
}
