package openapi

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/gatekit/gatekit/auth"
)

// FuzzImport checks that Import never panics, and that what it returns
// is either an error or an API whose every route has an integration.
func FuzzImport(f *testing.F) {
	for _, pattern := range []string{sharedDocs + "*.json", "testdata/import/*.yaml"} {
		files, _ := filepath.Glob(pattern)
		for _, name := range files {
			data, err := os.ReadFile(name)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
	f.Add([]byte(`{"openapi":"3.0.0","info":{"title":"t","version":"1"},"paths":{"/{a}":{"x-amazon-apigateway-any-method":{"x-amazon-apigateway-integration":{"type":"http_proxy","uri":"http://h/{b}"}}}}}`))
	opts := ImportOptions{Authorizers: map[string]*auth.Custom{"function-name": {Token: func(context.Context, events.APIGatewayCustomAuthorizerRequest) (events.APIGatewayCustomAuthorizerResponse, error) {
		return events.APIGatewayCustomAuthorizerResponse{}, nil
	}}}}
	f.Fuzz(func(t *testing.T, data []byte) {
		im, err := Import(data, opts)
		if err != nil {
			return
		}
		for _, rt := range im.API.Routes {
			if rt.Integration == nil {
				t.Fatalf("route %q has no integration", rt.Key)
			}
		}
	})
}
