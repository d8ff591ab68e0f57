package ruby

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gatekit/gatekit/sdkgen/internal/spec"
)

// petstore is the example pet store's prod stage, as the exporter
// describes it, plus what it does not exercise: a required query
// parameter, a repeated one, a reserved word, a model-typed field, a map,
// a body-less POST and a body on an ANY operation.
func petstore() *spec.API {
	str := spec.Type{Kind: spec.String}
	integer := spec.Type{Kind: spec.Integer}
	pet := spec.Type{Kind: spec.Ref, Ref: "Pet"}
	newPet := spec.Type{Kind: spec.Ref, Ref: "NewPet"}
	pets := spec.Type{Kind: spec.Array, Elem: &pet}
	anyType := spec.Type{Kind: spec.Any}
	return &spec.API{
		Name: "petstore", Title: "Pet Store", Doc: "A store of pets.", Version: "1.0",
		BaseURL: "http://127.0.0.1:8080/prod", Stage: "prod", Region: "local", Service: "execute-api",
		Operations: []spec.Operation{
			{Name: "listPets", Method: "GET", Path: "/pets", Doc: "Lists the pets.", Result: &pets},
			{Name: "createPet", Method: "POST", Path: "/pets", Body: &newPet, BodyRequired: true, Result: &pet},
			{Name: "searchPets", Method: "GET", Path: "/pets/search", Auth: spec.Auth{Bearer: true},
				Params: []spec.Param{
					{Name: "page", In: spec.InQuery, Type: integer},
					{Name: "type", In: spec.InQuery, Type: str},
				},
				Result: &spec.Type{Kind: spec.Ref, Ref: "SearchResult"}},
			{Name: "getPet", Method: "GET", Path: "/pets/{id}",
				Params: []spec.Param{{Name: "id", In: spec.InPath, Type: integer, Required: true}}, Result: &pet},
			{Name: "getOwner", Method: "GET", Path: "/owners/{name}",
				Params: []spec.Param{{Name: "name", In: spec.InPath, Type: str, Required: true}}, Result: &anyType},
			{Name: "inventory", Method: "ANY", Path: "/inventory/{proxy+}",
				Params: []spec.Param{{Name: "proxy", In: spec.InPath, Type: str, Required: true, Greedy: true}},
				Body:   &anyType, Result: &anyType},
			{Name: "listPartnerPets", Method: "GET", Path: "/partner/pets", Auth: spec.Auth{APIKey: true}, Result: &pets},
			{Name: "createSignedPet", Method: "POST", Path: "/signed/pets", Auth: spec.Auth{SigV4: true},
				Body: &newPet, BodyRequired: true, Result: &pet},
			{Name: "getStats", Method: "GET", Path: "/admin/stats", Auth: spec.Auth{Bearer: true}, Result: &anyType},
			{Name: "health", Method: "GET", Path: "/health", TextResult: true},
			{Name: "getVersion", Method: "GET", Path: "/version",
				Params: []spec.Param{{Name: "X-Client-Version", In: spec.InHeader, Type: str, Doc: "The caller's version."}},
				Result: &spec.Type{Kind: spec.Ref, Ref: "Version"}},
			{Name: "findPets", Method: "GET", Path: "/find/{class}",
				Params: []spec.Param{
					{Name: "class", In: spec.InPath, Type: str, Required: true},
					{Name: "limit", In: spec.InQuery, Type: integer, Required: true},
					{Name: "tag", In: spec.InQuery, Type: spec.Type{Kind: spec.Array, Elem: &str}},
				},
				Result: &spec.Type{Kind: spec.Map, Elem: &pets}},
			{Name: "reset", Method: "POST", Path: "/reset", Auth: spec.Auth{APIKey: true, Bearer: true}},
		},
		Models: []spec.Model{
			{Name: "NewPet", Fields: []spec.Field{
				{Name: "name", Type: str, Required: true},
				{Name: "type", Type: str},
			}},
			{Name: "Pet", Doc: "A pet in the store.", Fields: []spec.Field{
				{Name: "id", Type: integer, Required: true},
				{Name: "name", Type: str, Required: true},
				{Name: "type", Type: str, Required: true},
				{Name: "owner", Type: spec.Type{Kind: spec.Ref, Ref: "Owner"}},
			}},
			{Name: "Owner", Fields: []spec.Field{
				{Name: "name", Type: str, Required: true},
				{Name: "from", Type: str},
			}},
			{Name: "SearchResult", Fields: []spec.Field{
				{Name: "type", Type: str},
				{Name: "pets", Type: pets},
				{Name: "searchedAt", Type: spec.Type{Kind: spec.String, Format: "date-time"}},
			}},
			{Name: "Version", Fields: []spec.Field{
				{Name: "version", Type: str},
				{Name: "stage", Type: str},
				{Name: "canary", Type: spec.Type{Kind: spec.Boolean}},
			}},
		},
	}
}

