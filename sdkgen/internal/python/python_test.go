package python

import (
	"bytes"
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
	want := []string{"README.md", "petstore/__init__.py", "petstore/client.py", "petstore/errors.py",
		"petstore/models.py", "petstore/py.typed", "petstore/sigv4.py", "pyproject.toml"}
	if !slices.Equal(names, want) {
		t.Fatalf("files = %q, want %q", names, want)
	}
	for _, tc := range []struct{ file, want string }{
		{"petstore/client.py", `DEFAULT_ENDPOINT = "http://127.0.0.1:8080"`},
		{"petstore/client.py", `DEFAULT_STAGE = "prod"`},
		{"petstore/client.py", `DEFAULT_REGION = "local"`},
		{"petstore/client.py", "class PetstoreClient:"},
		{"petstore/client.py", "    def list_pets(self) -> list[Pet]:\n"},
		{"petstore/client.py", "        return [Pet.from_dict(item) for item in response.json()]\n"},
		{"petstore/client.py", "    def get_pet(self, id: int) -> Pet:\n"},
		{"petstore/client.py", `self._request("GET", f"/pets/{_segment(id)}")`},
		// ANY: the method first; a greedy parameter keeps its slashes.
		{"petstore/client.py", "def inventory(self, method: str, proxy: str, *, body: Any = None) -> Any:"},
		{"petstore/client.py", `self._request(method, f"/inventory/{_greedy(proxy)}", body=body).json()`},
		// Optional parameters are keyword-only; a keyword is escaped.
		{"petstore/client.py", "self, *, page: Optional[int] = None, type: Optional[str] = None"},
		{"petstore/client.py", "self, class_: str, limit: int, *, tag: Optional[list[str]] = None"},
		{"petstore/client.py", `query={"limit": limit, "tag": tag}`},
		{"petstore/client.py", `headers={"X-Client-Version": x_client_version}`},
		{"petstore/client.py", `"GET", "/pets/search", query={"page": page, "type": type}, bearer=True`},
		{"petstore/client.py", `"POST", "/signed/pets", body=body.to_dict(), sigv4=True`},
		{"petstore/client.py", "    def health(self) -> str:\n"},
		{"petstore/client.py", `return self._request("GET", "/health").text()`},
		{"petstore/client.py", "    def reset(self) -> None:\n"},
		{"petstore/client.py", "            x_client_version: The caller's version.\n"},
		{"petstore/client.py", `sent["x-api-key"] = self._api_key`},
		{"petstore/client.py", `sent["Authorization"] = "Bearer " + self._bearer_token`},
		{"petstore/client.py", "from .models import NewPet, Pet, SearchResult, Version\n"},
		{"petstore/models.py", "@dataclass\nclass Pet:\n"},
		{"petstore/models.py", "    id: int\n    name: str\n    type: str\n    owner: Optional[Owner] = None\n"},
		{"petstore/models.py", `owner=None if data.get("owner") is None else Owner.from_dict(data["owner"]),`},
		{"petstore/models.py", `            data["owner"] = self.owner.to_dict()`},
		{"petstore/models.py", "    from_: Optional[str] = None\n"},
		{"petstore/models.py", `return cls(name=data["name"], from_=data.get("from"))`},
		{"petstore/models.py", `            data["searchedAt"] = self.searched_at`},
		{"petstore/models.py", `searched_at: The "searchedAt" property (date-time).`},
		{"petstore/errors.py", "class ApiError(Exception):"},
		{"petstore/sigv4.py", "def sign(\n"},
		{"petstore/__init__.py", "from .client import PetstoreClient\n"},
		{"pyproject.toml", `requires-python = ">=3.9"`},
		{"README.md", "| ANY | `/inventory/{proxy+}` | `inventory` |"},
		{"README.md", "client = PetstoreClient(api_key=\"my-api-key\")"},
		{"README.md", "client = PetstoreClient(bearer_token="},
		{"README.md", "credentials=Credentials("},
		{"README.md", "except ApiError as err:"},
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
		{"acme_pets/client.py", "class AcmePetsClient:"},
		{"acme_pets/client.py", `DEFAULT_ENDPOINT = "https://pets.example.com"`},
		{"acme_pets/client.py", `DEFAULT_STAGE = ""`},
		{"pyproject.toml", `name = "acme-pets"`},
		{"pyproject.toml", `packages = ["acme_pets"]`},
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
	if m := files["minimal/models.py"]; bytes.Contains(m, []byte("import")) {
		t.Errorf("models.py without models imports something:\n%s", m)
	}
	if bytes.Contains(files["minimal/client.py"], []byte("models")) {
		t.Errorf("the client imports models it does not have:\n%s", files["minimal/client.py"])
	}

	python := interpreter(t)
	dir := t.TempDir()
	write(t, dir, files)
	cmd := exec.Command(python, "-c", "import minimal.client, minimal.models")
	cmd.Dir, cmd.Env = dir, append(os.Environ(), "PYTHONDONTWRITEBYTECODE=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("import minimal: %v\n%s", err, out)
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
		}, `sdkgen: python: operation getPet: parameters "id" and "ID" are both "id" in python`},
		{"escaped parameter", func(a *spec.API) {
			op := &a.Operations[11]
			op.Params = append(op.Params, spec.Param{Name: "class_", In: spec.InHeader, Type: spec.Type{Kind: spec.String}})
		}, `sdkgen: python: operation findPets: parameters "class" and "class_" are both "class_" in python`},
		{"operations", func(a *spec.API) {
			a.Operations = append(a.Operations, spec.Operation{Name: "list_pets", Method: "GET", Path: "/x"})
		}, `sdkgen: python: operations "listPets" and "list_pets" are both "list_pets" in python`},
		{"models", func(a *spec.API) {
			a.Models = append(a.Models, spec.Model{Name: "new_pet"})
		}, `sdkgen: python: models "NewPet" and "new_pet" are both "NewPet" in python`},
		{"fields", func(a *spec.API) {
			a.Models[0].Fields = append(a.Models[0].Fields, spec.Field{Name: "Name", Type: spec.Type{Kind: spec.String}})
		}, `sdkgen: python: model NewPet: fields "name" and "Name" are both "name" in python`},
		{"unknown model", func(a *spec.API) {
			a.Models[0].Fields[0].Type = spec.Type{Kind: spec.Ref, Ref: "Nope"}
		}, `sdkgen: python: model NewPet: field name: no model "Nope"`},
		{"path parameter", func(a *spec.API) {
			a.Operations[3].Path = "/pets/{petId}"
		}, `sdkgen: python: operation getPet: path "/pets/{petId}": no path parameter "petId"`},
		{"no name", func(a *spec.API) { a.Name = "" }, "sdkgen: python: the API has no name"},
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
		Name: "import", BaseURL: "http://x", Operations: []spec.Operation{
			{Name: "class", Method: "GET", Path: "/{def}", Params: []spec.Param{
				{Name: "def", In: spec.InPath, Type: spec.Type{Kind: spec.String}, Required: true},
				{Name: "self", In: spec.InQuery, Type: spec.Type{Kind: spec.String}},
				{Name: "2fa", In: spec.InQuery, Type: spec.Type{Kind: spec.String}},
			}, Result: &spec.Type{Kind: spec.Ref, Ref: "Any"}},
		},
		Models: []spec.Model{{Name: "Any", Fields: []spec.Field{
			{Name: "to_dict", Type: spec.Type{Kind: spec.String}, Required: true},
			{Name: "lambda", Type: spec.Type{Kind: spec.String}},
		}}},
	}
	files, err := Generate(api, spec.Config{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ file, want string }{
		{"import_/client.py", "class ImportClient:"},
		{"import_/client.py", "def class_(\n        self, def_: str, *, self_: Optional[str] = None, param_2fa: Optional[str] = None\n    ) -> Any_:"},
		{"import_/client.py", `query={"self": self_, "2fa": param_2fa}`},
		{"import_/models.py", "class Any_:"},
		{"import_/models.py", "    to_dict_: str\n    lambda_: Optional[str] = None\n"},
	} {
		if !bytes.Contains(files[tc.file], []byte(tc.want)) {
			t.Errorf("%s does not contain %q:\n%s", tc.file, tc.want, files[tc.file])
		}
	}

	python := interpreter(t)
	dir := t.TempDir()
	write(t, dir, files)
	script := `from import_ import Any_; a = Any_.from_dict({"to_dict": "a", "lambda": "b"}); print(a.lambda_, a.to_dict())`
	cmd := exec.Command(python, "-c", script)
	cmd.Dir, cmd.Env = dir, append(os.Environ(), "PYTHONDONTWRITEBYTECODE=1")
	if out, err := cmd.CombinedOutput(); err != nil || string(out) != "b {'to_dict': 'a', 'lambda': 'b'}\n" {
		t.Errorf("python3: %v\n%s", err, out)
	}
}

