package python

import (
	"os"
	"testing"

	"github.com/gatekit/gatekit/internal/testenv"
	"github.com/gatekit/gatekit/sdkgen/internal/spec"
	"github.com/gatekit/gatekit/sdkgen/internal/spec/spectest"
)

func TestGenerate(t *testing.T) {
	files := spectest.GeneratePetstore(t, Generate, "README.md", "petstore/__init__.py", "petstore/client.py", "petstore/errors.py",
		"petstore/models.py", "petstore/py.typed", "petstore/sigv4.py", "pyproject.toml")
	spectest.Contains(t, files, map[string][]string{
		"petstore/client.py": {
			`DEFAULT_ENDPOINT = "http://127.0.0.1:8080"`,
			`DEFAULT_STAGE = "prod"`,
			`DEFAULT_REGION = "local"`,
			"class PetstoreClient:",
			"    def list_pets(self) -> list[Pet]:\n",
			"        return [Pet.from_dict(item) for item in response.json()]\n",
			"    def get_pet(self, id: int) -> Pet:\n",
			`self._request("GET", f"/pets/{_segment(id)}")`,
			// ANY: the method first; a greedy parameter keeps its slashes.
			"def inventory(self, method: str, proxy: str, *, body: Any = None) -> Any:",
			`self._request(method, f"/inventory/{_greedy(proxy)}", body=body).json()`,
			// Optional parameters are keyword-only; a keyword is escaped.
			"        *,\n        page: Optional[int] = None,\n        tag: Optional[list[str]] = None,\n        type: Optional[str] = None,\n",
			"self, class_: str, limit: int, *, tag: Optional[list[str]] = None",
			`query={"limit": limit, "tag": tag}`,
			`headers={"X-Client-Version": x_client_version}`,
			`"/pets/search",` + "\n" + `            query={"page": page, "tag": tag, "type": type},` + "\n            bearer=True,",
			`"POST", "/signed/pets", body=body.to_dict(), sigv4=True`,
			"    def health(self) -> str:\n",
			`return self._request("GET", "/health").text()`,
			"    def reset(self) -> None:\n",
			"            x_client_version: The caller's version.\n",
			`sent["x-api-key"] = self._api_key`,
			`sent["Authorization"] = "Bearer " + self._bearer_token`,
			"from .models import NewPet, Pet, SearchResult, Version\n",
		},
		"petstore/models.py": {
			"@dataclass\nclass Pet:\n",
			"    id: int\n    name: str\n    type: str\n    owner: Optional[Owner] = None\n",
			`owner=None if data.get("owner") is None else Owner.from_dict(data["owner"]),`,
			`            data["owner"] = self.owner.to_dict()`,
			"    from_: Optional[str] = None\n",
			`return cls(name=data["name"], from_=data.get("from"))`,
			`            data["searchedAt"] = self.searched_at`,
			`searched_at: The "searchedAt" property (date-time).`,
		},
		"petstore/errors.py":   {"class ApiError(Exception):"},
		"petstore/sigv4.py":    {"def sign(\n"},
		"petstore/__init__.py": {"from .client import PetstoreClient\n"},
		"pyproject.toml":       {`requires-python = ">=3.9"`},
		"README.md": {
			"| ANY | `/inventory/{proxy+}` | `inventory` |",
			"client = PetstoreClient(api_key=\"my-api-key\")",
			"client = PetstoreClient(bearer_token=",
			"credentials=Credentials(",
			"except ApiError as err:",
		},
	})
	spectest.Save(t, files)
}

func TestConfig(t *testing.T) {
	files := spectest.Generate(t, Generate, spectest.PetShop(), spec.Config{Package: "acme-pets"})
	spectest.Contains(t, files, map[string][]string{
		"acme_pets/client.py": {"class PetShopClient:", `DEFAULT_ENDPOINT = "https://pets.example.com"`, `DEFAULT_STAGE = ""`},
		"pyproject.toml":      {`name = "acme-pets"`, `packages = ["acme_pets"]`},
	})
	if _, err := Generate(spectest.PetShop(), spec.Config{Package: "acme pets!"}); err == nil {
		t.Error("a package name with spaces was accepted")
	}
}

// TestMinimal generates an API without models or path parameters.
func TestMinimal(t *testing.T) {
	t.Parallel()
	files := spectest.Generate(t, Generate, spectest.Minimal(), spec.Config{})
	spectest.Lacks(t, files, map[string][]string{
		"tiny_api/models.py": {"import"}, // without models, it imports nothing
		"tiny_api/client.py": {"models"}, // nor does the client import them
	})
	run(t, spectest.WriteTemp(t, files), "-c", "import tiny_api.client, tiny_api.models")
}

func TestNameErrors(t *testing.T) {
	spectest.CheckErrors(t, "python", Generate)
}

func TestReservedWords(t *testing.T) {
	t.Parallel()
	api := spectest.Reserved("import", "class", "def", []string{"self", "2fa"}, "Any", "to_dict", "lambda")
	files := spectest.Generate(t, Generate, api, spec.Config{})
	spectest.Contains(t, files, map[string][]string{
		"import_/client.py": {
			"class ImportClient:",
			"def class_(\n        self, def_: str, *, self_: Optional[str] = None, param_2fa: Optional[str] = None\n    ) -> Any_:",
			`query={"self": self_, "2fa": param_2fa}`,
		},
		"import_/models.py": {"class Any_:", "    to_dict_: str\n    lambda_: Optional[str] = None\n"},
	})
	script := `from import_ import Any_; a = Any_.from_dict({"to_dict": "a", "lambda": "b"}); print(a.lambda_, a.to_dict())`
	if out := run(t, spectest.WriteTemp(t, files), "-c", script); out != "b {'to_dict': 'a', 'lambda': 'b'}\n" {
		t.Errorf("python3 -c %s:\n%s", script, out)
	}
}

// TestPython compiles the generated modules and runs testdata/check.py
// on them: SigV4 against the AWS test suite, models, errors and the
// requests the client sends to a local server.
func TestPython(t *testing.T) {
	t.Parallel()
	dir := spectest.WriteTemp(t, spectest.Generate(t, Generate, spectest.Petstore(), spec.Config{}))
	run(t, dir, "-m", "compileall", "-q", ".")
	spectest.RunCheck(t, func(args ...string) string { return run(t, dir, args...) }, "check.py")
}

// run runs python3 with args in dir, with dir on PYTHONPATH, and returns
// its output.
func run(t *testing.T, dir string, args ...string) string {
	t.Helper()
	python := testenv.Tool(t, "python3", "apt-get install python3")
	env := append(os.Environ(), "PYTHONPATH="+dir, "PYTHONDONTWRITEBYTECODE=1")
	return testenv.Run(t, dir, env, python, args...)
}
