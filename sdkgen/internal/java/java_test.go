package java

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gatekit/gatekit/internal/testenv"
	"github.com/gatekit/gatekit/sdkgen/internal/spec"
	"github.com/gatekit/gatekit/sdkgen/internal/spec/spectest"
)

// flavour is Generate for the Java SDK or, if android, the Android one.
func flavour(android bool) spectest.Generator {
	return func(api *spec.API, cfg spec.Config) (spec.Files, error) { return Generate(api, cfg, android) }
}

const dir = "src/main/java/com/example/petstore/"

func TestGenerate(t *testing.T) {
	common := []string{
		"package com.example.petstore;",
		"public final class PetstoreClient {",
		`public static final String DEFAULT_ENDPOINT = "http://127.0.0.1:8080";`,
		`public static final String DEFAULT_STAGE = "prod";`,
		`public static final String DEFAULT_REGION = "local";`,
		"public Pet getPet(long id) throws IOException {",
		"public List<Pet> listPets() throws IOException {",
		"public Object inventory(String method, String proxy, Object body) throws IOException {",
		`Request request = new Request(method, "/inventory/{proxy+}")`,
		`.greedyPath("proxy", proxy)` + "\n                .json(body);",
		"public String health() throws IOException {",
		"public void deletePet(long id, String xReason) throws IOException {",
		`.header("X-Reason", xReason);`,
		"public SearchResult searchPets() throws IOException {\n        return searchPets(null);",
		"public SearchResult searchPets(SearchPetsOptions options) throws IOException {",
		`request.query("page", options.page)`,
		`new Request("GET", "/pets/search")` + "\n                .bearerAuth();",
		".json(body.toJson())\n                .sigV4Auth();",
		"return Json.decode(execute(request), Json.listOf(Pet::fromJson));",
		"public Builder credentials(String accessKeyId, String secretAccessKey) {",
		"public Builder bearerToken(String bearerToken) {",
		" * Lists the pets.\n     *\n     * <p>All of them.\n     *\n     * <p>Sends <code>GET /pets</code>.",
		" * <p>The pet store: pets, owners &amp; stock.\n *\n * <p>Use &lt;it&gt; well.",
	}
	tests := []struct {
		android       bool
		want, notWant []string
		readme        []string
	}{
		{
			android: false,
			want: []string{
				"import java.net.http.HttpClient;",
				"public Builder httpClient(HttpClient httpClient) {",
				"public Builder timeout(Duration timeout) {",
				"httpClient.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());",
			},
			notWant: []string{"HttpURLConnection", "X-HTTP-Method-Override"},
			readme:  []string{"# Pet Store SDK for Java", "Java 11 or later", "| `httpClient(HttpClient)` |"},
		},
		{
			android: true,
			want: []string{
				"import java.net.HttpURLConnection;",
				"public Builder timeoutMillis(int timeoutMillis) {",
				`headers.put("X-HTTP-Method-Override", method);`,
				"Call the methods from a background thread",
			},
			notWant: []string{"java.net.http", "java.time", "record ", "httpClient"},
			readme: []string{"# Pet Store SDK for Android", "### Threads", "X-HTTP-Method-Override",
				"android.permission.INTERNET", "| `timeoutMillis(int)` | `30000` |"},
		},
	}
	for _, tt := range tests {
		name := "java"
		if tt.android {
			name = "android"
		}
		t.Run(name, func(t *testing.T) {
			want := []string{"README.md"}
			for _, f := range []string{"FindPetsOptions", "GetVersionOptions", "Json", "NewPet", "Owner", "Pet", "PetstoreClient",
				"PetstoreException", "PutFileOptions", "SearchPetsOptions", "SearchResult", "SigV4", "Version"} {
				want = append(want, dir+f+".java")
			}
			files := spectest.GeneratePetstore(t, flavour(tt.android), want...)
			absent := map[string][]string{}
			for path := range files {
				if strings.HasSuffix(path, ".java") {
					absent[path] = tt.notWant
				}
			}
			spectest.Lacks(t, files, absent)
			spectest.Contains(t, files, map[string][]string{
				dir + "PetstoreClient.java": append(common, tt.want...),
				"README.md": append(tt.readme,
					"| `GET` | `/pets/{id}` | `Pet getPet(long id)` |",
					"| `ANY` | `/inventory/{proxy+}` | `Object inventory(String method, String proxy, Object body)` |",
					"| `DELETE` | `/pets/{id}` | `void deletePet(long id, String xReason)` |",
					"| `endpoint(String)` | `http://127.0.0.1:8080` |",
					"### API key", "### Bearer token", "### AWS Signature Version 4",
					"The operations that are signed: `createSignedPet`, `putFile`.",
					"} catch (PetstoreException e) {",
					"| `Pet` | `id` `Long` (required), `name` `String` (required),",
				),
			})
		})
	}
}