// TestPython compiles the generated modules and runs testdata/check.py
// on them: SigV4 against the AWS test suite, models, errors and the
// requests the client sends to a local server.
func TestPython(t *testing.T) {
	t.Parallel()
	python := interpreter(t)
	files, err := Generate(petstore(), spec.Config{})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write(t, dir, files)
	run := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(python, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "PYTHONPATH="+dir, "PYTHONDONTWRITEBYTECODE=1")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("python3 %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	run("-m", "compileall", "-q", ".")
	check, err := filepath.Abs(filepath.Join("testdata", "check.py"))
	if err != nil {
		t.Fatal(err)
	}
	suite, err := filepath.Abs(filepath.Join("..", "..", "..", "..", "shared", "testdata", "aws-sig-v4-test-suite"))
	if err != nil {
		t.Fatal(err)
	}
	out := run(check, suite)
	if _, err := os.Stat(suite); err == nil && !strings.Contains(out, "ok sigv4") {
		t.Errorf("the SigV4 test suite was not run:\n%s", out)
	}
	t.Log(out)
}

// interpreter returns the path of python3, or skips the test without it
// (fails under CI=true, where .ci/run installs it).
func interpreter(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("python3")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("python3 is not on PATH")
		}
		t.Skip("python3 is not on PATH")
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
