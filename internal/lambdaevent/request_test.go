package lambdaevent

import (
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
)

// testInfo returns an Info for a GET /pets/{id} route on the $default
// stage, changed by each of edits.
func testInfo(edits ...func(*Info)) Info {
	in := Info{
		RequestID:      "req-1",
		APIID:          "abc123",
		Stage:          "$default",
		RouteKey:       "GET /pets/{id}",
		Resource:       "/pets/{id}",
		Path:           "/pets/a b",
		RawPath:        "/pets/a%20b",
		SourceIP:       "203.0.113.7",
		DomainName:     "api.example.com",
		Time:           time.Date(2020, 3, 12, 20, 3, 58, 123e6, time.FixedZone("CET", 3600)),
		PathParameters: map[string]string{"id": "a b"},
		ForwardedProto: "https",
		ForwardedPort:  "8443",
	}
	for _, edit := range edits {
		edit(&in)
	}
	return in
}

func namedStage(in *Info) {
	in.Stage = "prod"
	in.StagePath = "/prod/pets/a b"
}

func TestV2(t *testing.T) {
	tests := []struct {
		name string
		req  *http.Request
		in   Info
		got  func(e *events.APIGatewayV2HTTPRequest) any
		want any
	}{
		{
			name: "version",
			req:  newRequest(http.MethodGet, "/", "", ""),
			in:   testInfo(),
			got:  func(e *events.APIGatewayV2HTTPRequest) any { return e.Version },
			want: "2.0",
		},
		{
			name: "route key at top and in context",
			req:  newRequest(http.MethodGet, "/", "", ""),
			in:   testInfo(),
			got: func(e *events.APIGatewayV2HTTPRequest) any {
				return []string{e.RouteKey, e.RequestContext.RouteKey}
			},
			want: []string{"GET /pets/{id}", "GET /pets/{id}"},
		},
		{
			name: "default stage leaves paths alone",
			req:  newRequest(http.MethodGet, "/", "", ""),
			in:   testInfo(),
			got: func(e *events.APIGatewayV2HTTPRequest) any {
				return []string{e.RawPath, e.RequestContext.HTTP.Path, e.RequestContext.Stage}
			},
			want: []string{"/pets/a%20b", "/pets/a b", "$default"},
		},
		{
			name: "named stage prefixes raw and decoded paths",
			req:  newRequest(http.MethodGet, "/", "", ""),
			in:   testInfo(namedStage),
			got: func(e *events.APIGatewayV2HTTPRequest) any {
				return []string{e.RawPath, e.RequestContext.HTTP.Path, e.RequestContext.Stage}
			},
			want: []string{"/prod/pets/a%20b", "/prod/pets/a b", "prod"},
		},
		{
			name: "raw query string as received",
			req:  newRequest(http.MethodGet, "/pets?b=2&a=%2F&a=x+y&flag", "", ""),
			in:   testInfo(),
			got:  func(e *events.APIGatewayV2HTTPRequest) any { return e.RawQueryString },
			want: "b=2&a=%2F&a=x+y&flag",
		},
		{
			name: "query parameters decoded and repeats joined",
			req:  newRequest(http.MethodGet, "/pets?b=2&a=%2F&a=x+y&flag&&c=%zz&d=1;2", "", ""),
			in:   testInfo(),
			got:  func(e *events.APIGatewayV2HTTPRequest) any { return e.QueryStringParameters },
			want: map[string]string{"a": "/,x y", "b": "2", "flag": "", "c": "%zz", "d": "1;2"},
		},
		{
			name: "no query parameters is nil",
			req:  newRequest(http.MethodGet, "/pets?&&", "", ""),
			in:   testInfo(),
			got:  func(e *events.APIGatewayV2HTTPRequest) any { return e.QueryStringParameters },
			want: map[string]string(nil),
		},
		{
			name: "cookies split from every Cookie header",
			req:  newRequest(http.MethodGet, "/", "", "", "Cookie", "a=1; b=2", "Cookie", "c=3;d=4; "),
			in:   testInfo(),
			got:  func(e *events.APIGatewayV2HTTPRequest) any { return e.Cookies },
			want: []string{"a=1", "b=2", "c=3", "d=4"},
		},
		{
			name: "no Cookie header is nil cookies",
			req:  newRequest(http.MethodGet, "/", "", ""),
			in:   testInfo(),
			got:  func(e *events.APIGatewayV2HTTPRequest) any { return e.Cookies },
			want: []string(nil),
		},
		{
			name: "headers lower-case, repeats joined, cookie moved, service headers added",
			req: newRequest(http.MethodPost, "/", "hi", "api.example.com:8443",
				"Accept", "a/b",
				"X-Multi", "1",
				"X-Multi", "2, 3",
				"Cookie", "a=1",
				"Content-Type", "text/plain"),
			in:  testInfo(),
			got: func(e *events.APIGatewayV2HTTPRequest) any { return e.Headers },
			want: map[string]string{
				"accept":            "a/b",
				"x-multi":           "1,2, 3",
				"content-type":      "text/plain",
				"content-length":    "2",
				"host":              "api.example.com:8443",
				"x-forwarded-for":   "203.0.113.7",
				"x-forwarded-proto": "https",
				"x-forwarded-port":  "8443",
			},
		},
		{
			name: "client forwarding headers and content length replaced",
			req: newRequest(http.MethodGet, "/", "", "h",
				"X-Forwarded-For", "6.6.6.6",
				"X-Forwarded-Proto", "gopher",
				"X-Forwarded-Port", "1",
				"Content-Length", "99"),
			in:  testInfo(func(in *Info) { in.ForwardedProto, in.ForwardedPort = "", "" }),
			got: func(e *events.APIGatewayV2HTTPRequest) any { return e.Headers },
			want: map[string]string{
				"content-length":  "0",
				"host":            "h",
				"x-forwarded-for": "203.0.113.7",
			},
		},
		{
			name: "one name in two spellings is joined",
			req: func() *http.Request {
				r := newRequest(http.MethodGet, "/", "", "h", "X-A", "1")
				r.Header["x-a"] = []string{"2"}
				return r
			}(),
			in: testInfo(),
			got: func(e *events.APIGatewayV2HTTPRequest) any {
				v := e.Headers["x-a"]
				return v == "1,2" || v == "2,1"
			},
			want: true,
		},
		{
			name: "path parameters and stage variables copied",
			req:  newRequest(http.MethodGet, "/", "", ""),
			in:   testInfo(func(in *Info) { in.StageVariables = map[string]string{"env": "test"} }),
			got: func(e *events.APIGatewayV2HTTPRequest) any {
				return []map[string]string{e.PathParameters, e.StageVariables}
			},
			want: []map[string]string{{"id": "a b"}, {"env": "test"}},
		},
		{
			name: "empty path parameters and stage variables are nil",
			req:  newRequest(http.MethodGet, "/", "", ""),
			in: testInfo(func(in *Info) {
				in.PathParameters = map[string]string{}
				in.StageVariables = nil
			}),
			got: func(e *events.APIGatewayV2HTTPRequest) any {
				return []map[string]string{e.PathParameters, e.StageVariables}
			},
			want: []map[string]string{nil, nil},
		},
		{
			name: "request context",
			req: newRequest(http.MethodPut, "/", "", "",
				"User-Agent", "curl/8.0"),
			in: testInfo(),
			got: func(e *events.APIGatewayV2HTTPRequest) any {
				return e.RequestContext
			},
			want: events.APIGatewayV2HTTPRequestContext{
				RouteKey:     "GET /pets/{id}",
				Stage:        "$default",
				RequestID:    "req-1",
				APIID:        "abc123",
				DomainName:   "api.example.com",
				DomainPrefix: "api",
				Time:         "12/Mar/2020:19:03:58 +0000",
				TimeEpoch:    1584039838123,
				HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{
					Method:    http.MethodPut,
					Path:      "/pets/a b",
					Protocol:  "HTTP/1.1",
					SourceIP:  "203.0.113.7",
					UserAgent: "curl/8.0",
				},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := V2(tt.req, readBody(t, tt.req), &tt.in)
			if got := tt.got(&e); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %#v, want %#v", got, tt.want)
			}
		})
	}
}

