package gateway

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime/debug"

	"github.com/aws/aws-lambda-go/events"

	"github.com/gatekit/gatekit/internal/lambdaevent"
	"github.com/gatekit/gatekit/internal/urlpath"
)

// Function returns an integration that calls fn in process with the
// managed service's proxy payload, so existing Lambda handlers run
// unchanged. The payload version follows fn's request type:
//
//   - events.APIGatewayV2HTTPRequest: payload 2.0 (HTTP APIs only). fn
//     returns events.APIGatewayV2HTTPResponse, or any other value, which is
//     marshaled to JSON and answered as the service answers a bare JSON
//     value: a 200 application/json response (unless the JSON is an object
//     with a statusCode, which is then read as the response).
//   - events.APIGatewayProxyRequest: payload 1.0 (REST and HTTP APIs). fn
//     returns events.APIGatewayProxyResponse.
//
// Any other pair of types makes the mount fail. fn runs with the route's
// timeout as its context's deadline; past it the client gets 504
// INTEGRATION_TIMEOUT even if fn does not return. An error returned by fn,
// a panic, or a malformed response gets 502 {"message":"Internal Server
// Error"}; the cause (with the stack for a panic) is logged, never sent.
func Function[Req, Resp any](fn func(context.Context, Req) (Resp, error)) Integration {
	return function[Req, Resp]{fn: fn}
}

type function[Req, Resp any] struct {
	fn func(context.Context, Req) (Resp, error)
}

func (f function[Req, Resp]) Bind(b *Binding) (http.Handler, error) {
	if f.fn == nil {
		return nil, errors.New("Function: nil function")
	}
	var (
		req  Req
		resp Resp
	)
	switch any(&req).(type) {
	case *events.APIGatewayV2HTTPRequest:
		if b.Kind == REST {
			return nil, errors.New("Function: REST APIs send payload 1.0: the function must take events.APIGatewayProxyRequest")
		}
		if _, ok := any(resp).(events.APIGatewayProxyResponse); ok {
			return nil, errors.New("Function: a payload 2.0 function returns events.APIGatewayV2HTTPResponse, not events.APIGatewayProxyResponse")
		}
	case *events.APIGatewayProxyRequest:
		if _, ok := any(resp).(events.APIGatewayProxyResponse); !ok {
			return nil, fmt.Errorf("Function: a payload 1.0 function returns events.APIGatewayProxyResponse, not %T", resp)
		}
	default:
		return nil, fmt.Errorf("Function: the function must take events.APIGatewayV2HTTPRequest (payload 2.0) or events.APIGatewayProxyRequest (payload 1.0), not %T", req)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, s, ok := readBody(w, r)
		if !ok {
			return
		}
		var req Req
		switch p := any(&req).(type) {
		case *events.APIGatewayV2HTTPRequest:
			*p = lambdaevent.V2(r, body, s.eventInfo(r))
		case *events.APIGatewayProxyRequest:
			*p = lambdaevent.V1(r, body, s.eventInfo(r))
		}
		resp, ok := invoke(b, w, r, func(ctx context.Context) (Resp, error) { return f.fn(ctx, req) })
		if !ok {
			return
		}
		var err error
		switch p := any(&resp).(type) {
		case *events.APIGatewayV2HTTPResponse:
			err = lambdaevent.WriteV2(w, p)
		case *events.APIGatewayProxyResponse:
			err = lambdaevent.WriteV1(w, p)
		default:
			var raw []byte
			if raw, err = json.Marshal(resp); err == nil {
				err = lambdaevent.WriteRawV2(w, raw)
			}
		}
		if err != nil {
			failFunction(w, r, fmt.Errorf("malformed function response: %w", err))
		}
	}), nil
}

// Invoker is a function that takes and returns raw JSON: the Invoke method
// of aws-lambda-go's lambda.Handler, so lambda.NewHandler(fn) is an Invoker.
type Invoker interface {
	Invoke(ctx context.Context, payload []byte) ([]byte, error)
}

// Lambda is an integration that calls a raw-JSON function in process, as
// the managed service calls a Lambda function: the proxy payload is
// marshaled to JSON, and the JSON the function returns is read as the
// service reads it (for payload 2.0 a bare JSON value is a 200 JSON
// response). Timeouts, errors and panics are handled as by [Function].
type Lambda struct {
	// Handler is the function. Required.
	Handler Invoker
	// PayloadVersion is "2.0" or "1.0". If empty, "2.0" for HTTP APIs and
	// "1.0" for REST APIs, which accept only "1.0".
	PayloadVersion string
}

