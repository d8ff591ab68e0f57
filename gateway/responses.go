package gateway

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// ResponseType names a kind of refusal the gateway makes itself, with the
// managed service's names. Each type has a default status and message; an
// [API] may override its status, headers and body with [API.Responses].
type ResponseType string

// The gateway response types. DEFAULT_4XX and DEFAULT_5XX are fallbacks: an
// override for one of them applies to every 4xx (or 5xx) type that has no
// override of its own.
const (
	AccessDenied                 ResponseType = "ACCESS_DENIED"
	APIConfigurationError        ResponseType = "API_CONFIGURATION_ERROR"
	AuthorizerConfigurationError ResponseType = "AUTHORIZER_CONFIGURATION_ERROR"
	AuthorizerFailure            ResponseType = "AUTHORIZER_FAILURE"
	BadRequestParameters         ResponseType = "BAD_REQUEST_PARAMETERS"
	BadRequestBody               ResponseType = "BAD_REQUEST_BODY"
	ExpiredToken                 ResponseType = "EXPIRED_TOKEN"
	IntegrationFailure           ResponseType = "INTEGRATION_FAILURE"
	IntegrationTimeout           ResponseType = "INTEGRATION_TIMEOUT"
	InvalidAPIKey                ResponseType = "INVALID_API_KEY"
	InvalidSignature             ResponseType = "INVALID_SIGNATURE"
	MissingAuthenticationToken   ResponseType = "MISSING_AUTHENTICATION_TOKEN"
	QuotaExceeded                ResponseType = "QUOTA_EXCEEDED"
	RequestTooLarge              ResponseType = "REQUEST_TOO_LARGE"
	ResourceNotFound             ResponseType = "RESOURCE_NOT_FOUND"
	Throttled                    ResponseType = "THROTTLED"
	Unauthorized                 ResponseType = "UNAUTHORIZED"
	UnsupportedMediaType         ResponseType = "UNSUPPORTED_MEDIA_TYPE"
	Default4XX                   ResponseType = "DEFAULT_4XX"
	Default5XX                   ResponseType = "DEFAULT_5XX"
)

// responseDefault is a response type's built-in status and message.
type responseDefault struct {
	status  int
	message string
}

var responseDefaults = map[ResponseType]responseDefault{
	AccessDenied:                 {http.StatusForbidden, "Forbidden"},
	APIConfigurationError:        {http.StatusInternalServerError, "Internal server error"},
	AuthorizerConfigurationError: {http.StatusInternalServerError, "Internal server error"},
	AuthorizerFailure:            {http.StatusInternalServerError, "Internal server error"},
	BadRequestParameters:         {http.StatusBadRequest, "Bad request parameters"},
	BadRequestBody:               {http.StatusBadRequest, "Invalid request body"},
	ExpiredToken:                 {http.StatusForbidden, "The security token included in the request is expired"},
	IntegrationFailure:           {http.StatusGatewayTimeout, "Internal server error"},
	IntegrationTimeout:           {http.StatusGatewayTimeout, "Endpoint request timed out"},
	InvalidAPIKey:                {http.StatusForbidden, "Forbidden"},
	InvalidSignature:             {http.StatusForbidden, "Invalid request signature"},
	MissingAuthenticationToken:   {http.StatusForbidden, "Missing Authentication Token"},
	QuotaExceeded:                {http.StatusTooManyRequests, "Limit Exceeded"},
	RequestTooLarge:              {http.StatusRequestEntityTooLarge, "Request Too Long"},
	ResourceNotFound:             {http.StatusNotFound, "Not Found"},
	Throttled:                    {http.StatusTooManyRequests, "Too Many Requests"},
	Unauthorized:                 {http.StatusUnauthorized, "Unauthorized"},
	UnsupportedMediaType:         {http.StatusUnsupportedMediaType, "Unsupported Media Type"},
	Default4XX:                   {http.StatusBadRequest, "Bad Request"},
	Default5XX:                   {http.StatusInternalServerError, "Internal server error"},
}

// DefaultStatus returns the status the gateway answers with for t when the
// API does not override it, or 0 for an unknown type.
func (t ResponseType) DefaultStatus() int { return responseDefaults[t].status }

// Error is a refusal by the gateway. Integrations and middleware return or
// write it (see [WriteError]) to answer with the API's gateway response of
// that type.
type Error struct {
	// Type selects the gateway response. If empty, DEFAULT_5XX.
	Type ResponseType
	// Status, if non-zero, replaces the type's default status (an override in
	// API.Responses still wins).
	Status int
	// Message, if non-empty, replaces the type's default message. It is sent
	// to the client: never put internal details here.
	Message string
	// Err is the cause. It is logged, never sent to the client.
	Err error
}