func TestV1(t *testing.T) {
	tests := []struct {
		name string
		req  *http.Request
		in   Info
		got  func(e *events.APIGatewayProxyRequest) any
		want any
	}{
		{
			name: "resource, path and method",
			req:  newRequest(http.MethodDelete, "/", "", ""),
			in:   testInfo(namedStage),
			got: func(e *events.APIGatewayProxyRequest) any {
				return []string{e.Resource, e.Path, e.HTTPMethod}
			},
			want: []string{"/pets/{id}", "/pets/a b", http.MethodDelete},
		},
		{
			name: "headers keep the last value, multi-value headers all",
			req: newRequest(http.MethodGet, "/", "", "h",
				"Accept", "a/b",
				"X-Multi", "1",
				"X-Multi", "2, 3",
				"Cookie", "a=1",
				"X-Forwarded-For", "6.6.6.6"),
			in: testInfo(),
			got: func(e *events.APIGatewayProxyRequest) any {
				return []any{e.Headers, e.MultiValueHeaders}
			},
			want: []any{
				map[string]string{
					"Accept":            "a/b",
					"X-Multi":           "2, 3",
					"Cookie":            "a=1",
					"Host":              "h",
					"X-Forwarded-For":   "203.0.113.7",
					"X-Forwarded-Proto": "https",
					"X-Forwarded-Port":  "8443",
				},
				map[string][]string{
					"Accept":            {"a/b"},
					"X-Multi":           {"1", "2, 3"},
					"Cookie":            {"a=1"},
					"Host":              {"h"},
					"X-Forwarded-For":   {"203.0.113.7"},
					"X-Forwarded-Proto": {"https"},
					"X-Forwarded-Port":  {"8443"},
				},
			},
		},
		{
			name: "appending to one header's values leaves the next alone",
			req:  newRequest(http.MethodGet, "/", "", "h", "A", "1", "B", "2"),
			in:   testInfo(),
			got: func(e *events.APIGatewayProxyRequest) any {
				for name := range e.MultiValueHeaders {
					e.MultiValueHeaders[name] = append(e.MultiValueHeaders[name], "extra")
				}
				return []string{e.MultiValueHeaders["A"][0], e.MultiValueHeaders["B"][0], e.MultiValueHeaders["Host"][0]}
			},
			want: []string{"1", "2", "h"},
		},
		{
			name: "query parameters keep the last value, multi-value all",
			req:  newRequest(http.MethodGet, "/pets?a=1&b=x+y&a=%2F&flag", "", ""),
			in:   testInfo(),
			got: func(e *events.APIGatewayProxyRequest) any {
				return []any{e.QueryStringParameters, e.MultiValueQueryStringParameters}
			},
			want: []any{
				map[string]string{"a": "/", "b": "x y", "flag": ""},
				map[string][]string{"a": {"1", "/"}, "b": {"x y"}, "flag": {""}},
			},
		},
		{
			name: "no query, path parameters or stage variables are null",
			req:  newRequest(http.MethodGet, "/pets", "", ""),
			in:   testInfo(func(in *Info) { in.PathParameters = nil }),
			got: func(e *events.APIGatewayProxyRequest) any {
				return []any{e.QueryStringParameters, e.MultiValueQueryStringParameters, e.PathParameters, e.StageVariables}
			},
			want: []any{map[string]string(nil), map[string][]string(nil), map[string]string(nil), map[string]string(nil)},
		},
		{
			name: "request context on a named stage",
			req: newRequest(http.MethodPost, "/", "", "",
				"User-Agent", "curl/8.0"),
			in: testInfo(namedStage, func(in *Info) { in.APIKey, in.APIKeyID = "key", "key-id" }),
			got: func(e *events.APIGatewayProxyRequest) any {
				return e.RequestContext
			},
			want: events.APIGatewayProxyRequestContext{
				ResourceID:        resourceID("abc123", "/pets/{id}"),
				Stage:             "prod",
				DomainName:        "api.example.com",
				DomainPrefix:      "api",
				RequestID:         "req-1",
				ExtendedRequestID: "req-1",
				Protocol:          "HTTP/1.1",
				Identity: events.APIGatewayRequestIdentity{
					APIKey:    "key",
					APIKeyID:  "key-id",
					SourceIP:  "203.0.113.7",
					UserAgent: "curl/8.0",
				},
				ResourcePath:     "/pets/{id}",
				Path:             "/prod/pets/a b",
				HTTPMethod:       http.MethodPost,
				RequestTime:      "12/Mar/2020:19:03:58 +0000",
				RequestTimeEpoch: 1584039838123,
				APIID:            "abc123",
			},
		},
		{
			name: "stage path defaults to path",
			req:  newRequest(http.MethodGet, "/", "", ""),
			in:   testInfo(),
			got:  func(e *events.APIGatewayProxyRequest) any { return e.RequestContext.Path },
			want: "/pets/a b",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := V1(tt.req, readBody(t, tt.req), &tt.in)
			if got := tt.got(&e); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %#v, want %#v", got, tt.want)
			}
		})
	}
}

