package openapi

import (
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/gatekit/gatekit/gateway"
	"github.com/gatekit/gatekit/internal/route"
)

// jsonContent returns the schema of content's JSON media type.
func jsonContent(content openapi3.Content) (*openapi3.SchemaRef, bool) {
	if mt := content.Get("application/json"); mt != nil {
		return mt.Schema, true
	}
	for _, ct := range slices.Sorted(maps.Keys(content)) {
		if strings.HasSuffix(ct, "+json") || strings.HasPrefix(ct, "application/json") {
			return content[ct].Schema, true
		}
	}
	return nil, false
}

func (im *importer) requestModel(op2 string, rt *gateway.Route, op *openapi3.Operation) *gateway.Model {
	if op.RequestBody == nil || op.RequestBody.Value == nil {
		return nil
	}
	content := op.RequestBody.Value.Content
	s, ok := jsonContent(content)
	if !ok {
		if len(content) > 0 {
			im.warn(op2+".requestBody", "only JSON bodies have models: %s not checked", quoteList(slices.Sorted(maps.Keys(content))))
		}
		return nil
	}
	return im.model(op2+".requestBody", s, rt, "Request")
}

func (im *importer) responseModel(op2 string, rt *gateway.Route, op *openapi3.Operation) *gateway.Model {
	if op.Responses == nil {
		return nil
	}
	codes := op.Responses.Map()
	for _, code := range slices.Sorted(maps.Keys(codes)) {
		if len(code) != 3 || code[0] != '2' {
			continue
		}
		r := codes[code]
		if r == nil || r.Value == nil {
			continue
		}
		s, ok := jsonContent(r.Value.Content)
		if !ok {
			continue
		}
		return im.model(op2+".responses."+code, s, rt, "Response")
	}
	return nil
}

// model makes the model of a schema: named after its component, or
// after the operation when inline; nil for an empty schema, which any
// value matches.
func (im *importer) model(path string, s *openapi3.SchemaRef, rt *gateway.Route, suffix string) *gateway.Model {
	if s == nil || s.Value == nil {
		return nil
	}
	name, isComponent := strings.CutPrefix(s.Ref, "#/components/schemas/")
	if !isComponent {
		if s.Ref != "" {
			im.warn(path, "schema %q is not a component schema, no model", s.Ref)
			return nil
		}
		if b, err := json.Marshal(s.Value); err == nil && string(b) == "{}" {
			return nil
		}
		base := rt.OperationName
		if base == "" {
			k, _ := route.ParseKey(rt.Key)
			base = OperationName(cmp.Or(k.Method, "ANY"), cmp.Or(k.Path, "/default"))
		}
		name = modelName(base + suffix)
	}
	schema, err := im.schemaJSON(s, name, isComponent)
	if err != nil {
		im.fail("model %q (%s): %v", name, path, err)
		return nil
	}
	if !isComponent {
		// Another inline schema may have this name already.
		for i := 2; ; i++ {
			prev, taken := im.models[name]
			if !taken || prev == schema {
				break
			}
			name = fmt.Sprintf("%s%d", strings.TrimRight(name, "0123456789"), i)
		}
	}
	if _, done := im.models[name]; !done {
		if err := compileSchema(name, schema); err != nil {
			im.fail("model %q: the schema is invalid: %v", name, err)
			return nil
		}
		im.models[name] = schema
	}
	return &gateway.Model{Name: name, Schema: schema}
}

// modelName keeps the letters and digits of s, as model names have
// them, upper-casing the first.
func modelName(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	n := b.String()
	if n == "" {
		return "Model"
	}
	return strings.ToUpper(n[:1]) + n[1:]
}

// compileSchema checks a model's schema the way the gateway will.
func compileSchema(name, schema string) error {
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(schema))
	if err != nil {
		return err
	}
	c := jsonschema.NewCompiler()
	url := "gatekit:///models/" + name
	if err := c.AddResource(url, doc); err != nil {
		return err
	}
	_, err = c.Compile(url)
	return err
}

// schemaJSON writes a schema as a standalone draft 4 JSON Schema.
func (im *importer) schemaJSON(s *openapi3.SchemaRef, name string, isComponent bool) (string, error) {
	root, err := schemaTreeOf(s.Value)
	if err != nil {
		return "", err
	}
	c := &draft4Converter{im: im, defs: map[string]any{}}
	var stack []string
	if isComponent {
		stack = []string{name}
	}
	out, err := c.convert(root, stack)
	if err != nil {
		return "", err
	}
	// Fill the definitions that recursive references need, and those
	// that theirs need.
	for len(c.pending) > 0 {
		n := c.pending[0]
		c.pending = c.pending[1:]
		tree, err := c.component(n)
		if err != nil {
			return "", err
		}
		conv, err := c.convert(tree, []string{n})
		if err != nil {
			return "", err
		}
		c.defs[n] = conv
	}
	m, ok := out.(map[string]any)
	if !ok {
		m = map[string]any{}
	}
	if len(c.defs) > 0 {
		m["definitions"] = c.defs
	}
	m["$schema"] = draft4URI
	b, err := json.Marshal(m)
	return string(b), err
}

