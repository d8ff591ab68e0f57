package lambdaevent

import (
	"net/http"
	"testing"
)

func TestIsText(t *testing.T) {
	tests := []struct {
		contentType string
		want        bool
	}{
		{"text/plain", true},
		{"text/html; charset=utf-8", true},
		{"TEXT/CSV", true},
		{"application/json", true},
		{"Application/JSON; charset=UTF-8", true},
		{" application/json ; charset=utf-8", true},
		{"application/xml", true},
		{"application/javascript", true},
		{"application/x-www-form-urlencoded", true},
		{"application/yaml", true},
		{"application/x-yaml", true},
		{"application/graphql", true},
		{"application/problem+json", true},
		{"application/atom+xml", true},
		{"application/openapi+yaml", true},
		{"image/svg+xml", true},
		{"application/octet-stream", false},
		{"application/pdf", false},
		{"application/jsonx", false},
		{"image/png", false},
		{"multipart/form-data; boundary=x", false},
		{"json", false},
		{"", false},
	}
	for _, tt := range tests {
		t.Run(tt.contentType, func(t *testing.T) {
			if got := IsText(tt.contentType); got != tt.want {
				t.Errorf("IsText(%q) = %v, want %v", tt.contentType, got, tt.want)
			}
		})
	}
}

func TestRequestBody(t *testing.T) {
	tests := []struct {
		name        string
		contentType string
		body        string
		wantBody    string
		wantBase64  bool
	}{
		{name: "empty", contentType: "application/octet-stream", body: "", wantBody: ""},
		{name: "json", contentType: "application/json", body: `{"a":"é"}`, wantBody: `{"a":"é"}`},
		{name: "form", contentType: "application/x-www-form-urlencoded", body: "a=1&b=2", wantBody: "a=1&b=2"},
		{name: "no type, UTF-8", body: "héllo", wantBody: "héllo"},
		{name: "no type, not UTF-8", body: "\xff\xfe", wantBody: "//4=", wantBase64: true},
		{name: "text type, not UTF-8", contentType: "text/plain; charset=latin1", body: "caf\xe9", wantBody: "Y2Fm6Q==", wantBase64: true},
		{name: "binary type, UTF-8", contentType: "application/octet-stream", body: "abc", wantBody: "YWJj", wantBase64: true},
		{name: "image", contentType: "image/png", body: "\x89PNG", wantBody: "iVBORw==", wantBase64: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var headers []string
			if tt.contentType != "" {
				headers = []string{"Content-Type", tt.contentType}
			}
			in := testInfo()
			v2 := V2(newRequest(http.MethodPost, "/", "", "", headers...), []byte(tt.body), &in)
			v1 := V1(newRequest(http.MethodPost, "/", "", "", headers...), []byte(tt.body), &in)
			for _, got := range []struct {
				format, body string
				isBase64     bool
			}{
				{"2.0", v2.Body, v2.IsBase64Encoded},
				{"1.0", v1.Body, v1.IsBase64Encoded},
			} {
				if got.body != tt.wantBody || got.isBase64 != tt.wantBase64 {
					t.Errorf("%s: body %q, isBase64Encoded %v; want %q, %v", got.format, got.body, got.isBase64, tt.wantBody, tt.wantBase64)
				}
			}
		})
	}
}
