package objc

import (
	"bytes"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/gatekit/gatekit/sdkgen/internal/spec"
)

// petstore is the example pet store's prod stage, as sdkgen reads it,
// with a few additions that exercise the generator: a reserved word, a
// repeated query parameter and an optional body.
func petstore() *spec.API {
	str := spec.Type{Kind: spec.String}
	integer := spec.Type{Kind: spec.Integer}
	pet := spec.Type{Kind: spec.Ref, Ref: "Pet"}
	newPet := &spec.Type{Kind: spec.Ref, Ref: "NewPet"}
	any := &spec.Type{Kind: spec.Any}
	return &spec.API{
		Name: "petstore", Title: "Pet Store", Doc: "The example pet store.", Version: "1.0",
		BaseURL: "http://127.0.0.1:8080/prod", Stage: "prod", Region: "local", Service: "execute-api",
		Operations: []spec.Operation{
			{Name: "getStats", Method: "GET", Path: "/admin/stats", Result: any, Auth: spec.Auth{Bearer: true}},
			{Name: "health", Method: "GET", Path: "/health", TextResult: true},
			{Name: "inventory", Method: "ANY", Path: "/inventory/{proxy+}", Result: any,
				Params: []spec.Param{{Name: "proxy", In: spec.InPath, Type: str, Required: true, Greedy: true}}},
			{Name: "getOwner", Method: "GET", Path: "/owners/{name}", Result: any,
				Params: []spec.Param{{Name: "name", In: spec.InPath, Type: str, Required: true}}},
			{Name: "listPartnerPets", Method: "GET", Path: "/partner/pets", Auth: spec.Auth{APIKey: true},
				Result: &spec.Type{Kind: spec.Array, Elem: &pet}},
			{Name: "listPets", Method: "GET", Path: "/pets", Result: &spec.Type{Kind: spec.Array, Elem: &pet}},
			{Name: "createPet", Method: "POST", Path: "/pets", Body: newPet, BodyRequired: true, Result: &pet},
			{Name: "searchPets", Method: "GET", Path: "/pets/search", Doc: "Searches the pets by type, slowly.",
				Auth: spec.Auth{Bearer: true}, Result: &spec.Type{Kind: spec.Ref, Ref: "SearchResult"},
				Params: []spec.Param{
					{Name: "page", In: spec.InQuery, Type: integer},
					{Name: "tag", In: spec.InQuery, Type: spec.Type{Kind: spec.Array, Elem: &str}},
					{Name: "type", In: spec.InQuery, Type: str},
				}},
			{Name: "getPet", Method: "GET", Path: "/pets/{id}", Result: &pet,
				Params: []spec.Param{{Name: "id", In: spec.InPath, Type: integer, Required: true, Doc: "The pet's id."}}},
			{Name: "updatePet", Method: "PUT", Path: "/pets/{id}", Body: newPet,
				Params: []spec.Param{{Name: "id", In: spec.InPath, Type: integer, Required: true}}},
			{Name: "createSignedPet", Method: "POST", Path: "/signed/pets", Body: newPet, BodyRequired: true,
				Result: &pet, Auth: spec.Auth{SigV4: true}},
			{Name: "getVersion", Method: "GET", Path: "/version", Result: &spec.Type{Kind: spec.Ref, Ref: "Version"},
				Params: []spec.Param{{Name: "X-Client-Version", In: spec.InHeader, Type: str}}},
		},
		Models: []spec.Model{
			{Name: "NewPet", Fields: []spec.Field{{Name: "name", Type: str, Required: true}, {Name: "type", Type: str}}},
			{Name: "Pet", Doc: "A pet.", Fields: []spec.Field{
				{Name: "id", Type: integer, Required: true},
				{Name: "name", Type: str, Required: true},
				{Name: "type", Type: str, Required: true},
			}},
			{Name: "SearchResult", Fields: []spec.Field{
				{Name: "type", Type: str},
				{Name: "pets", Type: spec.Type{Kind: spec.Array, Elem: &pet}},
				{Name: "searched_at", Type: spec.Type{Kind: spec.String, Format: "date-time"}},
				{Name: "default", Type: spec.Type{Kind: spec.Map, Elem: &integer}},
			}},
			{Name: "Version", Fields: []spec.Field{
				{Name: "version", Type: str}, {Name: "stage", Type: str}, {Name: "canary", Type: spec.Type{Kind: spec.Boolean}},
			}},
		},
	}
}

