package main

import (
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gatekit/gatekit/internal/testenv"
)

// runJava builds and runs the Java SDK's driver: its Main.java and
// Checks.java, the checks it shares with the Android SDK's driver. The
// SDK and the driver are compiled together for Java 11 (the SDK's
// minimum), with every lint and Javadoc check an error.
func runJava(t *testing.T, sdk, driver string, env []string) string {
	return runJavaDriver(t, sdk, driver, env, "11")
}

// runJavaDriver compiles the SDK's sources, the driver's and the shared
// checks (testdata/sdk/java/Checks.java) with javac --release release
// into a temporary directory and runs the driver's Main class.
func runJavaDriver(t *testing.T, sdk, driver string, env []string, release string) string {
	t.Helper()
	javac := testenv.Tool(t, "javac", "apt-get install default-jdk-headless")
	java := testenv.Tool(t, "java", "apt-get install default-jdk-headless")
	sources := javaSources(t, filepath.Join(sdk, "src", "main", "java"))
	sources = append(sources, javaSources(t, driver)...)
	if checks := filepath.Join(filepath.Dir(driver), "java", "Checks.java"); !slices.Contains(sources, checks) {
		sources = append(sources, checks)
	}
	classes := t.TempDir()
	args := []string{"--release", release, "-encoding", "UTF-8", "-Xlint:all", "-Xlint:-options",
		"-Xdoclint:all/protected", "-Werror", "-d", classes}
	testenv.Run(t, sdk, env, javac, append(args, sources...)...)
	return testenv.Run(t, driver, env, java, "-cp", classes, "Main")
}

// javaSources returns the .java files under dir.
func javaSources(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".java") {
			out = append(out, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) == 0 {
		t.Fatalf("no .java files under %s", dir)
	}
	return out
}
