// driver.m calls every operation of the pet store's prod stage through the
// generated Objective-C SDK and checks the answers, printing "ok NAME" for
// each; it exits 1 on the first failed check. It reads GATEKIT_BASE_URL,
// GATEKIT_API_KEY, GATEKIT_TOKEN, GATEKIT_ACCESS_KEY, GATEKIT_SECRET_KEY
// and GATEKIT_REGION; with GATEKIT_SIGV4_SUITE (the AWS SigV4 test suite's
// directory) it first checks the SDK's SHA-256, HMAC and signer
// (crypto.m).

#import <Foundation/Foundation.h>
#include <stdio.h>
#include <stdlib.h>

#import "Petstore.h"

void checkCrypto(NSString *suite);

// fail prints a failed check and exits.
static void fail(NSString *format, ...) {
    va_list args;
    va_start(args, format);
    NSString *message = [[NSString alloc] initWithFormat:format arguments:args];
    va_end(args);
    fprintf(stderr, "FAIL %s\n", [message UTF8String]);
    exit(1);
}

static void ok(NSString *name) {
    printf("ok %s\n", [name UTF8String]);
    fflush(stdout);
}

static NSString *env(const char *name) {
    const char *value = getenv(name);
    if (value == NULL || *value == 0) {
        fail(@"%s is not set", name);
    }
    return [NSString stringWithUTF8String:value];
}

// Waiter lets the main thread wait for a completion block.
@interface Waiter : NSObject {
    NSCondition *_condition;
    BOOL _done;
}
- (void)signal;
- (void)wait;
@end

@implementation Waiter
- (instancetype)init {
    self = [super init];
    if (self != nil) {
        _condition = [[NSCondition alloc] init];
    }
    return self;
}
- (void)signal {
    [_condition lock];
    _done = YES;
    [_condition signal];
    [_condition unlock];
}
- (void)wait {
    [_condition lock];
    NSDate *deadline = [NSDate dateWithTimeIntervalSinceNow:60];
    while (!_done) {
        if (![_condition waitUntilDate:deadline]) {
            fail(@"no answer within 60 seconds");
        }
    }
    [_condition unlock];
}
@end

// checkPets checks that pets is an array of Pets with Fido, id 1, a dog.
static void checkPets(NSString *op, NSArray<PetstorePet *> *pets, NSError *error) {
    if (error != nil) {
        fail(@"%@: %@", op, error);
    }
    BOOL fido = NO;
    for (PetstorePet *pet in pets) {
        if (![pet isKindOfClass:[PetstorePet class]]) {
            fail(@"%@: %@ is not a PetstorePet", op, pet);
        }
        if ([pet.id integerValue] == 1) {
            fido = [pet.name isEqualToString:@"Fido"] && [pet.type isEqualToString:@"dog"];
        }
    }
    if (!fido) {
        fail(@"%@: no Fido the dog with id 1 in %@", op, pets);
    }
}

