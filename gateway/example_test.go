package gateway_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/aws/aws-lambda-go/events"

	"github.com/gatekit/gatekit/gateway"
	"github.com/gatekit/gatekit/gateway/gatewaytest"
)

func ExampleGateway_Mount() {
	gw := gateway.New()
	defer gw.Close()
	err := gw.Mount("/v1", &gateway.API{
		Name: "pets",
		Routes: []gateway.Route{
			{Key: "GET /pets/{id}", Integration: gateway.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				fmt.Fprintf(w, "pet %s via %s", r.PathValue("id"), gateway.RouteKey(r.Context()))
			}))},
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, path := range []string{"/v1/pets/7", "/v1/owners"} {
		rec := httptest.NewRecorder()
		gw.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		fmt.Println(rec.Code, rec.Body.String())
	}
	// Output:
	// 200 pet 7 via GET /pets/{id}
	// 404 {"message":"Not Found"}
}

func ExampleGateway_Mount_configurationError() {
	err := gateway.New().Mount("/", &gateway.API{
		Name:   "pets",
		Routes: []gateway.Route{{Key: "GET /files/{path+}/raw", Integration: &gateway.Mock{}}},
	})
	fmt.Println(err)
	// Output:
	// gateway: API "pets": Routes[0]: route: "GET /files/{path+}/raw": greedy parameter "{path+}" must be the last segment
}

func ExampleFunction() {
	// An ordinary Lambda handler for an HTTP API (payload 2.0).
	getPet := func(_ context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		return events.APIGatewayV2HTTPResponse{
			StatusCode: 200,
			Headers:    map[string]string{"Content-Type": "application/json"},
			Body:       fmt.Sprintf(`{"id":%q}`, req.PathParameters["id"]),
		}, nil
	}
	gw := gateway.New()
	defer gw.Close()
	if err := gw.Mount("/", &gateway.API{Routes: []gateway.Route{{Key: "GET /pets/{id}", Integration: gateway.Function(getPet)}}}); err != nil {
		fmt.Println(err)
		return
	}
	resp, err := gatewaytest.Client(gw).Get("http://api.example.com/pets/42")
	if err != nil {
		fmt.Println(err)
		return
	}
	body, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.StatusCode, string(body))
	// Output:
	// 200 {"id":"42"}
}

func ExampleHTTPProxy() {
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "backend got %s", r.URL.RequestURI())
	}))
	defer backend.Close()

	gw := gateway.New()
	defer gw.Close()
	err := gw.Mount("/", &gateway.API{Routes: []gateway.Route{
		{Key: "ANY /legacy/{proxy+}", Integration: &gateway.HTTPProxy{URL: backend.URL + "/api/{proxy}"}},
	}})
	if err != nil {
		fmt.Println(err)
		return
	}
	resp, err := gatewaytest.Client(gw).Get("http://gw.test/legacy/orders/9?full=1")
	if err != nil {
		fmt.Println(err)
		return
	}
	body, _ := io.ReadAll(resp.Body)
	fmt.Println(string(body))
	// Output:
	// backend got /api/orders/9?full=1
}
