package spectest

import (
	"fmt"
	"testing"

	"github.com/gatekit/gatekit/sdkgen/internal/spec"
)

// A Clash is a change to Petstore that gives two parameters, operations,
// models or fields names that may be one in an SDK's language.
type Clash struct {
	// Name names the clash's subtest.
	Name string
	// What is what the error names: the place and the two originals.
	What string
	// Change makes the clash.
	Change func(*spec.API)
	// Names says, for each language (as its errors name it), what both
	// originals become in it, or "" if the language keeps them apart.
	Names map[string]string
}

// Clashes are the clashes CheckErrors checks. Every language must have
// a name in each clash's Names.
var Clashes = []Clash{
	{
		Name: "parameters", What: `operation getOwner: parameters "pet-id" and "pet_id"`,
		Change: func(a *spec.API) {
			addParams(Op(a, "getOwner"), spec.Param{Name: "pet-id", In: spec.InQuery, Type: str},
				spec.Param{Name: "pet_id", In: spec.InHeader, Type: str})
		},
		Names: map[string]string{"go": "petID", "java": "petId", "javascript": "petId", "objc": "petId", "python": "pet_id", "ruby": "pet_id", "swift": "petId"},
	},
	{
		Name: "parameters in another case", What: `operation getPet: parameters "id" and "ID"`,
		Change: func(a *spec.API) {
			addParams(Op(a, "getPet"), spec.Param{Name: "ID", In: spec.InQuery, Type: str})
		},
		Names: map[string]string{"go": "id", "java": "id", "javascript": "id", "objc": "id_", "python": "id", "ruby": "id", "swift": "id"},
	},
	{
		Name: "a parameter and an escaped one", What: `operation findPets: parameters "class" and "class_"`,
		Change: func(a *spec.API) {
			addParams(Op(a, "findPets"), spec.Param{Name: "class_", In: spec.InHeader, Type: str})
		},
		Names: map[string]string{"go": "class", "java": "class_", "javascript": "class_", "objc": "class", "python": "class_", "ruby": "class_", "swift": "class_"},
	},
	{
		Name: "a parameter and the body", What: `operation createPet: parameters "body" and "body_"`,
		Change: func(a *spec.API) {
			addParams(Op(a, "createPet"), spec.Param{Name: "body", In: spec.InQuery, Type: str},
				spec.Param{Name: "body_", In: spec.InQuery, Type: str})
		},
		Names: map[string]string{"go": "body_", "java": "body_", "javascript": "body_", "objc": "body_", "python": "body_", "ruby": "body_", "swift": "body_"},
	},
	{
		Name: "operations", What: `operations "getPet" and "get_pet"`,
		Change: func(a *spec.API) {
			a.Operations = append(a.Operations, spec.Operation{Name: "get_pet", Method: "GET", Path: "/x"})
		},
		Names: map[string]string{"go": "GetPet", "java": "getPet", "javascript": "getPet", "objc": "getPet", "python": "get_pet", "ruby": "get_pet", "swift": "getPet"},
	},
	{
		Name: "operations in another case", What: `operations "getPet" and "GetPet"`,
		Change: func(a *spec.API) {
			a.Operations = append(a.Operations, spec.Operation{Name: "GetPet", Method: "GET", Path: "/x"})
		},
		Names: map[string]string{"go": "GetPet", "java": "getPet", "javascript": "getPet", "objc": "getPet", "python": "get_pet", "ruby": "get_pet", "swift": "getPet"},
	},
	{
		Name: "models", What: `models "NewPet" and "new_pet"`,
		Change: func(a *spec.API) {
			a.Models = append(a.Models, spec.Model{Name: "new_pet"})
		},
		Names: map[string]string{"go": "NewPet", "java": "NewPet", "javascript": "NewPet", "objc": "PetstoreNewPet", "python": "NewPet", "ruby": "NewPet", "swift": "NewPet"},
	},
	{
		Name: "models in another case", What: `models "Pet" and "pet"`,
		Change: func(a *spec.API) {
			a.Models = append(a.Models, spec.Model{Name: "pet"})
		},
		Names: map[string]string{"go": "Pet", "java": "Pet", "javascript": "Pet", "objc": "PetstorePet", "python": "Pet", "ruby": "Pet", "swift": "Pet"},
	},
	{
		Name: "models with an initialism", What: `models "pet_id" and "PetID"`,
		Change: func(a *spec.API) {
			a.Models = append(a.Models, spec.Model{Name: "pet_id"}, spec.Model{Name: "PetID"})
		},
		Names: map[string]string{"go": "PetID", "java": "PetId", "javascript": "PetId", "objc": "PetstorePetId", "python": "PetId", "ruby": "PetId", "swift": "PetId"},
	},
	// JavaScript keeps the names of properties: its fields clash only
	// when they are the same.
	{
		Name: "fields", What: `model Owner: fields "first-name" and "firstName"`,
		Change: func(a *spec.API) {
			addFields(Model(a, "Owner"), "first-name", "firstName")
		},
		Names: map[string]string{"go": "FirstName", "java": "firstName", "javascript": "", "objc": "firstName", "python": "first_name", "ruby": "first_name", "swift": "firstName"},
	},
	{
		Name: "fields in another case", What: `model NewPet: fields "name" and "Name"`,
		Change: func(a *spec.API) {
			addFields(Model(a, "NewPet"), "Name")
		},
		Names: map[string]string{"go": "Name", "java": "name", "javascript": "", "objc": "name", "python": "name", "ruby": "name", "swift": "name"},
	},
	{
		Name: "a field twice", What: `model NewPet: fields "name" and "name"`,
		Change: func(a *spec.API) {
			addFields(Model(a, "NewPet"), "name")
		},
		Names: map[string]string{"go": "Name", "java": "name", "javascript": "name", "objc": "name", "python": "name", "ruby": "name", "swift": "name"},
	},
	{
		Name: "fields with an initialism", What: `model Owner: fields "pet_id" and "petId"`,
		Change: func(a *spec.API) {
			addFields(Model(a, "Owner"), "pet_id", "petId")
		},
		Names: map[string]string{"go": "PetID", "java": "petId", "javascript": "", "objc": "petId", "python": "pet_id", "ruby": "pet_id", "swift": "petId"},
	},
}