int main(void) {
    @autoreleasepool {
        const char *suite = getenv("GATEKIT_SIGV4_SUITE");
        if (suite != NULL && *suite != 0) {
            checkCrypto([NSString stringWithUTF8String:suite]);
        }

        // The base URL ends with the stage: configure both.
        NSURL *base = [NSURL URLWithString:env("GATEKIT_BASE_URL")];
        PetstoreClient *client = [[PetstoreClient alloc] init];
        client.stage = [[base path] lastPathComponent];
        client.endpoint = [base URLByDeletingLastPathComponent];
        if (![client.stage isEqualToString:@"prod"]) {
            fail(@"the stage of %@ is %@", base, client.stage);
        }
        // Each client has one kind of credentials, so that an operation
        // passes only when the client sends what it needs.
        PetstoreClient *partner = [[PetstoreClient alloc] init];
        partner.endpoint = client.endpoint;
        partner.stage = client.stage;
        partner.apiKey = env("GATEKIT_API_KEY");
        PetstoreClient *admin = [[PetstoreClient alloc] init];
        admin.endpoint = client.endpoint;
        admin.stage = client.stage;
        admin.bearerToken = env("GATEKIT_TOKEN");
        PetstoreClient *signer = [[PetstoreClient alloc] init];
        signer.endpoint = client.endpoint;
        signer.stage = client.stage;
        signer.region = env("GATEKIT_REGION");
        signer.credentials = [[PetstoreSigV4Credentials alloc] initWithAccessKeyId:env("GATEKIT_ACCESS_KEY")
                                                                   secretAccessKey:env("GATEKIT_SECRET_KEY")
                                                                      sessionToken:nil];
        Waiter *waiter;

        waiter = [[Waiter alloc] init];
        [client listPetsWithCompletion:^(NSArray<PetstorePet *> *pets, NSError *error) {
            checkPets(@"listPets", pets, error);
            ok(@"listPets");
            [waiter signal];
        }];
        [waiter wait];

        waiter = [[Waiter alloc] init];
        [client getPetWithId:1 completion:^(PetstorePet *pet, NSError *error) {
            if (error != nil || [pet.id integerValue] != 1 || ![pet.name isEqualToString:@"Fido"]) {
                fail(@"getPet 1: %@ %@", pet, error);
            }
            ok(@"getPet");
            [waiter signal];
        }];
        [waiter wait];

        waiter = [[Waiter alloc] init];
        [client getPetWithId:99 completion:^(PetstorePet *pet, NSError *error) {
            if (pet != nil || ![[error domain] isEqualToString:PetstoreErrorDomain] ||
                [error code] != PetstoreErrorHTTPStatus) {
                fail(@"getPet 99: %@ %@", pet, error);
            }
            NSNumber *status = [[error userInfo] objectForKey:PetstoreErrorStatusKey];
            NSString *message = [[error userInfo] objectForKey:PetstoreErrorMessageKey];
            NSData *body = [[error userInfo] objectForKey:PetstoreErrorBodyKey];
            if ([status integerValue] != 404 || ![message isEqualToString:@"no such pet"] || [body length] == 0 ||
                ![[error localizedDescription] isEqualToString:@"no such pet"]) {
                fail(@"getPet 99: status %@, message %@, body %@", status, message, body);
            }
            ok(@"error");
            [waiter signal];
        }];
        [waiter wait];

        waiter = [[Waiter alloc] init];
        PetstoreSearchPetsOptions *search = [[PetstoreSearchPetsOptions alloc] init];
        search.type = @"dog";
        [admin searchPetsWithOptions:search completion:^(PetstoreSearchResult *result, NSError *error) {
            if (error != nil || ![result.type isEqualToString:@"dog"] || [result.pets count] == 0 ||
                [result.searchedAt length] == 0) {
                fail(@"searchPets: %@ %@", result, error);
            }
            for (PetstorePet *pet in result.pets) {
                if (![pet.type isEqualToString:@"dog"]) {
                    fail(@"searchPets dog: found %@", pet);
                }
            }
            ok(@"searchPets");
            [waiter signal];
        }];
        [waiter wait];

        waiter = [[Waiter alloc] init];
        PetstoreNewPet *rex = [[PetstoreNewPet alloc] initWithName:@"Objective Rex"];
        rex.type = @"cat";
        [client createPetWithBody:rex completion:^(PetstorePet *pet, NSError *error) {
            if (error != nil || pet.id == nil || ![pet.name isEqualToString:@"Objective Rex"] ||
                ![pet.type isEqualToString:@"cat"]) {
                fail(@"createPet: %@ %@", pet, error);
            }
            ok(@"createPet");
            [waiter signal];
        }];
        [waiter wait];

        waiter = [[Waiter alloc] init];
        [client getOwnerWithName:@"ada lovelace" completion:^(id owner, NSError *error) {
            if (error != nil || ![owner isKindOfClass:[NSDictionary class]] ||
                ![[owner objectForKey:@"owner"] isEqual:@"ada lovelace"]) {
                fail(@"getOwner: %@ %@", owner, error);
            }
            ok(@"getOwner");
            [waiter signal];
        }];
        [waiter wait];

        waiter = [[Waiter alloc] init];
        [client inventoryWithMethod:@"GET" proxy:@"stock/kibble" completion:^(id stock, NSError *error) {
            if (error != nil || ![stock isKindOfClass:[NSDictionary class]] ||
                ![[stock objectForKey:@"item"] isEqual:@"kibble"] || ![[stock objectForKey:@"env"] isEqual:@"prod"]) {
                fail(@"inventory: %@ %@", stock, error);
            }
            ok(@"inventory");
            [waiter signal];
        }];
        [waiter wait];

        waiter = [[Waiter alloc] init];
        [partner listPartnerPetsWithCompletion:^(NSArray<PetstorePet *> *pets, NSError *error) {
            checkPets(@"listPartnerPets", pets, error);
            ok(@"listPartnerPets");
            [waiter signal];
        }];
        [waiter wait];

        waiter = [[Waiter alloc] init];
        PetstoreNewPet *signed_ = [[PetstoreNewPet alloc] initWithName:@"Signed Rex"];
        [signer createSignedPetWithBody:signed_ completion:^(PetstorePet *pet, NSError *error) {
            if (error != nil || pet.id == nil || ![pet.name isEqualToString:@"Signed Rex"]) {
                fail(@"createSignedPet: %@ %@", pet, error);
            }
            ok(@"createSignedPet");
            [waiter signal];
        }];
        [waiter wait];

        waiter = [[Waiter alloc] init];
        [admin getStatsWithCompletion:^(id stats, NSError *error) {
            if (error != nil || ![stats isKindOfClass:[NSDictionary class]] ||
                ![[stats objectForKey:@"pets"] isKindOfClass:[NSNumber class]]) {
                fail(@"getStats: %@ %@", stats, error);
            }
            ok(@"getStats");
            [waiter signal];
        }];
        [waiter wait];

        waiter = [[Waiter alloc] init];
        [client healthWithCompletion:^(NSString *text, NSError *error) {
            if (error != nil || ![text isEqualToString:@"ok\n"]) {
                fail(@"health: %@ %@", text, error);
            }
            ok(@"health");
            [waiter signal];
        }];
        [waiter wait];

        waiter = [[Waiter alloc] init];
        PetstoreGetVersionOptions *version = [[PetstoreGetVersionOptions alloc] init];
        version.xClientVersion = @"objc-driver";
        [client getVersionWithOptions:version completion:^(PetstoreVersion *v, NSError *error) {
            if (error != nil || ![v.stage isEqualToString:@"prod"] || [v.version length] == 0 || v.canary == nil) {
                fail(@"getVersion: %@ %@", v, error);
            }
            ok(@"getVersion");
            [waiter signal];
        }];
        [waiter wait];
    }
    return 0;
}
