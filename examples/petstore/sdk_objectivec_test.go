package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gatekit/gatekit/internal/testenv"
)

// objcInstall is how .ci/run installs the Objective-C toolchain: clang
// with libBlocksRuntime for blocks (GCC's Objective-C has none), and
// Debian's gnustep-base, built for GCC's runtime (libobjc4, whose headers
// come with gobjc).
const objcInstall = "apt-get install clang libblocksruntime-dev gobjc libgnustep-base-dev gnustep-make"

// runObjectiveC builds the Objective-C SDK and its driver with clang
// against GNUstep, with every warning an error, and runs the driver.
//
// Debian's gnustep-base is built for GCC's Objective-C runtime and
// without NSURLSession (GS_HAVE_NSURLSESSION is 0). So the SDK is
// compiled with -fobjc-runtime=gcc and without ARC, and the driver links
// a test-only NSURLSession (testdata/sdk/objectivec/URLSessionShim.m, on
// NSURLConnection) that runs each task on a thread of its own; on a
// gnustep-base with NSURLSession the shim compiles to nothing. Everything
// else (building requests, signing, JSON, errors) is the SDK's own code.
func runObjectiveC(t *testing.T, sdk, driver string, env []string) string {
	clang := testenv.Tool(t, "clang", objcInstall)
	gnustep := testenv.Tool(t, "gnustep-config", objcInstall)
	gcc := testenv.Tool(t, "gcc", objcInstall)
	if _, err := os.Stat("/usr/include/Block.h"); err != nil {
		testenv.Missing(t, "libBlocksRuntime's Block.h is missing: "+objcInstall)
	}
	out := t.TempDir()
	objcFlags := slices.DeleteFunc(strings.Fields(testenv.Run(t, out, env, gnustep, "--objc-flags")),
		func(f string) bool { return f == "-MMD" || f == "-MP" })
	libs := strings.Fields(testenv.Run(t, out, env, gnustep, "--base-libs"))
	// GCC's runtime headers (objc/objc.h) are in GCC's own include
	// directory; the driver's include/ maps GNUstep's
	// <objc/blocks_runtime.h> to libBlocksRuntime's <Block.h>.
	gccInclude := strings.TrimSpace(testenv.Run(t, out, env, gcc, "-print-file-name=include"))
	warnings := []string{"-Wall", "-Wextra", "-Wno-unused-parameter", "-Wno-unused-command-line-argument", "-Werror"}

	sources, err := filepath.Glob(filepath.Join(sdk, "Sources", "*.m"))
	if err != nil || len(sources) == 0 {
		t.Fatalf("no Objective-C sources in %s: %v", sdk, err)
	}
	drivers, _ := filepath.Glob(filepath.Join(driver, "*.m"))
	args := append([]string{"-c", "-fobjc-runtime=gcc", "-fblocks",
		"-I", filepath.Join(driver, "include"), "-idirafter", gccInclude,
		"-I", filepath.Join(sdk, "Sources"), "-include", filepath.Join(driver, "URLSessionShim.h")}, objcFlags...)
	args = append(append(args, warnings...), append(sources, drivers...)...)
	testenv.Run(t, out, env, clang, args...)
	cSources, _ := filepath.Glob(filepath.Join(sdk, "Sources", "*.c"))
	testenv.Run(t, out, env, clang, append(append([]string{"-c", "-std=c99", "-pedantic"}, warnings...), cSources...)...)
	objects, _ := filepath.Glob(filepath.Join(out, "*.o"))
	bin := filepath.Join(out, "driver")
	// libBlocksRuntime comes before gnustep-base, which has a blocks
	// runtime of its own that crashes copying clang's blocks.
	testenv.Run(t, out, env, clang, append(append([]string{"-o", bin}, objects...), append([]string{"-lBlocksRuntime"}, libs...)...)...)

	// The driver checks the SDK's SHA-256, HMAC and signer against the AWS
	// SigV4 test suite too, when shared/testdata has it.
	suite, err := filepath.Abs(filepath.Join("..", "..", "..", "shared", "testdata", "aws-sig-v4-test-suite"))
	if _, statErr := os.Stat(suite); err == nil && statErr == nil {
		env = append(env, "GATEKIT_SIGV4_SUITE="+suite)
	} else {
		t.Logf("no AWS SigV4 test suite at %s: the driver does not check the signer against it", suite)
	}
	output := testenv.Run(t, out, env, bin)
	t.Logf("driver:\n%s", output)
	return output
}
