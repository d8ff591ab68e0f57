package openapi_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gatekit/gatekit/sdkgen/openapi"
)

// shared is where the project's shared test documents are.
var shared = filepath.Join("..", "..", "..", "shared", "testdata", "openapi")

func TestLoad(t *testing.T) {
	for _, tt := range []struct {
		file  string
		paths int
	}{
		{"petstore-swagger.json", 3},
		{"petstore-authorizer.swagger.json", 3},
		{"openapi.spec.stage-variables.json", 1},
	} {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(shared, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			doc, err := openapi.Load(data)
			if err != nil {
				t.Fatal(err)
			}
			if doc.Paths.Len() != tt.paths {
				t.Errorf("%d paths %v, want %d", doc.Paths.Len(), doc.Paths.InMatchingOrder(), tt.paths)
			}
		})
	}
}

func TestLoadErrors(t *testing.T) {
	for _, tt := range []struct{ name, doc, want string }{
		{"not a document", `[1, 2`, "does not load"},
		{"no version", `{"info": {}}`, `neither "openapi: 3.0.x" nor "swagger: 2.0"`},
		{"swagger 1.2", `{"swagger": "1.2"}`, `swagger "1.2": only Swagger 2.0 and OpenAPI 3.0`},
		{"unresolved ref", `{"openapi":"3.0.3","info":{"title":"x","version":"1"},"paths":{"/a":{"get":{"responses":{"200":{"description":"ok","content":{"application/json":{"schema":{"$ref":"#/components/schemas/Nope"}}}}}}}}}`, "#/components/schemas/Nope"},
		{"swagger unresolved ref", `{"swagger":"2.0","info":{"title":"x","version":"1"},"paths":{"/a":{"get":{"responses":{"200":{"description":"ok","schema":{"$ref":"#/definitions/Nope"}}}}}}}`, "Nope"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := openapi.Load([]byte(tt.doc))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Load: %v, want an error with %q", err, tt.want)
			}
		})
	}
}
