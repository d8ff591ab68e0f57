// URLSessionShim.h declares the part of NSURLSession that the generated
// SDK uses, for a gnustep-base built without NSURLSession (Debian's is:
// GS_HAVE_NSURLSESSION is 0). Test-only: the runner passes it with
// -include when compiling the SDK and the driver.

#import <Foundation/Foundation.h>

#if !GS_HAVE_NSURLSESSION

@interface NSURLSessionTask : NSObject
- (void)resume;
@end

@interface NSURLSessionDataTask : NSURLSessionTask {
    NSURLRequest *_request;
    void (^_handler)(NSData *data, NSURLResponse *response, NSError *error);
}
@end

@interface NSURLSession : NSObject
+ (NSURLSession *)sharedSession;
- (NSURLSessionDataTask *)dataTaskWithRequest:(NSURLRequest *)request
                            completionHandler:(void (^)(NSData *data, NSURLResponse *response, NSError *error))handler;
@end

#endif
