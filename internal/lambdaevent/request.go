package lambdaevent

import (
	"iter"
	"maps"
	"net/http"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"
)

const (
	// timeLayout is the service's format for requestContext time and
	// requestTime, always written in UTC: "12/Mar/2020:19:03:58 +0000".
	timeLayout = "02/Jan/2006:15:04:05 -0700"
	// defaultStage is the stage served at the root of the API.
	defaultStage = "$default"
	// addedHeaders is how many headers V2 and V1 add to the client's:
	// Host, Content-Length and the three X-Forwarded-* headers.
	addedHeaders = 5
)

// V2 builds the payload format 2.0 event for r, as an HTTP API passes it to
// a Lambda function. body is r's body, already read; r.Body is not used.
//
// Header names are lower-case and repeated headers are joined with ",".
// Cookie headers become the cookies list and are left out of headers.
// Client-sent X-Forwarded-* and Content-Length headers are replaced by the
// ones the service adds, built from in and len(body). A named stage
// prefixes rawPath and requestContext.http.path, as the service does.
func V2(r *http.Request, body []byte, in *Info) events.APIGatewayV2HTTPRequest {
	text, isBase64 := encodeBody(r.Header.Get("Content-Type"), body)
	headers, cookies := v2Headers(r, len(body), in)
	return events.APIGatewayV2HTTPRequest{
		Version:               "2.0",
		RouteKey:              in.RouteKey,
		RawPath:               stagePrefix(in.Stage) + in.RawPath,
		RawQueryString:        r.URL.RawQuery,
		Cookies:               cookies,
		Headers:               headers,
		QueryStringParameters: joinedQuery(r.URL.RawQuery),
		PathParameters:        cloneParams(in.PathParameters),
		StageVariables:        cloneParams(in.StageVariables),
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			RouteKey:     in.RouteKey,
			Stage:        in.Stage,
			RequestID:    in.RequestID,
			APIID:        in.APIID,
			DomainName:   in.DomainName,
			DomainPrefix: domainPrefix(in.DomainName),
			Time:         formatTime(in.Time),
			TimeEpoch:    in.Time.UnixMilli(),
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{
				Method:    r.Method,
				Path:      in.stagePath(),
				Protocol:  r.Proto,
				SourceIP:  in.SourceIP,
				UserAgent: r.UserAgent(),
			},
			Authorizer: in.Authorizer.v2(),
		},
		Body:            text,
		IsBase64Encoded: isBase64,
	}
}

// V1 builds the payload format 1.0 event for r, as a REST API's Lambda proxy
// integration passes it to a function. body is r's body, already read;
// r.Body is not used.
//
// Header names are kept as r has them. headers holds the last value of each
// header and multiValueHeaders all of them; the query string is split the
// same way. Client-sent X-Forwarded-* headers are replaced by the ones the
// service adds, built from in.
func V1(r *http.Request, body []byte, in *Info) events.APIGatewayProxyRequest {
	text, isBase64 := encodeBody(r.Header.Get("Content-Type"), body)
	headers, multiHeaders := v1Headers(r, in)
	query, multiQuery := splitQuery(r.URL.RawQuery)
	return events.APIGatewayProxyRequest{
		Resource:                        in.Resource,
		Path:                            in.Path,
		HTTPMethod:                      r.Method,
		Headers:                         headers,
		MultiValueHeaders:               multiHeaders,
		QueryStringParameters:           query,
		MultiValueQueryStringParameters: multiQuery,
		PathParameters:                  cloneParams(in.PathParameters),
		StageVariables:                  cloneParams(in.StageVariables),
		RequestContext: events.APIGatewayProxyRequestContext{
			ResourceID:        resourceID(in.APIID, in.Resource),
			Stage:             in.Stage,
			DomainName:        in.DomainName,
			DomainPrefix:      domainPrefix(in.DomainName),
			RequestID:         in.RequestID,
			ExtendedRequestID: in.RequestID,
			Protocol:          r.Proto,
			Identity: events.APIGatewayRequestIdentity{
				APIKey:    in.APIKey,
				APIKeyID:  in.APIKeyID,
				SourceIP:  in.SourceIP,
				UserAgent: r.UserAgent(),
				AccessKey: in.Authorizer.accessKey(),
				UserArn:   in.Authorizer.sigv4Principal(),
			},
			Authorizer:       in.Authorizer.v1(),
			ResourcePath:     in.Resource,
			Path:             in.stagePath(),
			HTTPMethod:       r.Method,
			RequestTime:      formatTime(in.Time),
			RequestTimeEpoch: in.Time.UnixMilli(),
			APIID:            in.APIID,
		},
		Body:            text,
		IsBase64Encoded: isBase64,
	}
}

