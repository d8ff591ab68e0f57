package objc

import (
	"fmt"
	"strings"

	"github.com/gatekit/gatekit/sdkgen/internal/apple"
	"github.com/gatekit/gatekit/sdkgen/internal/spec"
)

// clientProperties are the client's configuration: name, type,
// attributes and doc.
var clientProperties = []struct{ name, typ, attrs, doc string }{
	{"endpoint", "NSURL *", "copy", "The API's URL, without the stage."},
	{"stage", "NSString *", "copy", "The stage, the first segment of every request's path; empty for none."},
	{"apiKey", "NSString *", "copy, nullable", "The API key, sent as x-api-key with every request when set."},
	{"bearerToken", "NSString *", "copy, nullable", "The token sent as \"Authorization: Bearer <token>\" to the operations that\n/// accept one, when set."},
	{"credentials", "{P}SigV4Credentials *", "strong, nullable", "The credentials that requests to SigV4 operations are signed with, when\n/// set."},
	{"region", "NSString *", "copy", "The region SigV4 signs for."},
	{"service", "NSString *", "copy", "The service SigV4 signs for."},
	{"session", "NSURLSession *", "strong", "The session requests are sent through."},
}

// umbrella returns {prefix}.h, the header that imports the SDK's API.
func (g *generator) umbrella() []byte {
	var w apple.Writer
	w.Line("// %s.h: the %s SDK. Import this header.", g.prefix, g.api.TitleOrName())
	w.Line("")
	for _, h := range []string{"Client", "Error", "Models", "SigV4"} {
		w.Line("#import \"%s%s.h\"", g.prefix, h)
	}
	return w.Bytes()
}

// clientHeader returns {prefix}Client.h: the options classes and the
// client's interface.
func (g *generator) clientHeader() []byte {
	var w apple.Writer
	w.Line("// %sClient.h: the client of the %s API.", g.prefix, g.api.TitleOrName())
	w.Line("")
	w.Line("#import <Foundation/Foundation.h>")
	w.Line("")
	w.Line("#import \"%sModels.h\"", g.prefix)
	w.Line("#import \"%sSigV4.h\"", g.prefix)
	w.Line("")
	w.Line("NS_ASSUME_NONNULL_BEGIN")
	for _, op := range g.ops {
		if op.options == "" {
			continue
		}
		w.Line("")
		w.Line("/// The optional parameters of -%s.", g.selector(op))
		w.Line("@interface %s : NSObject {", op.options)
		w.Line("@private")
		for i, p := range op.Params {
			if !p.Required {
				w.Line("    %s;", decl(g.objcType(p.Type), "_"+op.args[i]))
			}
		}
		w.Line("}")
		w.Line("")
		for i, p := range op.Params {
			if !p.Required {
				w.Line("/// %s", apple.ParamDoc(p))
				w.Line("@property (nonatomic, %s, nullable) %s;", attrs(p.Type), decl(g.objcType(p.Type), op.args[i]))
			}
		}
		w.Line("")
		w.Line("@end")
	}
	w.Line("")
	w.ClientDoc(g.client, g.api)
	w.Line("/// Each operation's method sends one request on the session and returns its")
	w.Line("/// task, already resumed. The completion block is called once, on the")
	w.Line("/// session's delegate queue, with the decoded response or an error: an")
	w.Line("/// error in %sErrorDomain when the status is not 2xx or the body not what", g.prefix)
	w.Line("/// the operation returns, NSURLSession's error when the request failed.")
	w.Line("///")
	w.Line("/// Set the properties before sending requests; a client may then be used")
	w.Line("/// from any thread.")
	w.Line("@interface %s : NSObject {", g.client)
	w.Line("@private")
	for _, p := range clientProperties {
		w.Line("    %s;", decl(strings.ReplaceAll(p.typ, "{P}", g.prefix), "_"+p.name))
	}
	w.Line("}")
	w.Line("")
	for _, p := range clientProperties {
		w.Line("/// %s", p.doc)
		w.Line("@property (nonatomic, %s) %s;", p.attrs, decl(strings.ReplaceAll(p.typ, "{P}", g.prefix), p.name))
	}
	endpoint, stage := g.endpoint()
	w.Line("")
	w.Line("/// Returns a client with the defaults: endpoint %s, stage %q,", endpoint, stage)
	w.Line("/// region %q, service %q, the shared session, and no", g.api.Region, g.api.SigV4Service())
	w.Line("/// credentials.")
	w.Line("- (instancetype)init;")
	for _, op := range g.ops {
		w.Line("")
		g.methodDoc(&w, op)
		w.Line("%s;", g.methodDecl(op))
	}
	w.Line("")
	w.Line("@end")
	w.Line("")
	w.Line("NS_ASSUME_NONNULL_END")
	return w.Bytes()
}

