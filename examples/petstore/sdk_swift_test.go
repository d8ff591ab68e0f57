package main

import (
	"path/filepath"
	"testing"

	"github.com/gatekit/gatekit/internal/testenv"
)

// runSwift checks the Swift SDK without a Swift compiler (there is none
// here): testdata/sdk/swift/check.js parses every .swift file of the SDK,
// and the driver that would run it (driver/main.swift), with tree-sitter's
// Swift grammar and fails on any syntax error. Nothing runs, so it
// returns "".
func runSwift(t *testing.T, sdk, driver string, env []string) string {
	node := testenv.Tool(t, "node", "apt-get install nodejs npm")
	testenv.NodeModules(t, driver, "web-tree-sitter", "(cd "+driver+" && npm ci)")
	t.Logf("check.js:\n%s", testenv.Run(t, driver, env, node, "check.js", sdk, filepath.Join(driver, "driver")))
	return ""
}
