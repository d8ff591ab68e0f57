package objc

import (
	"testing"

	"github.com/gatekit/gatekit/sdkgen/internal/spec"
	"github.com/gatekit/gatekit/sdkgen/internal/spec/spectest"
)

func TestGenerate(t *testing.T) {
	wantFiles := []string{"README.md"}
	for _, f := range []string{"", "Client.h", "Client.m", "Error.h", "Error.m", "Internal.h", "JSON.m",
		"Models.h", "Models.m", "SHA256.c", "SHA256.h", "SigV4.h", "SigV4.m"} {
		name := "Sources/Petstore" + f
		if f == "" {
			name += ".h"
		}
		wantFiles = append(wantFiles, name)
	}
	files := spectest.GeneratePetstore(t, Generate, wantFiles...)
	spectest.Contains(t, files, map[string][]string{
		"Sources/Petstore.h": {`#import "PetstoreClient.h"`, `#import "PetstoreError.h"`, `#import "PetstoreModels.h"`, `#import "PetstoreSigV4.h"`},
		"Sources/PetstoreClient.h": {
			"@interface PetstoreClient : NSObject {",
			"@property (nonatomic, copy) NSURL *endpoint;",
			"@property (nonatomic, copy, nullable) NSString *apiKey;",
			"@property (nonatomic, strong, nullable) PetstoreSigV4Credentials *credentials;",
			"- (NSURLSessionDataTask *)listPetsWithCompletion:(void (^)(NSArray<PetstorePet *> *_Nullable result, NSError *_Nullable error))completion;",
			"- (NSURLSessionDataTask *)getPetWithId:(NSInteger)id_ completion:(void (^)(PetstorePet *_Nullable result, NSError *_Nullable error))completion;",
			"- (NSURLSessionDataTask *)inventoryWithMethod:(NSString *)method proxy:(NSString *)proxy body:(id _Nullable)body completion:(void (^)(id _Nullable result, NSError *_Nullable error))completion;",
			"- (NSURLSessionDataTask *)searchPetsWithOptions:(PetstoreSearchPetsOptions *_Nullable)options completion:",
			"- (NSURLSessionDataTask *)updatePetWithId:(NSInteger)id_ body:(PetstoreNewPet *_Nullable)body completion:(void (^)(NSError *_Nullable error))completion;",
			"- (NSURLSessionDataTask *)healthWithCompletion:(void (^)(NSString *_Nullable text, NSError *_Nullable error))completion;",
			"@interface PetstoreSearchPetsOptions : NSObject {",
			"@property (nonatomic, copy, nullable) NSArray<NSString *> *tag;",
			"@property (nonatomic, copy, nullable) NSString *xClientVersion;",
		},
		"Sources/PetstoreClient.m": {
			`self.endpoint = [NSURL URLWithString:@"http://127.0.0.1:8080"];`,
			`self.stage = @"prod";`,
			`self.region = @"local";`,
			`self.service = @"execute-api";`,
			`NSString *path = [NSString stringWithFormat:@"/pets/%@",` + "\n" + `        PetstoreURIEncode([NSString stringWithFormat:@"%ld", (long)id_], NO)];`,
			`PetstoreURIEncode(proxy, YES)];`,
			`[self requestWithMethod:method path:path query:nil body:body];`,
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
		},
		"Sources/PetstoreModels.h": {
			"@protocol PetstoreModel <NSObject>",
			"/// A pet in the store.\n@interface PetstorePet : NSObject <PetstoreModel> {",
			"@property (nonatomic, copy) NSNumber *id;",
			"@property (nonatomic, copy, nullable) NSString *type;",
			"@property (nonatomic, copy, nullable) NSDictionary<NSString *, NSNumber *> *default_;",
			"@property (nonatomic, copy, nullable) NSArray<PetstorePet *> *pets;",
			"- (instancetype)initWithId:(NSNumber *)id_ name:(NSString *)name type:(NSString *)type;",
			"- (instancetype)initWithName:(NSString *)name;",
		},
		"Sources/PetstoreModels.m": {
			"@synthesize id = _id;",
			`if (!PetstoreReadField(dictionary, @"id", @"number", YES, @"Pet", &value, error)) {`,
			`if (!PetstoreReadField(dictionary, @"pets", @"[]PetstorePet", NO, @"SearchResult", &value, error)) {`,
			`if (!PetstoreReadField(dictionary, @"default", @"{}number", NO, @"SearchResult", &value, error)) {`,
			`PetstoreWriteField(dictionary, @"build-id", self.buildId);`,
		},
		"Sources/PetstoreError.m":  {`NSString *const PetstoreErrorDomain = @"petstore.error";`},
		"Sources/PetstoreSHA256.c": {"void PetstoreHMACSHA256("},
		"README.md": {
			"# Pet Store Objective-C SDK",
			`client.apiKey = @"my-api-key";`,
			"[client listPartnerPetsWithCompletion:^(NSArray<PetstorePet *> *result, NSError *error) {",
			`[client createSignedPetWithBody:[[PetstoreNewPet alloc] initWithName:@"name"] completion:`,
			"| ANY | `/inventory/{proxy+}` | `-inventoryWithMethod:proxy:body:completion:` |",
			"| GET | `/pets/search` | `-searchPetsWithOptions:completion:` |",
			"PetstoreErrorMessageKey",
		},
	})
}

