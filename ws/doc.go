// Package ws serves WebSocket APIs with the managed API gateway's model,
// on github.com/gorilla/websocket: real-time two-way APIs such as chat
// rooms and live dashboards.
//
// # Routes
//
// An [API] has a route selection expression ("$request.body.action", or
// another path into a JSON message) and routes: [RouteConnect] runs
// before a connection is accepted and may refuse it; [RouteDisconnect]
// runs after it closed; custom keys ("sendmessage") get the messages whose
// expression names them, and [RouteDefault] the rest — messages that are
// not JSON, binary messages (delivered base64-encoded, isBase64Encoded),
// and unknown keys. Without $default, such a message gets the managed
// service's error message on the socket ({"message":"Forbidden",
// "connectionId":…}); the connection stays open.
//
// # Integrations
//
// [Function] runs a Lambda-style function with aws-lambda-go's
// events.APIGatewayWebsocketProxyRequest: connection id, route key, event
// type (CONNECT, MESSAGE, DISCONNECT), message id, connected-at, domain
// name, stage, request id, identity, authorizer and body. [Handler] wraps
// an http.Handler and [HTTPBackend] POSTs each message to a URL. On a
// TwoWay route, the integration's response goes back to the client.
//
// # Mounting and authorization
//
// A [Server] is the integration of a gateway route: mount it with
// gateway.Handler on "GET /" (or any GET route) of a gateway API, so that
// $connect gets everything a gateway route has — the route's authorizer
// (JWT from a header or a query parameter, custom REQUEST authorizers,
// SigV4), API keys and usage plans, throttling, stages. A refused caller
// gets the HTTP status before any upgrade, and the identity established
// on $connect reaches every later message's payload.
//
// # The connections API
//
// [Server.Post], [Server.Get] and [Server.Delete] act on a connection by
// id, from Go; [Server.ConnectionsHandler] serves them over HTTP as the
// managed service's POST, GET and DELETE /@connections/{connectionId}.
// Mount that handler where it is protected (a gateway route with a SigV4
// or other authorizer), never on the public API. A connection that is
// not open is [ErrGone] (410 Gone).
//
// # Several instances
//
// With a shared [Store] and [Bus] (package ws/redisws), each instance
// records the connections it holds; Post and Delete for a connection held
// by another instance travel to it over the Bus (Redis pub/sub).
//
// # Limits
//
// [Limits] has the managed service's defaults — 128 KB messages (a larger
// one closes the connection with 1009), a 10-minute idle timeout and a
// 2-hour maximum duration (both close with 1001) — plus what it lacks:
// protocol pings every 30 seconds (a client that does not answer is
// disconnected), a bounded send queue per connection (a client too slow
// to read is closed with 1008 rather than buffered for without bound),
// and a write timeout. gorilla/websocket assembles a message's frames
// itself, so the message limit, not a frame limit, bounds what a client
// can make the server hold. [API].AllowedOrigins guards against
// cross-site WebSocket hijacking; by default only pages of the host
// itself may connect.
//
// # Metrics
//
// A Server records OpenTelemetry metrics through Options.MeterProvider (by
// default the global one), named like the managed service's WebSocket
// metrics under "gatekit.": ConnectCount, MessageCount (received, route
// responses and connections-API posts), IntegrationError (an integration
// answered a non-2xx status), ExecutionError (an integration failed),
// ClientError (refused handshakes and $connect, unrouted messages) and
// IntegrationLatency (ms), by ApiName, Stage and Route.
//
// # Shutdown
//
// [Server.Shutdown] sends every client a close frame (1001, going away)
// and runs each connection's $disconnect, within its context's deadline.
// http.Server.Shutdown does not wait for hijacked connections: call the
// ws Server's Shutdown too.
package ws
