package ruby

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gatekit/gatekit/internal/testenv"
	"github.com/gatekit/gatekit/sdkgen/internal/spec"
	"github.com/gatekit/gatekit/sdkgen/internal/spec/spectest"
)

func TestGenerate(t *testing.T) {
	files := spectest.GeneratePetstore(t, Generate, "README.md", "lib/petstore.rb", "lib/petstore/client.rb", "lib/petstore/errors.rb",
		"lib/petstore/models.rb", "lib/petstore/sigv4.rb", "lib/petstore/version.rb", "petstore.gemspec")
	spectest.Contains(t, files, map[string][]string{
		"lib/petstore/client.rb": {
			"module Petstore\n",
			"  class Client\n",
			`DEFAULT_ENDPOINT = "http://127.0.0.1:8080"`,
			`DEFAULT_STAGE = "prod"`,
			`DEFAULT_REGION = "local"`,
			`DEFAULT_SERVICE = "execute-api"`,
			"    def list_pets\n      data = request_json(\"GET\", \"/pets\")\n      data.map { |item| Pet.from_h(item) }\n    end\n",
			"    def get_pet(id)\n      data = request_json(\"GET\", \"/pets/#{escape(id)}\")\n",
			// ANY: the method first; a greedy parameter keeps its slashes.
			"    def inventory(method, proxy, body: nil)\n",
			`request_json(method, "/inventory/#{escape_path(proxy)}", body: body)`,
			// Optional parameters are keyword arguments; a keyword is escaped.
			"    def search_pets(page: nil, tag: nil, type: nil)\n",
			`query: { "page" => page, "tag" => tag, "type" => type }, bearer: true)`,
			"    def find_pets(class_, limit, tag: nil)\n",
			`request_json("GET", "/find/#{escape(class_)}", query: { "limit" => limit, "tag" => tag })`,
			`data.transform_values { |value| value.map { |item2| Pet.from_h(item2) } }`,
			`headers: { "X-Client-Version" => x_client_version }`,
			`request_json("POST", "/signed/pets", body: body.to_h, sigv4: true)`,
			"    def health\n      send_request(\"GET\", \"/health\")\n    end\n",
			"    def reset\n      send_request(\"POST\", \"/reset\", bearer: true)\n      nil\n    end\n",
			"    # @param x_client_version [String, nil] The caller's version.\n",
			"    # @return [Hash{String => Array<Pet>}]\n",
			`request["x-api-key"] = @api_key unless @api_key.nil?`,
			`request["Authorization"] = "Bearer #{@bearer_token}" if bearer && !@bearer_token.nil?`,
		},
		"lib/petstore/models.rb": {
			"  class Pet\n",
			"    def initialize(id:, name:, type:, owner: nil, class_: nil, tags: nil, friends: nil)\n",
			`owner: Owner.from_h(hash["owner"])`,
			`hash["owner"] = @owner.to_h unless @owner.nil?`,
			`pets: hash["pets"]&.map { |item| Pet.from_h(item) }`,
			`hash["pets"] = @pets.map(&:to_h) unless @pets.nil?`,
			`hash["searchedAt"] = @searched_at unless @searched_at.nil?`,
			"# @return [String, nil] The \"searchedAt\" property (date-time).\n",
			"    # Creates an Owner.\n",
		},
		"lib/petstore/errors.rb":  {"  class ApiError < StandardError\n"},
		"lib/petstore/sigv4.rb":   {"  module SigV4\n"},
		"lib/petstore/version.rb": {`VERSION = "1.0"`},
		"lib/petstore.rb":         {"require_relative \"petstore/client\"\n"},
		"petstore.gemspec":        {`spec.name = "petstore"`},
		"README.md": {
			"| ANY | `/inventory/{proxy+}` | `inventory` |",
			`client = Petstore::Client.new(api_key: "my-api-key")`,
			`client = Petstore::Client.new(bearer_token: `,
			"credentials: Petstore::Credentials.new(",
			"rescue Petstore::ApiError => e",
		},
	})
	spectest.Save(t, files)
}

