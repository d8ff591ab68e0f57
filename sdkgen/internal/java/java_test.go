package java

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gatekit/gatekit/sdkgen/internal/spec"
)

// petstore is the pet store's prod stage as the exporter describes it,
// with a few extras: a greedy parameter, a repeated query parameter, a
// header parameter, a map, nested lists and a reserved word.
func petstore() *spec.API {
	str := spec.Type{Kind: spec.String}
	integer := spec.Type{Kind: spec.Integer}
	pet := spec.Type{Kind: spec.Ref, Ref: "Pet"}
	newPet := spec.Type{Kind: spec.Ref, Ref: "NewPet"}
	pets := spec.Type{Kind: spec.Array, Elem: &pet}
	anyJSON := spec.Type{Kind: spec.Any}
	return &spec.API{
		Name:    "petstore",
		Title:   "petstore",
		Doc:     "The pet store: pets, owners & stock.\n\nUse <it> well.",
		Version: "2024-01-01T00:00:00Z",
		BaseURL: "http://127.0.0.1:8080/prod",
		Stage:   "prod",
		Region:  "local",
		Service: "execute-api",
		Operations: []spec.Operation{
			{Name: "getStats", Method: "GET", Path: "/admin/stats", Result: &anyJSON, Auth: spec.Auth{Bearer: true}},
			{Name: "health", Method: "GET", Path: "/health", TextResult: true},
			{Name: "inventory", Method: "ANY", Path: "/inventory/{proxy+}", Result: &anyJSON,
				Params: []spec.Param{{Name: "proxy", In: spec.InPath, Type: str, Required: true, Greedy: true}}},
			{Name: "getOwner", Method: "GET", Path: "/owners/{name}", Result: &anyJSON,
				Params: []spec.Param{{Name: "name", In: spec.InPath, Type: str, Required: true}}},
			{Name: "listPartnerPets", Method: "GET", Path: "/partner/pets", Result: &pets, Auth: spec.Auth{APIKey: true}},
			{Name: "listPets", Method: "GET", Path: "/pets", Result: &pets, Doc: "Lists the pets.\n\nAll of them."},
			{Name: "createPet", Method: "POST", Path: "/pets", Body: &newPet, BodyRequired: true, Result: &pet},
			{Name: "searchPets", Method: "GET", Path: "/pets/search", Result: &spec.Type{Kind: spec.Ref, Ref: "SearchResult"},
				Auth: spec.Auth{Bearer: true},
				Params: []spec.Param{
					{Name: "page", In: spec.InQuery, Type: integer},
					{Name: "tag", In: spec.InQuery, Type: spec.Type{Kind: spec.Array, Elem: &str}},
					{Name: "type", In: spec.InQuery, Type: str, Doc: "The kind of pet."},
				}},
			{Name: "getPet", Method: "GET", Path: "/pets/{id}", Result: &pet,
				Params: []spec.Param{{Name: "id", In: spec.InPath, Type: integer, Required: true}}},
			{Name: "deletePet", Method: "DELETE", Path: "/pets/{id}",
				Params: []spec.Param{
					{Name: "id", In: spec.InPath, Type: integer, Required: true},
					{Name: "X-Reason", In: spec.InHeader, Type: str, Required: true},
				}},
			{Name: "createSignedPet", Method: "POST", Path: "/signed/pets", Body: &newPet, BodyRequired: true, Result: &pet,
				Auth: spec.Auth{SigV4: true}},
			{Name: "getVersion", Method: "GET", Path: "/version", Result: &spec.Type{Kind: spec.Ref, Ref: "Version"},
				Params: []spec.Param{{Name: "X-Client-Version", In: spec.InHeader, Type: str}}},
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
				{Name: "class", Type: str, Doc: "A reserved word."},
				{Name: "tags", Type: spec.Type{Kind: spec.Map, Elem: &str}},
				{Name: "friends", Type: spec.Type{Kind: spec.Array, Elem: &pets}},
			}},
			{Name: "SearchResult", Fields: []spec.Field{
				{Name: "pets", Type: pets},
				{Name: "searchedAt", Type: spec.Type{Kind: spec.String, Format: "date-time"}},
				{Name: "type", Type: str},
			}},
			{Name: "Version", Fields: []spec.Field{
				{Name: "canary", Type: spec.Type{Kind: spec.Boolean}},
				{Name: "stage", Type: str},
				{Name: "version", Type: str},
			}},
		},
	}
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
		"public Object inventory(String method, String proxy) throws IOException {",
		`Request request = new Request(method, "/inventory/{proxy+}")`,
		`.greedyPath("proxy", proxy);`,
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
			readme:  []string{"# petstore SDK for Java", "Java 11 or later", "| `httpClient(HttpClient)` |"},
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
			readme: []string{"# petstore SDK for Android", "### Threads", "X-HTTP-Method-Override",
				"android.permission.INTERNET", "| `timeoutMillis(int)` | `30000` |"},
		},
	}
	for _, tt := range tests {
		name := "java"
		if tt.android {
			name = "android"
		}
		t.Run(name, func(t *testing.T) {
			files, err := Generate(petstore(), spec.Config{}, tt.android)
			if err != nil {
				t.Fatal(err)
			}
			want := []string{"README.md"}
			for _, f := range []string{"GetVersionOptions", "Json", "NewPet", "Pet", "PetstoreClient",
				"PetstoreException", "SearchPetsOptions", "SearchResult", "SigV4", "Version"} {
				want = append(want, dir+f+".java")
			}
			if got := slices.Sorted(maps.Keys(files)); !slices.Equal(got, want) {
				t.Errorf("files:\n got %q\nwant %q", got, want)
			}
			client := string(files[dir+"PetstoreClient.java"])
			for _, w := range append(common, tt.want...) {
				if !strings.Contains(client, w) {
					t.Errorf("the client lacks %q", w)
				}
			}
			for path, src := range files {
				for _, nw := range tt.notWant {
					if strings.HasSuffix(path, ".java") && strings.Contains(string(src), nw) {
						t.Errorf("%s has %q", path, nw)
					}
				}
			}
			readme := string(files["README.md"])
			for _, w := range append(tt.readme,
				"| `GET` | `/pets/{id}` | `Pet getPet(long id)` |",
				"| `ANY` | `/inventory/{proxy+}` | `Object inventory(String method, String proxy)` |",
				"| `DELETE` | `/pets/{id}` | `void deletePet(long id, String xReason)` |",
				"| `endpoint(String)` | `http://127.0.0.1:8080` |",
				"### API key", "### Bearer token", "### AWS Signature Version 4",
				"The operations that are signed: `createSignedPet`.",
				"} catch (PetstoreException e) {",
				"| `Pet` | `id` `Long` (required), `name` `String` (required),",
			) {
				if !strings.Contains(readme, w) {
					t.Errorf("the README lacks %q", w)
				}
			}
		})
	}
}

