package objc

import (
	"fmt"
	"strings"

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
	var w writer
	w.line("// %s.h: the %s SDK. Import this header.", g.prefix, g.title())
	w.line("")
	for _, h := range []string{"Client", "Error", "Models", "SigV4"} {
		w.line("#import \"%s%s.h\"", g.prefix, h)
	}
	return w.Bytes()
}

// clientHeader returns {prefix}Client.h: the options classes and the
// client's interface.
func (g *generator) clientHeader() []byte {
	var w writer
	w.line("// %sClient.h: the client of the %s API.", g.prefix, g.title())
	w.line("")
	w.line("#import <Foundation/Foundation.h>")
	w.line("")
	w.line("#import \"%sModels.h\"", g.prefix)
	w.line("#import \"%sSigV4.h\"", g.prefix)
	w.line("")
	w.line("NS_ASSUME_NONNULL_BEGIN")
	for _, op := range g.ops {
		if op.options == "" {
			continue
		}
		w.line("")
		w.line("/// The optional parameters of -%s.", g.selector(op))
		w.line("@interface %s : NSObject {", op.options)
		w.line("@private")
		for i, p := range op.Params {
			if !p.Required {
				w.line("    %s;", decl(g.objcType(p.Type), "_"+op.args[i]))
			}
		}
		w.line("}")
		w.line("")
		for i, p := range op.Params {
			if !p.Required {
				w.line("/// %s", paramDoc(p))
				w.line("@property (nonatomic, %s, nullable) %s;", attrs(p.Type), decl(g.objcType(p.Type), op.args[i]))
			}
		}
		w.line("")
		w.line("@end")
	}
	w.line("")
	w.line("/// %s calls the %s API.", g.client, g.title())
	if g.api.Doc != "" {
		w.line("///")
		w.doc("", g.api.Doc)
	}
	w.line("///")
	w.line("/// Each operation's method sends one request on the session and returns its")
	w.line("/// task, already resumed. The completion block is called once, on the")
	w.line("/// session's delegate queue, with the decoded response or an error: an")
	w.line("/// error in %sErrorDomain when the status is not 2xx or the body not what", g.prefix)
	w.line("/// the operation returns, NSURLSession's error when the request failed.")
	w.line("///")
	w.line("/// Set the properties before sending requests; a client may then be used")
	w.line("/// from any thread.")
	w.line("@interface %s : NSObject {", g.client)
	w.line("@private")
	for _, p := range clientProperties {
		w.line("    %s;", decl(strings.ReplaceAll(p.typ, "{P}", g.prefix), "_"+p.name))
	}
	w.line("}")
	w.line("")
	for _, p := range clientProperties {
		w.line("/// %s", p.doc)
		w.line("@property (nonatomic, %s) %s;", p.attrs, decl(strings.ReplaceAll(p.typ, "{P}", g.prefix), p.name))
	}
	endpoint, stage := g.endpoint()
	w.line("")
	w.line("/// Returns a client with the defaults: endpoint %s, stage %q,", endpoint, stage)
	w.line("/// region %q, service %q, the shared session, and no", g.api.Region, g.service())
	w.line("/// credentials.")
	w.line("- (instancetype)init;")
	for _, op := range g.ops {
		w.line("")
		g.methodDoc(&w, op)
		w.line("%s;", g.methodDecl(op))
	}
	w.line("")
	w.line("@end")
	w.line("")
	w.line("NS_ASSUME_NONNULL_END")
	return w.Bytes()
}

// attrs returns the property attributes of a value of type t.
func attrs(t spec.Type) string {
	if t.Kind == spec.Ref || t.Kind == spec.Any {
		return "strong"
	}
	return "copy"
}

