package sdkgen

import (
	"fmt"
	"io/fs"
	"slices"
	"testing/fstest"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/gatekit/gatekit/sdkgen/internal/golang"
	"github.com/gatekit/gatekit/sdkgen/internal/java"
	"github.com/gatekit/gatekit/sdkgen/internal/javascript"
	"github.com/gatekit/gatekit/sdkgen/internal/objc"
	"github.com/gatekit/gatekit/sdkgen/internal/python"
	"github.com/gatekit/gatekit/sdkgen/internal/ruby"
	"github.com/gatekit/gatekit/sdkgen/internal/spec"
	"github.com/gatekit/gatekit/sdkgen/internal/swift"
)

// Language is a language SDKs are generated in.
type Language string

// The languages.
const (
	// JavaScript: an ES module for browsers and Node.js (fetch, Web
	// Crypto), with TypeScript declarations.
	JavaScript Language = "javascript"
	// Java: Java 11 and later, on java.net.http.
	Java Language = "java"
	// Android: Java on HttpURLConnection, for Android (no java.net.http).
	Android Language = "android"
	// Swift: URLSession with async/await.
	Swift Language = "swift"
	// ObjectiveC: NSURLSession.
	ObjectiveC Language = "objectivec"
	// Ruby: Net::HTTP, no gems.
	Ruby Language = "ruby"
	// Python: the standard library (urllib), Python 3.9 and later.
	Python Language = "python"
	// Go: net/http, no dependencies.
	Go Language = "go"
)

// generators generates each language.
var generators = map[Language]func(*spec.API, spec.Config) (spec.Files, error){
	JavaScript: javascript.Generate,
	Java:       func(a *spec.API, c spec.Config) (spec.Files, error) { return java.Generate(a, c, false) },
	Android:    func(a *spec.API, c spec.Config) (spec.Files, error) { return java.Generate(a, c, true) },
	Swift:      swift.Generate,
	ObjectiveC: objc.Generate,
	Ruby:       ruby.Generate,
	Python:     python.Generate,
	Go:         golang.Generate,
}

// Languages returns the languages SDKs can be generated in, sorted.
func Languages() []Language {
	out := make([]Language, 0, len(generators))
	for l := range generators {
		out = append(out, l)
	}
	slices.Sort(out)
	return out
}

// Options tune a generated SDK.
type Options struct {
	// Package is the SDK's package: a Java package ("com.example.pets"),
	// a Go module path, a Ruby gem, Python package or npm package name.
	// If empty, one is derived from the API's name.
	Package string
}

// Generate generates the SDK for the API doc describes, in lang. The
// files are in the returned file system, each SDK's README.md at its
// root.
func Generate(doc *openapi3.T, lang Language, opts Options) (fs.FS, error) {
	gen := generators[lang]
	if gen == nil {
		return nil, fmt.Errorf("sdkgen: unknown language %q (have %v)", lang, Languages())
	}
	api, err := fromOpenAPI(doc)
	if err != nil {
		return nil, err
	}
	files, err := gen(api, spec.Config{Package: opts.Package})
	if err != nil {
		return nil, err
	}
	fsys := make(fstest.MapFS, len(files))
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: data, Mode: 0o644}
	}
	return fsys, nil
}
