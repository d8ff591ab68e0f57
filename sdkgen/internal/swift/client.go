package swift

import (
	"strings"

	"github.com/gatekit/gatekit/sdkgen/internal/apple"
	"github.com/gatekit/gatekit/sdkgen/internal/spec"
)

// clientFile returns Client.swift: the client class, its configuration,
// one method per operation, and the code that sends requests.
func (g *generator) clientFile() []byte {
	var w apple.Writer
	endpoint, stage := g.endpoint()
	w.Line("import Foundation")
	w.Line("#if canImport(FoundationNetworking)")
	w.Line("import FoundationNetworking")
	w.Line("#endif")
	w.Line("")
	w.ClientDoc(g.client, g.api)
	w.Line("/// Each method sends one request and returns the decoded response. A")
	w.Line("/// response whose status is not 2xx throws ``APIError``; a request that")
	w.Line("/// fails on the network throws URLSession's error.")
	w.Line("public final class %s {", g.client)
	w.Line("    /// Configuration says where requests go and how they authenticate.")
	w.Line("    public struct Configuration: Sendable {")
	w.Line("        /// The API's URL, without the stage.")
	w.Line("        public var endpoint: URL")
	w.Line("        /// The stage, the first segment of every request's path; empty for")
	w.Line("        /// none.")
	w.Line("        public var stage: String")
	w.Line("        /// The API key, sent as x-api-key with every request when set.")
	w.Line("        public var apiKey: String?")
	w.Line("        /// The token sent as \"Authorization: Bearer <token>\" to the operations")
	w.Line("        /// that accept one, when set.")
	w.Line("        public var bearerToken: String?")
	w.Line("        /// The credentials that requests to SigV4 operations are signed with,")
	w.Line("        /// when set.")
	w.Line("        public var credentials: SigV4Credentials?")
	w.Line("        /// The region SigV4 signs for.")
	w.Line("        public var region: String")
	w.Line("        /// The service SigV4 signs for.")
	w.Line("        public var service: String")
	w.Line("")
	w.Line("        public init(")
	w.Line("            endpoint: URL = URL(string: %s)!,", quote(endpoint))
	w.Line("            stage: String = %s,", quote(stage))
	w.Line("            apiKey: String? = nil,")
	w.Line("            bearerToken: String? = nil,")
	w.Line("            credentials: SigV4Credentials? = nil,")
	w.Line("            region: String = %s,", quote(g.api.Region))
	w.Line("            service: String = %s", quote(g.api.SigV4Service()))
	w.Line("        ) {")
	for _, f := range []string{"endpoint", "stage", "apiKey", "bearerToken", "credentials", "region", "service"} {
		w.Line("            self.%s = %s", f, f)
	}
	w.Line("        }")
	w.Line("    }")
	w.Line("")
	w.Line("    /// The configuration requests are sent with.")
	w.Line("    public let configuration: Configuration")
	w.Line("    /// The session requests are sent through.")
	w.Line("    public let session: URLSession")
	w.Line("")
	w.Line("    public init(configuration: Configuration = Configuration(), session: URLSession = .shared) {")
	w.Line("        self.configuration = configuration")
	w.Line("        self.session = session")
	w.Line("    }")
	for _, op := range g.ops {
		w.Line("")
		g.method(&w, op)
	}
	w.Line("")
	w.WriteString(sendCode)
	w.Line("}")
	w.Line("")
	w.WriteString(requestCode)
	return w.Bytes()
}

