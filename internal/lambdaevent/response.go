package lambdaevent

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-lambda-go/events"
)

// ErrMalformedResponse is wrapped by every error that a function's output
// causes. The write functions return it before calling WriteHeader or
// Write, so the caller can still answer 502, as the service does with
// "Malformed Lambda proxy response".
var ErrMalformedResponse = errors.New("lambdaevent: malformed Lambda proxy response")

// WriteV2 writes a payload format 2.0 response to w.
//
// A zero StatusCode means 200, as the service infers it. Headers and
// MultiValueHeaders are merged as [WriteV1] does, and each of Cookies
// becomes a Set-Cookie header. When no Content-Type is given none is sent:
// net/http's sniffing is turned off.
//
// It returns an error wrapping [ErrMalformedResponse], having written
// nothing, when the status is not 200–599, a header name is not a valid
// token, a header value or cookie holds a control character (such as CR
// or LF), or a base64 body does not decode. Any other error comes from w
// after the header was sent.
func WriteV2(w http.ResponseWriter, resp *events.APIGatewayV2HTTPResponse) error {
	status := resp.StatusCode
	if status == 0 {
		status = http.StatusOK
	}
	header, err := responseHeader(resp.Headers, resp.MultiValueHeaders)
	if err != nil {
		return err
	}
	for _, cookie := range resp.Cookies {
		if !validHeaderValue(cookie) {
			return fmt.Errorf("%w: cookie %q holds a control character", ErrMalformedResponse, cookieName(cookie))
		}
		header["Set-Cookie"] = append(header["Set-Cookie"], cookie)
	}
	return write(w, status, header, resp.Body, resp.IsBase64Encoded, "")
}

// WriteV1 writes a payload format 1.0 (REST Lambda proxy) response to w.
//
// Headers and MultiValueHeaders are merged: a header's MultiValueHeaders
// values come first, then its Headers value unless it is already one of
// them, following the service's rule that a name and value given in both
// appears once. Names are matched without regard to case. When no
// Content-Type is given, "application/json" is sent, as the service does.
//
// It fails as [WriteV2] does, and also when StatusCode is 0: the service
// requires a status code.
func WriteV1(w http.ResponseWriter, resp *events.APIGatewayProxyResponse) error {
	header, err := responseHeader(resp.Headers, resp.MultiValueHeaders)
	if err != nil {
		return err
	}
	return write(w, resp.StatusCode, header, resp.Body, resp.IsBase64Encoded, "application/json")
}

// WriteRawV2 writes the raw JSON output of a payload format 2.0 function to
// w, as the service reads it. A JSON object with a "statusCode" key is a
// response object, written by [WriteV2]. Any other JSON value is the body
// of a 200 response with Content-Type application/json, written as is.
//
// It fails as [WriteV2] does, and also when raw is not valid JSON or the
// response object does not decode.
func WriteRawV2(w http.ResponseWriter, raw []byte) error {
	if !json.Valid(raw) {
		return fmt.Errorf("%w: output is not valid JSON", ErrMalformedResponse)
	}
	if !isResponseObject(raw) {
		header := http.Header{"Content-Type": {"application/json"}}
		return write(w, http.StatusOK, header, string(raw), false, "")
	}
	var resp events.APIGatewayV2HTTPResponse
	if err := json.Unmarshal(raw, &resp); err != nil {
		return fmt.Errorf("%w: %w", ErrMalformedResponse, err)
	}
	return WriteV2(w, &resp)
}

// isResponseObject reports whether valid JSON is an object with a
// "statusCode" key, spelt exactly so.
func isResponseObject(raw []byte) bool {
	var object map[string]json.RawMessage
	if json.Unmarshal(raw, &object) != nil {
		return false
	}
	_, ok := object["statusCode"]
	return ok
}