func TestModel(t *testing.T) {
	files := spectest.Generate(t, flavour(false), spectest.Petstore(), spec.Config{})
	spectest.Contains(t, files, map[string][]string{
		dir + "Pet.java": {
			"/** A pet in the store. */\npublic final class Pet {",
			"    private Long id;\n    private String name;\n    private String type;\n    private Owner owner;\n    private String class_;",
			"    private Map<String, String> tags;\n    private List<List<Pet>> friends;",
			"public Pet(long id, String name, String type) {",
			"public String getClass_() {", "public void setClass_(String class_) {",
			" * Returns the <code>class</code> field. A reserved word.",
			`result.id = Json.int64(object.get("id"));`,
			`result.class_ = Json.string(object.get("class"));`,
			`result.tags = Json.map(object.get("tags"), Json::string);`,
			`result.friends = Json.list(object.get("friends"), Json.listOf(Pet::fromJson));`,
			`json.put("friends", Json.encodeList(this.friends, Json.listEncoder(Pet::toJson)));`,
			`json.put("class", this.class_);`,
			"return Objects.hash(this.id, this.name, this.type, this.owner, this.class_, this.tags, this.friends);",
		},
		dir + "SearchPetsOptions.java": {
			"    Long page;\n    List<String> tag;\n    String type;",
			"public SearchPetsOptions page(long page) {",
			"public SearchPetsOptions tag(List<String> tag) {",
			" * Sets the <code>type</code> query parameter. The pets' type.",
		},
	})
}

// TestOnlyWhatIsUsed checks that an API without bearer tokens, SigV4 or
// options gets a client without them.
func TestOnlyWhatIsUsed(t *testing.T) {
	files := spectest.Generate(t, flavour(false), spectest.Minimal(), spec.Config{})
	d := "src/main/java/com/example/tinyapi/"
	spectest.HasFiles(t, files, "README.md", d+"Json.java", d+"TinyApiClient.java", d+"TinyApiException.java")
	spectest.Contains(t, files, map[string][]string{
		d + "TinyApiClient.java": {`DEFAULT_STAGE = "";`, "private static String encode(String s, boolean keepSlash)"},
	})
	spectest.Lacks(t, files, map[string][]string{
		d + "TinyApiClient.java": {"SigV4", "bearer", "credentials(", "DEFAULT_REGION",
			"Request path(", "Request query(", "Request header(", "Request json("},
		"README.md": {"### Bearer token", "### AWS Signature Version 4", "credentials("},
	})
}