func schemaTreeOf(s *openapi3.Schema) (any, error) {
	b, err := json.Marshal(s)
	if err != nil {
		return nil, err
	}
	var tree any
	err = json.Unmarshal(b, &tree)
	return tree, err
}

// draft4Converter turns OpenAPI 3.0 schema objects into draft 4 JSON
// Schemas.
type draft4Converter struct {
	im      *importer
	defs    map[string]any // definitions made or pending, by component name
	pending []string       // components referenced recursively, still to convert
	trees   map[string]any // component schemas, as JSON trees
}

// draft4Keywords are the keywords a draft 4 schema may have; OpenAPI's
// own (discriminator, readOnly, writeOnly, xml, example, externalDocs,
// deprecated, x-…) are left out, and nullable is rewritten.
var draft4Keywords = map[string]bool{
	"title": true, "description": true, "default": true, "multipleOf": true,
	"maximum": true, "exclusiveMaximum": true, "minimum": true, "exclusiveMinimum": true,
	"maxLength": true, "minLength": true, "pattern": true, "additionalItems": true,
	"items": true, "maxItems": true, "minItems": true, "uniqueItems": true,
	"maxProperties": true, "minProperties": true, "required": true,
	"additionalProperties": true, "properties": true, "patternProperties": true,
	"dependencies": true, "enum": true, "type": true, "format": true,
	"allOf": true, "anyOf": true, "oneOf": true, "not": true,
}

func (c *draft4Converter) component(name string) (any, error) {
	if t, ok := c.trees[name]; ok {
		return t, nil
	}
	var s *openapi3.SchemaRef
	if comps := c.im.doc.Components; comps != nil {
		s = comps.Schemas[name]
	}
	if s == nil || s.Value == nil {
		return nil, fmt.Errorf("unresolved $ref %q", "#/components/schemas/"+name)
	}
	tree, err := schemaTreeOf(s.Value)
	if err != nil {
		return nil, err
	}
	if c.trees == nil {
		c.trees = map[string]any{}
	}
	c.trees[name] = tree
	return tree, nil
}

// convert converts one schema; stack holds the components being inlined
// around it, so that a reference back to one of them becomes a
// reference to the model's definitions.
func (c *draft4Converter) convert(v any, stack []string) (any, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return v, nil // true / false schemas
	}
	if ref, ok := m["$ref"].(string); ok {
		name, ok := strings.CutPrefix(ref, "#/components/schemas/")
		if !ok {
			return nil, fmt.Errorf("$ref %q is not a component schema", ref)
		}
		if slices.Contains(stack, name) {
			if _, ok := c.defs[name]; !ok {
				c.defs[name] = nil
				c.pending = append(c.pending, name)
			}
			return map[string]any{"$ref": "#/definitions/" + name}, nil
		}
		tree, err := c.component(name)
		if err != nil {
			return nil, err
		}
		return c.convert(tree, append(slices.Clip(stack), name))
	}
	out := make(map[string]any, len(m))
	for k, e := range m {
		if !draft4Keywords[k] {
			continue
		}
		var err error
		switch k {
		case "properties", "patternProperties":
			props, _ := e.(map[string]any)
			conv := make(map[string]any, len(props))
			for name, s := range props {
				if conv[name], err = c.convert(s, stack); err != nil {
					return nil, err
				}
			}
			out[k] = conv
		case "items", "additionalProperties", "additionalItems", "not":
			if list, ok := e.([]any); ok {
				conv := make([]any, len(list))
				for i, s := range list {
					if conv[i], err = c.convert(s, stack); err != nil {
						return nil, err
					}
				}
				out[k] = conv
			} else if out[k], err = c.convert(e, stack); err != nil {
				return nil, err
			}
		case "allOf", "anyOf", "oneOf":
			list, _ := e.([]any)
			conv := make([]any, len(list))
			for i, s := range list {
				if conv[i], err = c.convert(s, stack); err != nil {
					return nil, err
				}
			}
			out[k] = conv
		case "dependencies":
			deps, _ := e.(map[string]any)
			conv := make(map[string]any, len(deps))
			for name, d := range deps {
				if conv[name], err = c.convert(d, stack); err != nil {
					return nil, err
				}
			}
			out[k] = conv
		case "required":
			if list, ok := e.([]any); ok && len(list) == 0 {
				continue // draft 4 wants at least one
			}
			out[k] = e
		default:
			out[k] = e
		}
	}
	if nullable, _ := m["nullable"].(bool); nullable {
		switch t := out["type"].(type) {
		case string:
			out["type"] = []any{t, "null"}
		case []any:
			if !slices.Contains(t, any("null")) {
				out["type"] = append(t, "null")
			}
		}
		if enum, ok := out["enum"].([]any); ok && !slices.Contains(enum, nil) {
			out["enum"] = append(slices.Clip(enum), nil)
		}
	}
	return out, nil
}