func TestGenerate(t *testing.T) {
	files, err := Generate(petstore(), spec.Config{})
	if err != nil {
		t.Fatal(err)
	}
	var wantFiles []string
	for _, f := range []string{"", "Client.h", "Client.m", "Error.h", "Error.m", "Internal.h", "JSON.m",
		"Models.h", "Models.m", "SHA256.c", "SHA256.h", "SigV4.h", "SigV4.m"} {
		name := "Sources/Petstore" + f
		if f == "" {
			name += ".h"
		}
		wantFiles = append(wantFiles, name)
	}
	wantFiles = append(wantFiles, "README.md")
	slices.Sort(wantFiles)
	if got := slices.Sorted(maps.Keys(files)); !slices.Equal(got, wantFiles) {
		t.Fatalf("files = %q, want %q", got, wantFiles)
	}
	tests := []struct {
		file string
		want []string
	}{
		{"Sources/Petstore.h", []string{`#import "PetstoreClient.h"`, `#import "PetstoreError.h"`, `#import "PetstoreModels.h"`, `#import "PetstoreSigV4.h"`}},
		{"Sources/PetstoreClient.h", []string{
			"@interface PetstoreClient : NSObject {",
			"@property (nonatomic, copy) NSURL *endpoint;",
			"@property (nonatomic, copy, nullable) NSString *apiKey;",
			"@property (nonatomic, strong, nullable) PetstoreSigV4Credentials *credentials;",
			"- (NSURLSessionDataTask *)listPetsWithCompletion:(void (^)(NSArray<PetstorePet *> *_Nullable result, NSError *_Nullable error))completion;",
			"- (NSURLSessionDataTask *)getPetWithId:(NSInteger)id_ completion:(void (^)(PetstorePet *_Nullable result, NSError *_Nullable error))completion;",
			"- (NSURLSessionDataTask *)inventoryWithMethod:(NSString *)method proxy:(NSString *)proxy completion:(void (^)(id _Nullable result, NSError *_Nullable error))completion;",
			"- (NSURLSessionDataTask *)searchPetsWithOptions:(PetstoreSearchPetsOptions *_Nullable)options completion:",
			"- (NSURLSessionDataTask *)updatePetWithId:(NSInteger)id_ body:(PetstoreNewPet *_Nullable)body completion:(void (^)(NSError *_Nullable error))completion;",
			"- (NSURLSessionDataTask *)healthWithCompletion:(void (^)(NSString *_Nullable text, NSError *_Nullable error))completion;",
			"@interface PetstoreSearchPetsOptions : NSObject {",
			"@property (nonatomic, copy, nullable) NSArray<NSString *> *tag;",
			"@property (nonatomic, copy, nullable) NSString *xClientVersion;",
		}},
		{"Sources/PetstoreClient.m", []string{
			`self.endpoint = [NSURL URLWithString:@"http://127.0.0.1:8080"];`,
			`self.stage = @"prod";`,
			`self.region = @"local";`,
			`self.service = @"execute-api";`,
			`NSString *path = [NSString stringWithFormat:@"/pets/%@",` + "\n" + `        PetstoreURIEncode([NSString stringWithFormat:@"%ld", (long)id_], NO)];`,
			`PetstoreURIEncode(proxy, YES)];`,
			`[self requestWithMethod:method path:path query:nil body:nil];`,
			`[query addObject:@[@"page", [options.page stringValue]]];`,
			"for (NSString *item in options.tag) {",
			`[request setValue:options.xClientVersion forHTTPHeaderField:@"X-Client-Version"];`,
			"bearer:YES",
			"sigV4:YES",
			`result:@"[]PetstorePet"`,
			`result:@"text"`,
			"completion(error);",
			`[request setValue:self.apiKey forHTTPHeaderField:@"x-api-key"];`,
			`[@"Bearer " stringByAppendingString:self.bearerToken]`,
			"[signer signRequest:request date:[NSDate date]];",
			"completion(nil, PetstoreHTTPError(status, body));",
		}},
		{"Sources/PetstoreModels.h", []string{
			"@protocol PetstoreModel <NSObject>",
			"/// A pet.\n@interface PetstorePet : NSObject <PetstoreModel> {",
			"@property (nonatomic, copy) NSNumber *id;",
			"@property (nonatomic, copy, nullable) NSString *type;",
			"@property (nonatomic, copy, nullable) NSDictionary<NSString *, NSNumber *> *default_;",
			"@property (nonatomic, copy, nullable) NSArray<PetstorePet *> *pets;",
			"- (instancetype)initWithId:(NSNumber *)id_ name:(NSString *)name type:(NSString *)type;",
			"- (instancetype)initWithName:(NSString *)name;",
		}},
		{"Sources/PetstoreModels.m", []string{
			"@synthesize id = _id;",
			`if (!PetstoreReadField(dictionary, @"id", @"number", YES, @"Pet", &value, error)) {`,
			`if (!PetstoreReadField(dictionary, @"pets", @"[]PetstorePet", NO, @"SearchResult", &value, error)) {`,
			`if (!PetstoreReadField(dictionary, @"default", @"{}number", NO, @"SearchResult", &value, error)) {`,
			`PetstoreWriteField(dictionary, @"searched_at", self.searchedAt);`,
		}},
		{"Sources/PetstoreError.m", []string{`NSString *const PetstoreErrorDomain = @"petstore.error";`}},
		{"Sources/PetstoreSHA256.c", []string{"void PetstoreHMACSHA256("}},
		{"README.md", []string{
			"# Pet Store Objective-C SDK",
			`client.apiKey = @"my-api-key";`,
			"[client listPartnerPetsWithCompletion:^(NSArray<PetstorePet *> *result, NSError *error) {",
			`[client createSignedPetWithBody:[[PetstoreNewPet alloc] initWithName:@"name"] completion:`,
			"| ANY | `/inventory/{proxy+}` | `-inventoryWithMethod:proxy:completion:` |",
			"| GET | `/pets/search` | `-searchPetsWithOptions:completion:` |",
			"PetstoreErrorMessageKey",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got := string(files[tt.file])
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("%s lacks %q", tt.file, w)
				}
			}
		})
	}

	again, err := Generate(petstore(), spec.Config{})
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range files {
		if !bytes.Equal(data, again[name]) {
			t.Errorf("%s differs between two runs", name)
		}
	}
}

