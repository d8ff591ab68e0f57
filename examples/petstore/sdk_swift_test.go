package main

import (
	"os"
	"path/filepath"
	"testing"
)

// runSwift checks the Swift SDK without a Swift compiler (there is none
// here): testdata/sdk/swift/check.js parses every .swift file of the SDK,
// and the driver that would run it (driver/main.swift), with tree-sitter's
// Swift grammar and fails on any syntax error. Nothing runs, so it
// returns "".
func runSwift(t *testing.T, sdk, driver string, env []string) string {
	node := tool(t, "node", "apt-get install nodejs npm")
	if _, err := os.Stat(filepath.Join(driver, "node_modules", "web-tree-sitter")); err != nil {
		msg := "the Swift grammar is not installed: (cd " + driver + " && npm ci)"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	t.Logf("check.js:\n%s", command(t, driver, env, node, "check.js", sdk, filepath.Join(driver, "driver")))
	return ""
}