var str = spec.Type{Kind: spec.String}

func addParams(op *spec.Operation, params ...spec.Param) { op.Params = append(op.Params, params...) }

func addFields(m *spec.Model, names ...string) {
	for _, name := range names {
		m.Fields = append(m.Fields, spec.Field{Name: name, Type: str})
	}
}

// An Invalid is a change to Petstore that makes an API a generator must
// refuse.
type Invalid struct {
	// Name names the case's subtest.
	Name string
	// Change makes the API invalid.
	Change func(*spec.API)
	// Errs says, for each language that refuses the API, the error's
	// text after "sdkgen: LANG: ".
	Errs map[string]string
}

// Invalids are the invalid APIs CheckErrors checks.
var Invalids = []Invalid{
	{
		Name:   "unknown model in a field",
		Change: func(a *spec.API) { Model(a, "NewPet").Fields[0].Type = *nope() },
		Errs:   noModel(`model NewPet: field "name"`, `model NewPet: field name`, `model NewPet: field name`),
	},
	{
		Name:   "unknown model in a body",
		Change: func(a *spec.API) { Op(a, "createPet").Body = nope() },
		Errs:   noModel(`operation createPet: body`, `operation createPet: body`, `operation createPet`),
	},
	{
		Name:   "unknown model in a result",
		Change: func(a *spec.API) { Op(a, "getStats").Result = nope() },
		Errs:   noModel(`operation getStats: result`, `operation getStats: result`, `operation getStats`),
	},
	{
		Name:   "model and options",
		Change: func(a *spec.API) { a.Models = append(a.Models, spec.Model{Name: "SearchPetsOptions"}) },
		Errs: map[string]string{
			"go":         `model "SearchPetsOptions" and the options of operation searchPets are both "SearchPetsOptions" in go`,
			"java":       `model "SearchPetsOptions" and the options of operation searchPets are both "SearchPetsOptions" in java`,
			"javascript": `model "SearchPetsOptions" and the options of operation "searchPets" are both "SearchPetsOptions" in javascript`,
			"objc":       `model SearchPetsOptions: its class PetstoreSearchPetsOptions is the options of operation searchPets's`,
		},
	},
	{
		Name:   "path parameter",
		Change: func(a *spec.API) { Op(a, "getPet").Path = "/pets/{petId}" },
		Errs: map[string]string{
			"go":         `operation getPet: path "/pets/{petId}": {petId} is not a path parameter`,
			"javascript": `operation getPet: path "/pets/{petId}": {petId} is not a path parameter`,
			"java":       `operation getPet: path "/pets/{petId}": no path parameter "petId"`,
			"objc":       `operation getPet: path "/pets/{petId}": no path parameter "petId"`,
			"python":     `operation getPet: path "/pets/{petId}": no path parameter "petId"`,
			"ruby":       `operation getPet: path "/pets/{petId}": no path parameter "petId"`,
			"swift":      `operation getPet: path "/pets/{petId}": no path parameter "petId"`,
		},
	},
	{
		Name:   "unclosed path parameter",
		Change: func(a *spec.API) { Op(a, "getPet").Path = "/pets/{id" },
		Errs: map[string]string{
			"go":         `operation getPet: path "/pets/{id": a { is not closed`,
			"javascript": `operation getPet: path "/pets/{id": unclosed {`,
			"java":       `operation getPet: path "/pets/{id" has an unclosed {`,
			"objc":       `operation getPet: path "/pets/{id" has an unclosed {`,
			"python":     `operation getPet: path "/pets/{id" has an unclosed {`,
			"ruby":       `operation getPet: path "/pets/{id" has an unclosed {`,
			"swift":      `operation getPet: path "/pets/{id" has an unclosed {`,
		},
	},
	{
		Name:   "no name",
		Change: func(a *spec.API) { a.Name = "" },
		Errs: map[string]string{
			"python": "the API has no name to name the distribution after",
			"ruby":   "the API has no name to name the gem after",
		},
	},
}

