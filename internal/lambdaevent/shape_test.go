package lambdaevent

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// samples is the shared copy of aws-lambda-go's events/testdata.
const samples = "../../../shared/testdata/aws-lambda-go-events"

// Reasons shared by several samples for keys or values gatekit does not
// reproduce.
const (
	noAccount    = "gatekit has no AWS account; accountId is always empty"
	noClientCert = "mTLS client certificate: not produced by this package"
	noIAMCaller  = "IAM or Cognito caller identity: not produced by this package"
	synthTime    = "synthetic sample: time says 12 Mar but timeEpoch is 4 Mar, and it lacks the space before +0000; ours agrees with timeEpoch"
)

// shapeCase is a sample event and a request that mirrors it.
type shapeCase struct {
	name   string
	sample string            // file name in samples
	req    *http.Request     // mirrors the sample's method, path, query, headers and body
	info   Info              // mirrors the sample's requestContext
	skip   map[string]string // sample paths not produced by this package, with the reason
	differ map[string]string // sample paths produced with another value, with the reason
}

func TestV2MatchesSamples(t *testing.T) {
	tests := []shapeCase{
		{
			name:   "no authorizer (captured from the service)",
			sample: "apigw-v2-request-no-authorizer.json",
			req: newRequest(http.MethodGet, "/", "", "aaaaaaaaaa.execute-api.us-west-2.amazonaws.com",
				"Accept", "*/*",
				"User-Agent", "curl/7.58.0"),
			info: Info{
				RequestID:      "LV7fzho-PHcEJPw=",
				APIID:          "aaaaaaaaaa",
				Stage:          "$default",
				RouteKey:       "$default",
				Resource:       "$default",
				Path:           "/",
				RawPath:        "/",
				SourceIP:       "1.2.3.4",
				DomainName:     "aaaaaaaaaa.execute-api.us-west-2.amazonaws.com",
				Time:           time.UnixMilli(1587481701067),
				ForwardedProto: "https",
				ForwardedPort:  "443",
			},
			skip: map[string]string{
				"headers.x-amzn-trace-id":       "X-Ray trace header added by the service; gatekit does not trace",
				"requestContext.authentication": noClientCert,
			},
			differ: map[string]string{
				"requestContext.accountId": noAccount,
			},
		},
		{
			name:   "IAM authorizer, with cookies, query and body",
			sample: "apigw-v2-request-iam.json",
			req: newRequest(http.MethodGet, "/my/path?parameter1=value1&parameter1=value2&parameter2=value", "{\r\n\t\"a\": 1\r\n}", "",
				"Cookie", "cookie1; cookie2",
				"Header1", "value1",
				"Header2", "value2",
				"User-Agent", "agent"),
			info: Info{
				RequestID:      "id",
				APIID:          "api-id",
				Stage:          "$default",
				RouteKey:       "$default",
				Path:           "/my/path",
				RawPath:        "/my/path",
				SourceIP:       "IP",
				DomainName:     "id.execute-api.us-east-1.amazonaws.com",
				Time:           time.UnixMilli(1583348638390),
				PathParameters: map[string]string{"proxy": "hello/world"},
				StageVariables: map[string]string{"stageVariable1": "value1", "stageVariable2": "value2"},
			},
			skip: map[string]string{
				"requestContext.authorizer":     "IAM authorizer output: not produced by this package",
				"requestContext.authentication": noClientCert,
			},
			differ: map[string]string{
				"requestContext.accountId": noAccount,
				"requestContext.time":      synthTime,
			},
		},
		{
			name:   "function URL, with a repeated header",
			sample: "lambda-urls-request.json",
			req: newRequest(http.MethodPost, "/my/path?parameter1=value1&parameter1=value2&parameter2=value", "Hello from client!", "",
				"Cookie", "cookie1",
				"Cookie", "cookie2",
				"Header1", "value1",
				"Header2", "value1",
				"Header2", "value2",
				"User-Agent", "agent"),
			info: Info{
				RequestID:  "id",
				APIID:      "<urlid>",
				Path:       "/my/path",
				RawPath:    "/my/path",
				SourceIP:   "123.123.123.123",
				DomainName: "<url-id>.lambda-url.us-west-2.on.aws",
				Time:       time.UnixMilli(1583348638390),
			},
			skip: map[string]string{
				"requestContext.authorizer": "IAM authorizer output: not produced by this package",
			},
			differ: map[string]string{
				"requestContext.accountId": noAccount,
				"requestContext.time":      synthTime,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			compareWithSample(t, &tt, V2(tt.req, readBody(t, tt.req), &tt.info))
		})
	}
}

