package sdkgen_test

import (
	"fmt"
	"io/fs"
	"log"
	"net/http"

	"github.com/gatekit/gatekit/gateway"
	"github.com/gatekit/gatekit/sdkgen"
	"github.com/gatekit/gatekit/sdkgen/openapi"
)

// An API stage's Python SDK: export the stage, generate, and write the
// files out (here, list them).
func ExampleGenerate() {
	gw := gateway.New()
	defer gw.Close()
	err := gw.Mount("/", &gateway.API{Name: "pets", Routes: []gateway.Route{
		{Key: "GET /pets/{id}", OperationName: "getPet", Integration: &gateway.Mock{Body: `{"id":1}`},
			ResponseModel: &gateway.Model{Name: "Pet", Schema: `{"type":"object","properties":{"id":{"type":"integer"}}}`}},
		{Key: "GET /health", OperationName: "health", Integration: &gateway.Mock{Header: http.Header{"Content-Type": {"text/plain"}}, Body: "ok"}},
	}})
	if err != nil {
		log.Fatal(err)
	}
	doc, err := openapi.Export(gw, "pets", "$default", openapi.ExportOptions{ServerURL: "https://api.example.com"})
	if err != nil {
		log.Fatal(err)
	}
	sdk, err := sdkgen.Generate(doc, sdkgen.Python, sdkgen.Options{})
	if err != nil {
		log.Fatal(err)
	}
	// os.CopyFS("pets-python", sdk) writes them out.
	_ = fs.WalkDir(sdk, ".", func(path string, d fs.DirEntry, err error) error {
		if !d.IsDir() {
			fmt.Println(path)
		}
		return err
	})
	// Output:
	// README.md
	// pets/__init__.py
	// pets/client.py
	// pets/errors.py
	// pets/models.py
	// pets/py.typed
	// pets/sigv4.py
	// pyproject.toml
}

// Serving SDKs and OpenAPI documents as the managed service's get-sdk and
// get-export do, behind the gateway's own authorizer.
func ExampleHandler() {
	gw := gateway.New()
	defer gw.Close()
	// ... the APIs and an authorizer named "admin" registered here ...
	tools := &gateway.API{Name: "tools", Routes: []gateway.Route{{Key: "GET /{proxy+}",
		Integration: gateway.Handler(sdkgen.Handler(gw, sdkgen.HandlerOptions{ServerURL: "https://api.example.com"})),
		Authorizer:  "admin"}}}
	_ = tools // gw.Mount("/tools", tools): GET /tools/apis/pets/stages/prod/sdks/go is a zip
}
