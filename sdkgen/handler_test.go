package sdkgen

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/gatekit/gatekit/gateway"
	"github.com/gatekit/gatekit/sdkgen/openapi"
)

func TestHandler(t *testing.T) {
	gw := gateway.New()
	t.Cleanup(func() { _ = gw.Close() })
	fn := gateway.Function(func(context.Context, events.APIGatewayV2HTTPRequest) (string, error) { return "", nil })
	if err := gw.AddAPI("/", &gateway.API{Name: "pets", Routes: []gateway.Route{
		{Key: "GET /pets/{id}", OperationName: "getPet", Integration: fn},
	}}); err != nil {
		t.Fatal(err)
	}
	d, err := gw.Deploy("pets", "")
	if err != nil {
		t.Fatal(err)
	}
	if err := gw.PutStage("pets", gateway.Stage{Name: "prod", DeploymentID: d.ID}); err != nil {
		t.Fatal(err)
	}
	h := Handler(gw, HandlerOptions{})
	do := func(method, target string) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		r := httptest.NewRequest(method, target, nil)
		r.Host = "api.example.com"
		h.ServeHTTP(w, r)
		return w
	}
	for _, tt := range []struct {
		method, target string
		status         int
		contentType    string
		body           string // a fragment
	}{
		{"GET", "/languages", 200, "application/json", `"go"`},
		{"GET", "/apis/pets/stages/prod/exports/openapi.json", 200, "application/json", `"url": "http://api.example.com/{stage}"`},
		{"GET", "/apis/pets/stages/prod/exports/openapi.yaml", 200, "application/yaml", "operationId: getPet"},
		{"GET", "/apis/pets/stages/prod/exports/openapi.json?extensions=aws", 200, "application/json", `"x-amazon-apigateway-integration"`},
		{"GET", "/apis/pets/stages/prod/exports/openapi.json?extensions=gcp", 400, "application/json", `the only extensions are aws`},
		{"GET", "/apis/pets/stages/prod/exports/swagger.json", 404, "application/json", `exports are openapi.json and openapi.yaml`},
		{"GET", "/apis/pets/stages/beta/sdks/go", 404, "application/json", `no stage \"beta\" of API \"pets\"`},
		{"GET", "/apis/cats/stages/prod/sdks/go", 404, "application/json", `no stage \"prod\" of API \"cats\"`},
		{"GET", "/apis/pets/stages/prod/sdks/cobol", 404, "application/json", `no SDK language \"cobol\"`},
		{"GET", "/nowhere", 404, "application/json", `{"message":"Not Found"}`},
		{"POST", "/apis/pets/stages/prod/sdks/go", 405, "application/json", `{"message":"Method Not Allowed"}`},
	} {
		w := do(tt.method, tt.target)
		if w.Code != tt.status || w.Header().Get("Content-Type") != tt.contentType || !strings.Contains(w.Body.String(), tt.body) {
			t.Errorf("%s %s: %d %s %.200s\nwant %d %s with %s", tt.method, tt.target, w.Code, w.Header().Get("Content-Type"), w.Body, tt.status, tt.contentType, tt.body)
		}
	}
	// Every language, as a zip with its README at the top of one
	// directory.
	for _, lang := range Languages() {
		w := do("GET", "/apis/pets/stages/prod/sdks/"+string(lang))
		if w.Code != 200 || w.Header().Get("Content-Type") != "application/zip" ||
			w.Header().Get("Content-Disposition") != `attachment; filename="pets-prod-`+string(lang)+`.zip"` {
			t.Errorf("%s: %d %v %.300s", lang, w.Code, w.Header(), w.Body)
			continue
		}
		zr, err := zip.NewReader(bytes.NewReader(w.Body.Bytes()), int64(w.Body.Len()))
		if err != nil {
			t.Fatal(err)
		}
		var readme bool
		for _, f := range zr.File {
			if !strings.HasPrefix(f.Name, "pets-prod-"+string(lang)+"/") {
				t.Errorf("%s: %s is outside the archive's directory", lang, f.Name)
			}
			if f.Name == "pets-prod-"+string(lang)+"/README.md" {
				readme = true
				rc, _ := f.Open()
				b, _ := io.ReadAll(rc)
				if readme := strings.ToLower(string(b)); !strings.Contains(readme, "getpet") && !strings.Contains(readme, "get_pet") {
					t.Errorf("%s: the README does not name the operation", lang)
				}
			}
		}
		if !readme {
			t.Errorf("%s: no README.md in the archive", lang)
		}
	}
}

// TestGenerateErrors: a name clash in a language is reported, naming it.
func TestGenerateErrors(t *testing.T) {
	doc, err := openapi.Load([]byte(`{"openapi":"3.0.3","info":{"title":"clash","version":"1"},"paths":{"/a/{pet-id}":{"get":{"operationId":"getA",
		"parameters":[{"in":"path","name":"pet-id","required":true,"schema":{"type":"string"}},{"in":"query","name":"pet_id","schema":{"type":"string"}}],
		"responses":{"200":{"description":"ok"}}}}}}`))
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range Languages() {
		_, err := Generate(doc, lang, Options{})
		if err == nil || !strings.Contains(err.Error(), "pet-id") || !strings.Contains(err.Error(), "pet_id") {
			t.Errorf("%s: Generate with clashing parameters: %v, want an error naming both", lang, err)
		}
	}
	if _, err := Generate(doc, "cobol", Options{}); err == nil || !strings.Contains(err.Error(), `unknown language "cobol"`) {
		t.Errorf("Generate(cobol): %v", err)
	}
	var langs []string
	b, _ := json.Marshal(Languages())
	_ = json.Unmarshal(b, &langs)
	if strings.Join(langs, " ") != "android go java javascript objectivec python ruby swift" {
		t.Errorf("Languages() = %v", langs)
	}
}

// TestZip: an archive holds each file once, under the prefix, readable by
// everyone, with a valid time; the same files make the same archive.
func TestZip(t *testing.T) {
	doc, err := openapi.Load([]byte(`{"openapi":"3.0.3","info":{"title":"z","version":"1"},"paths":{"/a":{"get":{"responses":{"200":{"description":"ok"}}}}}}`))
	if err != nil {
		t.Fatal(err)
	}
	fsys, err := Generate(doc, Go, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var a, b bytes.Buffer
	if err := Zip(&a, fsys, "z"); err != nil {
		t.Fatal(err)
	}
	if err := Zip(&b, fsys, "z"); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two archives of the same files differ")
	}
	zr, err := zip.NewReader(bytes.NewReader(a.Bytes()), int64(a.Len()))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if !strings.HasPrefix(f.Name, "z/") || f.Mode().Perm() != 0o644 || f.Modified.Year() != 1980 || f.Modified.Month() != 1 {
			t.Errorf("%s: mode %v, modified %v", f.Name, f.Mode(), f.Modified)
		}
	}
}