func TestV1MatchesSamples(t *testing.T) {
	tests := []shapeCase{
		{
			name:   "REST proxy request",
			sample: "apigw-request.json",
			req: newRequest(http.MethodPost, "/hello/world?name=me", "{\r\n\t\"a\": 1\r\n}", "gy415nuibc.execute-api.us-east-1.amazonaws.com",
				"Accept", "*/*",
				"Accept-Encoding", "gzip, deflate",
				"cache-control", "no-cache",
				"CloudFront-Forwarded-Proto", "https",
				"CloudFront-Is-Desktop-Viewer", "true",
				"CloudFront-Is-Mobile-Viewer", "false",
				"CloudFront-Is-SmartTV-Viewer", "false",
				"CloudFront-Is-Tablet-Viewer", "false",
				"CloudFront-Viewer-Country", "US",
				"Content-Type", "application/json",
				"headerName", "headerValue",
				"Postman-Token", "9f583ef0-ed83-4a38-aef3-eb9ce3f7a57f",
				"User-Agent", "PostmanRuntime/2.4.5",
				"Via", "1.1 d98420743a69852491bbdea73f7680bd.cloudfront.net (CloudFront)",
				"X-Amz-Cf-Id", "pn-PWIJc6thYnZm5P0NMgOUglL1DYtl0gdeJky8tqsg8iS_sgsKD1A=="),
			info: Info{
				RequestID:      "deef4878-7910-11e6-8f14-25afc3e9ae33",
				APIID:          "gy415nuibc",
				Stage:          "testStage",
				RouteKey:       "POST /{proxy+}",
				Resource:       "/{proxy+}",
				Path:           "/hello/world",
				RawPath:        "/hello/world",
				StagePath:      "/hello/world", // as in the sample, which was not sent to the stage's URL
				SourceIP:       "192.168.196.186",
				DomainName:     "gy415nuibc.execute-api.us-east-2.amazonaws.com",
				Time:           time.UnixMilli(1589522469693),
				PathParameters: map[string]string{"proxy": "hello/world"},
				StageVariables: map[string]string{"stageVariableName": "stageVariableValue"},
				ForwardedProto: "https",
				ForwardedPort:  "443",
				APIKey:         "theApiKey",
				APIKeyID:       "theApiKeyId",
			},
			skip: map[string]string{
				"requestContext.authorizer":                             "Lambda authorizer context: not produced by this package",
				"requestContext.identity.accessKey":                     noIAMCaller,
				"requestContext.identity.accountId":                     noIAMCaller,
				"requestContext.identity.caller":                        noIAMCaller,
				"requestContext.identity.cognitoAuthenticationProvider": noIAMCaller,
				"requestContext.identity.cognitoAuthenticationType":     noIAMCaller,
				"requestContext.identity.cognitoIdentityId":             noIAMCaller,
				"requestContext.identity.cognitoIdentityPoolId":         noIAMCaller,
				"requestContext.identity.user":                          noIAMCaller,
				"requestContext.identity.userArn":                       noIAMCaller,
				"requestContext.identity.clientCert":                    noClientCert,
			},
			differ: map[string]string{
				"requestContext.accountId":          noAccount,
				"requestContext.resourceId":         "gatekit derives its own id from the API and resource",
				"requestContext.extendedRequestId":  "gatekit has one request id and uses it for both",
				"requestContext.domainPrefix":       "the sample's prefix is not a label of its domainName; ours is the first label",
				"headers.x-forwarded-for":           "the sample's list includes a CloudFront hop; gatekit sends the source IP alone",
				"multiValueHeaders.x-forwarded-for": "the sample's list includes a CloudFront hop; gatekit sends the source IP alone",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			compareWithSample(t, &tt, V1(tt.req, readBody(t, tt.req), &tt.info))
		})
	}
}

