// crypto.m checks the SDK's SHA-256 and HMAC-SHA256 against the FIPS 180-4
// and RFC 4231 examples, and its SigV4 signer against cases of the AWS
// SigV4 test suite, printing "ok sha256", "ok hmac" and "ok sigv4 CASE".

#import <Foundation/Foundation.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#import "Petstore.h"
#import "PetstoreSHA256.h"

static void failCrypto(NSString *what, NSString *got, NSString *want) {
    fprintf(stderr, "FAIL %s:\n got %s\nwant %s\n", [what UTF8String], [got UTF8String], [want UTF8String]);
    exit(1);
}

static NSString *hex(const uint8_t *bytes, size_t length) {
    NSMutableString *s = [NSMutableString string];
    for (size_t i = 0; i < length; i++) {
        [s appendFormat:@"%02x", bytes[i]];
    }
    return s;
}

static NSData *fromHex(NSString *s) {
    NSMutableData *data = [NSMutableData data];
    for (NSUInteger i = 0; i + 1 < [s length]; i += 2) {
        unsigned int byte;
        sscanf([[s substringWithRange:NSMakeRange(i, 2)] UTF8String], "%02x", &byte);
        uint8_t b = (uint8_t)byte;
        [data appendBytes:&b length:1];
    }
    return data;
}