func TestModel(t *testing.T) {
	files, err := Generate(petstore(), spec.Config{}, false)
	if err != nil {
		t.Fatal(err)
	}
	pet := string(files[dir+"Pet.java"])
	for _, w := range []string{
		"/** A pet in the store. */\npublic final class Pet {",
		"    private Long id;\n    private String name;\n    private String type;\n    private String class_;",
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
		"return Objects.hash(this.id, this.name, this.type, this.class_, this.tags, this.friends);",
	} {
		if !strings.Contains(pet, w) {
			t.Errorf("Pet.java lacks %q", w)
		}
	}
	opts := string(files[dir+"SearchPetsOptions.java"])
	for _, w := range []string{
		"    Long page;\n    List<String> tag;\n    String type;",
		"public SearchPetsOptions page(long page) {",
		"public SearchPetsOptions tag(List<String> tag) {",
		" * Sets the <code>type</code> query parameter. The kind of pet.",
	} {
		if !strings.Contains(opts, w) {
			t.Errorf("SearchPetsOptions.java lacks %q", w)
		}
	}
}

func TestDeterministic(t *testing.T) {
	for _, android := range []bool{false, true} {
		a, err := Generate(petstore(), spec.Config{}, android)
		if err != nil {
			t.Fatal(err)
		}
		for range 3 {
			b, err := Generate(petstore(), spec.Config{}, android)
			if err != nil {
				t.Fatal(err)
			}
			if !maps.EqualFunc(a, b, bytes.Equal) {
				t.Fatalf("android=%v: two generations differ", android)
			}
		}
	}
}