// paramDoc describes a parameter.
func paramDoc(p spec.Param) string {
	if doc := strings.TrimSpace(p.Doc); doc != "" {
		return strings.ReplaceAll(doc, "\n", " ")
	}
	return "The " + p.Name + " " + string(p.In) + " parameter."
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
			args = append(args, arg{op.args[i], g.argType(p.Type), op.args[i], paramDoc(p)})
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
func (g *generator) methodDoc(w *writer, op operation) {
	if op.Doc != "" {
		w.doc("", op.Doc)
		w.line("///")
	}
	w.line("/// `%s %s`", op.Method, op.Path)
	if auth := authDoc(op.Auth); auth != "" {
		w.line("///")
		w.line("/// %s", auth)
	}
	w.line("///")
	for _, a := range g.args(op) {
		w.line("/// @param %s %s", a.name, a.doc)
	}
}

// authDoc says which of the client's credentials an operation sends.
func authDoc(a spec.Auth) string {
	var uses []string
	if a.APIKey {
		uses = append(uses, "the API key (apiKey)")
	}
	if a.Bearer {
		uses = append(uses, "the bearer token (bearerToken)")
	}
	if a.SigV4 {
		uses = append(uses, "a SigV4 signature (credentials)")
	}
	if len(uses) == 0 {
		return ""
	}
	return "Authenticates with " + strings.Join(uses, " and ") + "."
}

// clientSource returns {prefix}Client.m.
func (g *generator) clientSource() []byte {
	var w writer
	p := g.prefix
	w.line("// %sClient.m: the client of the %s API.", p, g.title())
	w.line("")
	w.line("#import \"%sClient.h\"", p)
	w.line("#import \"%sInternal.h\"", p)
	for _, op := range g.ops {
		if op.options == "" {
			continue
		}
		w.line("")
		w.line("@implementation %s", op.options)
		w.line("")
		for i, p := range op.Params {
			if !p.Required {
				w.line("@synthesize %s = _%s;", op.args[i], op.args[i])
			}
		}
		w.line("")
		w.line("@end")
	}
	w.line("")
	w.line("@interface %s ()", g.client)
	w.line("")
	w.line("/// Returns a request for method, path (below the stage, escaped), query")
	w.line("/// (name and value pairs, not escaped) and body (a value %sToJSON", p)
	w.line("/// converts).")
	w.line("- (NSMutableURLRequest *)requestWithMethod:(NSString *)method")
	w.line("                                      path:(NSString *)path")
	w.line("                                     query:(nullable NSArray<NSArray<NSString *> *> *)query")
	w.line("                                      body:(nullable id)body;")
	w.line("")
	w.line("/// Authenticates request as the operation requires and sends it. The")
	w.line("/// completion block gets the response converted to type (as %sFromJSON", p)
	w.line("/// takes it), its text when type is \"text\", or nil when type is nil.")
	w.line("- (NSURLSessionDataTask *)send:(NSMutableURLRequest *)request")
	w.line("                        bearer:(BOOL)bearer")
	w.line("                         sigV4:(BOOL)sigV4")
	w.line("                        result:(nullable NSString *)type")
	w.line("                    completion:(void (^)(id _Nullable result, NSError *_Nullable error))completion;")
	w.line("")
	w.line("@end")
	w.line("")
	w.line("@implementation %s", g.client)
	w.line("")
	for _, prop := range clientProperties {
		w.line("@synthesize %s = _%s;", prop.name, prop.name)
	}
	endpoint, stage := g.endpoint()
	w.line("")
	w.line("- (instancetype)init {")
	w.line("    self = [super init];")
	w.line("    if (self != nil) {")
	w.line("        self.endpoint = [NSURL URLWithString:%s];", quote(endpoint))
	w.line("        self.stage = %s;", quote(stage))
	w.line("        self.region = %s;", quote(g.api.Region))
	w.line("        self.service = %s;", quote(g.service()))
	w.line("        self.session = [NSURLSession sharedSession];")
	w.line("    }")
	w.line("    return self;")
	w.line("}")
	for _, op := range g.ops {
		w.line("")
		g.methodBody(&w, op)
	}
	w.line("")
	w.WriteString(strings.ReplaceAll(sendCode, "{{.P}}", p))
	w.line("")
	w.line("@end")
	return w.Bytes()
}

// methodBody writes op's method's implementation.
func (g *generator) methodBody(w *writer, op operation) {
	w.line("%s {", g.methodDecl(op))
	// The path, its parameters escaped.
	path := "path"
	format, values := g.pathFormat(op)
	if len(values) == 0 {
		path = quote(op.Path)
	} else {
		w.line("    NSString *path = [NSString stringWithFormat:%s,", quote(format))
		for i, v := range values {
			sep := ","
			if i == len(values)-1 {
				sep = "];"
			}
			w.line("        %s%s", v, sep)
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
			w.line("    NSMutableArray<NSArray<NSString *> *> *query = [NSMutableArray array];")
		}
		name := op.args[i]
		if !p.Required {
			name = "options." + name
		}
		if p.Type.Kind == spec.Array {
			elem := elemOf(p.Type)
			w.line("    for (%s in %s) {", decl(g.objcType(elem), "item"), name)
			w.line("        [query addObject:@[%s, %s]];", quote(p.Name), g.wire("item", elem, false))
			w.line("    }")
			continue
		}
		if p.Required {
			w.line("    [query addObject:@[%s, %s]];", quote(p.Name), g.wire(name, p.Type, true))
		} else {
			w.line("    if (%s != nil) {", name)
			w.line("        [query addObject:@[%s, %s]];", quote(p.Name), g.wire(name, p.Type, false))
			w.line("    }")
		}
	}
	method := quote(op.Method)
	if op.Method == "ANY" {
		method = "method"
	}
	body := "nil"
	if op.Body != nil {
		body = "body"
	}
	w.line("    NSMutableURLRequest *request = [self requestWithMethod:%s path:%s query:%s body:%s];", method, path, query, body)
	for i, p := range op.Params {
		if p.In != spec.InHeader {
			continue
		}
		if p.Required {
			w.line("    [request setValue:%s forHTTPHeaderField:%s];", g.wire(op.args[i], p.Type, true), quote(p.Name))
		} else {
			name := "options." + op.args[i]
			w.line("    if (%s != nil) {", name)
			w.line("        [request setValue:%s forHTTPHeaderField:%s];", g.wire(name, p.Type, false), quote(p.Name))
			w.line("    }")
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
	w.line("    return [self send:request")
	w.line("               bearer:%s", yes[op.Auth.Bearer])
	w.line("                sigV4:%s", yes[op.Auth.SigV4])
	w.line("               result:%s", result)
	w.line("           completion:^(id result, NSError *error) {")
	switch {
	case op.TextResult || op.Result != nil:
		w.line("               completion(result, error);")
	default:
		w.line("               completion(error);")
	}
	w.line("           }];")
	w.line("}")
}

// pathFormat returns op's path as a format string and the escaped values
// of its parameters.
func (g *generator) pathFormat(op operation) (string, []string) {
	var b strings.Builder
	var values []string
	rest := op.Path
	for {
		open := strings.IndexByte(rest, '{')
		if open < 0 {
			break
		}
		end := strings.IndexByte(rest[open:], '}')
		if end < 0 {
			break
		}
		end += open
		b.WriteString(strings.ReplaceAll(rest[:open], "%", "%%"))
		name := strings.TrimSuffix(rest[open+1:end], "+")
		found := false
		for i, p := range op.Params {
			if p.In == spec.InPath && p.Name == name {
				keep := map[bool]string{true: "YES", false: "NO"}[p.Greedy]
				values = append(values, fmt.Sprintf("%sURIEncode(%s, %s)", g.prefix, g.wire(op.args[i], p.Type, p.Required), keep))
				b.WriteString("%@")
				found = true
			}
		}
		if !found {
			b.WriteString(strings.ReplaceAll(rest[open:end+1], "%", "%%"))
		}
		rest = rest[end+1:]
	}
	b.WriteString(strings.ReplaceAll(rest, "%", "%%"))
	return b.String(), values
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

func elemOf(t spec.Type) spec.Type {
	if t.Elem == nil {
		return spec.Type{Kind: spec.String}
	}
	return *t.Elem
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