// method writes an operation's method.
func (g *generator) method(w *apple.Writer, op operation) {
	type arg struct{ decl, doc string }
	var args []arg
	if op.Method == "ANY" {
		args = append(args, arg{"method: String", "The HTTP method (\"GET\", \"POST\", ...)."})
	}
	paramArg := func(i int) arg {
		p := op.Params[i]
		t := g.swiftType(p.Type)
		decl := op.args[i] + ": " + t
		if !p.Required {
			decl += "? = nil"
		}
		return arg{decl, apple.ParamDoc(p)}
	}
	for i, p := range op.Params {
		if p.Required {
			args = append(args, paramArg(i))
		}
	}
	if op.Body != nil && op.BodyRequired {
		args = append(args, arg{"body: " + g.swiftType(*op.Body), "The request body."})
	}
	for i, p := range op.Params {
		if !p.Required {
			args = append(args, paramArg(i))
		}
	}
	if op.Body != nil && !op.BodyRequired {
		args = append(args, arg{"body: " + g.swiftType(*op.Body) + "? = nil", "The request body, if any."})
	}

	w.OperationDoc("    ", op.Operation, "`")
	if len(args) > 0 {
		w.Line("    ///")
		w.Line("    /// - Parameters:")
		for _, a := range args {
			name, _, _ := strings.Cut(a.decl, ":")
			w.Line("    ///   - %s: %s", name, strings.ReplaceAll(a.doc, "\n", " "))
		}
	}
	ret := ""
	switch {
	case op.TextResult:
		ret = " -> String"
	case op.Result != nil:
		ret = " -> " + g.swiftType(*op.Result)
	}
	decls := make([]string, len(args))
	for i, a := range args {
		decls[i] = a.decl
	}
	w.Line("    public func %s(%s) async throws%s {", op.method, strings.Join(decls, ", "), ret)

	method := op.MethodExpr(quote)
	init := "method: " + method + ", path: " + g.path(op)
	if op.Auth.Bearer {
		init += ", bearer: true"
	}
	if op.Auth.SigV4 {
		init += ", sigV4: true"
	}
	mutable := op.Body != nil
	for _, p := range op.Params {
		mutable = mutable || p.In != spec.InPath
	}
	if mutable {
		w.Line("        var request = Request(%s)", init)
	} else {
		w.Line("        let request = Request(%s)", init)
	}
	for i, p := range op.Params {
		if p.In == spec.InPath {
			continue
		}
		name := op.args[i]
		indent := "        "
		if !p.Required {
			w.Line("        if let %s {", name)
			indent += "    "
		}
		switch {
		case p.In == spec.InQuery && p.Type.Kind == spec.Array:
			w.Line("%srequest.query += %s.map { (%s, %s) }", indent, name, quote(p.Name), str("$0", p.Type.RepeatedElem()))
		case p.In == spec.InQuery:
			w.Line("%srequest.query.append((%s, %s))", indent, quote(p.Name), str(name, p.Type))
		default:
			w.Line("%srequest.headers[%s] = %s", indent, quote(p.Name), str(name, p.Type))
		}
		if !p.Required {
			w.Line("        }")
		}
	}
	if op.Body != nil {
		if op.BodyRequired {
			w.Line("        request.body = try JSONEncoder().encode(body)")
		} else {
			w.Line("        if let body {")
			w.Line("            request.body = try JSONEncoder().encode(body)")
			w.Line("        }")
		}
	}
	switch {
	case op.TextResult:
		w.Line("        return try await String(decoding: send(request), as: UTF8.self)")
	case op.Result != nil:
		w.Line("        return try await send(request, returning: %s.self)", g.swiftType(*op.Result))
	default:
		w.Line("        try await send(request)")
	}
	w.Line("    }")
}

// path returns a Swift string expression for op's path with its path
// parameters substituted and escaped (apple.Name checked that it splits).
func (g *generator) path(op operation) string {
	return `"` + op.SubstitutePath(func(text string) string {
		q := quote(text)
		return q[1 : len(q)-1]
	}, func(i int) string {
		escape := "Request.escape"
		if op.Params[i].Greedy {
			escape = "Request.escapePath"
		}
		return `\(` + escape + "(" + str(op.args[i], op.Params[i].Type) + "))"
	}) + `"`
}

