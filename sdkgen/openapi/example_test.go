package openapi_test

import (
	"fmt"
	"log"
	"strings"

	"github.com/gatekit/gatekit/gateway"
	"github.com/gatekit/gatekit/sdkgen/openapi"
)

// A stage's contract as OpenAPI 3.0 YAML.
func ExampleExport() {
	gw := gateway.New()
	defer gw.Close()
	err := gw.Mount("/", &gateway.API{Name: "pets", Routes: []gateway.Route{
		{Key: "GET /pets/{id}", OperationName: "getPet", Summary: "Returns a pet.", Integration: &gateway.Mock{Body: `{"id":1}`},
			RequestParameters: []gateway.Parameter{{In: "path", Name: "id", Required: true, Type: "integer"}}},
	}})
	if err != nil {
		log.Fatal(err)
	}
	doc, err := openapi.Export(gw, "pets", "$default", openapi.ExportOptions{ServerURL: "https://api.example.com"})
	if err != nil {
		log.Fatal(err)
	}
	y, err := openapi.MarshalYAML(doc)
	if err != nil {
		log.Fatal(err)
	}
	_, paths, _ := strings.Cut(string(y), "paths:\n")
	fmt.Print("paths:\n" + paths)
	// Output:
	// paths:
	//   /pets/{id}:
	//     get:
	//       operationId: getPet
	//       parameters:
	//         - in: path
	//           name: id
	//           required: true
	//           schema:
	//             type: integer
	//       responses:
	//         "200":
	//           content:
	//             application/json:
	//               schema: {}
	//           description: Success
	//         default:
	//           content:
	//             application/json:
	//               schema:
	//                 $ref: '#/components/schemas/Error'
	//           description: 'An error: the gateway''s, or the integration''s'
	//       summary: Returns a pet.
	// servers:
	//   - url: https://api.example.com/
}

// An OpenAPI document as a gatekit API: the integrations it names by
// function are registered by the caller.
func ExampleImport() {
	doc := `openapi: 3.0.3
info: {title: orders, version: "1"}
paths:
  /orders/{id}:
    get:
      operationId: getOrder
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        "200": {description: an order}
      x-amazon-apigateway-integration:
        type: aws_proxy
        httpMethod: POST
        uri: arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:GetOrder/invocations
        payloadFormatVersion: "2.0"
`
	im, err := openapi.Import([]byte(doc), openapi.ImportOptions{})
	if err != nil {
		log.Fatal(err)
	}
	gw := gateway.New()
	defer gw.Close()
	for _, name := range im.Functions {
		_ = gw.RegisterFunction(name, &gateway.Mock{Body: `{"id":"42"}`}) // your Go function here
	}
	if err := im.Register(gw, "/"); err != nil { // then gw.Deploy and gw.PutStage, as for any API
		log.Fatal(err)
	}
	fmt.Println(im.API.Name, im.API.Version, im.Functions, len(im.Warnings), "warnings")
	for _, rt := range im.API.Routes {
		fmt.Println(rt.Key, rt.OperationName)
	}
	// Output:
	// orders 1 [GetOrder] 0 warnings
	// GET /orders/{id} getOrder
}
