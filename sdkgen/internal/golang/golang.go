package golang

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/gatekit/gatekit/sdkgen/internal/spec"
)

// lang is how errors name the language.
const lang = "go"

// Generate returns the SDK's files: go.mod, README.md and the package's
// .go files, each gofmt'd.
func Generate(api *spec.API, cfg spec.Config) (spec.Files, error) {
	g, err := newGenerator(api, cfg)
	if err != nil {
		return nil, err
	}
	return g.files()
}

// modulePath is what go.mod accepts here: slash-separated elements of
// letters, digits and . _ ~ -.
var modulePath = regexp.MustCompile(`^[A-Za-z0-9._~-]+(/[A-Za-z0-9._~-]+)*$`)

// majorSuffix is a module path's major version element ("v2").
var majorSuffix = regexp.MustCompile(`^v[0-9]+$`)

// names returns the SDK's module path and package name: cfg.Package, or
// example.com/{package} when it is empty; the package is named from the
// module path's last element (skipping a /vN suffix, a go- prefix and a
// -go suffix) or from the API's name.
func names(api *spec.API, cfg spec.Config) (module, pkg string, err error) {
	words := spec.Words(api.Name)
	if cfg.Package != "" {
		if !modulePath.MatchString(cfg.Package) {
			return "", "", fmt.Errorf("sdkgen: %s: package %q is not a module path", lang, cfg.Package)
		}
		elems := strings.Split(cfg.Package, "/")
		last := elems[len(elems)-1]
		if len(elems) > 1 && majorSuffix.MatchString(last) {
			last = elems[len(elems)-2]
		}
		words = spec.Words(last)
		if len(words) > 1 && words[0] == "go" {
			words = words[1:]
		}
		if len(words) > 1 && words[len(words)-1] == "go" {
			words = words[:len(words)-1]
		}
	}
	pkg = spec.Ident(strings.Join(words, ""), "api", packageReserved)
	module = cfg.Package
	if module == "" {
		module = "example.com/" + pkg
	}
	return module, pkg, nil
}

// keywords are Go's keywords.
const keywords = `break case chan const continue default defer else fallthrough for
	func go goto if import interface map package range return select struct switch type var`

// packageReserved are the names a package cannot have.
var packageReserved = spec.Reserved(keywords + " main")

// exportedReserved are the exported names the SDK declares itself: models
// cannot have them.
var exportedReserved = spec.Reserved(`Client Option NewClient WithEndpoint WithStage WithHTTPClient
	WithAPIKey WithBearerToken WithCredentials WithRegion WithService Credentials APIError Ptr
	DefaultEndpoint DefaultStage DefaultRegion DefaultService`)

// localReserved are what a parameter cannot be called: keywords,
// predeclared identifiers, the packages the SDK imports, and the
// unexported names and local variables its methods use.
var localReserved = spec.Reserved(keywords + `
	any bool byte comparable complex64 complex128 error float32 float64 int int8 int16 int32 int64
	rune string uint uint8 uint16 uint32 uint64 uintptr true false iota nil
	append cap clear close complex copy delete imag len make max min new panic print println real recover
	bytes cmp context errors fmt hex hmac http io json slices sha256 strconv strings time url
	request escapeGreedy joinValues c ctx method body opts r out err v data`)

// initialisms are the words Go spells in capitals (golint's list).
var initialisms = spec.Reserved(`acl api ascii cpu css dns eof guid html http https id ip json lhs
	qps ram rhs rpc sla smtp sql ssh tcp tls ttl udp ui uid uuid uri url utf8 vm xml xmpp xsrf xss`)

// exported returns name as an exported Go identifier: GetPetByID.
func exported(name string) string { return spec.Ident(pascal(spec.Words(name)), "X", nil) }

// pascal joins words in upper camel case, initialisms in capitals.
func pascal(words []string) string {
	var b strings.Builder
	for _, w := range words {
		if initialisms[w] {
			b.WriteString(strings.ToUpper(w))
		} else {
			b.WriteString(strings.ToUpper(w[:1]) + w[1:])
		}
	}
	return b.String()
}

// typeName returns a model's Go name.
func typeName(name string) string { return spec.Ident(exported(name), "X", exportedReserved) }

// local returns name as a parameter's Go name: petID.
func local(name string) string {
	words := spec.Words(name)
	if len(words) == 0 {
		return spec.Ident("", "x", localReserved)
	}
	return spec.Ident(words[0]+pascal(words[1:]), "x", localReserved)
}

// validTag reports whether name can be a json struct tag's name, as
// encoding/json accepts it.
func validTag(name string) bool {
	if name == "" {
		return false
	}
	for _, c := range name {
		switch {
		case strings.ContainsRune("!#$%&()*+-./:;<=>?@[]^_{|}~ ", c):
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case c > 0x7f:
		default:
			return false
		}
	}
	return true
}

// check returns an error for every name two things would share in Go.
func check(api *spec.API) error {
	models := make([]string, len(api.Models))
	for i, m := range api.Models {
		models[i] = m.Name
	}
	if err := spec.Distinct(lang, "models", models, typeName); err != nil {
		return err
	}
	for _, m := range api.Models {
		fields := make([]string, len(m.Fields))
		for i, f := range m.Fields {
			if !validTag(f.Name) {
				return fmt.Errorf("sdkgen: %s: model %s: property %q cannot be named in a Go struct tag", lang, m.Name, f.Name)
			}
			fields[i] = f.Name
		}
		if err := spec.Distinct(lang, "model "+m.Name+": fields", fields, exported); err != nil {
			return err
		}
	}
	ops := make([]string, len(api.Operations))
	for i, op := range api.Operations {
		ops[i] = op.Name
	}
	if err := spec.Distinct(lang, "operations", ops, exported); err != nil {
		return err
	}
	for _, op := range api.Operations {
		params := make([]string, len(op.Params))
		for i, p := range op.Params {
			params[i] = p.Name
		}
		if err := spec.Distinct(lang, "operation "+op.Name+": parameters", params, local); err != nil {
			return err
		}
		opt := optional(&op)
		if len(opt) == 0 {
			continue
		}
		fields := make([]string, len(opt))
		for i, p := range opt {
			fields[i] = p.Name
		}
		if err := spec.Distinct(lang, "operation "+op.Name+": options", fields, exported); err != nil {
			return err
		}
		options := exported(op.Name) + "Options"
		for _, m := range api.Models {
			if typeName(m.Name) == options {
				return fmt.Errorf("sdkgen: %s: model %q and the options of operation %s are both %q in %s", lang, m.Name, op.Name, options, lang)
			}
		}
	}
	return nil
}