// Bind checks the payload version against the API kind.
func (l *Lambda) Bind(b *Binding) (http.Handler, error) {
	if l.Handler == nil {
		return nil, errors.New("Lambda: nil Handler")
	}
	v2 := b.Kind == HTTP
	switch l.PayloadVersion {
	case "":
	case "1.0":
		v2 = false
	case "2.0":
		if b.Kind == REST {
			return nil, errors.New(`Lambda: REST APIs send payload "1.0", not "2.0"`)
		}
	default:
		return nil, fmt.Errorf(`Lambda: PayloadVersion %q is neither "1.0" nor "2.0"`, l.PayloadVersion)
	}
	h := l.Handler
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, s, ok := readBody(w, r)
		if !ok {
			return
		}
		var payload []byte
		var err error
		if v2 {
			payload, err = json.Marshal(lambdaevent.V2(r, body, s.eventInfo(r)))
		} else {
			payload, err = json.Marshal(lambdaevent.V1(r, body, s.eventInfo(r)))
		}
		if err != nil {
			failFunction(w, r, err)
			return
		}
		out, ok := invoke(b, w, r, func(ctx context.Context) ([]byte, error) { return h.Invoke(ctx, payload) })
		if !ok {
			return
		}
		if v2 {
			err = lambdaevent.WriteRawV2(w, out)
		} else {
			var resp events.APIGatewayProxyResponse
			if err = json.Unmarshal(out, &resp); err == nil {
				err = lambdaevent.WriteV1(w, &resp)
			}
		}
		if err != nil {
			failFunction(w, r, fmt.Errorf("malformed function response: %w", err))
		}
	}), nil
}

// readBody reads the request body whole (a function gets it in the
// payload), answering the request itself when that fails.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, *reqState, bool) {
	s := stateFrom(r.Context())
	body, err := io.ReadAll(r.Body)
	if err != nil {
		writeBodyError(w, r, err)
		return nil, nil, false
	}
	return body, s, true
}

// fail answers 502 for a function that failed, and logs why.
func failFunction(w http.ResponseWriter, r *http.Request, err error) {
	WriteError(w, r, &Error{Type: IntegrationFailure, Status: http.StatusBadGateway, Message: "Internal Server Error", Err: err})
}

type result[T any] struct {
	v   T
	err error
}

// invoke runs call under the route's timeout. call runs in its own
// goroutine so that a function ignoring its context cannot hold the
// request past the deadline; that goroutine ends when call returns. It
// reports false after answering the request itself.
func invoke[T any](b *Binding, w http.ResponseWriter, r *http.Request, call func(context.Context) (T, error)) (T, bool) {
	ctx, cancel := context.WithTimeout(r.Context(), b.Timeout)
	defer cancel()
	done := make(chan result[T], 1)
	go func() {
		var res result[T]
		defer func() {
			if p := recover(); p != nil {
				res.err = fmt.Errorf("function panicked: %v\n%s", p, debug.Stack())
			}
			done <- res
		}()
		res.v, res.err = call(ctx)
	}()
	var zero T
	select {
	case res := <-done:
		if res.err != nil {
			failFunction(w, r, res.err)
			return zero, false
		}
		return res.v, true
	case <-ctx.Done():
		WriteError(w, r, &Error{Type: IntegrationTimeout, Err: fmt.Errorf("function did not return within %v: %w", b.Timeout, context.Cause(ctx))})
		return zero, false
	}
}

// eventInfo is what a function payload needs beyond the *http.Request.
func (s *reqState) eventInfo(r *http.Request) *lambdaevent.Info {
	path := urlpath.Unescape(s.path)
	host, port, err := net.SplitHostPort(s.host(r))
	if err != nil {
		host, port = s.host(r), "80"
		if s.https {
			port = "443"
		}
	}
	stagePath := path
	if name := s.stageName(); name != "$default" {
		stagePath = "/" + name + path
	}
	apiKey, apiKeyID, authorizer := s.authorizerInfo()
	return &lambdaevent.Info{
		RequestID:      s.requestID(),
		APIID:          s.dep.name,
		Stage:          s.stageName(),
		RouteKey:       s.route.key,
		Resource:       s.route.resource,
		Path:           path,
		RawPath:        s.path,
		StagePath:      stagePath,
		SourceIP:       s.sourceIP,
		DomainName:     host,
		Time:           s.time(),
		PathParameters: s.pathParams(),
		StageVariables: s.vars,
		ForwardedProto: s.proto(),
		ForwardedPort:  port,
		APIKey:         apiKey,
		APIKeyID:       apiKeyID,
		Authorizer:     authorizer,
	}
}
