package main

import (
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gatekit/gatekit/gateway"
	"github.com/gatekit/gatekit/sdkgen"
	"github.com/gatekit/gatekit/sdkgen/openapi"
)

// sdkLanguages says how each generated SDK is proven: run is given the
// generated SDK's directory, the language's driver program under
// testdata/sdk/{language}, and the environment the driver reads, and
// returns what it printed. A driver calls every route of the prod stage
// through the generated client and prints "ok NAME" for each operation it
// checked, and "ok error" once it has checked the SDK's error type on a
// 404. executed is false for a language whose SDK is only checked (parsed
// or compiled), not run, here.
var sdkLanguages = []struct {
	lang     sdkgen.Language
	executed bool
	run      func(t *testing.T, sdk, driver string, env []string) string
}{
	{sdkgen.JavaScript, true, runJavaScript},
	{sdkgen.Java, true, runJava},
	{sdkgen.Android, true, runAndroid},
	{sdkgen.Python, true, runPython},
	{sdkgen.Ruby, true, runRuby},
	{sdkgen.Go, true, runGo},
	{sdkgen.ObjectiveC, true, runObjectiveC},
	{sdkgen.Swift, false, runSwift},
}

// TestSDKs generates each SDK for the pet store's prod stage, serves the
// example on a loopback port, and runs the language's driver against it
// with the real toolchain.
func TestSDKs(t *testing.T) {
	gw, base, acc := servePetstore(t)
	doc, err := openapi.Export(gw, "petstore", "prod", openapi.ExportOptions{ServerURL: base})
	if err != nil {
		t.Fatal(err)
	}
	var ops []string
	for _, pi := range doc.Paths.Map() {
		for _, op := range pi.Operations() {
			ops = append(ops, op.OperationID)
		}
		if any := openapi.AnyMethod(pi); any != nil {
			ops = append(ops, any.OperationID)
		}
	}
	slices.Sort(ops)
	env := append(os.Environ(),
		"GATEKIT_BASE_URL="+base+"/prod",
		"GATEKIT_API_KEY="+acc.freeKey,
		"GATEKIT_TOKEN="+acc.adminToken,
		"GATEKIT_ACCESS_KEY="+acc.accessKey,
		"GATEKIT_SECRET_KEY="+acc.secretKey,
		"GATEKIT_REGION=local",
	)
	for _, l := range sdkLanguages {
		t.Run(string(l.lang), func(t *testing.T) {
			fsys, err := sdkgen.Generate(doc, l.lang, sdkgen.Options{})
			if err != nil {
				t.Fatal(err)
			}
			sdk := filepath.Join(t.TempDir(), "sdk")
			if err := os.CopyFS(sdk, fsys); err != nil {
				t.Fatal(err)
			}
			if _, err := os.Stat(filepath.Join(sdk, "README.md")); err != nil {
				t.Error("the SDK has no README.md")
			}
			driver, err := filepath.Abs(filepath.Join("testdata", "sdk", string(l.lang)))
			if err != nil {
				t.Fatal(err)
			}
			out := l.run(t, sdk, driver, env)
			if !l.executed || t.Failed() || t.Skipped() {
				return
			}
			lines := strings.Split(out, "\n")
			for _, want := range append(ops, "error") {
				if !slices.Contains(lines, "ok "+want) {
					t.Errorf("the driver did not report %q", "ok "+want)
				}
			}
		})
	}
}

// servePetstore serves the example on a loopback port, with its
// inventory backends, and returns its URL.
func servePetstore(t *testing.T) (*gateway.Gateway, string, access) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	prod, err := startInventory("prod")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = prod.Close() })
	gw, acc := petstore(t, prod.Addr, prod.Addr)
	srv := &http.Server{Handler: gw, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return gw, "http://" + ln.Addr().String(), acc
}