// v2Headers returns r's headers in the 2.0 form, with the headers the
// service adds, and the cookies taken from its Cookie headers.
func v2Headers(r *http.Request, bodyLen int, in *Info) (map[string]string, []string) {
	headers := make(map[string]string, len(r.Header)+addedHeaders)
	var cookies []string
	for name, values := range r.Header {
		switch canonical := textproto.CanonicalMIMEHeaderKey(name); {
		case canonical == "Cookie":
			cookies = appendCookies(cookies, values)
			continue
		case canonical == "Content-Length", replacedHeader(canonical), len(values) == 0:
			continue
		}
		key, value := strings.ToLower(name), strings.Join(values, ",")
		if prev, ok := headers[key]; ok {
			// r has the same name in two spellings, such as "X-A" and "x-a".
			value = prev + "," + value
		}
		headers[key] = value
	}
	for name, value := range addedHeaderValues(r, in) {
		headers[strings.ToLower(name)] = value
	}
	headers["content-length"] = strconv.Itoa(bodyLen)
	return headers, cookies
}

// v1Headers returns r's headers in the 1.0 form, with the headers the
// service adds: the last value of each, and all of them.
func v1Headers(r *http.Request, in *Info) (map[string]string, map[string][]string) {
	n := addedHeaders
	for _, values := range r.Header {
		n += len(values)
	}
	// One backing array holds every value; each header gets a slice of it
	// capped at its own length, so appending to one cannot overwrite the next.
	all := make([]string, 0, n)
	single := make(map[string]string, len(r.Header)+addedHeaders)
	multi := make(map[string][]string, len(r.Header)+addedHeaders)
	add := func(name string, values ...string) {
		start := len(all)
		all = append(all, values...)
		single[name] = values[len(values)-1]
		multi[name] = all[start:len(all):len(all)]
	}
	for name, values := range r.Header {
		if !replacedHeader(textproto.CanonicalMIMEHeaderKey(name)) && len(values) > 0 {
			add(name, values...)
		}
	}
	for name, value := range addedHeaderValues(r, in) {
		add(name, value)
	}
	return single, multi
}

// replacedHeader reports whether the header with the canonical name is one
// the client may not set because the service adds its own.
func replacedHeader(canonical string) bool {
	switch canonical {
	case "Host", "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Port":
		return true
	}
	return false
}

// addedHeaderValues yields the headers the service adds to the client's,
// in canonical form, leaving out those with no value.
func addedHeaderValues(r *http.Request, in *Info) iter.Seq2[string, string] {
	return func(yield func(string, string) bool) {
		for _, h := range [...]struct{ name, value string }{
			{"Host", r.Host},
			{"X-Forwarded-For", in.SourceIP},
			{"X-Forwarded-Proto", in.ForwardedProto},
			{"X-Forwarded-Port", in.ForwardedPort},
		} {
			if h.value != "" && !yield(h.name, h.value) {
				return
			}
		}
	}
}

// appendCookies appends the cookies in the Cookie header values to dst.
// Browsers separate cookies with "; "; a missing space is tolerated.
func appendCookies(dst []string, values []string) []string {
	for _, value := range values {
		for cookie := range strings.SplitSeq(value, ";") {
			if cookie = strings.TrimSpace(cookie); cookie != "" {
				dst = append(dst, cookie)
			}
		}
	}
	return dst
}

// cloneParams copies a parameter map for an event, or returns nil when it
// is empty, as the service leaves out (2.0) or nulls (1.0) empty maps.
func cloneParams(params map[string]string) map[string]string {
	if len(params) == 0 {
		return nil
	}
	return maps.Clone(params)
}

// stagePrefix is what a stage adds in front of the path: nothing for the
// $default stage, "/name" for a named one.
func stagePrefix(stage string) string {
	if stage == "" || stage == defaultStage {
		return ""
	}
	return "/" + url.PathEscape(stage)
}

// domainPrefix is the first label of a domain name.
func domainPrefix(domain string) string {
	prefix, _, _ := strings.Cut(domain, ".")
	return prefix
}

// formatTime formats t in the service's request time format, in UTC.
func formatTime(t time.Time) string {
	return t.UTC().Format(timeLayout)
}

// resourceID derives a stable six-character id for a resource of an API,
// shaped like the service's ("roq9wj"). Like the service's, it names the
// resource, so every method on one path shares it. It hashes with 64-bit
// FNV-1a, inline so that nothing is allocated but the result.
func resourceID(apiID, resource string) string {
	const (
		offset = 14695981039346656037
		prime  = 1099511628211
		digits = "0123456789abcdefghijklmnopqrstuvwxyz"
	)
	h := uint64(offset)
	for _, s := range [...]string{apiID, "\x00", resource} {
		for i := range len(s) {
			h ^= uint64(s[i])
			h *= prime
		}
	}
	var id [6]byte
	for i := range id {
		id[i] = digits[h%uint64(len(digits))]
		h /= uint64(len(digits))
	}
	return string(id[:])
}
