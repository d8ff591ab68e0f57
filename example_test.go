package gatekit_test

import (
	"context"
	"fmt"
	"io"

	"github.com/aws/aws-lambda-go/events"

	"github.com/gatekit/gatekit/gateway"
	"github.com/gatekit/gatekit/gateway/gatewaytest"
)

func getPet(_ context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	return events.APIGatewayV2HTTPResponse{StatusCode: 200, Body: "pet " + req.PathParameters["id"]}, nil
}

// The quick start of the package documentation, served without a socket.
func Example() {
	gw := gateway.New()
	defer gw.Close()
	err := gw.Mount("/", &gateway.API{
		Name: "pets",
		Routes: []gateway.Route{
			{Key: "GET /pets/{id}", Integration: gateway.Function(getPet)},
			{Key: "ANY /legacy/{proxy+}", Integration: &gateway.HTTPProxy{URL: "http://127.0.0.1:9000/{proxy}"}},
			{Key: "GET /health", Integration: &gateway.Mock{Body: "ok"}},
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	client := gatewaytest.Client(gw)
	for _, path := range []string{"/pets/7", "/health", "/nope"} {
		resp, err := client.Get("http://api.test" + path)
		if err != nil {
			fmt.Println(err)
			return
		}
		body, _ := io.ReadAll(resp.Body)
		fmt.Println(resp.StatusCode, string(body))
	}
	// Output:
	// 200 pet 7
	// 200 ok
	// 404 {"message":"Not Found"}
}
