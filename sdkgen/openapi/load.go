package openapi

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi2conv"
	"github.com/getkin/kin-openapi/openapi3"
)

// Load reads an OpenAPI 3.0 document, or a Swagger 2.0 one converted to
// 3.0, as JSON or YAML, and resolves its references (those in
// x-amazon-apigateway-any-method operations too); a reference that does
// not resolve is an error naming it as the document writes it. It is
// liberal in what it accepts — documents found in the wild often lack
// something the specification requires, such as info.version — so call
// the document's Validate method for a strict check. References to other
// files are not followed.
func Load(data []byte) (*openapi3.T, error) {
	doc, _, err := loadDocument(data)
	return doc, err
}

// loadDocument parses data as Swagger 2.0 (converted to OpenAPI 3) or
// OpenAPI 3.0, with every $ref resolved, and says which it was.
func loadDocument(data []byte) (*openapi3.T, bool, error) {
	var doc2 openapi2.T
	if err := openapi2.UnmarshalFromData(data, &doc2); err == nil && doc2.Swagger != "" {
		if !strings.HasPrefix(doc2.Swagger, "2.") {
			return nil, true, fmt.Errorf("openapi: swagger %q: only Swagger 2.0 and OpenAPI 3.0 are supported", doc2.Swagger)
		}
		doc, err := openapi2conv.ToV3(&doc2)
		if err != nil {
			return nil, true, loadError(err, true)
		}
		if err := resolveAnyMethods(doc, &doc2); err != nil {
			return nil, true, loadError(err, true)
		}
		return doc, true, nil
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(data)
	if err != nil {
		return nil, false, loadError(err, false)
	}
	switch {
	case doc.OpenAPI == "":
		return nil, false, errors.New(`openapi: the document has neither "openapi: 3.0.x" nor "swagger: 2.0"`)
	case !strings.HasPrefix(doc.OpenAPI, "3.0"):
		return nil, false, fmt.Errorf("openapi: openapi %q: only OpenAPI 3.0 and Swagger 2.0 are supported", doc.OpenAPI)
	}
	if err := resolveAnyMethods(doc, nil); err != nil {
		return nil, false, loadError(err, false)
	}
	return doc, false, nil
}

var refInError = regexp.MustCompile(`in URI: "([^"]*)"|"(#[^"]*)"`)

// loadError says which $ref failed to resolve, in the document's own
// terms, when that is what err is about.
func loadError(err error, v2 bool) error {
	msg := err.Error()
	if !strings.Contains(msg, "resolve") {
		return fmt.Errorf("openapi: the document does not load: %w", err)
	}
	ref := "?"
	if m := refInError.FindStringSubmatch(msg); m != nil {
		ref = m[1] + m[2]
	}
	if v2 {
		ref = openapi2conv.FromV3Ref(ref)
	}
	return fmt.Errorf("openapi: unresolved $ref %q: %w", ref, err)
}

// resolveAnyMethods parses each path item's x-amazon-apigateway-any-method
// into an *openapi3.Operation with its references resolved (doc2, when
// not nil, is the Swagger 2.0 document doc was converted from).
func resolveAnyMethods(doc *openapi3.T, doc2 *openapi2.T) error {
	if doc.Paths == nil {
		return nil
	}
	synthetic := &openapi3.T{OpenAPI: "3.0.3", Info: doc.Info, Components: doc.Components, Paths: openapi3.NewPaths()}
	if synthetic.Components == nil {
		synthetic.Components = &openapi3.Components{}
	}
	for path, pi := range doc.Paths.Map() {
		raw, ok := pi.Extensions[xAnyMethod]
		if !ok {
			continue
		}
		if _, done := raw.(*openapi3.Operation); done {
			continue
		}
		op := &openapi3.Operation{}
		if doc2 != nil {
			op2 := &openapi2.Operation{}
			if err := remarshal(raw, op2); err != nil {
				return fmt.Errorf("paths.%s.%s: %w", path, xAnyMethod, err)
			}
			v3op, err := openapi2conv.ToV3Operation(doc.Components, doc2.Paths[path], op2, doc2.Consumes)
			if err != nil {
				return fmt.Errorf("paths.%s.%s: %w", path, xAnyMethod, err)
			}
			op = v3op
		} else if err := remarshal(raw, op); err != nil {
			return fmt.Errorf("paths.%s.%s: %w", path, xAnyMethod, err)
		}
		pi.Extensions[xAnyMethod] = op
		synthetic.Paths.Set(path, &openapi3.PathItem{Get: op})
	}
	if synthetic.Paths.Len() == 0 {
		return nil
	}
	return openapi3.NewLoader().ResolveRefsIn(synthetic, nil)
}