func nope() *spec.Type { return &spec.Type{Kind: spec.Ref, Ref: "Nope"} }

// noModel returns what each language says of a reference to the model
// Nope, which there is not: Go and Java after quoted, the place with its
// field's name quoted; JavaScript, Python and Ruby after place;
// Objective-C and Swift after short, the place without "body" or
// "result".
func noModel(quoted, place, short string) map[string]string {
	return map[string]string{
		"go":         quoted + `: model "Nope" is not defined`,
		"java":       quoted + `: unknown model "Nope"`,
		"javascript": place + `: no model "Nope"`,
		"python":     place + `: no model "Nope"`,
		"ruby":       place + `: no model "Nope"`,
		"objc":       short + `: no model "Nope"`,
		"swift":      short + `: no model "Nope"`,
	}
}

// CheckErrors checks that gen, the generator of the language lang,
// refuses each of Clashes and Invalids, in a subtest named after it. For
// a clash, the error must be "sdkgen: LANG: WHAT are both "NAME" in
// LANG", where NAME is the clash's Names[lang], or gen must succeed if
// that is "". For an invalid API, the error must be "sdkgen: LANG: "
// and its Errs[lang]; one that lang does not refuse is not checked.
func CheckErrors(t *testing.T, lang string, gen Generator) {
	t.Helper()
	var cases []Case
	for _, c := range Clashes {
		name, ok := c.Names[lang]
		if !ok {
			t.Errorf("the clash %q has no name in %s", c.Name, lang)
			continue
		}
		want := Case{Name: c.Name, Change: c.Change}
		if name != "" {
			want.Err = fmt.Sprintf("sdkgen: %s: %s are both %q in %s", lang, c.What, name, lang)
		}
		cases = append(cases, want)
	}
	for _, c := range Invalids {
		if err, ok := c.Errs[lang]; ok {
			cases = append(cases, Case{Name: c.Name, Change: c.Change, Err: "sdkgen: " + lang + ": " + err})
		}
	}
	CheckCases(t, gen, cases)
}

// A Case is a change to Petstore and what the generator must then do:
// fail with the error Err, or, if Err is "", succeed and generate files
// that contain each of Want's snippets (see Contains).
type Case struct {
	Name   string              // the subtest's
	Change func(*spec.API)     // what it changes
	Err    string              // the error it must give, or ""
	Want   map[string][]string // without an error, snippets of files
}

// CheckCases runs each case in a subtest named after it.
func CheckCases(t *testing.T, gen Generator, cases []Case) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			api := Petstore()
			c.Change(api)
			files, err := gen(api, spec.Config{})
			if c.Err != "" {
				if err == nil || err.Error() != c.Err {
					t.Errorf("error %v,\nwant %s", err, c.Err)
				}
				return
			}
			if err != nil {
				t.Fatalf("error %v, want none", err)
			}
			Contains(t, files, c.Want)
		})
	}
}