func TestConfig(t *testing.T) {
	files := spectest.Generate(t, Generate, spectest.PetShop(), spec.Config{Package: "acme-pets"})
	spectest.Contains(t, files, map[string][]string{
		"lib/acme_pets/client.rb": {"module AcmePets\n", `DEFAULT_ENDPOINT = "https://pets.example.com"`, `DEFAULT_STAGE = ""`},
		"acme-pets.gemspec":       {`spec.name = "acme-pets"`, `require_relative "lib/acme_pets/version"`},
		"lib/acme_pets.rb":        {`require_relative "acme_pets/client"`},
	})
	if _, err := Generate(spectest.PetShop(), spec.Config{Package: "acme pets!"}); err == nil {
		t.Error("a package name with spaces was accepted")
	}
}

// TestMinimal generates an API without models or path parameters.
func TestMinimal(t *testing.T) {
	t.Parallel()
	files := spectest.Generate(t, Generate, spectest.Minimal(), spec.Config{})
	// Without models, models.rb requires nothing.
	spectest.Lacks(t, files, map[string][]string{"lib/tiny_api/models.rb": {"require"}})
	if out := run(t, spectest.WriteTemp(t, files), "-w", "-I", "lib", "-e", `require "tiny_api"`); out != "" {
		t.Errorf("require tiny_api:\n%s", out)
	}
}

func TestNameErrors(t *testing.T) {
	spectest.CheckErrors(t, "ruby", Generate)
}

func TestReservedWords(t *testing.T) {
	t.Parallel()
	api := spectest.Reserved("string", "class", "def", []string{"data", "2fa"}, "Hash", "to_h", "end", "hash")
	api.Operations = append(api.Operations, spec.Operation{Name: "sendRequest", Method: "GET", Path: "/send"})
	files := spectest.Generate(t, Generate, api, spec.Config{})
	spectest.Contains(t, files, map[string][]string{
		"lib/string/client.rb": {
			"module String_\n",
			"    def class_(def_, data_: nil, param_2fa: nil)\n",
			`query: { "data" => data_, "2fa" => param_2fa }`,
			"    def send_request_\n",
		},
		"lib/string/models.rb": {
			"  class Hash_\n",
			"    def initialize(to_h_:, end_: nil, hash_: nil)\n",
			`new(to_h_: hash["to_h"], end_: hash["end"], hash_: hash["hash"])`,
		},
	})
	script := `require "string"; h = String_::Hash_.from_h({ "to_h" => "a", "end" => "b" }); print h.end_, h.to_h`
	if out := run(t, spectest.WriteTemp(t, files), "-w", "-I", "lib", "-e", script); out != `b{"to_h"=>"a", "end"=>"b"}` {
		t.Errorf("ruby -e %s:\n%s", script, out)
	}
}

// TestRuby checks the generated files with ruby -wc and runs
// testdata/check.rb on them: SigV4 against the AWS test suite, models,
// errors and the requests the client sends to an echo server.
func TestRuby(t *testing.T) {
	t.Parallel()
	files := spectest.Generate(t, Generate, spectest.Petstore(), spec.Config{})
	dir := spectest.WriteTemp(t, files)
	for name := range files {
		if strings.HasSuffix(name, ".rb") || strings.HasSuffix(name, ".gemspec") {
			if out := run(t, dir, "-wc", name); out != "Syntax OK\n" {
				t.Errorf("ruby -wc %s:\n%s", name, out)
			}
		}
	}
	srv := httptest.NewServer(http.HandlerFunc(echo))
	defer srv.Close()
	interpret := func(args ...string) string { return run(t, dir, append([]string{"-w", "-I", "lib"}, args...)...) }
	if out := spectest.RunCheck(t, interpret, "check.rb", srv.URL); strings.Contains(out, "warning:") {
		t.Errorf("warnings:\n%s", out)
	}
}

// run runs ruby with args in dir and returns its output.
func run(t *testing.T, dir string, args ...string) string {
	t.Helper()
	return testenv.Run(t, dir, nil, testenv.Tool(t, "ruby", "apt-get install ruby"), args...)
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