// write checks status and decodes body, then writes the response to w.
// Headers in header replace any of the same name already on w. If header
// has no Content-Type, defaultType is sent, or none when it is empty.
func write(w http.ResponseWriter, status int, header http.Header, body string, isBase64 bool, defaultType string) error {
	switch {
	case status == 0:
		return fmt.Errorf("%w: statusCode is missing", ErrMalformedResponse)
	case status < 200 || status > 599:
		// A 1xx is informational: net/http would send it and then a 200.
		return fmt.Errorf("%w: statusCode %d is not a final HTTP status (200-599)", ErrMalformedResponse, status)
	}
	if isBase64 {
		decoded, err := base64.StdEncoding.DecodeString(body)
		if err != nil {
			return fmt.Errorf("%w: isBase64Encoded is true but the body is not base64: %w", ErrMalformedResponse, err)
		}
		body = string(decoded)
	}
	dst := w.Header()
	maps.Copy(dst, header)
	if _, ok := header["Content-Type"]; !ok {
		if defaultType != "" {
			dst["Content-Type"] = []string{defaultType}
		} else {
			dst["Content-Type"] = nil // Stops net/http from sniffing one.
		}
	}
	hasBody := status != http.StatusNoContent && status != http.StatusNotModified
	if hasBody {
		dst["Content-Length"] = []string{strconv.Itoa(len(body))}
	}
	w.WriteHeader(status)
	if !hasBody || body == "" {
		return nil
	}
	if _, err := io.WriteString(w, body); err != nil {
		return fmt.Errorf("lambdaevent: writing response body: %w", err)
	}
	return nil
}

// responseHeader merges a response's single- and multi-value headers, as
// described at [WriteV1], checking every name and value. Keys are taken in
// sorted order so that names differing only in case merge the same way
// every time. Headers that describe the connection or the framing are
// dropped: the gateway sets those itself.
func responseHeader(single map[string]string, multi map[string][]string) (http.Header, error) {
	header := make(http.Header, len(single)+len(multi))
	for _, name := range slices.Sorted(maps.Keys(multi)) {
		for _, value := range multi[name] {
			if err := checkHeader(name, value); err != nil {
				return nil, err
			}
			if key := http.CanonicalHeaderKey(name); !framingHeader(key) {
				header[key] = append(header[key], value)
			}
		}
	}
	for _, name := range slices.Sorted(maps.Keys(single)) {
		value := single[name]
		if err := checkHeader(name, value); err != nil {
			return nil, err
		}
		if key := http.CanonicalHeaderKey(name); !framingHeader(key) && !slices.Contains(header[key], value) {
			header[key] = append(header[key], value)
		}
	}
	return header, nil
}

// framingHeader reports whether a response header, by canonical name,
// is one the gateway must set itself because it describes the connection
// or the body's framing: a wrong Content-Length or Transfer-Encoding from
// a function would corrupt the response.
func framingHeader(canonical string) bool {
	switch canonical {
	case "Connection", "Content-Length", "Keep-Alive", "Proxy-Connection", "Te", "Trailer", "Transfer-Encoding", "Upgrade":
		return true
	}
	return false
}

// checkHeader returns an error if name is not a valid header name or value
// holds a control character.
func checkHeader(name, value string) error {
	if !validHeaderName(name) {
		return fmt.Errorf("%w: header name %q is not a valid HTTP token", ErrMalformedResponse, name)
	}
	if !validHeaderValue(value) {
		return fmt.Errorf("%w: header %q value holds a control character", ErrMalformedResponse, name)
	}
	return nil
}

// validHeaderName reports whether name is a non-empty RFC 9110 token.
func validHeaderName(name string) bool {
	if name == "" {
		return false
	}
	for i := range len(name) {
		c := name[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0) {
			return false
		}
	}
	return true
}

// validHeaderValue reports whether value is free of control characters
// other than horizontal tab. CR and LF would let a function add headers or
// split the response; NUL and the rest are refused by many clients.
func validHeaderValue(value string) bool {
	for i := range len(value) {
		if c := value[i]; c < ' ' && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}

// cookieName is the name part of a Set-Cookie value, for error messages
// that should not repeat a cookie's value.
func cookieName(cookie string) string {
	name, _, _ := strings.Cut(cookie, "=")
	return name
}