// attrs returns the property attributes of a value of type t.
func attrs(t spec.Type) string {
	if t.Kind == spec.Ref || t.Kind == spec.Any {
		return "strong"
	}
	return "copy"
}

// arg is one argument of an operation's method.
type arg struct {
	label, typ, name, doc string
}

// args returns op's method's arguments, completion block last.
func (g *generator) args(op operation) []arg {
	var args []arg
	if op.Method == "ANY" {
		args = append(args, arg{"method", "NSString *", "method", "The HTTP method (\"GET\", \"POST\", ...)."})
	}
	for i, p := range op.Params {
		if p.Required {
			args = append(args, arg{op.args[i], g.argType(p.Type), op.args[i], apple.ParamDoc(p)})
		}
	}
	if op.Body != nil {
		typ, doc := g.objcType(*op.Body), "The request body."
		if !op.BodyRequired {
			typ, doc = nullable(typ), "The request body, or nil."
		}
		args = append(args, arg{"body", typ, "body", doc})
	}
	if op.options != "" {
		args = append(args, arg{"options", nullable(op.options + " *"), "options", "The optional parameters, or nil."})
	}
	var done string
	switch {
	case op.TextResult:
		done = "Called with the response body as text, or an error."
	case op.Result != nil:
		done = "Called with the response, or an error."
	default:
		done = "Called with nil, or an error."
	}
	return append(args, arg{"completion", g.completionType(op), "completion", done})
}

// nullable marks an object type nullable.
func nullable(typ string) string {
	if typ == "id" {
		return "id _Nullable"
	}
	return typ + "_Nullable"
}

// completionType returns the type of op's completion block.
func (g *generator) completionType(op operation) string {
	switch {
	case op.TextResult:
		return "void (^)(NSString *_Nullable text, NSError *_Nullable error)"
	case op.Result != nil:
		return "void (^)(" + decl(nullable(g.objcType(*op.Result)), "result") + ", NSError *_Nullable error)"
	}
	return "void (^)(NSError *_Nullable error)"
}

// selector returns op's method's selector: "getPetWithId:completion:".
func (g *generator) selector(op operation) string {
	var b strings.Builder
	for i, a := range g.args(op) {
		b.WriteString(g.label(op, i, a))
		b.WriteByte(':')
	}
	return b.String()
}

// label returns the selector's part before the i-th argument.
func (g *generator) label(op operation, i int, a arg) string {
	if i == 0 {
		return op.method + "With" + spec.Pascal(a.label)
	}
	return a.label
}

// methodDecl returns op's method's declaration, without a semicolon.
func (g *generator) methodDecl(op operation) string {
	var parts []string
	for i, a := range g.args(op) {
		parts = append(parts, fmt.Sprintf("%s:(%s)%s", g.label(op, i, a), a.typ, a.name))
	}
	return "- (NSURLSessionDataTask *)" + strings.Join(parts, " ")
}

