package gateway_test

import (
	"strings"
	"testing"

	"github.com/gatekit/gatekit/gateway"
)

const petSchema = `{
	"type": "object",
	"required": ["name"],
	"properties": {
		"name": {"type": "string", "minLength": 1},
		"age":  {"type": "integer", "minimum": 0}
	}
}`

// draft4Schema uses draft 4's boolean exclusiveMaximum, which 2020-12
// does not have.
const draft4Schema = `{
	"$schema": "http://json-schema.org/draft-04/schema#",
	"type": "object",
	"properties": {"score": {"type": "number", "maximum": 10, "exclusiveMaximum": true}}
}`

func TestRequestValidation(t *testing.T) {
	h := &counted{}
	calls := &h.calls
	counting := gateway.Handler(h)
	gw := mount(t, &gateway.API{Routes: []gateway.Route{
		{Key: "POST /owners/{owner}/pets", Integration: counting, Validate: gateway.ValidateAll,
			RequestModel: &gateway.Model{Name: "Pet", Schema: petSchema},
			RequestParameters: []gateway.Parameter{
				{In: "path", Name: "owner", Required: true},
				{In: "querystring", Name: "dryRun", Type: "boolean"},
				{In: "header", Name: "X-Tenant", Required: true},
				{In: "querystring", Name: "limit", Type: "integer"},
			}},
		{Key: "POST /scores", Integration: counting, Validate: gateway.ValidateBody, RequestModel: &gateway.Model{Name: "Score", Schema: draft4Schema}},
		{Key: "GET /search", Integration: counting, Validate: gateway.ValidateParameters,
			RequestParameters: []gateway.Parameter{{In: "querystring", Name: "q", Required: true}}},
	}})
	tests := []struct {
		name, method, target, body string
		header                     []string
		status                     int
		message                    string
	}{
		{"valid", "POST", "/owners/ann/pets?dryRun=true&limit=3", `{"name":"Rex","age":3}`, []string{"X-Tenant", "t1"}, 200, ""},
		{"missing header", "POST", "/owners/ann/pets", `{"name":"Rex"}`, nil, 400, "Missing required request parameters: [header.X-Tenant]"},
		{"bad boolean", "POST", "/owners/ann/pets?dryRun=maybe", `{"name":"Rex"}`, []string{"X-Tenant", "t1"}, 400, "Invalid request parameter querystring.dryRun: want boolean"},
		{"bad integer", "POST", "/owners/ann/pets?limit=ten", `{"name":"Rex"}`, []string{"X-Tenant", "t1"}, 400, "Invalid request parameter querystring.limit: want integer"},
		{"not JSON", "POST", "/owners/ann/pets", `{name:`, []string{"X-Tenant", "t1"}, 400, "Invalid request body: not JSON"},
		{"missing property", "POST", "/owners/ann/pets", `{"age":3}`, []string{"X-Tenant", "t1"}, 400, "Invalid request body: /: missing property 'name'"},
		{"wrong type", "POST", "/owners/ann/pets", `{"name":"Rex","age":-1}`, []string{"X-Tenant", "t1"}, 400, "Invalid request body: /age: "},
		{"not JSON content", "POST", "/owners/ann/pets", `name=Rex`, []string{"X-Tenant", "t1", "Content-Type", "application/x-www-form-urlencoded"}, 415, "Unsupported Media Type"},
		{"draft 4 valid", "POST", "/scores", `{"score":9.5}`, nil, 200, ""},
		{"draft 4 exclusive maximum", "POST", "/scores", `{"score":10}`, nil, 400, "Invalid request body: /score: "},
		{"parameters only", "GET", "/search", "", nil, 400, "Missing required request parameters: [querystring.q]"},
		{"parameters only, valid", "GET", "/search?q=cats", "", nil, 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := calls.Load()
			resp, body := do(t, gw, tt.method, tt.target, strings.NewReader(tt.body), tt.header...)
			if resp.StatusCode != tt.status || (tt.message != "" && !strings.Contains(body, tt.message)) {
				t.Fatalf("got %d %s, want %d with %q", resp.StatusCode, body, tt.status, tt.message)
			}
			if reached := calls.Load() > before; reached != (tt.status == 200) {
				t.Errorf("the integration was reached: %v", reached)
			}
		})
	}
}

func TestValidationConfigErrors(t *testing.T) {
	nop := &gateway.Mock{}
	pet := &gateway.Model{Name: "Pet", Schema: petSchema}
	tests := []struct {
		name  string
		route gateway.Route
		want  string
	}{
		{"schema not JSON", gateway.Route{Validate: gateway.ValidateBody, RequestModel: &gateway.Model{Name: "Bad", Schema: "{"}}, `model "Bad": the schema is not JSON`},
		{"invalid schema", gateway.Route{Validate: gateway.ValidateBody, RequestModel: &gateway.Model{Name: "Bad", Schema: `{"type": 5}`}}, `model "Bad"`},
		{"body without model", gateway.Route{Validate: gateway.ValidateBody}, "needs a RequestModel"},
		{"unnamed model", gateway.Route{Validate: gateway.ValidateBody, RequestModel: &gateway.Model{Schema: petSchema}}, "needs a Name"},
		{"unknown validator", gateway.Route{Validate: "EVERYTHING", RequestModel: pet}, `Validate "EVERYTHING"`},
		{"unknown In", gateway.Route{RequestParameters: []gateway.Parameter{{In: "cookie", Name: "s"}}}, `In "cookie"`},
		{"unknown path parameter", gateway.Route{RequestParameters: []gateway.Parameter{{In: "path", Name: "nope"}}}, `no path parameter "nope"`},
		{"unknown type", gateway.Route{RequestParameters: []gateway.Parameter{{In: "header", Name: "X", Type: "date"}}}, `Type "date"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rt := tt.route
			rt.Key, rt.Integration = "POST /pets/{id}", nop
			err := gateway.New().Mount("/", &gateway.API{Routes: []gateway.Route{rt}})
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "POST /pets/{id}") {
				t.Errorf("Mount() = %v, want an error naming the route and %s", err, tt.want)
			}
		})
	}
}