// newRequest returns a server-side request, as net/http would hand it to
// the gateway: Host moved out of the headers, names canonical. An empty
// host keeps httptest's "example.com". headers are name, value pairs;
// repeating a name adds a value.
func newRequest(method, target, body, host string, headers ...string) *http.Request {
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, target, r)
	if host != "" {
		req.Host = host
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Add(headers[i], headers[i+1])
	}
	return req
}

// readBody reads r's body, as the gateway does before building an event.
func readBody(t testing.TB, r *http.Request) []byte {
	t.Helper()
	b, err := io.ReadAll(r.Body)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// compareWithSample checks that every key of the sample is in event with
// the same JSON type, and the same value, except the paths tt lists.
func compareWithSample(t *testing.T, tt *shapeCase, event any) {
	t.Helper()
	want := decodeJSON(t, readSample(t, tt.sample))
	encoded, err := json.Marshal(event)
	if err != nil {
		t.Fatal(err)
	}
	got := decodeJSON(t, encoded)
	c := shapeComparer{t: t, skip: tt.skip, differ: tt.differ, used: map[string]bool{}}
	c.compare("", want, got)
	for _, listed := range []map[string]string{tt.skip, tt.differ} {
		for path := range listed {
			if !c.used[path] {
				t.Errorf("%s is listed as an exception but the sample does not reach it", path)
			}
		}
	}
}

func readSample(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(samples, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// decodeJSON decodes b into plain values, with the keys of the header
// objects lower-cased: header names are case-insensitive, and Go
// canonicalizes the ones it receives.
func decodeJSON(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"headers", "multiValueHeaders"} {
		if h, ok := v[key].(map[string]any); ok {
			lower := make(map[string]any, len(h))
			for name, value := range h {
				lower[strings.ToLower(name)] = value
			}
			v[key] = lower
		}
	}
	return v
}

// shapeComparer walks a sample and an event side by side.
type shapeComparer struct {
	t            *testing.T
	skip, differ map[string]string
	used         map[string]bool // exceptions reached
}

func (c *shapeComparer) compare(path string, want, got any) {
	if _, ok := c.skip[path]; ok {
		c.used[path] = true
		return
	}
	if wt, gt := jsonType(want), jsonType(got); wt != gt {
		c.t.Errorf("%s: type %s, sample has %s", path, gt, wt)
		return
	}
	switch want := want.(type) {
	case map[string]any:
		got := got.(map[string]any)
		for _, key := range slices.Sorted(maps.Keys(want)) {
			sub := strings.TrimPrefix(path+"."+key, ".")
			value, ok := got[key]
			if !ok {
				if _, skipped := c.skip[sub]; skipped {
					c.used[sub] = true
					continue
				}
				c.t.Errorf("%s: missing", sub)
				continue
			}
			c.compare(sub, want[key], value)
		}
	case []any:
		got := got.([]any)
		if len(got) != len(want) {
			c.checkValue(path, want, got)
			return
		}
		for i := range want {
			c.compare(fmt.Sprintf("%s[%d]", path, i), want[i], got[i])
		}
	default:
		c.checkValue(path, want, got)
	}
}

// checkValue reports a value that differs from the sample's unless the
// path is listed as one that does.
func (c *shapeComparer) checkValue(path string, want, got any) {
	if reflect.DeepEqual(want, got) {
		return
	}
	if _, ok := c.differ[path]; ok {
		c.used[path] = true
		return
	}
	// An element of a listed array differs as the array does.
	if i := strings.LastIndexByte(path, '['); i > 0 {
		if _, ok := c.differ[path[:i]]; ok {
			c.used[path[:i]] = true
			return
		}
	}
	c.t.Errorf("%s = %v, sample has %v", path, got, want)
}

// jsonType names the JSON type of a decoded value.
func jsonType(v any) string {
	switch v.(type) {
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "bool"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%T", v)
}
