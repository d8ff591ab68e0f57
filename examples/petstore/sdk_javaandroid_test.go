package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runAndroid builds and runs the Android SDK's driver on the JDK: its
// Main.java, which runs the Java driver's Checks.java. The SDK must not
// use java.net.http, and it is compiled with javac --release 8, so that
// it can use no API newer than Java 8's. (This file is not named
// sdk_android_test.go: the _android suffix would build it only for
// GOOS=android.)
func runAndroid(t *testing.T, sdk, driver string, env []string) string {
	src := filepath.Join(sdk, "src", "main", "java")
	for _, path := range javaSources(t, src) {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), "java.net.http") {
			t.Errorf("%s refers to java.net.http, which Android does not have", filepath.Base(path))
		}
	}
	return runJavaDriver(t, sdk, driver, env, "8")
}
