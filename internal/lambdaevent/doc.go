// Package lambdaevent converts between HTTP and the proxy payloads that API
// Gateway passes to Lambda functions, so that a Lambda handler written for
// the managed service runs unchanged as an in-process gatekit integration.
//
// [V2] and [V1] build the request events of payload formats 2.0 (HTTP APIs)
// and 1.0 (REST APIs, and HTTP APIs that choose it) from an *http.Request
// and an [Info] holding what the gateway knows beyond the request. [WriteV2],
// [WriteRawV2] and [WriteV1] write the function's response to an
// http.ResponseWriter.
//
// # Payload 2.0
//
// Header names are lower-case; repeated headers and repeated query
// parameters are joined with ",". Cookie headers are split into the
// cookies list and left out of headers. queryStringParameters,
// pathParameters and stageVariables are nil, and so left out, when empty.
// A named stage appears in rawPath and requestContext.http.path, as it
// does in the service ("/prod/pets/1"); the $default stage does not.
//
// # Payload 1.0
//
// Header names are kept as the *http.Request has them, which for a
// server request is Go's canonical form ("Cache-Control"). headers and
// queryStringParameters hold the last value of each name;
// multiValueHeaders and multiValueQueryStringParameters hold them all.
// path is relative to the stage and requestContext.path includes it, as
// in a REST API. An HTTP API using payload 1.0 puts a named stage in path
// too; a caller serving such an API should set [Info].Path to the
// stage path.
//
// # Headers the service adds
//
// Both formats carry Host and the X-Forwarded-For, X-Forwarded-Proto and
// X-Forwarded-Port headers, taken from the request's Host and from [Info],
// never from what the client sent. Payload 2.0 also carries the body's
// Content-Length, as the service always sends it, even as "0".
//
// # Bodies
//
// An empty body is "" with isBase64Encoded false. A body is passed as
// text when it is valid UTF-8 and its Content-Type is a text type (see
// [IsText]) or absent; any other body is base64 (standard encoding, with
// padding) with isBase64Encoded true. The same rule serves both formats:
// gatekit has no binaryMediaTypes setting, so a REST API passes binary
// bodies as a REST API configured for them would.
//
// # Responses
//
// A response body with isBase64Encoded is decoded before it is written.
// Content-Length is computed by the gateway, and headers that describe
// the connection (Connection, Transfer-Encoding and the like) are dropped,
// so a function cannot corrupt the framing. Headers already on the
// http.ResponseWriter are kept unless the response sets the same name.
// Responses with status 204 or 304 are written without a body.
//
// # Errors
//
// A function's output that the service would reject as malformed gives an
// error wrapping [ErrMalformedResponse], returned before anything is
// written, so the caller can answer 502 itself. A function cannot inject
// headers: a control character in any header value, or a name that is not
// a token, is such an error.
//
// # Concurrency
//
// Every function is safe for concurrent use. The events own their maps and
// slices; they share only strings with the request and the [Info].
package lambdaevent