func TestPackage(t *testing.T) {
	tests := []struct {
		name, cfg, want, err string
	}{
		{name: "Pet Store", want: "com.example.petstore"},
		{name: "class", want: "com.example.class_"},
		{name: "2fa", want: "com.example._2fa"},
		{name: "petstore", cfg: "org.acme.pets", want: "org.acme.pets"},
		{name: "petstore", cfg: "org..pets", err: `sdkgen: java: package "org..pets" is not a Java package name`},
		{name: "petstore", cfg: "org.1pets", err: `sdkgen: java: package "org.1pets" is not a Java package name`},
		{name: "petstore", cfg: "org.new.pets", err: `sdkgen: java: package "org.new.pets": "new" is a Java keyword`},
	}
	for _, tt := range tests {
		t.Run(tt.name+"/"+tt.cfg, func(t *testing.T) {
			api := spectest.Minimal()
			api.Name = tt.name
			files, err := Generate(api, spec.Config{Package: tt.cfg}, false)
			if tt.err != "" {
				if err == nil || err.Error() != tt.err {
					t.Fatalf("error %v, want %s", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			path := "src/main/java/" + strings.ReplaceAll(tt.want, ".", "/") + "/Json.java"
			if !bytes.HasPrefix(files[path], []byte("package "+tt.want+";\n")) {
				t.Errorf("%s does not start with package %s", path, tt.want)
			}
		})
	}
}

func TestClashes(t *testing.T) {
	spectest.CheckErrors(t, "java", flavour(false))
	spectest.CheckCases(t, flavour(false), []spectest.Case{{Name: "no name", Change: func(a *spec.API) {
		op := spectest.Op(a, "getOwner")
		op.Params = append(op.Params, spec.Param{Name: "$", In: spec.InQuery, Type: spec.Type{Kind: spec.String}})
	}, Err: `sdkgen: java: operation getOwner: parameter "$" makes no Java name: it needs a letter or a digit`}})
}

// reserved is an API whose names are Java keywords, java.lang classes,
// the SDK's own names and locals of its methods.
func reserved() *spec.API {
	str := spec.Type{Kind: spec.String}
	stringModel := spec.Type{Kind: spec.Ref, Ref: "String"}
	return &spec.API{
		Name:    "x",
		Doc:     "Ends a comment */ and has \\u0000 and @param in it.",
		BaseURL: "http://localhost:8080",
		Operations: []spec.Operation{
			{Name: "wait", Method: "POST", Path: "/a/{class}", Body: &stringModel, Result: &stringModel,
				Doc: "Not \\u12 a comment's end */.",
				Params: []spec.Param{
					{Name: "class", In: spec.InPath, Type: str, Required: true},
					{Name: "request", In: spec.InQuery, Type: str, Required: true},
					{Name: "method", In: spec.InHeader, Type: str, Required: true},
					{Name: "hashCode", In: spec.InQuery, Type: str},
					{Name: "default", In: spec.InQuery, Type: spec.Type{Kind: spec.Boolean}},
				}},
			{Name: "execute", Method: "ANY", Path: "/b", Body: &spec.Type{Kind: spec.Any}},
			{Name: "builder", Method: "GET", Path: "/c", Result: &spec.Type{Kind: spec.Ref, Ref: "Builder"}},
		},
		Models: []spec.Model{
			{Name: "Builder", Fields: []spec.Field{{Name: "json", Type: spec.Type{Kind: spec.Ref, Ref: "Json"}}}},
			{Name: "Json", Fields: []spec.Field{{Name: "int", Type: spec.Type{Kind: spec.Integer, Format: "int32"}, Required: true}}},
			{Name: "String", Doc: "Has \"quotes\" & <tags>.", Fields: []spec.Field{
				{Name: "default", Type: str, Required: true},
				{Name: "class", Type: spec.Type{Kind: spec.Number}},
				{Name: "zoë", Type: str},
			}},
		},
	}
}

func TestReserved(t *testing.T) {
	files := spectest.Generate(t, flavour(false), reserved(), spec.Config{})
	const d = "src/main/java/com/example/x/"
	spectest.Contains(t, files, map[string][]string{
		d + "XClient.java": {
			"public String_ wait_(\n            String class_, String request_, String method_, String_ body, WaitOptions options)\n            throws IOException {",
			`Objects.requireNonNull(method_, "method_");`,
			`.path("class", class_)`, `.query("request", request_)`, `.header("method", method_)`,
			`request.query("hashCode", options.hashCode_)`, `.query("default", options.default_);`,
			"public void execute_(String method, Object body) throws IOException {",
			"public Builder_ builder_() throws IOException {",
			" * <p>Ends a comment *&#47; and has &#92;u0000 and &#64;param in it.",
			" * Not &#92;u12 a comment's end *&#47;.",
		},
		d + "String_.java":     {"public final class String_ {", "public String_(String default_) {", "private Double class_;", `result.zo = Json.string(object.get("zo\u00eb"));`, "/** Has \"quotes\" &amp; &lt;tags&gt;. */"},
		d + "Json_.java":       {"private Integer int_;", "public Json_(int int_) {", `result.int_ = Json.int32(object.get("int"));`},
		d + "Builder_.java":    {"private Json_ json;", `result.json = Json_.fromJson(object.get("json"));`},
		d + "WaitOptions.java": {"public WaitOptions hashCode_(String hashCode_) {", "public WaitOptions default_(boolean default_) {"},
	})
}

func TestJavaString(t *testing.T) {
	for in, want := range map[string]string{
		"plain":       `"plain"`,
		"a\"b\\c":     `"a\"b\\c"`,
		"tab\tnl\n\r": `"tab\tnl\n\r"`,
		"\x01\x7f":    `"\001\177"`,
		"é😀":          `"\u00e9\ud83d\ude00"`,
		"\u2028":      `"\u2028"`,
	} {
		if got := javaString(in); got != want {
			t.Errorf("javaString(%q) = %s, want %s", in, got, want)
		}
	}
}

// compile generates the SDKs of apis into a temporary directory and
// compiles them, with extra sources, for the flavour's Java release
// (with every lint and Javadoc check an error); it returns the classes'
// directory.
func compile(t *testing.T, apis []*spec.API, android bool, extra ...string) string {
	t.Helper()
	if testing.Short() {
		t.Skip("compiles Java: not in -short")
	}
	javac := testenv.Tool(t, "javac", jdk)
	tmp := t.TempDir()
	release := "11"
	if android {
		release = "8"
	}
	args := []string{"--release", release, "-encoding", "UTF-8", "-Xlint:all", "-Xlint:-options",
		"-Xdoclint:all/protected", "-Werror", "-d", filepath.Join(tmp, "classes")}
	for i, api := range apis {
		files := spectest.Generate(t, flavour(android), api, spec.Config{})
		sdk := filepath.Join(tmp, fmt.Sprint("sdk", i))
		spectest.Write(t, sdk, files)
		for name := range files {
			if strings.HasSuffix(name, ".java") {
				args = append(args, filepath.Join(sdk, filepath.FromSlash(name)))
			}
		}
	}
	testenv.Run(t, "", nil, javac, append(args, extra...)...)
	return filepath.Join(tmp, "classes")
}

// jdk is how to install javac and java.
const jdk = "apt-get install default-jdk-headless"

// TestJava compiles each flavour of the petstore SDK, and of the SDK of
// reserved names (whose escaping must make valid code), with javac, and
// runs testdata/Harness.java against the petstore one: the JSON class,
// the SigV4 signer against AWS's test vectors, and the client against a
// local server (paths, queries, headers, auth, errors, and the Android
// flavour's method override).
func TestJava(t *testing.T) {
	for _, flavour := range []string{"java", "android"} {
		t.Run(flavour, func(t *testing.T) {
			harness, err := filepath.Abs(filepath.Join("testdata", "Harness.java"))
			if err != nil {
				t.Fatal(err)
			}
			classes := compile(t, []*spec.API{spectest.Petstore(), reserved()}, flavour == "android", harness)
			out := testenv.Run(t, "", nil, testenv.Tool(t, "java", jdk), "-cp", classes, "com.example.petstore.Harness", flavour)
			if !strings.Contains(out, "harness: ok") {
				t.Errorf("the harness said:\n%s", out)
			}
		})
	}
}