func TestGeneratePackage(t *testing.T) {
	files, err := Generate(petstore(), spec.Config{Package: "pet-shop"})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(files["Sources/PetShopClient.h"], []byte("@interface PetShopClient : NSObject {")) {
		t.Errorf("the client is not PetShopClient")
	}
}

func TestGenerateNames(t *testing.T) {
	str := spec.Type{Kind: spec.String}
	tests := []struct {
		name string
		edit func(*spec.API)
		err  string // "" for none
		want string // in Client.h or Models.h when err is ""
	}{
		{"parameters clash", func(a *spec.API) {
			a.Operations[3].Params = append(a.Operations[3].Params,
				spec.Param{Name: "pet-id", In: spec.InQuery, Type: str}, spec.Param{Name: "pet_id", In: spec.InHeader, Type: str})
		}, `sdkgen: objc: operation getOwner: parameters "pet-id" and "pet_id" are both "petId" in objc`, ""},
		{"operations clash", func(a *spec.API) { a.Operations[0].Name = "list_pets" },
			`sdkgen: objc: operations "list_pets" and "listPets" are both "listPets" in objc`, ""},
		{"models clash", func(a *spec.API) {
			a.Models[0].Name = "new_pet"
			a.Models = append(a.Models, spec.Model{Name: "NewPet"})
		},
			`sdkgen: objc: models "new_pet" and "NewPet" are both "PetstoreNewPet" in objc`, ""},
		{"fields clash", func(a *spec.API) {
			a.Models[1].Fields = append(a.Models[1].Fields, spec.Field{Name: "Name", Type: str})
		}, `sdkgen: objc: model Pet: fields "name" and "Name" are both "name" in objc`, ""},
		{"model named like the client", func(a *spec.API) { a.Models = append(a.Models, spec.Model{Name: "Client"}) },
			"sdkgen: objc: model Client: its class PetstoreClient is the client's", ""},
		{"model named like options", func(a *spec.API) { a.Models = append(a.Models, spec.Model{Name: "SearchPetsOptions"}) },
			"sdkgen: objc: model SearchPetsOptions: its class PetstoreSearchPetsOptions is the options of operation searchPets's", ""},
		{"unknown model", func(a *spec.API) { a.Operations[1].Result = &spec.Type{Kind: spec.Ref, Ref: "Nope"} },
			`sdkgen: objc: operation health: no model "Nope"`, ""},
		{"reserved parameter", func(a *spec.API) {
			a.Operations[3].Params = append(a.Operations[3].Params, spec.Param{Name: "for", In: spec.InQuery, Type: str, Required: true})
		}, "", "- (NSURLSessionDataTask *)getOwnerWithName:(NSString *)name for_:(NSString *)for_ completion:"},
		{"parameter named like a local", func(a *spec.API) {
			a.Operations[6].Params = append(a.Operations[6].Params, spec.Param{Name: "query", In: spec.InQuery, Type: str, Required: true})
		}, "", "- (NSURLSessionDataTask *)createPetWithQuery:(NSString *)query_ body:(PetstoreNewPet *)body completion:"},
		{"reserved operation", func(a *spec.API) { a.Operations[1].Name = "switch" }, "", "- (NSURLSessionDataTask *)switch_WithCompletion:"},
		{"operation named like a property", func(a *spec.API) { a.Operations[1].Name = "session" }, "", "- (NSURLSessionDataTask *)session_WithCompletion:"},
		{"property of NSObject", func(a *spec.API) {
			a.Models[3].Fields = append(a.Models[3].Fields, spec.Field{Name: "description", Type: str})
		}, "", "@property (nonatomic, copy, nullable) NSString *description_;"},
		{"property that would be owned", func(a *spec.API) {
			a.Models[3].Fields = append(a.Models[3].Fields, spec.Field{Name: "new_name", Type: str}, spec.Field{Name: "newsletter", Type: str})
		}, "", "NSString *_aNewName;\n    NSString *_newsletter;"},
		{"digit first", func(a *spec.API) {
			a.Models[3].Fields = append(a.Models[3].Fields, spec.Field{Name: "2fa", Type: str})
		}, "", "@property (nonatomic, copy, nullable) NSString *_2fa;"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := petstore()
			tt.edit(api)
			files, err := Generate(api, spec.Config{})
			if tt.err != "" {
				if err == nil || err.Error() != tt.err {
					t.Fatalf("error = %v, want %s", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			src := string(files["Sources/PetstoreClient.h"]) + string(files["Sources/PetstoreModels.h"])
			if !strings.Contains(src, tt.want) {
				t.Errorf("the headers lack %q", tt.want)
			}
		})
	}
}