// methodDoc writes op's method's doc comment.
func (g *generator) methodDoc(w *apple.Writer, op operation) {
	w.OperationDoc("", op.Operation, "")
	w.Line("///")
	for _, a := range g.args(op) {
		w.Line("/// @param %s %s", a.name, a.doc)
	}
}

// clientSource returns {prefix}Client.m.
func (g *generator) clientSource() []byte {
	var w apple.Writer
	p := g.prefix
	w.Line("// %sClient.m: the client of the %s API.", p, g.api.TitleOrName())
	w.Line("")
	w.Line("#import \"%sClient.h\"", p)
	w.Line("#import \"%sInternal.h\"", p)
	for _, op := range g.ops {
		if op.options == "" {
			continue
		}
		w.Line("")
		w.Line("@implementation %s", op.options)
		w.Line("")
		for i, p := range op.Params {
			if !p.Required {
				w.Line("@synthesize %s = _%s;", op.args[i], op.args[i])
			}
		}
		w.Line("")
		w.Line("@end")
	}
	w.Line("")
	w.Line("@interface %s ()", g.client)
	w.Line("")
	w.Line("/// Returns a request for method, path (below the stage, escaped), query")
	w.Line("/// (name and value pairs, not escaped) and body (a value %sToJSON", p)
	w.Line("/// converts).")
	w.Line("- (NSMutableURLRequest *)requestWithMethod:(NSString *)method")
	w.Line("                                      path:(NSString *)path")
	w.Line("                                     query:(nullable NSArray<NSArray<NSString *> *> *)query")
	w.Line("                                      body:(nullable id)body;")
	w.Line("")
	w.Line("/// Authenticates request as the operation requires and sends it. The")
	w.Line("/// completion block gets the response converted to type (as %sFromJSON", p)
	w.Line("/// takes it), its text when type is \"text\", or nil when type is nil.")
	w.Line("- (NSURLSessionDataTask *)send:(NSMutableURLRequest *)request")
	w.Line("                        bearer:(BOOL)bearer")
	w.Line("                         sigV4:(BOOL)sigV4")
	w.Line("                        result:(nullable NSString *)type")
	w.Line("                    completion:(void (^)(id _Nullable result, NSError *_Nullable error))completion;")
	w.Line("")
	w.Line("@end")
	w.Line("")
	w.Line("@implementation %s", g.client)
	w.Line("")
	for _, prop := range clientProperties {
		w.Line("@synthesize %s = _%s;", prop.name, prop.name)
	}
	endpoint, stage := g.endpoint()
	w.Line("")
	w.Line("- (instancetype)init {")
	w.Line("    self = [super init];")
	w.Line("    if (self != nil) {")
	w.Line("        self.endpoint = [NSURL URLWithString:%s];", quote(endpoint))
	w.Line("        self.stage = %s;", quote(stage))
	w.Line("        self.region = %s;", quote(g.api.Region))
	w.Line("        self.service = %s;", quote(g.api.SigV4Service()))
	w.Line("        self.session = [NSURLSession sharedSession];")
	w.Line("    }")
	w.Line("    return self;")
	w.Line("}")
	for _, op := range g.ops {
		w.Line("")
		g.methodBody(&w, op)
	}
	w.Line("")
	w.WriteString(strings.ReplaceAll(sendCode, "{{.P}}", p))
	w.Line("")
	w.Line("@end")
	return w.Bytes()
}