static void checkSHA256(void) {
    // FIPS 180-4's examples (csrc.nist.gov example values), and the empty
    // message.
    struct { const char *message; const char *digest; } cases[] = {
        {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
        {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
        {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
        {"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t digest[PetstoreSHA256DigestLength];
        PetstoreSHA256(cases[i].message, strlen(cases[i].message), digest);
        NSString *got = hex(digest, sizeof digest);
        if (![got isEqualToString:[NSString stringWithUTF8String:cases[i].digest]]) {
            failCrypto([NSString stringWithFormat:@"sha256 %s", cases[i].message], got,
                [NSString stringWithUTF8String:cases[i].digest]);
        }
    }
    // A million "a"s, fed in pieces that do not line up with blocks.
    PetstoreSHA256Context context;
    PetstoreSHA256Init(&context);
    char chunk[1000];
    memset(chunk, 'a', sizeof chunk);
    for (int i = 0; i < 1000; i++) {
        PetstoreSHA256Update(&context, chunk, 333);
        PetstoreSHA256Update(&context, chunk + 333, 667);
    }
    uint8_t digest[PetstoreSHA256DigestLength];
    PetstoreSHA256Final(&context, digest);
    NSString *want = @"cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
    if (![hex(digest, sizeof digest) isEqualToString:want]) {
        failCrypto(@"sha256 of a million a", hex(digest, sizeof digest), want);
    }
    printf("ok sha256\n");
}

static void checkHMAC(void) {
    // RFC 4231's test cases 1, 2, 3, 4, 6 and 7 (case 5 truncates).
    NSString *cases[][3] = {
        {@"0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", @"4869205468657265",
            @"b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
        {@"4a656665", @"7768617420646f2079612077616e7420666f72206e6f7468696e673f",
            @"5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
        {@"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            @"dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd",
            @"773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
        {@"0102030405060708090a0b0c0d0e0f10111213141516171819",
            @"cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd",
            @"82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"},
        {[@"" stringByPaddingToLength:262 withString:@"aa" startingAtIndex:0],
            @"54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a65204b6579202d2048617368204b6579204669727374",
            @"60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
        {[@"" stringByPaddingToLength:262 withString:@"aa" startingAtIndex:0],
            @"5468697320697320612074657374207573696e672061206c6172676572207468616e20626c6f636b2d73697a65206b657920616e642061206c6172676572207468616e20626c6f636b2d73697a6520646174612e20546865206b6579206e6565647320746f20626520686173686564206265666f7265206265696e6720757365642062792074686520484d414320616c676f726974686d2e",
            @"9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        NSData *key = fromHex(cases[i][0]);
        NSData *data = fromHex(cases[i][1]);
        uint8_t mac[PetstoreSHA256DigestLength];
        PetstoreHMACSHA256([key bytes], [key length], [data bytes], [data length], mac);
        if (![hex(mac, sizeof mac) isEqualToString:cases[i][2]]) {
            failCrypto([NSString stringWithFormat:@"hmac case %zu", i], hex(mac, sizeof mac), cases[i][2]);
        }
    }
    printf("ok hmac\n");
}

// checkSigV4 signs the request of each case of the AWS suite whose signed
// headers are the ones the signer signs, and compares the Authorization
// header with the suite's.
static void checkSigV4(NSString *suite) {
    NSArray<NSString *> *names = [NSArray arrayWithObjects:@"get-vanilla", @"get-vanilla-query",
        @"get-vanilla-query-order-key-case", @"get-vanilla-query-order-value", @"get-vanilla-query-unreserved",
        @"get-vanilla-empty-query-key", @"post-vanilla", @"post-vanilla-query", @"post-vanilla-empty-query-value",
        @"post-sts-token/post-sts-header-before", nil];
    PetstoreSigV4Credentials *credentials =
        [[PetstoreSigV4Credentials alloc] initWithAccessKeyId:@"AKIDEXAMPLE"
                                              secretAccessKey:@"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
                                                 sessionToken:nil];
    PetstoreSigV4Signer *signer = [[PetstoreSigV4Signer alloc] initWithCredentials:credentials
                                                                            region:@"us-east-1"
                                                                           service:@"service"];
    NSDate *date = [NSDate dateWithTimeIntervalSince1970:1440938160]; // 20150830T123600Z
    for (NSString *name in names) {
        NSString *base = [suite stringByAppendingPathComponent:
            [name stringByAppendingPathComponent:[name lastPathComponent]]];
        NSString *raw = [NSString stringWithContentsOfFile:[base stringByAppendingString:@".req"]
                                                  encoding:NSUTF8StringEncoding error:NULL];
        NSString *authz = [NSString stringWithContentsOfFile:[base stringByAppendingString:@".authz"]
                                                    encoding:NSUTF8StringEncoding error:NULL];
        if (raw == nil || authz == nil) {
            failCrypto([NSString stringWithFormat:@"sigv4 %@: reading %@", name, base], @"nothing", @"the case");
        }
        // The request line, then headers up to an empty line, then the body.
        NSArray<NSString *> *lines = [raw componentsSeparatedByString:@"\n"];
        NSArray<NSString *> *requestLine = [[lines objectAtIndex:0] componentsSeparatedByString:@" "];
        NSString *host = nil;
        NSString *token = nil;
        NSUInteger i = 1;
        for (; i < [lines count] && [[lines objectAtIndex:i] length] > 0; i++) {
            NSString *line = [lines objectAtIndex:i];
            NSRange colon = [line rangeOfString:@":"];
            NSString *header = [[line substringToIndex:colon.location] lowercaseString];
            NSString *value = [line substringFromIndex:NSMaxRange(colon)];
            if ([header isEqualToString:@"host"]) {
                host = value;
            } else if ([header isEqualToString:@"x-amz-security-token"]) {
                token = value;
            }
        }
        NSString *body = i + 1 < [lines count]
            ? [[lines subarrayWithRange:NSMakeRange(i + 1, [lines count] - i - 1)] componentsJoinedByString:@"\n"]
            : @"";
        NSString *url = [NSString stringWithFormat:@"https://%@%@", host, [requestLine objectAtIndex:1]];
        NSMutableURLRequest *request = [NSMutableURLRequest requestWithURL:[NSURL URLWithString:url]];
        [request setHTTPMethod:[requestLine objectAtIndex:0]];
        if ([body length] > 0) {
            [request setHTTPBody:[body dataUsingEncoding:NSUTF8StringEncoding]];
        }
        credentials.sessionToken = token;
        [signer signRequest:request date:date];
        NSString *got = [request valueForHTTPHeaderField:@"Authorization"];
        NSString *want = [authz stringByTrimmingCharactersInSet:[NSCharacterSet whitespaceAndNewlineCharacterSet]];
        if (![got isEqualToString:want]) {
            failCrypto([NSString stringWithFormat:@"sigv4 %@", name], got, want);
        }
        printf("ok sigv4 %s\n", [name UTF8String]);
    }
}

void checkCrypto(NSString *suite) {
    checkSHA256();
    checkHMAC();
    checkSigV4(suite);
    fflush(stdout);
}
