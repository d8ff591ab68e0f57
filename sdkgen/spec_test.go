package sdkgen

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/getkin/kin-openapi/openapi3"

	"github.com/gatekit/gatekit/auth"
	"github.com/gatekit/gatekit/gateway"
	"github.com/gatekit/gatekit/sdkgen/openapi"
)

// pets is a small pet store on a gateway, exported.
func pets(t testing.TB) *openapi3.T {
	t.Helper()
	gw := gateway.New()
	t.Cleanup(func() { _ = gw.Close() })
	jwt, err := auth.NewJWT(auth.JWTConfig{Issuer: "https://issuer.example.com", Audiences: []string{"pets"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := gw.RegisterAuthorizer("jwt", jwt); err != nil {
		t.Fatal(err)
	}
	if err := gw.RegisterAuthorizer("sig", &auth.SigV4{Region: "local", Credentials: auth.StaticCredentials{"AKID": {Secret: "s"}}}); err != nil {
		t.Fatal(err)
	}
	pet := &gateway.Model{Name: "Pet", Schema: `{"type": "object", "required": ["id"],
		"properties": {"id": {"type": "integer"}, "name": {"type": "string"},
			"owner": {"type": "object", "properties": {"name": {"type": "string"}}},
			"tags": {"type": "object", "additionalProperties": {"type": "string"}},
			"born": {"type": "string", "format": "date-time"}}}`}
	fn := gateway.Function(func(context.Context, events.APIGatewayV2HTTPRequest) (string, error) { return "", nil })
	err = gw.AddAPI("/", &gateway.API{Name: "pet store", Routes: []gateway.Route{
		{Key: "GET /pets", Integration: fn, ResponseModel: &gateway.Model{Name: "Pets", Schema: `{"type": "array", "items": ` + pet.Schema + `}`},
			RequestParameters: []gateway.Parameter{{In: "querystring", Name: "limit", Type: "integer"}, {In: "header", Name: "X-Trace", Required: true}}},
		{Key: "GET /pets/{id}/photos/{photo}", OperationName: "getPhoto", Integration: fn, Authorizer: "jwt", APIKeyRequired: true,
			RequestParameters: []gateway.Parameter{{In: "path", Name: "photo", Type: "integer"}}},
		{Key: "POST /pets", Integration: fn, Authorizer: "sig", RequestModel: pet, ResponseModel: pet},
		{Key: "ANY /files/{proxy+}", Integration: fn},
		{Key: "GET /health", Integration: &gateway.Mock{Header: map[string][]string{"Content-Type": {"text/plain"}}}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	d, err := gw.Deploy("pet store", "")
	if err != nil {
		t.Fatal(err)
	}
	if err := gw.PutStage("pet store", gateway.Stage{Name: "beta", DeploymentID: d.ID}); err != nil {
		t.Fatal(err)
	}
	doc, err := openapi.Export(gw, "pet store", "beta", openapi.ExportOptions{ServerURL: "https://pets.example.com"})
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func TestFromOpenAPI(t *testing.T) {
	api, err := fromOpenAPI(pets(t))
	if err != nil {
		t.Fatal(err)
	}
	if api.Name != "pet store" || api.BaseURL != "https://pets.example.com/beta" || api.Stage != "beta" || api.Region != "local" || api.Service != "execute-api" {
		t.Errorf("API: %+v", api)
	}
	var got []string
	for _, op := range api.Operations {
		b, _ := json.Marshal(op)
		got = append(got, string(b))
	}
	want := []string{
		`{"Name":"anyFilesByProxy","Method":"ANY","Path":"/files/{proxy+}","Doc":"","Params":[{"Name":"proxy","In":"path","Type":{"Kind":1,"Elem":null,"Ref":"","Format":""},"Required":true,"Greedy":true,"Doc":""}],"Body":null,"BodyRequired":false,"Result":{"Kind":0,"Elem":null,"Ref":"","Format":""},"TextResult":false,"Auth":{"APIKey":false,"SigV4":false,"Bearer":false}}`,
		`{"Name":"getHealth","Method":"GET","Path":"/health","Doc":"","Params":null,"Body":null,"BodyRequired":false,"Result":null,"TextResult":true,"Auth":{"APIKey":false,"SigV4":false,"Bearer":false}}`,
		`{"Name":"getPets","Method":"GET","Path":"/pets","Doc":"","Params":[{"Name":"limit","In":"query","Type":{"Kind":2,"Elem":null,"Ref":"","Format":""},"Required":false,"Greedy":false,"Doc":""},{"Name":"X-Trace","In":"header","Type":{"Kind":1,"Elem":null,"Ref":"","Format":""},"Required":true,"Greedy":false,"Doc":""}],"Body":null,"BodyRequired":false,"Result":{"Kind":5,"Elem":{"Kind":7,"Elem":null,"Ref":"Pet","Format":""},"Ref":"","Format":""},"TextResult":false,"Auth":{"APIKey":false,"SigV4":false,"Bearer":false}}`,
		`{"Name":"postPets","Method":"POST","Path":"/pets","Doc":"","Params":null,"Body":{"Kind":7,"Elem":null,"Ref":"Pet","Format":""},"BodyRequired":false,"Result":{"Kind":7,"Elem":null,"Ref":"Pet","Format":""},"TextResult":false,"Auth":{"APIKey":false,"SigV4":true,"Bearer":false}}`,
		`{"Name":"getPhoto","Method":"GET","Path":"/pets/{id}/photos/{photo}","Doc":"","Params":[{"Name":"id","In":"path","Type":{"Kind":1,"Elem":null,"Ref":"","Format":""},"Required":true,"Greedy":false,"Doc":""},{"Name":"photo","In":"path","Type":{"Kind":2,"Elem":null,"Ref":"","Format":""},"Required":true,"Greedy":false,"Doc":""}],"Body":null,"BodyRequired":false,"Result":{"Kind":0,"Elem":null,"Ref":"","Format":""},"TextResult":false,"Auth":{"APIKey":true,"SigV4":false,"Bearer":true}}`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("operations:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// Models: Pet, and its inline owner object named after it.
	var models []string
	for _, m := range api.Models {
		var fields []string
		for _, f := range m.Fields {
			s := f.Name + " " + f.Type.String()
			if f.Required {
				s += " required"
			}
			fields = append(fields, s)
		}
		models = append(models, m.Name+"{"+strings.Join(fields, ", ")+"}")
	}
	if got, want := strings.Join(models, " "), "Pet{born string, id integer required, name string, owner PetOwner, tags map[string]string} PetOwner{name string}"; got != want {
		t.Errorf("models: %s\nwant %s", got, want)
	}
	if f := api.Model("Pet").Fields[0]; f.Type.Format != "date-time" {
		t.Errorf("born's format %q", f.Type.Format)
	}
}

func TestFromOpenAPIErrors(t *testing.T) {
	for _, tt := range []struct {
		name, doc, want string
	}{
		{"unresolved ref", `{"openapi":"3.0.3","info":{"title":"x","version":"1"},"paths":{"/a":{"get":{"responses":{"200":{"description":"ok","content":{"application/json":{"schema":{"$ref":"#/components/schemas/Nope"}}}}}}}}}`,
			`GET /a (getA): response 200: unresolved $ref "#/components/schemas/Nope"`},
		{"same names", `{"openapi":"3.0.3","info":{"title":"x","version":"1"},"paths":{"/a":{"get":{"operationId":"op","responses":{}},"post":{"operationId":"op","responses":{}}}}}`,
			`operations GET /a and POST /a are both named "op"`},
		{"cookie", `{"openapi":"3.0.3","info":{"title":"x","version":"1"},"paths":{"/a":{"get":{"parameters":[{"in":"cookie","name":"c"}],"responses":{}}}}}`,
			`parameter "c": cookie parameters are not supported`},
		{"no name", `{"openapi":"3.0.3","info":{"title":"?","version":"1"},"paths":{}}`, `makes no name`},
		{"undefined scheme, no components", `{"openapi":"3.0.3","info":{"title":"x","version":"1"},"paths":{"/a":{"get":{"security":[{"key":[]}],"responses":{}}}}}`,
			`security scheme "key" is not defined`},
		{"no info", `{"openapi":"3.0.3","paths":{}}`, `the document has no info`},
		{"path parameter not in the path", `{"openapi":"3.0.3","info":{"title":"x","version":"1"},"paths":{"/a":{"get":{"parameters":[{"in":"path","name":"id","required":true}],"responses":{}}}}}`,
			`path parameter "id" is not in the path`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			// Not loaded by kin's loader, which rejects some of these
			// itself: the generator must not depend on it.
			var doc openapi3.T
			if err := json.Unmarshal([]byte(tt.doc), &doc); err != nil {
				t.Fatal(err)
			}
			_, err := fromOpenAPI(&doc)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error with %s", err, tt.want)
			}
		})
	}
}