// methodBody writes op's method's implementation.
func (g *generator) methodBody(w *apple.Writer, op operation) {
	w.Line("%s {", g.methodDecl(op))
	// The path, its parameters escaped.
	path := "path"
	format, values := g.pathFormat(op)
	if len(values) == 0 {
		path = quote(op.Path)
	} else {
		w.Line("    NSString *path = [NSString stringWithFormat:%s,", quote(format))
		for i, v := range values {
			sep := ","
			if i == len(values)-1 {
				sep = "];"
			}
			w.Line("        %s%s", v, sep)
		}
	}
	// The query.
	query := "nil"
	for i, p := range op.Params {
		if p.In != spec.InQuery {
			continue
		}
		if query == "nil" {
			query = "query"
			w.Line("    NSMutableArray<NSArray<NSString *> *> *query = [NSMutableArray array];")
		}
		name := op.args[i]
		if !p.Required {
			name = "options." + name
		}
		if p.Type.Kind == spec.Array {
			elem := p.Type.RepeatedElem()
			w.Line("    for (%s in %s) {", decl(g.objcType(elem), "item"), name)
			w.Line("        [query addObject:@[%s, %s]];", quote(p.Name), g.wire("item", elem, false))
			w.Line("    }")
			continue
		}
		if p.Required {
			w.Line("    [query addObject:@[%s, %s]];", quote(p.Name), g.wire(name, p.Type, true))
		} else {
			w.Line("    if (%s != nil) {", name)
			w.Line("        [query addObject:@[%s, %s]];", quote(p.Name), g.wire(name, p.Type, false))
			w.Line("    }")
		}
	}
	method := op.MethodExpr(quote)
	body := "nil"
	if op.Body != nil {
		body = "body"
	}
	w.Line("    NSMutableURLRequest *request = [self requestWithMethod:%s path:%s query:%s body:%s];", method, path, query, body)
	for i, p := range op.Params {
		if p.In != spec.InHeader {
			continue
		}
		if p.Required {
			w.Line("    [request setValue:%s forHTTPHeaderField:%s];", g.wire(op.args[i], p.Type, true), quote(p.Name))
		} else {
			name := "options." + op.args[i]
			w.Line("    if (%s != nil) {", name)
			w.Line("        [request setValue:%s forHTTPHeaderField:%s];", g.wire(name, p.Type, false), quote(p.Name))
			w.Line("    }")
		}
	}
	result := "nil"
	switch {
	case op.TextResult:
		result = `@"text"`
	case op.Result != nil:
		result = quote(g.jsonType(*op.Result))
	}
	yes := map[bool]string{true: "YES", false: "NO"}
	w.Line("    return [self send:request")
	w.Line("               bearer:%s", yes[op.Auth.Bearer])
	w.Line("                sigV4:%s", yes[op.Auth.SigV4])
	w.Line("               result:%s", result)
	w.Line("           completion:^(id result, NSError *error) {")
	switch {
	case op.TextResult || op.Result != nil:
		w.Line("               completion(result, error);")
	default:
		w.Line("               completion(error);")
	}
	w.Line("           }];")
	w.Line("}")
}

// pathFormat returns op's path as a format string and the escaped values
// of its parameters (apple.Name checked that it splits).
func (g *generator) pathFormat(op operation) (string, []string) {
	var values []string
	format := op.SubstitutePath(func(text string) string {
		return strings.ReplaceAll(text, "%", "%%")
	}, func(i int) string {
		p := op.Params[i]
		keep := map[bool]string{true: "YES", false: "NO"}[p.Greedy]
		values = append(values, fmt.Sprintf("%sURIEncode(%s, %s)", g.prefix, g.wire(op.args[i], p.Type, p.Required), keep))
		return "%@"
	})
	return format, values
}

// wire returns an expression for the text of expr, of type t, as it is
// sent: arg says expr is a required argument (a scalar for numbers and
// Booleans), not an NSNumber.
func (g *generator) wire(expr string, t spec.Type, arg bool) string {
	switch t.Kind {
	case spec.String:
		return expr
	case spec.Integer:
		if arg {
			return fmt.Sprintf("[NSString stringWithFormat:@\"%%ld\", (long)%s]", expr)
		}
		return "[" + expr + " stringValue]"
	case spec.Number:
		if arg {
			return "[[NSNumber numberWithDouble:" + expr + "] stringValue]"
		}
		return "[" + expr + " stringValue]"
	case spec.Boolean:
		if arg {
			return "(" + expr + ` ? @"true" : @"false")`
		}
		return "([" + expr + ` boolValue] ? @"true" : @"false")`
	case spec.Array:
		// A repeated parameter outside a query: its values joined by commas.
		return "[" + expr + ` componentsJoinedByString:@","]`
	}
	return "[" + expr + " description]"
}

