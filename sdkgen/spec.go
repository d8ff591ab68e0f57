package sdkgen

import (
	"cmp"
	"errors"
	"fmt"
	"mime"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/gatekit/gatekit/internal/route"
	"github.com/gatekit/gatekit/sdkgen/internal/spec"
	"github.com/gatekit/gatekit/sdkgen/openapi"
)

// fromOpenAPI describes doc for the generators.
func fromOpenAPI(doc *openapi3.T) (*spec.API, error) {
	if doc == nil || doc.Info == nil {
		return nil, errors.New("sdkgen: the document has no info")
	}
	c := &converter{doc: doc, api: &spec.API{
		Name:    doc.Info.Title,
		Title:   doc.Info.Title,
		Doc:     doc.Info.Description,
		Version: doc.Info.Version,
		Region:  "us-east-1",
		Service: "execute-api",
	}, models: map[string]*openapi3.Schema{}}
	if spec.Camel(c.api.Name) == "" {
		return nil, errors.New("sdkgen: the document's info.title makes no name: it needs a letter or a digit")
	}
	c.server()
	var errs []error
	var ops []spec.Operation
	for _, path := range doc.Paths.InMatchingOrder() {
		pi := doc.Paths.Value(path)
		if path == "/$default" {
			continue // the managed service's catch-all route: no path to call
		}
		methods := pi.Operations()
		if any := openapi.AnyMethod(pi); any != nil {
			methods["ANY"] = any
		}
		for method, op := range methods {
			o, err := c.operation(path, method, pi, op)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			ops = append(ops, o)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	slices.SortFunc(ops, func(a, b spec.Operation) int {
		return cmp.Or(strings.Compare(a.Path, b.Path), strings.Compare(a.Method, b.Method))
	})
	c.api.Operations = ops
	seen := map[string]spec.Operation{}
	for _, op := range ops {
		if prev, ok := seen[op.Name]; ok {
			return nil, fmt.Errorf("sdkgen: operations %s %s and %s %s are both named %q", prev.Method, prev.Path, op.Method, op.Path, op.Name)
		}
		seen[op.Name] = op
	}
	slices.SortFunc(c.api.Models, func(a, b spec.Model) int { return strings.Compare(a.Name, b.Name) })
	return c.api, nil
}

type converter struct {
	doc *openapi3.T
	api *spec.API
	// models are the object schemas made models, by name.
	models map[string]*openapi3.Schema
}

// server takes the default base URL and stage from the first server: a
// {stage} variable at the URL's end is the stage.
func (c *converter) server() {
	if len(c.doc.Servers) == 0 {
		c.api.BaseURL = "http://localhost:8080"
		return
	}
	s := c.doc.Servers[0]
	url := s.URL
	if v, ok := s.Variables["stage"]; ok && strings.HasSuffix(url, "/{stage}") {
		c.api.Stage = v.Default
	}
	for name, v := range s.Variables {
		url = strings.ReplaceAll(url, "{"+name+"}", v.Default)
	}
	c.api.BaseURL = strings.TrimSuffix(url, "/")
}

func (c *converter) operation(path, method string, pi *openapi3.PathItem, op *openapi3.Operation) (spec.Operation, error) {
	name := op.OperationID
	if name == "" {
		name = openapi.OperationName(method, path)
	}
	o := spec.Operation{Name: spec.Camel(name), Method: method, Path: path, Doc: strings.TrimSpace(op.Summary + "\n\n" + op.Description)}
	place := fmt.Sprintf("sdkgen: %s %s (%s)", method, path, o.Name)
	if o.Name == "" {
		return o, fmt.Errorf("%s: operationId %q makes no name", place, op.OperationID)
	}
	params, err := c.params(path, o.Name, append(slices.Clone(pi.Parameters), op.Parameters...))
	if err != nil {
		return o, fmt.Errorf("%s: %w", place, err)
	}
	o.Params = params
	if rb := op.RequestBody; rb != nil {
		if rb.Value == nil {
			return o, fmt.Errorf("%s: request body: unresolved $ref %q", place, rb.Ref)
		}
		o.BodyRequired = rb.Value.Required
		t, err := c.bodyType(rb.Value.Content, o.Name+"Request")
		if err != nil {
			return o, fmt.Errorf("%s: request body: %w", place, err)
		}
		if t == nil {
			t = &spec.Type{Kind: spec.Any}
		}
		o.Body = t
	}
	if err := c.result(&o, op.Responses); err != nil {
		return o, fmt.Errorf("%s: %w", place, err)
	}
	security := c.doc.Security
	if op.Security != nil {
		security = *op.Security
	}
	if len(security) > 0 {
		// Of alternatives, the first: what the client is set up for.
		for scheme := range security[0] {
			var ref *openapi3.SecuritySchemeRef
			if c.doc.Components != nil {
				ref = c.doc.Components.SecuritySchemes[scheme]
			}
			if ref == nil || ref.Value == nil {
				return o, fmt.Errorf("%s: security scheme %q is not defined", place, scheme)
			}
			c.auth(&o.Auth, ref.Value)
		}
	}
	return o, nil
}

// auth sets what the scheme s needs.
func (c *converter) auth(a *spec.Auth, s *openapi3.SecurityScheme) {
	switch {
	case s.Extensions["x-amazon-apigateway-authtype"] == "awsSigv4":
		a.SigV4 = true
		if sv, ok := s.Extensions["x-gatekit-sigv4"].(map[string]any); ok {
			if r, ok := sv["region"].(string); ok && r != "" {
				c.api.Region = r
			}
			if r, ok := sv["service"].(string); ok && r != "" {
				c.api.Service = r
			}
		}
	case s.Type == "apiKey" && s.In == "header" && strings.EqualFold(s.Name, "x-api-key"):
		a.APIKey = true
	case s.Type == "http" && strings.EqualFold(s.Scheme, "bearer"), s.Type == "openIdConnect", s.Type == "oauth2":
		a.Bearer = true
	}
}

// params converts parameters: path ones in path order, then query and
// header ones by name.
func (c *converter) params(path, opName string, in openapi3.Parameters) ([]spec.Param, error) {
	var out []spec.Param
	for _, ref := range in {
		if ref.Value == nil {
			return nil, fmt.Errorf("parameter: unresolved $ref %q", ref.Ref)
		}
		p := ref.Value
		sp := spec.Param{Name: p.Name, Required: p.Required, Doc: p.Description}
		switch p.In {
		case "path":
			sp.In, sp.Required = spec.InPath, true
			sp.Greedy = strings.Contains(path, "{"+p.Name+"+}")
			if !sp.Greedy && !strings.Contains(path, "{"+p.Name+"}") {
				return nil, fmt.Errorf("path parameter %q is not in the path", p.Name)
			}
		case "query":
			sp.In = spec.InQuery
		case "header":
			sp.In = spec.InHeader
		default:
			return nil, fmt.Errorf("parameter %q: %s parameters are not supported", p.Name, p.In)
		}
		sp.Type = spec.Type{Kind: spec.String}
		if p.Schema != nil {
			t, err := c.typeOf(p.Schema, opName+spec.Pascal(p.Name))
			if err != nil {
				return nil, fmt.Errorf("parameter %q: %w", p.Name, err)
			}
			if !scalar(t) && !(t.Kind == spec.Array && scalar(*t.Elem)) {
				return nil, fmt.Errorf("parameter %q: type %s: only scalars and arrays of them are supported", p.Name, t)
			}
			sp.Type = t
		}
		// A later declaration (the operation's) replaces an earlier one
		// (the path item's).
		out = slices.DeleteFunc(out, func(q spec.Param) bool { return q.Name == sp.Name && q.In == sp.In })
		out = append(out, sp)
	}
	// A path parameter the document forgot is still one.
	for seg := range strings.SplitSeq(path, "/") {
		name, greedy, ok := route.ParamName(seg)
		if !ok {
			continue
		}
		if !slices.ContainsFunc(out, func(p spec.Param) bool { return p.In == spec.InPath && p.Name == name }) {
			out = append(out, spec.Param{Name: name, In: spec.InPath, Type: spec.Type{Kind: spec.String}, Required: true, Greedy: greedy})
		}
	}
	pos := func(p spec.Param) int {
		if p.In != spec.InPath {
			return len(path)
		}
		return strings.Index(path, "{"+p.Name)
	}
	slices.SortStableFunc(out, func(a, b spec.Param) int {
		return cmp.Or(cmp.Compare(pos(a), pos(b)), strings.Compare(string(b.In), string(a.In)), strings.Compare(a.Name, b.Name))
	})
	return out, nil
}

func scalar(t spec.Type) bool {
	return t.Kind == spec.String || t.Kind == spec.Integer || t.Kind == spec.Number || t.Kind == spec.Boolean
}

// result sets the operation's result from its first success response.
func (c *converter) result(o *spec.Operation, rs *openapi3.Responses) error {
	if rs == nil {
		return nil
	}
	var codes []string
	for code := range rs.Map() {
		if strings.HasPrefix(code, "2") {
			codes = append(codes, code)
		}
	}
	if len(codes) == 0 {
		return nil
	}
	slices.Sort(codes)
	ref := rs.Value(codes[0])
	if ref.Value == nil {
		return fmt.Errorf("response %s: unresolved $ref %q", codes[0], ref.Ref)
	}
	content := ref.Value.Content
	t, err := c.bodyType(content, o.Name+"Response")
	if err != nil {
		return fmt.Errorf("response %s: %w", codes[0], err)
	}
	if t == nil && len(content) > 0 {
		o.TextResult = true
	}
	o.Result = t
	return nil
}

// bodyType is the type of a JSON body, or nil when content has no JSON.
func (c *converter) bodyType(content openapi3.Content, hint string) (*spec.Type, error) {
	for _, ct := range slices.Sorted(func(yield func(string) bool) {
		for k := range content {
			if !yield(k) {
				return
			}
		}
	}) {
		mt, _, _ := mime.ParseMediaType(ct)
		if mt != "application/json" && !strings.HasSuffix(mt, "+json") {
			continue
		}
		media := content[ct]
		if media.Schema == nil {
			return &spec.Type{Kind: spec.Any}, nil
		}
		t, err := c.typeOf(media.Schema, hint)
		return &t, err
	}
	return nil, nil
}

// typeOf converts a schema. Objects with properties become models: a
// component schema under its name, an inline one under hint.
func (c *converter) typeOf(ref *openapi3.SchemaRef, hint string) (spec.Type, error) {
	if ref.Value == nil {
		return spec.Type{}, fmt.Errorf("unresolved $ref %q", ref.Ref)
	}
	s := ref.Value
	if ref.Ref != "" {
		if i := strings.LastIndex(ref.Ref, "/"); i >= 0 && strings.HasPrefix(ref.Ref, "#/components/schemas/") {
			hint = ref.Ref[i+1:]
		}
	}
	switch {
	case s.Type.Is("string"):
		return spec.Type{Kind: spec.String, Format: s.Format}, nil
	case s.Type.Is("integer"):
		return spec.Type{Kind: spec.Integer, Format: s.Format}, nil
	case s.Type.Is("number"):
		return spec.Type{Kind: spec.Number, Format: s.Format}, nil
	case s.Type.Is("boolean"):
		return spec.Type{Kind: spec.Boolean}, nil
	case s.Type.Is("array"):
		if s.Items == nil {
			return spec.Type{Kind: spec.Array, Elem: &spec.Type{Kind: spec.Any}}, nil
		}
		elem, err := c.typeOf(s.Items, hint+"Item")
		return spec.Type{Kind: spec.Array, Elem: &elem}, err
	case (s.Type == nil || s.Type.Is("object")) && len(s.Properties) > 0 && len(s.AllOf)+len(s.OneOf)+len(s.AnyOf) == 0:
		return c.model(s, hint)
	case s.Type.Is("object") && s.AdditionalProperties.Schema != nil:
		elem, err := c.typeOf(s.AdditionalProperties.Schema, hint+"Value")
		return spec.Type{Kind: spec.Map, Elem: &elem}, err
	}
	return spec.Type{Kind: spec.Any}, nil
}

// model returns the model s is, making it under name if it is new.
func (c *converter) model(s *openapi3.Schema, name string) (spec.Type, error) {
	name = spec.Pascal(name)
	for n, m := range c.models {
		if m == s {
			return spec.Type{Kind: spec.Ref, Ref: n}, nil
		}
	}
	base := name
	for i := 2; c.models[name] != nil; i++ {
		name = fmt.Sprintf("%s%d", base, i)
	}
	c.models[name] = s
	m := spec.Model{Name: name, Doc: strings.TrimSpace(s.Title + "\n\n" + s.Description)}
	for _, prop := range slices.Sorted(func(yield func(string) bool) {
		for k := range s.Properties {
			if !yield(k) {
				return
			}
		}
	}) {
		t, err := c.typeOf(s.Properties[prop], name+spec.Pascal(prop))
		if err != nil {
			return spec.Type{}, fmt.Errorf("model %s: property %q: %w", name, prop, err)
		}
		m.Fields = append(m.Fields, spec.Field{Name: prop, Type: t, Required: slices.Contains(s.Required, prop),
			Doc: s.Properties[prop].Value.Description})
	}
	c.api.Models = append(c.api.Models, m)
	return spec.Type{Kind: spec.Ref, Ref: name}, nil
}
