// URLSessionShim.m implements URLSessionShim.h on NSURLConnection: each
// task runs its request on a thread of its own and calls its completion
// handler there, as NSURLSession calls it on its delegate queue.
//
// It is compiled without ARC (GCC's runtime has none), and
// libBlocksRuntime does not retain the objects a copied block captures:
// the driver keeps what its blocks capture alive until they have run.

#import "URLSessionShim.h"

#if !GS_HAVE_NSURLSESSION

#include <Block.h>

@implementation NSURLSessionTask
- (void)resume {
}
@end

@implementation NSURLSessionDataTask

- (instancetype)initWithRequest:(NSURLRequest *)request
                        handler:(void (^)(NSData *, NSURLResponse *, NSError *))handler {
    self = [super init];
    if (self != nil) {
        _request = [request retain]; // not copy: GNUstep's copy loses the HTTPBody
        _handler = Block_copy(handler);
    }
    return self;
}

- (void)resume {
    [NSThread detachNewThreadSelector:@selector(run) toTarget:self withObject:nil];
}

- (void)run {
    NSAutoreleasePool *pool = [[NSAutoreleasePool alloc] init];
    NSURLResponse *response = nil;
    NSError *error = nil;
    NSData *data = [NSURLConnection sendSynchronousRequest:_request returningResponse:&response error:&error];
    if (response != nil) {
        error = nil;
    } else if (error == nil) {
        error = [NSError errorWithDomain:NSURLErrorDomain code:NSURLErrorUnknown userInfo:nil];
    }
    _handler(data, response, error);
    [pool drain];
}

@end

@implementation NSURLSession

+ (NSURLSession *)sharedSession {
    static NSURLSession *shared;
    @synchronized(self) {
        if (shared == nil) {
            shared = [[NSURLSession alloc] init];
        }
    }
    return shared;
}

- (NSURLSessionDataTask *)dataTaskWithRequest:(NSURLRequest *)request
                            completionHandler:(void (^)(NSData *, NSURLResponse *, NSError *))handler {
    return [[[NSURLSessionDataTask alloc] initWithRequest:request handler:handler] autorelease];
}

@end

#endif
