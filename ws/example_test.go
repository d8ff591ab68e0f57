package ws_test

import (
	"context"
	"log"
	"net/http"

	"github.com/aws/aws-lambda-go/events"

	"github.com/gatekit/gatekit/gateway"
	"github.com/gatekit/gatekit/ws"
)

// A WebSocket API whose "sendmessage" route answers the sender, mounted
// on a gateway route so that $connect goes through the route's
// authorizer, and its connections API mounted apart.
func Example() {
	echo := ws.Function(func(_ context.Context, ev events.APIGatewayWebsocketProxyRequest) (events.APIGatewayProxyResponse, error) {
		return events.APIGatewayProxyResponse{StatusCode: 200, Body: "you said: " + ev.Body}, nil
	})
	srv, err := ws.New(&ws.API{
		RouteSelectionExpression: "$request.body.action",
		Routes:                   []ws.Route{{Key: "sendmessage", Integration: echo, TwoWay: true}},
	}, ws.Options{})
	if err != nil {
		log.Fatal(err) // configuration mistakes are reported here
	}
	defer srv.Close() // 1001 to every client, and $disconnect

	gw := gateway.New()
	defer gw.Close()
	err = gw.Mount("/", &gateway.API{Name: "chat", Routes: []gateway.Route{
		{Key: "GET /chat", Integration: gateway.Handler(srv)}, // add Authorizer: "jwt" to protect $connect
	}})
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/", gw)
	// In production, behind an authorizer: see ConnectionsHandler.
	mux.Handle("/admin/@connections/", srv.ConnectionsHandler())
	_ = mux // http.ListenAndServe("127.0.0.1:8080", mux)
	// Output:
}