func TestEventsOwnTheirMaps(t *testing.T) {
	tests := []struct {
		name  string
		build func(r *http.Request, in *Info) (path, stage map[string]string)
	}{
		{
			name: "2.0",
			build: func(r *http.Request, in *Info) (map[string]string, map[string]string) {
				e := V2(r, nil, in)
				return e.PathParameters, e.StageVariables
			},
		},
		{
			name: "1.0",
			build: func(r *http.Request, in *Info) (map[string]string, map[string]string) {
				e := V1(r, nil, in)
				return e.PathParameters, e.StageVariables
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := testInfo(func(in *Info) { in.StageVariables = map[string]string{"env": "test"} })
			path, stage := tt.build(newRequest(http.MethodGet, "/", "", ""), &in)
			path["id"], stage["env"] = "changed", "changed"
			if in.PathParameters["id"] != "a b" || in.StageVariables["env"] != "test" {
				t.Errorf("the event shares its maps with Info: %v %v", in.PathParameters, in.StageVariables)
			}
		})
	}
}

func TestResourceID(t *testing.T) {
	tests := []struct {
		name       string
		api1, res1 string
		api2, res2 string
		wantSameID bool
	}{
		{name: "same resource", api1: "a", res1: "/pets", api2: "a", res2: "/pets", wantSameID: true},
		{name: "other resource", api1: "a", res1: "/pets", api2: "a", res2: "/pets/{id}"},
		{name: "other API", api1: "a", res1: "/pets", api2: "b", res2: "/pets"},
		{name: "boundary between API and resource", api1: "ab", res1: "c", api2: "a", res2: "bc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id1, id2 := resourceID(tt.api1, tt.res1), resourceID(tt.api2, tt.res2)
			if len(id1) != 6 {
				t.Errorf("id %q is not six characters", id1)
			}
			if (id1 == id2) != tt.wantSameID {
				t.Errorf("ids %q and %q: same = %v, want %v", id1, id2, id1 == id2, tt.wantSameID)
			}
		})
	}
}

