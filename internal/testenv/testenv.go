// Package testenv finds the programs tests run (toolchains, interpreters,
// browsers, npm packages) and runs them. What a test needs and does not
// find, it skips the test for, except under CI=true (where .ci/run
// installs everything), where it fails it. Only tests import it.
package testenv

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Missing skips the test, saying what is missing and how to install it,
// or fails it under CI=true.
func Missing(t testing.TB, msg string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatal(msg + " (CI=true)")
	}
	t.Skip(msg)
}

// Tool returns the path of the command name, found on PATH; without it,
// it calls Missing with install, how to install it.
func Tool(t testing.TB, name, install string) string {
	t.Helper()
	return OneOf(t, install, name)
}

// OneOf returns the path of the first of names found on PATH; without
// any, it calls Missing with install, how to install one.
func OneOf(t testing.TB, install string, names ...string) string {
	t.Helper()
	for _, name := range names {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	Missing(t, strings.Join(names, " or ")+" is not on PATH: "+install)
	return ""
}

// NodeModules calls Missing with install, how to install it, unless
// the npm package pkg ("ws", "@scope/name") is installed in
// dir/node_modules.
func NodeModules(t testing.TB, dir, pkg, install string) {
	t.Helper()
	path := filepath.Join(dir, "node_modules", filepath.FromSlash(pkg))
	if _, err := os.Stat(path); err != nil {
		Missing(t, path+" is missing: "+install)
	}
}

// Timeout is how long Run lets a command run.
const Timeout = 2 * time.Minute

// Run runs the command name with args in dir (the test's directory if
// "") and the environment env (the test's if nil), and returns its
// combined output. It fails the test if the command fails or runs longer
// than Timeout.
func Run(t testing.TB, dir string, env []string, name string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir, cmd.Env = dir, env
	cmd.WaitDelay = 5 * time.Second // if killed, do not wait for its pipes longer
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", filepath.Base(name), strings.Join(args, " "), err, out)
	}
	return string(out)
}