func TestGenerate(t *testing.T) {
	files, err := Generate(petstore(), spec.Config{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for name := range files {
		names = append(names, name)
	}
	slices.Sort(names)
	want := []string{"README.md", "lib/petstore.rb", "lib/petstore/client.rb", "lib/petstore/errors.rb",
		"lib/petstore/models.rb", "lib/petstore/sigv4.rb", "lib/petstore/version.rb", "petstore.gemspec"}
	if !slices.Equal(names, want) {
		t.Fatalf("files = %q, want %q", names, want)
	}
	const client = "lib/petstore/client.rb"
	for _, tc := range []struct{ file, want string }{
		{client, "module Petstore\n"},
		{client, "  class Client\n"},
		{client, `DEFAULT_ENDPOINT = "http://127.0.0.1:8080"`},
		{client, `DEFAULT_STAGE = "prod"`},
		{client, `DEFAULT_REGION = "local"`},
		{client, `DEFAULT_SERVICE = "execute-api"`},
		{client, "    def list_pets\n      data = request_json(\"GET\", \"/pets\")\n      data.map { |item| Pet.from_h(item) }\n    end\n"},
		{client, "    def get_pet(id)\n      data = request_json(\"GET\", \"/pets/#{escape(id)}\")\n"},
		// ANY: the method first; a greedy parameter keeps its slashes.
		{client, "    def inventory(method, proxy, body: nil)\n"},
		{client, `request_json(method, "/inventory/#{escape_path(proxy)}", body: body)`},
		// Optional parameters are keyword arguments; a keyword is escaped.
		{client, "    def search_pets(page: nil, type: nil)\n"},
		{client, `query: { "page" => page, "type" => type }, bearer: true)`},
		{client, "    def find_pets(class_, limit, tag: nil)\n"},
		{client, `request_json("GET", "/find/#{escape(class_)}", query: { "limit" => limit, "tag" => tag })`},
		{client, `data.transform_values { |value| value.map { |item2| Pet.from_h(item2) } }`},
		{client, `headers: { "X-Client-Version" => x_client_version }`},
		{client, `request_json("POST", "/signed/pets", body: body.to_h, sigv4: true)`},
		{client, "    def health\n      send_request(\"GET\", \"/health\")\n    end\n"},
		{client, "    def reset\n      send_request(\"POST\", \"/reset\", bearer: true)\n      nil\n    end\n"},
		{client, "    # @param x_client_version [String, nil] The caller's version.\n"},
		{client, "    # @return [Hash{String => Array<Pet>}]\n"},
		{client, `request["x-api-key"] = @api_key unless @api_key.nil?`},
		{client, `request["Authorization"] = "Bearer #{@bearer_token}" if bearer && !@bearer_token.nil?`},
		{"lib/petstore/models.rb", "  class Pet\n"},
		{"lib/petstore/models.rb", "    def initialize(id:, name:, type:, owner: nil)\n"},
		{"lib/petstore/models.rb", `owner: Owner.from_h(hash["owner"])`},
		{"lib/petstore/models.rb", `hash["owner"] = @owner.to_h unless @owner.nil?`},
		{"lib/petstore/models.rb", `pets: hash["pets"]&.map { |item| Pet.from_h(item) }`},
		{"lib/petstore/models.rb", `hash["pets"] = @pets.map(&:to_h) unless @pets.nil?`},
		{"lib/petstore/models.rb", `hash["searchedAt"] = @searched_at unless @searched_at.nil?`},
		{"lib/petstore/models.rb", "# @return [String, nil] The \"searchedAt\" property (date-time).\n"},
		{"lib/petstore/models.rb", "    # Creates an Owner.\n"},
		{"lib/petstore/errors.rb", "  class ApiError < StandardError\n"},
		{"lib/petstore/sigv4.rb", "  module SigV4\n"},
		{"lib/petstore/version.rb", `VERSION = "1.0"`},
		{"lib/petstore.rb", "require_relative \"petstore/client\"\n"},
		{"petstore.gemspec", `spec.name = "petstore"`},
		{"README.md", "| ANY | `/inventory/{proxy+}` | `inventory` |"},
		{"README.md", `client = Petstore::Client.new(api_key: "my-api-key")`},
		{"README.md", `client = Petstore::Client.new(bearer_token: `},
		{"README.md", "credentials: Petstore::Credentials.new("},
		{"README.md", "rescue Petstore::ApiError => e"},
	} {
		if !bytes.Contains(files[tc.file], []byte(tc.want)) {
			t.Errorf("%s does not contain %q", tc.file, tc.want)
		}
	}
	if dir := os.Getenv("GATEKIT_SDK_OUT"); dir != "" {
		write(t, dir, files)
	}
}

func TestDeterministic(t *testing.T) {
	a, err := Generate(petstore(), spec.Config{})
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		b, err := Generate(petstore(), spec.Config{})
		if err != nil {
			t.Fatal(err)
		}
		for name := range a {
			if !bytes.Equal(a[name], b[name]) {
				t.Fatalf("%s differs between runs", name)
			}
		}
	}
}

func TestConfig(t *testing.T) {
	api := petstore()
	api.Name, api.BaseURL, api.Stage = "acme pets", "https://pets.example.com", ""
	files, err := Generate(api, spec.Config{Package: "acme-pets"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ file, want string }{
		{"lib/acme_pets/client.rb", "module AcmePets\n"},
		{"lib/acme_pets/client.rb", `DEFAULT_ENDPOINT = "https://pets.example.com"`},
		{"lib/acme_pets/client.rb", `DEFAULT_STAGE = ""`},
		{"acme-pets.gemspec", `spec.name = "acme-pets"`},
		{"acme-pets.gemspec", `require_relative "lib/acme_pets/version"`},
		{"lib/acme_pets.rb", `require_relative "acme_pets/client"`},
	} {
		if !bytes.Contains(files[tc.file], []byte(tc.want)) {
			t.Errorf("%s does not contain %q", tc.file, tc.want)
		}
	}
	if _, err := Generate(api, spec.Config{Package: "acme pets!"}); err == nil {
		t.Error("a package name with spaces was accepted")
	}
}

// TestMinimal generates an API without models or path parameters.
func TestMinimal(t *testing.T) {
	t.Parallel()
	api := &spec.API{Name: "minimal", BaseURL: "http://localhost:8080", Operations: []spec.Operation{
		{Name: "health", Method: "GET", Path: "/health", TextResult: true},
	}}
	files, err := Generate(api, spec.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if m := files["lib/minimal/models.rb"]; bytes.Contains(m, []byte("require")) {
		t.Errorf("models.rb without models requires something:\n%s", m)
	}

	ruby := interpreter(t)
	dir := t.TempDir()
	write(t, dir, files)
	cmd := exec.Command(ruby, "-w", "-I", "lib", "-e", `require "minimal"`)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil || len(out) > 0 {
		t.Errorf("require minimal: %v\n%s", err, out)
	}
}

func TestNameErrors(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(*spec.API)
		want   string
	}{
		{"parameters", func(a *spec.API) {
			op := &a.Operations[3]
			op.Params = append(op.Params, spec.Param{Name: "ID", In: spec.InQuery, Type: spec.Type{Kind: spec.String}})
		}, `sdkgen: ruby: operation getPet: parameters "id" and "ID" are both "id" in ruby`},
		{"escaped parameter", func(a *spec.API) {
			op := &a.Operations[11]
			op.Params = append(op.Params, spec.Param{Name: "class_", In: spec.InHeader, Type: spec.Type{Kind: spec.String}})
		}, `sdkgen: ruby: operation findPets: parameters "class" and "class_" are both "class_" in ruby`},
		{"operations", func(a *spec.API) {
			a.Operations = append(a.Operations, spec.Operation{Name: "list_pets", Method: "GET", Path: "/x"})
		}, `sdkgen: ruby: operations "listPets" and "list_pets" are both "list_pets" in ruby`},
		{"models", func(a *spec.API) {
			a.Models = append(a.Models, spec.Model{Name: "new_pet"})
		}, `sdkgen: ruby: models "NewPet" and "new_pet" are both "NewPet" in ruby`},
		{"fields", func(a *spec.API) {
			a.Models[0].Fields = append(a.Models[0].Fields, spec.Field{Name: "Name", Type: spec.Type{Kind: spec.String}})
		}, `sdkgen: ruby: model NewPet: fields "name" and "Name" are both "name" in ruby`},
		{"unknown model", func(a *spec.API) {
			a.Models[0].Fields[0].Type = spec.Type{Kind: spec.Ref, Ref: "Nope"}
		}, `sdkgen: ruby: model NewPet: field name: no model "Nope"`},
		{"path parameter", func(a *spec.API) {
			a.Operations[3].Path = "/pets/{petId}"
		}, `sdkgen: ruby: operation getPet: path "/pets/{petId}": no path parameter "petId"`},
		{"no name", func(a *spec.API) { a.Name = "" }, "sdkgen: ruby: the API has no name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			api := petstore()
			tc.change(api)
			_, err := Generate(api, spec.Config{})
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("error = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestReservedWords(t *testing.T) {
	t.Parallel()
	api := &spec.API{
		Name: "string", BaseURL: "http://x", Operations: []spec.Operation{
			{Name: "class", Method: "GET", Path: "/{def}", Params: []spec.Param{
				{Name: "def", In: spec.InPath, Type: spec.Type{Kind: spec.String}, Required: true},
				{Name: "data", In: spec.InQuery, Type: spec.Type{Kind: spec.String}},
				{Name: "2fa", In: spec.InQuery, Type: spec.Type{Kind: spec.String}},
			}, Result: &spec.Type{Kind: spec.Ref, Ref: "Hash"}},
			{Name: "sendRequest", Method: "GET", Path: "/send"},
		},
		Models: []spec.Model{{Name: "Hash", Fields: []spec.Field{
			{Name: "to_h", Type: spec.Type{Kind: spec.String}, Required: true},
			{Name: "end", Type: spec.Type{Kind: spec.String}},
			{Name: "hash", Type: spec.Type{Kind: spec.String}},
		}}},
	}
	files, err := Generate(api, spec.Config{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ file, want string }{
		{"lib/string/client.rb", "module String_\n"},
		{"lib/string/client.rb", "    def class_(def_, data_: nil, param_2fa: nil)\n"},
		{"lib/string/client.rb", `query: { "data" => data_, "2fa" => param_2fa }`},
		{"lib/string/client.rb", "    def send_request_\n"},
		{"lib/string/models.rb", "  class Hash_\n"},
		{"lib/string/models.rb", "    def initialize(to_h_:, end_: nil, hash_: nil)\n"},
		{"lib/string/models.rb", `new(to_h_: hash["to_h"], end_: hash["end"], hash_: hash["hash"])`},
	} {
		if !bytes.Contains(files[tc.file], []byte(tc.want)) {
			t.Errorf("%s does not contain %q:\n%s", tc.file, tc.want, files[tc.file])
		}
	}

	ruby := interpreter(t)
	dir := t.TempDir()
	write(t, dir, files)
	script := `require "string"; h = String_::Hash_.from_h({ "to_h" => "a", "end" => "b" }); print h.end_, h.to_h`
	cmd := exec.Command(ruby, "-w", "-I", "lib", "-e", script)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil || string(out) != `b{"to_h"=>"a", "end"=>"b"}` {
		t.Errorf("ruby: %v\n%s", err, out)
	}
}

// TestRuby checks the generated files with ruby -wc and runs
// testdata/check.rb on them: SigV4 against the AWS test suite, models,
// errors and the requests the client sends to an echo server.
func TestRuby(t *testing.T) {
	t.Parallel()
	ruby := interpreter(t)
	files, err := Generate(petstore(), spec.Config{})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write(t, dir, files)
	run := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(ruby, args...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("ruby %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	for name := range files {
		if strings.HasSuffix(name, ".rb") || strings.HasSuffix(name, ".gemspec") {
			if out := run("-wc", name); out != "Syntax OK\n" {
				t.Errorf("ruby -wc %s:\n%s", name, out)
			}
		}
	}
	srv := httptest.NewServer(http.HandlerFunc(echo))
	defer srv.Close()
	check, err := filepath.Abs(filepath.Join("testdata", "check.rb"))
	if err != nil {
		t.Fatal(err)
	}
	suite, err := filepath.Abs(filepath.Join("..", "..", "..", "..", "shared", "testdata", "aws-sig-v4-test-suite"))
	if err != nil {
		t.Fatal(err)
	}
	out := run("-w", "-I", "lib", check, suite, srv.URL)
	if strings.Contains(out, "warning:") {
		t.Errorf("warnings:\n%s", out)
	}
	if _, err := os.Stat(suite); err == nil && !strings.Contains(out, "ok sigv4") {
		t.Errorf("the SigV4 test suite was not run:\n%s", out)
	}
	t.Log(out)
}

// echo answers what check.rb asks: a 404 under /prod/pets/, what was
// asked under /prod/find/ and /signed/pets as pets, "ok\n" at /health,
// and elsewhere a JSON description of the request.
func echo(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	status := http.StatusOK
	var answer any
	switch {
	case strings.HasPrefix(r.URL.Path, "/prod/pets/"):
		status, answer = http.StatusNotFound, map[string]string{"message": "no such pet"}
	case strings.HasPrefix(r.URL.Path, "/prod/find/"):
		answer = map[string]any{"seen": []any{map[string]any{"id": 1, "name": r.RequestURI, "type": r.Method}}}
	case r.URL.Path == "/signed/pets":
		status, answer = http.StatusCreated, map[string]any{
			"id": 7, "name": r.Header.Get("Authorization"), "type": r.Header.Get("X-Amz-Security-Token"),
		}
	case r.URL.Path == "/health":
		_, _ = io.WriteString(w, "ok\n")
		return
	default:
		headers := map[string]string{}
		for name := range r.Header {
			headers[strings.ToLower(name)] = r.Header.Get(name)
		}
		answer = map[string]any{"method": r.Method, "path": r.RequestURI, "headers": headers, "body": string(body)}
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(answer)
}

// interpreter returns the path of ruby, or skips the test without it
// (fails under CI=true, where .ci/run installs it).
func interpreter(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("ruby")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("ruby is not on PATH")
		}
		t.Skip("ruby is not on PATH")
	}
	return path
}

func write(t *testing.T, dir string, files spec.Files) {
	t.Helper()
	for name, data := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
