package gatewaytest_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/gatekit/gatekit/gateway"
	"github.com/gatekit/gatekit/gateway/gatewaytest"
)

// A test builds the API as production does, swaps the backend for a
// recorder, sends requests without a socket, and reads what the backend
// would have received.
func Example() {
	api := &gateway.API{
		Name: "orders",
		Routes: []gateway.Route{
			{Key: "POST /orders/{id}", Integration: &gateway.HTTPProxy{URL: "https://orders.internal/{id}"}},
		},
	}
	rec := &gatewaytest.Recorder{Status: 202, Body: "queued"}
	if _, err := gatewaytest.Swap(api, "POST /orders/{id}", rec); err != nil {
		fmt.Println(err)
		return
	}
	clock := gatewaytest.NewClock(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	gw := gateway.New(gateway.WithClock(clock))
	defer gw.Close()
	if err := gw.Mount("/", api); err != nil {
		fmt.Println(err)
		return
	}

	resp, err := gatewaytest.Client(gw).Post("http://api.test/orders/17", "application/json", strings.NewReader(`{"qty":2}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(resp.StatusCode)
	for _, c := range rec.Calls() {
		fmt.Println(c.RouteKey, c.PathParams["id"], string(c.Body), c.SourceIP)
	}
	// Output:
	// 202
	// POST /orders/{id} 17 {"qty":2} 192.0.2.1
}