func TestAuthorizerContext(t *testing.T) {
	r := httptest.NewRequest("GET", "/pets", nil)
	jwtInfo := &Info{Time: time.Unix(0, 0), Authorizer: &Authorizer{Kind: "jwt", Principal: "alice",
		Claims: map[string]any{"sub": "alice", "n": 3, "groups": []string{"a", "b"}}, Scopes: []string{"read"}}}
	v2 := V2(r, nil, jwtInfo)
	if j := v2.RequestContext.Authorizer.JWT; j == nil || j.Claims["sub"] != "alice" || j.Claims["n"] != "3" || j.Claims["groups"] != `["a","b"]` || j.Scopes[0] != "read" {
		t.Errorf("2.0 jwt %+v", v2.RequestContext.Authorizer)
	}
	v1 := V1(r, nil, jwtInfo)
	if c, ok := v1.RequestContext.Authorizer["claims"].(map[string]any); !ok || c["sub"] != "alice" || v1.RequestContext.Authorizer["principalId"] != "alice" {
		t.Errorf("1.0 jwt %+v", v1.RequestContext.Authorizer)
	}
	custom := &Info{Time: time.Unix(0, 0), Authorizer: &Authorizer{Kind: "custom", Principal: "bob", Context: map[string]any{"tier": "gold"}}}
	if l := V2(r, nil, custom).RequestContext.Authorizer.Lambda; l["tier"] != "gold" {
		t.Errorf("2.0 lambda %+v", l)
	}
	if a := V1(r, nil, custom).RequestContext.Authorizer; a["tier"] != "gold" || a["principalId"] != "bob" {
		t.Errorf("1.0 custom %+v", a)
	}
	sig := &Info{Time: time.Unix(0, 0), Authorizer: &Authorizer{Kind: "sigv4", Principal: "ops", AccessKey: "AKID"}}
	if iam := V2(r, nil, sig).RequestContext.Authorizer.IAM; iam == nil || iam.AccessKey != "AKID" || iam.UserARN != "ops" {
		t.Errorf("2.0 iam %+v", iam)
	}
	if id := V1(r, nil, sig).RequestContext.Identity; id.AccessKey != "AKID" || id.UserArn != "ops" {
		t.Errorf("1.0 identity %+v", id)
	}
	if V2(r, nil, &Info{}).RequestContext.Authorizer != nil || V1(r, nil, &Info{}).RequestContext.Authorizer != nil {
		t.Error("an authorizer context without an authorizer")
	}
}