func TestGeneratePackage(t *testing.T) {
	files := spectest.Generate(t, Generate, spectest.Petstore(), spec.Config{Package: "pet-shop"})
	spectest.Contains(t, files, map[string][]string{"Sources/PetShopClient.h": {"@interface PetShopClient : NSObject {"}})
}

func TestGenerateNames(t *testing.T) {
	spectest.CheckErrors(t, "objc", Generate)
	const client, models = "Sources/PetstoreClient.h", "Sources/PetstoreModels.h"
	str := spec.Type{Kind: spec.String}
	field := func(a *spec.API, names ...string) {
		m := spectest.Model(a, "Version")
		for _, name := range names {
			m.Fields = append(m.Fields, spec.Field{Name: name, Type: str})
		}
	}
	spectest.CheckCases(t, Generate, []spectest.Case{
		{Name: "model named like the client", Change: func(a *spec.API) { a.Models = append(a.Models, spec.Model{Name: "Client"}) },
			Err: "sdkgen: objc: model Client: its class PetstoreClient is the client's"},
		{Name: "reserved parameter", Change: func(a *spec.API) {
			op := spectest.Op(a, "getOwner")
			op.Params = append(op.Params, spec.Param{Name: "for", In: spec.InQuery, Type: str, Required: true})
		}, Want: map[string][]string{client: {"- (NSURLSessionDataTask *)getOwnerWithName:(NSString *)name for_:(NSString *)for_ completion:"}}},
		{Name: "parameter named like a local", Change: func(a *spec.API) {
			op := spectest.Op(a, "createPet")
			op.Params = append(op.Params, spec.Param{Name: "query", In: spec.InQuery, Type: str, Required: true})
		}, Want: map[string][]string{client: {"- (NSURLSessionDataTask *)createPetWithQuery:(NSString *)query_ body:(PetstoreNewPet *)body completion:"}}},
		{Name: "reserved operation", Change: func(a *spec.API) { spectest.Op(a, "health").Name = "switch" },
			Want: map[string][]string{client: {"- (NSURLSessionDataTask *)switch_WithCompletion:"}}},
		{Name: "operation named like a property", Change: func(a *spec.API) { spectest.Op(a, "health").Name = "session" },
			Want: map[string][]string{client: {"- (NSURLSessionDataTask *)session_WithCompletion:"}}},
		{Name: "property of NSObject", Change: func(a *spec.API) { field(a, "description") },
			Want: map[string][]string{models: {"@property (nonatomic, copy, nullable) NSString *description_;"}}},
		{Name: "property that would be owned", Change: func(a *spec.API) { field(a, "new_name", "newsletter") },
			Want: map[string][]string{models: {"NSString *_aNewName;\n    NSString *_newsletter;"}}},
		{Name: "digit first", Change: func(a *spec.API) { field(a, "2fa") },
			Want: map[string][]string{models: {"@property (nonatomic, copy, nullable) NSString *_2fa;"}}},
	})
}