// TestOnlyWhatIsUsed checks that an API without bearer tokens, SigV4 or
// options gets a client without them.
func TestOnlyWhatIsUsed(t *testing.T) {
	api := &spec.API{
		Name:    "tiny api",
		BaseURL: "https://api.example.com",
		Operations: []spec.Operation{
			{Name: "ping", Method: "GET", Path: "/ping", TextResult: true},
		},
	}
	files, err := Generate(api, spec.Config{}, false)
	if err != nil {
		t.Fatal(err)
	}
	d := "src/main/java/com/example/tinyapi/"
	want := []string{"README.md", d + "Json.java", d + "TinyApiClient.java", d + "TinyApiException.java"}
	if got := slices.Sorted(maps.Keys(files)); !slices.Equal(got, want) {
		t.Errorf("files:\n got %q\nwant %q", got, want)
	}
	client := string(files[d+"TinyApiClient.java"])
	for _, w := range []string{`DEFAULT_STAGE = "";`, "private static String encode(String s, boolean keepSlash)"} {
		if !strings.Contains(client, w) {
			t.Errorf("the client lacks %q", w)
		}
	}
	for _, nw := range []string{"SigV4", "bearer", "credentials(", "DEFAULT_REGION",
		"Request path(", "Request query(", "Request header(", "Request json("} {
		if strings.Contains(client, nw) {
			t.Errorf("the client has %q", nw)
		}
	}
	readme := string(files["README.md"])
	for _, nw := range []string{"### Bearer token", "### AWS Signature Version 4", "credentials("} {
		if strings.Contains(readme, nw) {
			t.Errorf("the README has %q", nw)
		}
	}
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
			api := &spec.API{Name: tt.name, BaseURL: "http://localhost:8080",
				Operations: []spec.Operation{{Name: "ping", Method: "GET", Path: "/ping"}}}
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
	str := spec.Type{Kind: spec.String}
	op := func(name string, params ...spec.Param) spec.Operation {
		return spec.Operation{Name: name, Method: "GET", Path: "/x", Params: params}
	}
	query := func(name string) spec.Param { return spec.Param{Name: name, In: spec.InQuery, Type: str} }
	tests := []struct {
		name   string
		ops    []spec.Operation
		models []spec.Model
		err    string
	}{
		{
			name: "parameters",
			ops: []spec.Operation{op("getPet",
				spec.Param{Name: "pet-id", In: spec.InPath, Type: str, Required: true},
				spec.Param{Name: "pet_id", In: spec.InQuery, Type: str, Required: true})},
			err: `sdkgen: java: operation getPet: parameters "pet-id" and "pet_id" are both "petId" in java`,
		},
		{
			name: "a parameter and an escaped local",
			ops:  []spec.Operation{op("getPet", query("body"), query("body_"))},
			err:  `sdkgen: java: operation getPet: parameters "body" and "body_" are both "body_" in java`,
		},
		{
			name: "operations",
			ops:  []spec.Operation{op("get_pet"), op("getPet")},
			err:  `sdkgen: java: operations "get_pet" and "getPet" are both "getPet" in java`,
		},
		{
			name:   "models",
			ops:    []spec.Operation{op("ping")},
			models: []spec.Model{{Name: "pet"}, {Name: "Pet"}},
			err:    `sdkgen: java: models "pet" and "Pet" are both "Pet" in java`,
		},
		{
			name:   "fields",
			ops:    []spec.Operation{op("ping")},
			models: []spec.Model{{Name: "Owner", Fields: []spec.Field{{Name: "first-name", Type: str}, {Name: "firstName", Type: str}}}},
			err:    `sdkgen: java: model Owner: fields "first-name" and "firstName" are both "firstName" in java`,
		},
		{
			name:   "options class and model",
			ops:    []spec.Operation{op("searchPets", query("type"))},
			models: []spec.Model{{Name: "SearchPetsOptions"}},
			err:    `sdkgen: java: model "SearchPetsOptions" and the options of operation searchPets are both "SearchPetsOptions" in java`,
		},
		{
			name: "no name",
			ops:  []spec.Operation{op("ping", query("$"))},
			err:  `sdkgen: java: operation ping: parameter "$" makes no Java name: it needs a letter or a digit`,
		},
		{
			name: "unknown model",
			ops: []spec.Operation{{Name: "ping", Method: "GET", Path: "/x",
				Result: &spec.Type{Kind: spec.Ref, Ref: "Nope"}}},
			err: `sdkgen: java: operation ping: result: unknown model "Nope"`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := &spec.API{Name: "x", BaseURL: "http://localhost", Operations: tt.ops, Models: tt.models}
			_, err := Generate(api, spec.Config{}, false)
			if err == nil || err.Error() != tt.err {
				t.Errorf("error %v\nwant %s", err, tt.err)
			}
		})
	}
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
	files, err := Generate(reserved(), spec.Config{}, false)
	if err != nil {
		t.Fatal(err)
	}
	d := "src/main/java/com/example/x/"
	for file, want := range map[string][]string{
		"XClient.java": {
			"public String_ wait_(\n            String class_, String request_, String method_, String_ body, WaitOptions options)\n            throws IOException {",
			`Objects.requireNonNull(method_, "method_");`,
			`.path("class", class_)`, `.query("request", request_)`, `.header("method", method_)`,
			`request.query("hashCode", options.hashCode_)`, `.query("default", options.default_);`,
			"public void execute_(String method, Object body) throws IOException {",
			"public Builder_ builder_() throws IOException {",
			" * <p>Ends a comment *&#47; and has &#92;u0000 and &#64;param in it.",
			" * Not &#92;u12 a comment's end *&#47;.",
		},
		"String_.java":     {"public final class String_ {", "public String_(String default_) {", "private Double class_;", `result.zo = Json.string(object.get("zo\u00eb"));`, "/** Has \"quotes\" &amp; &lt;tags&gt;. */"},
		"Json_.java":       {"private Integer int_;", "public Json_(int int_) {", `result.int_ = Json.int32(object.get("int"));`},
		"Builder_.java":    {"private Json_ json;", `result.json = Json_.fromJson(object.get("json"));`},
		"WaitOptions.java": {"public WaitOptions hashCode_(String hashCode_) {", "public WaitOptions default_(boolean default_) {"},
	} {
		src := string(files[d+file])
		if src == "" {
			t.Errorf("no %s", file)
		}
		for _, w := range want {
			if !strings.Contains(src, w) {
				t.Errorf("%s lacks %q", file, w)
			}
		}
	}
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

