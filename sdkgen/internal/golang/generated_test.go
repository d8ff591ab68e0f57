package golang

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gatekit/gatekit/auth"
	"github.com/gatekit/gatekit/internal/testenv"
	"github.com/gatekit/gatekit/sdkgen/internal/spec"
	"github.com/gatekit/gatekit/sdkgen/internal/spec/spectest"
)

// TestGeneratedSDK builds the SDK generated from spectest.Petstore() with the go
// command, vets it, and runs two tests inside it (from testdata/): one
// checks its SigV4 signer against the AWS test suite's vectors, the other
// calls every operation against fakeAPI, which checks what each request
// sent and verifies signatures with the gateway's own verifier
// (auth.SigV4), with paths and queries that must be escaped.
func TestGeneratedSDK(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the generated SDK with the go command")
	}
	goTool := testenv.Tool(t, "go", "install Go from https://go.dev/dl/")
	files := generate(t, spectest.Petstore(), spec.Config{})
	vectors, err := json.MarshalIndent(suiteVectors(t), "", "\t")
	if err != nil {
		t.Fatal(err)
	}
	files["testdata/vectors.json"] = vectors
	for name, src := range map[string]string{"vectors_test.go": "testdata/sdk_vectors_test.go", "client_test.go": "testdata/sdk_client_test.go"} {
		if files[name], err = os.ReadFile(src); err != nil {
			t.Fatal(err)
		}
	}
	sdk, reservedSDK := spectest.WriteTemp(t, files), spectest.WriteTemp(t, generate(t, reserved(), spec.Config{}))

	srv := httptest.NewServer(fakeAPI())
	defer srv.Close()
	env := append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod", "GOTOOLCHAIN=local", "SDK_TEST_URL="+srv.URL)
	testenv.Run(t, reservedSDK, env, goTool, "vet", "./...") // its names must compile
	testenv.Run(t, sdk, env, goTool, "vet", "./...")
	out := testenv.Run(t, sdk, env, goTool, "test", "-count=1", "-v", "./...")
	if testing.Verbose() {
		t.Logf("%s", out)
	}
}

// vector is a case of the SigV4 suite that the generated signer must
// reproduce.
type vector struct {
	Name, Method, URL, Body, Token, Authorization string
}

// suiteVectors returns the suite's cases a client signs as the SDK does:
// a target net/http can send as it is (no spaces, no raw UTF-8: the SDK
// signs the path as sent, escaped), normalized paths, and no signed
// headers but host, x-amz-date and a session token.
func suiteVectors(t *testing.T) []vector {
	dirs, err := os.ReadDir(spectest.SigningSuite)
	if err != nil {
		t.Logf("no SigV4 test suite: %v", err)
		return nil
	}
	var out []vector
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		read := func(name string) []byte {
			data, err := os.ReadFile(filepath.Join(spectest.SigningSuite, d.Name(), name))
			if err != nil {
				t.Fatal(err)
			}
			return data
		}
		var ctx struct {
			Credentials struct{ Token string }
			Normalize   bool
			OmitToken   bool `json:"omit_session_token"`
		}
		if err := json.Unmarshal(read("context.json"), &ctx); err != nil {
			t.Fatal(err)
		}
		head, body, _ := strings.Cut(string(read("request.txt")), "\n\n")
		lines := strings.Split(strings.TrimSuffix(head, "\n"), "\n")
		method, target, _ := strings.Cut(strings.TrimSuffix(lines[0], " HTTP/1.1"), " ")
		var authz string
		sc := bufio.NewScanner(strings.NewReader(string(read("header-signed-request.txt"))))
		for sc.Scan() {
			if v, ok := strings.CutPrefix(sc.Text(), "Authorization:"); ok {
				authz = v
			}
		}
		signed := "SignedHeaders=host;x-amz-date,"
		if ctx.Credentials.Token != "" {
			signed = "SignedHeaders=host;x-amz-date;x-amz-security-token,"
		}
		if !ctx.Normalize || ctx.OmitToken || len(lines) != 2 || lines[1] != "Host:example.amazonaws.com" ||
			strings.ContainsFunc(target, func(r rune) bool { return r <= ' ' || r > '~' }) || !strings.Contains(authz, signed) {
			continue
		}
		out = append(out, vector{d.Name(), method, "http://example.amazonaws.com" + target, body, ctx.Credentials.Token, authz})
	}
	t.Logf("%d SigV4 test vectors", len(out))
	return out
}