// sendCode is the client's code that builds and sends requests.
const sendCode = `- (NSMutableURLRequest *)requestWithMethod:(NSString *)method
                                      path:(NSString *)path
                                     query:(NSArray<NSArray<NSString *> *> *)query
                                      body:(id)body {
    NSMutableString *target = [NSMutableString stringWithString:[self.endpoint absoluteString]];
    while ([target hasSuffix:@"/"]) {
        [target deleteCharactersInRange:NSMakeRange([target length] - 1, 1)];
    }
    if ([self.stage length] > 0) {
        [target appendFormat:@"/%@", self.stage];
    }
    [target appendString:path];
    NSString *separator = @"?";
    for (NSArray<NSString *> *pair in query) {
        [target appendFormat:@"%@%@=%@", separator, {{.P}}URIEncode([pair objectAtIndex:0], NO),
                             {{.P}}URIEncode([pair objectAtIndex:1], NO)];
        separator = @"&";
    }
    NSMutableURLRequest *request = [NSMutableURLRequest requestWithURL:[NSURL URLWithString:target]];
    [request setHTTPMethod:method];
    [request setValue:@"application/json" forHTTPHeaderField:@"Accept"];
    if (body != nil) {
        [request setHTTPBody:[NSJSONSerialization dataWithJSONObject:{{.P}}ToJSON(body) options:0 error:NULL]];
        [request setValue:@"application/json" forHTTPHeaderField:@"Content-Type"];
    }
    return request;
}

- (NSURLSessionDataTask *)send:(NSMutableURLRequest *)request
                        bearer:(BOOL)bearer
                         sigV4:(BOOL)sigV4
                        result:(NSString *)type
                    completion:(void (^)(id result, NSError *error))completion {
    if (self.apiKey != nil) {
        [request setValue:self.apiKey forHTTPHeaderField:@"x-api-key"];
    }
    if (bearer && self.bearerToken != nil) {
        [request setValue:[@"Bearer " stringByAppendingString:self.bearerToken] forHTTPHeaderField:@"Authorization"];
    }
    if (sigV4 && self.credentials != nil) {
        {{.P}}SigV4Signer *signer = [[{{.P}}SigV4Signer alloc] initWithCredentials:self.credentials
                                                                   region:self.region
                                                                  service:self.service];
        [signer signRequest:request date:[NSDate date]];
    }
    NSURLSessionDataTask *task = [self.session dataTaskWithRequest:request
                                                 completionHandler:^(NSData *data, NSURLResponse *response, NSError *error) {
        if (error != nil) {
            completion(nil, error);
            return;
        }
        NSData *body = data != nil ? data : [NSData data];
        NSInteger status = [response isKindOfClass:[NSHTTPURLResponse class]] ? [(NSHTTPURLResponse *)response statusCode] : 0;
        if (status < 200 || status > 299) {
            completion(nil, {{.P}}HTTPError(status, body));
            return;
        }
        if (type == nil) {
            completion(nil, nil);
        } else if ([type isEqualToString:@"text"]) {
            NSString *text = [[NSString alloc] initWithData:body encoding:NSUTF8StringEncoding];
            completion(text, text == nil ? {{.P}}BadResponseError(body, nil) : nil);
        } else {
            NSError *decodeError = nil;
            id json = [NSJSONSerialization JSONObjectWithData:body options:NSJSONReadingAllowFragments error:&decodeError];
            id result = json == nil ? nil : {{.P}}FromJSON(json, type, @"the response", &decodeError);
            completion(result, result == nil ? {{.P}}BadResponseError(body, decodeError) : nil);
        }
    }];
    [task resume];
    return task;
}
`