// Error describes the refusal and its cause, for logs.
func (e *Error) Error() string {
	msg := e.message()
	if e.Err != nil {
		return fmt.Sprintf("gateway: %s: %s: %v", e.typ(), msg, e.Err)
	}
	return fmt.Sprintf("gateway: %s: %s", e.typ(), msg)
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

func (e *Error) typ() ResponseType {
	if e.Type == "" {
		return Default5XX
	}
	return e.Type
}

func (e *Error) message() string {
	if e.Message != "" {
		return e.Message
	}
	return responseDefaults[e.typ()].message
}

func (e *Error) status() int {
	if e.Status != 0 {
		return e.Status
	}
	return responseDefaults[e.typ()].status
}

// Sentinel outcomes that callers may branch on with errors.Is.
var (
	// ErrNoRoute is the cause of the gateway response for a request that
	// matches no route of its API, or no API at all.
	ErrNoRoute = errors.New("gateway: no route")
)

// Response overrides a gateway response of an API. Zero fields keep the
// default.
type Response struct {
	// Status replaces the response type's status code. If zero, the default.
	Status int
	// Header holds headers added to the response.
	Header http.Header
	// Body is a template for the body. It may use $context.error.message
	// (the message text), $context.error.messageString (the message as a
	// quoted JSON string), $context.error.responseType and
	// $context.requestId. If empty, {"message":$context.error.messageString}.
	// The Content-Type is application/json unless Header sets one.
	Body string
}

// responseSet is an API's compiled gateway responses.
type responseSet struct {
	byType map[ResponseType]*compiledResponse
}

type compiledResponse struct {
	status int
	header http.Header
	body   []bodyPart
}

// bodyPart is a literal or, when v is not empty, a $context variable.
type bodyPart struct {
	lit string
	v   string
}

var defaultBody = []bodyPart{{lit: `{"message":`}, {v: "$context.error.messageString"}, {lit: "}"}}

// bodyVars are the variables a response body template may use.
var bodyVars = map[string]bool{
	"$context.error.message":       true,
	"$context.error.messageString": true,
	"$context.error.responseType":  true,
	"$context.requestId":           true,
}

func compileResponses(m map[ResponseType]Response) (*responseSet, error) {
	rs := &responseSet{byType: make(map[ResponseType]*compiledResponse, len(m))}
	var errs []error
	for t, r := range m {
		if _, ok := responseDefaults[t]; !ok {
			errs = append(errs, fmt.Errorf("gateway: Responses: unknown response type %q", t))
			continue
		}
		if r.Status != 0 && (r.Status < 100 || r.Status > 599) {
			errs = append(errs, fmt.Errorf("gateway: Responses[%s]: status %d is outside 100-599", t, r.Status))
		}
		for k, vs := range r.Header {
			for _, v := range vs {
				if strings.ContainsAny(v, "\r\n") || !validHeaderName(k) {
					errs = append(errs, fmt.Errorf("gateway: Responses[%s]: invalid header %q", t, k))
				}
			}
		}
		body, err := compileBody(r.Body)
		if err != nil {
			errs = append(errs, fmt.Errorf("gateway: Responses[%s]: %w", t, err))
		}
		rs.byType[t] = &compiledResponse{status: r.Status, header: r.Header.Clone(), body: body}
	}
	return rs, errors.Join(errs...)
}

func compileBody(s string) ([]bodyPart, error) {
	if s == "" {
		return defaultBody, nil
	}
	var parts []bodyPart
	for s != "" {
		i := strings.Index(s, "$context.")
		if i < 0 {
			parts = append(parts, bodyPart{lit: s})
			break
		}
		if i > 0 {
			parts = append(parts, bodyPart{lit: s[:i]})
		}
		j := i + len("$context.")
		for j < len(s) && (isAlnum(s[j]) || s[j] == '.' || s[j] == '_') {
			j++
		}
		name := strings.TrimRight(s[i:j], ".")
		if !bodyVars[name] {
			return nil, fmt.Errorf("unknown variable %q in body template", name)
		}
		parts = append(parts, bodyPart{v: name})
		s = s[i+len(name):]
	}
	return parts, nil
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

func validHeaderName(k string) bool {
	if k == "" {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !isAlnum(c) && !strings.ContainsRune("!#$%&'*+-.^_`|~", rune(c)) {
			return false
		}
	}
	return true
}

// lookup returns the override for t: its own, else the DEFAULT_4XX or
// DEFAULT_5XX one for its status class, else nil.
func (rs *responseSet) lookup(t ResponseType, status int) *compiledResponse {
	if rs == nil {
		return nil
	}
	if c := rs.byType[t]; c != nil {
		return c
	}
	if status >= 500 {
		return rs.byType[Default5XX]
	}
	return rs.byType[Default4XX]
}

// write sends the gateway response for e. requestID fills
// $context.requestId.
func (rs *responseSet) write(w http.ResponseWriter, e *Error, requestID string) {
	t := e.typ()
	status := e.status()
	parts := defaultBody
	h := w.Header()
	if c := rs.lookup(t, status); c != nil {
		if c.status != 0 {
			status = c.status
		}
		for k, vs := range c.header {
			h[k] = append([]string(nil), vs...)
		}
		parts = c.body
	}
	if _, ok := h["Content-Type"]; !ok {
		h["Content-Type"] = []string{"application/json"}
	}
	h.Del("Content-Length")
	var b strings.Builder
	msg := e.message()
	for _, p := range parts {
		switch p.v {
		case "":
			b.WriteString(p.lit)
		case "$context.error.message":
			b.WriteString(msg)
		case "$context.error.messageString":
			q, _ := json.Marshal(msg) // a string always marshals
			b.Write(q)
		case "$context.error.responseType":
			b.WriteString(string(t))
		case "$context.requestId":
			b.WriteString(requestID)
		}
	}
	h["Content-Length"] = []string{strconv.Itoa(b.Len())}
	w.WriteHeader(status)
	_, _ = w.Write([]byte(b.String()))
}