// fakeAPI answers the operations of spectest.Petstore() as sdk_client_test.go
// calls them, checking what each request sent: anything unexpected is a
// 400 whose message says what.
func fakeAPI() http.Handler {
	verifier := &auth.SigV4{Region: "local", Credentials: auth.StaticCredentials{"AKID": {Secret: "secret", SessionToken: "session"}}}
	pet := map[string]any{"id": 1, "name": "Fido", "type": "dog", "owner": map[string]any{"name": "Ada", "from": "Oslo"}}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		reply := func(status int, v any) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			_ = json.NewEncoder(w).Encode(v)
		}
		fail := func(format string, args ...any) {
			reply(http.StatusBadRequest, map[string]string{"message": fmt.Sprintf(format, args...)})
		}
		route := r.Method + " " + r.RequestURI
		if strings.HasSuffix(r.URL.Path, "/health") {
			_, _ = io.WriteString(w, r.RequestURI)
			return
		}
		if r.Header.Get("X-Api-Key") != "key" {
			fail("%s: x-api-key %q", route, r.Header.Get("X-Api-Key"))
			return
		}
		signed := r.URL.Path == "/prod/signed/pets" || strings.HasPrefix(r.URL.Path, "/prod/uploads/")
		bearer := r.URL.Path == "/prod/pets/search" || r.URL.Path == "/prod/admin/stats" || r.URL.Path == "/prod/reset"
		switch authz := r.Header.Get("Authorization"); {
		case signed:
			req := &auth.Request{HTTP: r, Body: func() ([]byte, error) { return body, nil }}
			if _, err := verifier.Authorize(r.Context(), req); err != nil {
				fail("%s: %v", route, err)
				return
			}
		case bearer && authz != "Bearer token", !bearer && authz != "":
			fail("%s: Authorization %q", route, authz)
			return
		}
		wantBody, respond := "", (func())(nil)
		switch route {
		case "PUT /prod/uploads/a%20b/%E1%88%B4/c%25d?limit=5&tag=x+y&tag=z%26%3D&tag=%E1%88%B4":
			if r.Header.Get("X-Ids") != "1,2" {
				fail("%s: X-Ids %q", route, r.Header.Get("X-Ids"))
				return
			}
			wantBody = `{"k":"v"}`
			respond = func() { w.WriteHeader(http.StatusNoContent) }
		case "POST /prod/signed/pets":
			wantBody = `{"name":"Rex","type":"dog"}`
			respond = func() { reply(http.StatusCreated, map[string]any{"id": 3, "name": "Rex", "type": "dog"}) }
		case "PATCH /prod/inventory/stock/kib%20ble", "GET /prod/owners/a%2Fb%20c":
			if r.Method == http.MethodPatch {
				wantBody = `{"n":1}`
			}
			respond = func() { reply(http.StatusOK, map[string]any{"uri": r.RequestURI, "method": r.Method}) }
		case "GET /prod/find/a%20b?limit=2&tag=x":
			respond = func() { reply(http.StatusOK, map[string]any{"seen": []any{pet}}) }
		case "DELETE /prod/pets?id=1&id=2":
			if r.Header.Get("If-Match") != "etag" {
				fail("%s: If-Match %q", route, r.Header.Get("If-Match"))
				return
			}
			respond = func() { w.WriteHeader(http.StatusNoContent) }
		case "PUT /prod/pets/1", "PUT /prod/pets/2": // with a body and without
			if r.URL.Path == "/prod/pets/1" {
				wantBody = `{"name":"Rex"}`
			}
			respond = func() { w.WriteHeader(http.StatusNoContent) }
		case "POST /prod/reset":
			respond = func() { w.WriteHeader(http.StatusNoContent) }
		case "GET /prod/pets", "GET /prod/partner/pets":
			respond = func() { reply(http.StatusOK, []any{pet}) }
		case "POST /prod/pets":
			wantBody = `{"name":"Rex"}`
			respond = func() {
				reply(http.StatusCreated, map[string]any{"id": 3, "name": "Rex", "type": "", "tags": map[string]string{"new": "yes"}})
			}
		case "GET /prod/pets/search?page=2&type=dog", "GET /prod/pets/search":
			respond = func() {
				reply(http.StatusOK, map[string]any{"type": "dog", "pets": []any{}, "searchedAt": "2024-01-02T03:04:05Z"})
			}
		case "GET /prod/pets/1":
			respond = func() { reply(http.StatusOK, pet) }
		case "GET /prod/pets/99":
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusNotFound)
			_, _ = io.WriteString(w, `{"message":"no such pet"}`)
			return
		case "DELETE /prod/pets/1":
			if r.Header.Get("X-Reason") != "why" {
				fail("%s: X-Reason %q", route, r.Header.Get("X-Reason"))
				return
			}
			respond = func() { w.WriteHeader(http.StatusNoContent) }
		case "GET /prod/admin/stats":
			respond = func() { reply(http.StatusOK, map[string]any{"pets": 2}) }
		case "GET /prod/version":
			respond = func() { reply(http.StatusOK, map[string]any{"version": r.Header.Get("X-Client-Version")}) }
		default:
			fail("unexpected request %s", route)
			return
		}
		if string(body) != wantBody || (wantBody != "") != (r.Header.Get("Content-Type") == "application/json") {
			fail("%s: body %q (Content-Type %q), want %q", route, body, r.Header.Get("Content-Type"), wantBody)
			return
		}
		respond()
	})
}