// str returns a Swift expression for the wire text of expr, of type t.
func str(expr string, t spec.Type) string {
	switch t.Kind {
	case spec.String:
		return expr
	case spec.Array:
		return expr + ".map { " + str("$0", t.RepeatedElem()) + " }.joined(separator: \",\")"
	}
	return "String(" + expr + ")"
}

// sendCode is the client's private code that sends a Request.
const sendCode = `    /// Sends request and returns the body of its 2xx response.
    @discardableResult
    private func send(_ request: Request) async throws -> Data {
        var target = configuration.endpoint.absoluteString
        while target.hasSuffix("/") {
            target.removeLast()
        }
        if !configuration.stage.isEmpty {
            target += "/" + configuration.stage
        }
        target += request.path
        if !request.query.isEmpty {
            target += "?" + request.query.map { "\(Request.escape($0.0))=\(Request.escape($0.1))" }.joined(separator: "&")
        }
        guard let url = URL(string: target) else {
            throw URLError(.badURL)
        }
        var urlRequest = URLRequest(url: url)
        urlRequest.httpMethod = request.method
        urlRequest.setValue("application/json", forHTTPHeaderField: "Accept")
        for (name, value) in request.headers {
            urlRequest.setValue(value, forHTTPHeaderField: name)
        }
        if let body = request.body {
            urlRequest.httpBody = body
            urlRequest.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        if let apiKey = configuration.apiKey {
            urlRequest.setValue(apiKey, forHTTPHeaderField: "x-api-key")
        }
        if request.bearer, let token = configuration.bearerToken {
            urlRequest.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        }
        if request.sigV4, let credentials = configuration.credentials {
            let signer = SigV4Signer(credentials: credentials, region: configuration.region, service: configuration.service)
            signer.sign(&urlRequest)
        }
        let (data, response) = try await perform(urlRequest)
        guard (200..<300).contains(response.statusCode) else {
            throw APIError(status: response.statusCode, body: data)
        }
        return data
    }

    /// Sends request and decodes its 2xx response's JSON body as type.
    private func send<T: Decodable>(_ request: Request, returning type: T.Type) async throws -> T {
        try await JSONDecoder().decode(type, from: send(request))
    }

    /// Performs request on the session.
    private func perform(_ request: URLRequest) async throws -> (Data, HTTPURLResponse) {
        #if canImport(FoundationNetworking)
        // Foundation on Linux has no async data(for:).
        let (data, response): (Data, URLResponse) = try await withCheckedThrowingContinuation { continuation in
            session.dataTask(with: request) { data, response, error in
                if let error {
                    continuation.resume(throwing: error)
                } else if let response {
                    continuation.resume(returning: (data ?? Data(), response))
                } else {
                    continuation.resume(throwing: URLError(.badServerResponse))
                }
            }.resume()
        }
        #else
        let (data, response) = try await session.data(for: request)
        #endif
        guard let http = response as? HTTPURLResponse else {
            throw URLError(.badServerResponse)
        }
        return (data, http)
    }
`

// requestCode is the Request type operations fill in.
const requestCode = `/// Request is an operation's request, before the client adds its
/// configuration.
struct Request {
    var method: String
    /// The path below the stage, its parameters escaped.
    var path: String
    /// The query parameters, in order, not escaped.
    var query: [(String, String)] = []
    var headers: [String: String] = [:]
    /// The JSON body.
    var body: Data?
    /// Whether the operation accepts the bearer token.
    var bearer = false
    /// Whether the operation is signed with SigV4.
    var sigV4 = false

    /// Percent-encodes a path segment or a query component (RFC 3986).
    static func escape(_ s: String) -> String {
        SigV4Signer.uriEncode(s)
    }

    /// Percent-encodes each segment of a greedy path parameter, keeping
    /// its slashes.
    static func escapePath(_ s: String) -> String {
        SigV4Signer.uriEncode(s, keepSlash: true)
    }
}
`
