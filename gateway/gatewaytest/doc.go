// Package gatewaytest helps test APIs built with package gateway in
// process, without a socket.
//
// # Sending requests
//
// [Client] returns an *http.Client whose requests are served by a
// gateway (or any http.Handler) in the calling goroutine, so tests use
// ordinary client code and need no listener. [Do] serves one request.
//
// # Replacing integrations
//
// [Recorder] is an integration that records every request it gets and
// answers with a fixed response. [Swap] puts one (or any integration) in
// place of a route's integration before the API is mounted, so a test can
// check what a backend would have received.
//
// # Controlling time
//
// [Clock] is a fake clock; pass it to gateway.New with gateway.WithClock
// and set or advance it from the test.
package gatewaytest