// javac finds the JDK's compiler, or skips (fails under CI=true).
func javac(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("compiles Java: not in -short")
	}
	path, err := exec.LookPath("javac")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("javac is not on PATH: apt-get install default-jdk-headless")
		}
		t.Skip("javac is not on PATH: apt-get install default-jdk-headless")
	}
	return path
}

// compile generates the SDKs of apis into a temporary directory and
// compiles them, with extra sources, for the flavour's Java release
// (with every lint and Javadoc check an error); it returns the classes'
// directory.
func compile(t *testing.T, apis []*spec.API, android bool, extra ...string) string {
	t.Helper()
	javacPath := javac(t)
	tmp := t.TempDir()
	release := "11"
	if android {
		release = "8"
	}
	args := []string{"--release", release, "-encoding", "UTF-8", "-Xlint:all", "-Xlint:-options",
		"-Xdoclint:all/protected", "-Werror", "-d", filepath.Join(tmp, "classes")}
	for i, api := range apis {
		files, err := Generate(api, spec.Config{}, android)
		if err != nil {
			t.Fatal(err)
		}
		sdk := filepath.Join(tmp, fmt.Sprint("sdk", i))
		write(t, sdk, files)
		for name := range files {
			if strings.HasSuffix(name, ".java") {
				args = append(args, filepath.Join(sdk, filepath.FromSlash(name)))
			}
		}
	}
	run(t, javacPath, append(args, extra...)...)
	return filepath.Join(tmp, "classes")
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", filepath.Base(name), err, out)
	}
	return string(out)
}

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
			classes := compile(t, []*spec.API{petstore(), reserved()}, flavour == "android", harness)
			java, err := exec.LookPath("java")
			if err != nil {
				t.Fatal(err)
			}
			out := run(t, java, "-cp", classes, "com.example.petstore.Harness", flavour)
			if !strings.Contains(out, "harness: ok") {
				t.Errorf("the harness said:\n%s", out)
			}
		})
	}
}

// write puts files under dir.
func write(t *testing.T, dir string, files spec.Files) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
