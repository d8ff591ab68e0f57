package gateway

import (
	"bytes"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// Model is a JSON Schema for a request or response body, as the managed
// service's models. A schema whose $schema names draft 4
// ("http://json-schema.org/draft-04/schema#", the managed service's) is
// read as draft 4; any other as 2020-12.
type Model struct {
	// Name identifies the model (in errors, and in exported contracts).
	Name string
	// Schema is the JSON Schema document.
	Schema string
}

// Parameter is a request parameter a route declares.
type Parameter struct {
	// In is where it is: "path", "querystring" or "header".
	In string
	// Name is its name.
	Name string
	// Required makes a request without it invalid.
	Required bool
	// Type, if set, is what its value must parse as: "string",
	// "integer", "number" or "boolean".
	Type string
}

// Validation chooses what a route's request validator checks, as the
// managed service's request validators do.
type Validation string

// The request validators.
const (
	// ValidateNone checks nothing: the default.
	ValidateNone Validation = ""
	// ValidateBody checks the body against the route's RequestModel.
	ValidateBody Validation = "BODY"
	// ValidateParameters checks the route's RequestParameters.
	ValidateParameters Validation = "PARAMETERS"
	// ValidateAll checks both.
	ValidateAll Validation = "BODY_AND_PARAMETERS"
)

// validator is a route's compiled request validator.
type validator struct {
	params []Parameter
	schema *jsonschema.Schema // nil: the body is not checked
}

// compileValidator checks a route's models, parameters and validator, and
// compiles the schema, at deploy time.
func compileValidator(rt *Route, pathParams []string) (*validator, error) {
	var errs []error
	for _, m := range []*Model{rt.RequestModel, rt.ResponseModel} {
		if m != nil && m.Name == "" {
			errs = append(errs, errors.New("a Model needs a Name"))
		}
	}
	for i, p := range rt.RequestParameters {
		switch {
		case p.In != "path" && p.In != "querystring" && p.In != "header":
			errs = append(errs, fmt.Errorf("RequestParameters[%d] %q: In %q: want path, querystring or header", i, p.Name, p.In))
		case p.Name == "":
			errs = append(errs, fmt.Errorf("RequestParameters[%d]: no Name", i))
		case p.In == "path" && !slices.Contains(pathParams, p.Name):
			errs = append(errs, fmt.Errorf("RequestParameters[%d]: the route has no path parameter %q", i, p.Name))
		}
		switch p.Type {
		case "", "string", "integer", "number", "boolean":
		default:
			errs = append(errs, fmt.Errorf("RequestParameters[%d] %q: Type %q: want string, integer, number or boolean", i, p.Name, p.Type))
		}
	}
	v := &validator{}
	switch rt.Validate {
	case ValidateNone:
		return nil, errors.Join(errs...)
	case ValidateParameters:
		v.params = rt.RequestParameters
	case ValidateBody, ValidateAll:
		if rt.RequestModel == nil {
			errs = append(errs, fmt.Errorf("Validate %s needs a RequestModel", rt.Validate))
			break
		}
		s, err := compileModel(rt.RequestModel)
		if err != nil {
			errs = append(errs, err)
		}
		v.schema = s
		if rt.Validate == ValidateAll {
			v.params = rt.RequestParameters
		}
	default:
		errs = append(errs, fmt.Errorf("Validate %q: want BODY, PARAMETERS or BODY_AND_PARAMETERS", rt.Validate))
	}
	return v, errors.Join(errs...)
}

// compileModel compiles a model's schema.
func compileModel(m *Model) (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(m.Schema))
	if err != nil {
		return nil, fmt.Errorf("model %q: the schema is not JSON: %w", m.Name, err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	url := "gatekit:///models/" + m.Name
	if err := c.AddResource(url, doc); err != nil {
		return nil, fmt.Errorf("model %q: %w", m.Name, err)
	}
	s, err := c.Compile(url)
	if err != nil {
		return nil, fmt.Errorf("model %q: %w", m.Name, err)
	}
	return s, nil
}

// validate checks the request against the route's validator, and
// answers it itself when it is invalid.
func (g *Gateway) validate(w http.ResponseWriter, r *http.Request, s *reqState) bool {
	v := s.route.valid
	if msg := v.checkParams(r, s); msg != "" {
		g.writeError(w, s, &Error{Type: BadRequestParameters, Message: msg})
		return false
	}
	if v.schema == nil {
		return true
	}
	if ct := r.Header.Get("Content-Type"); ct != "" {
		if mt, _, _ := mime.ParseMediaType(ct); mt != "application/json" && !strings.HasSuffix(mt, "+json") {
			g.writeError(w, s, &Error{Type: UnsupportedMediaType, Err: fmt.Errorf("content type %q is not JSON", ct)})
			return false
		}
	}
	body, err := bufferBody(r)
	if err != nil {
		writeBodyError(w, r, err)
		return false
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		g.writeError(w, s, &Error{Type: BadRequestBody, Message: "Invalid request body: not JSON", Err: err})
		return false
	}
	if err := v.schema.Validate(doc); err != nil {
		g.writeError(w, s, &Error{Type: BadRequestBody, Message: "Invalid request body: " + validationMessage(err), Err: err})
		return false
	}
	return true
}

// checkParams returns what is wrong with the request's parameters, or "".
func (v *validator) checkParams(r *http.Request, s *reqState) string {
	var missing []string
	var query url.Values // parsed once, if a parameter is in it
	for _, p := range v.params {
		var val string
		var ok bool
		switch p.In {
		case "path":
			val, ok = s.params.Get(p.Name)
		case "querystring":
			if query == nil {
				query = r.URL.Query()
			}
			if vs := query[p.Name]; len(vs) > 0 {
				val, ok = vs[0], true
			}
		case "header":
			vs := r.Header.Values(p.Name)
			if len(vs) > 0 {
				val, ok = vs[0], true
			}
		}
		if !ok {
			if p.Required {
				missing = append(missing, p.In+"."+p.Name)
			}
			continue
		}
		if msg := typeError(p, val); msg != "" {
			return msg
		}
	}
	if len(missing) > 0 {
		return "Missing required request parameters: [" + strings.Join(missing, ", ") + "]"
	}
	return ""
}

// typeError says why val is not of p's Type, or "".
func typeError(p Parameter, val string) string {
	var err error
	switch p.Type {
	case "integer":
		_, err = strconv.ParseInt(val, 10, 64)
	case "number":
		_, err = strconv.ParseFloat(val, 64)
	case "boolean":
		_, err = strconv.ParseBool(val)
	}
	if err != nil {
		return fmt.Sprintf("Invalid request parameter %s.%s: want %s", p.In, p.Name, p.Type)
	}
	return ""
}

// validationMessage names the first field that failed and why.
func validationMessage(err error) string {
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return err.Error()
	}
	for len(ve.Causes) > 0 {
		ve = ve.Causes[0]
	}
	loc := "/" + strings.Join(ve.InstanceLocation, "/")
	return loc + ": " + ve.ErrorKind.LocalizedString(english)
}

var english = message.NewPrinter(language.English)
