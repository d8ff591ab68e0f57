package swift

import (
	"strings"

	"github.com/gatekit/gatekit/sdkgen/internal/spec"
)

// clientFile returns Client.swift: the client class, its configuration,
// one method per operation, and the code that sends requests.
func (g *generator) clientFile() []byte {
	var w writer
	endpoint, stage := g.endpoint()
	service := g.api.Service
	if service == "" {
		service = "execute-api"
	}
	w.line("import Foundation")
	w.line("#if canImport(FoundationNetworking)")
	w.line("import FoundationNetworking")
	w.line("#endif")
	w.line("")
	w.line("/// %s calls the %s API.", g.client, g.title())
	if g.api.Doc != "" {
		w.line("///")
		w.doc("", g.api.Doc)
	}
	w.line("///")
	w.line("/// Each method sends one request and returns the decoded response. A")
	w.line("/// response whose status is not 2xx throws ``APIError``; a request that")
	w.line("/// fails on the network throws URLSession's error.")
	w.line("public final class %s {", g.client)
	w.line("    /// Configuration says where requests go and how they authenticate.")
	w.line("    public struct Configuration: Sendable {")
	w.line("        /// The API's URL, without the stage.")
	w.line("        public var endpoint: URL")
	w.line("        /// The stage, the first segment of every request's path; empty for")
	w.line("        /// none.")
	w.line("        public var stage: String")
	w.line("        /// The API key, sent as x-api-key with every request when set.")
	w.line("        public var apiKey: String?")
	w.line("        /// The token sent as \"Authorization: Bearer <token>\" to the operations")
	w.line("        /// that accept one, when set.")
	w.line("        public var bearerToken: String?")
	w.line("        /// The credentials that requests to SigV4 operations are signed with,")
	w.line("        /// when set.")
	w.line("        public var credentials: SigV4Credentials?")
	w.line("        /// The region SigV4 signs for.")
	w.line("        public var region: String")
	w.line("        /// The service SigV4 signs for.")
	w.line("        public var service: String")
	w.line("")
	w.line("        public init(")
	w.line("            endpoint: URL = URL(string: %s)!,", quote(endpoint))
	w.line("            stage: String = %s,", quote(stage))
	w.line("            apiKey: String? = nil,")
	w.line("            bearerToken: String? = nil,")
	w.line("            credentials: SigV4Credentials? = nil,")
	w.line("            region: String = %s,", quote(g.api.Region))
	w.line("            service: String = %s", quote(service))
	w.line("        ) {")
	for _, f := range []string{"endpoint", "stage", "apiKey", "bearerToken", "credentials", "region", "service"} {
		w.line("            self.%s = %s", f, f)
	}
	w.line("        }")
	w.line("    }")
	w.line("")
	w.line("    /// The configuration requests are sent with.")
	w.line("    public let configuration: Configuration")
	w.line("    /// The session requests are sent through.")
	w.line("    public let session: URLSession")
	w.line("")
	w.line("    public init(configuration: Configuration = Configuration(), session: URLSession = .shared) {")
	w.line("        self.configuration = configuration")
	w.line("        self.session = session")
	w.line("    }")
	for _, op := range g.ops {
		w.line("")
		g.method(&w, op)
	}
	w.line("")
	w.WriteString(sendCode)
	w.line("}")
	w.line("")
	w.WriteString(requestCode)
	return w.Bytes()
}

// method writes an operation's method.
func (g *generator) method(w *writer, op operation) {
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
		doc := strings.TrimSpace(p.Doc)
		if doc == "" {
			doc = "The " + p.Name + " " + string(p.In) + " parameter."
		}
		return arg{decl, doc}
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

	if op.Doc != "" {
		w.doc("    ", op.Doc)
		w.line("    ///")
	}
	w.line("    /// `%s %s`", op.Method, op.Path)
	if auth := authDoc(op.Auth); auth != "" {
		w.line("    ///")
		w.line("    /// %s", auth)
	}
	if len(args) > 0 {
		w.line("    ///")
		w.line("    /// - Parameters:")
		for _, a := range args {
			name, _, _ := strings.Cut(a.decl, ":")
			w.line("    ///   - %s: %s", name, strings.ReplaceAll(a.doc, "\n", " "))
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
	w.line("    public func %s(%s) async throws%s {", op.method, strings.Join(decls, ", "), ret)

	method := quote(op.Method)
	if op.Method == "ANY" {
		method = "method"
	}
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
		w.line("        var request = Request(%s)", init)
	} else {
		w.line("        let request = Request(%s)", init)
	}
	for i, p := range op.Params {
		if p.In == spec.InPath {
			continue
		}
		name := op.args[i]
		indent := "        "
		if !p.Required {
			w.line("        if let %s {", name)
			indent += "    "
		}
		switch {
		case p.In == spec.InQuery && p.Type.Kind == spec.Array:
			w.line("%srequest.query += %s.map { (%s, %s) }", indent, name, quote(p.Name), str("$0", elemOf(p.Type)))
		case p.In == spec.InQuery:
			w.line("%srequest.query.append((%s, %s))", indent, quote(p.Name), str(name, p.Type))
		default:
			w.line("%srequest.headers[%s] = %s", indent, quote(p.Name), str(name, p.Type))
		}
		if !p.Required {
			w.line("        }")
		}
	}
	if op.Body != nil {
		if op.BodyRequired {
			w.line("        request.body = try JSONEncoder().encode(body)")
		} else {
			w.line("        if let body {")
			w.line("            request.body = try JSONEncoder().encode(body)")
			w.line("        }")
		}
	}
	switch {
	case op.TextResult:
		w.line("        return try await String(decoding: send(request), as: UTF8.self)")
	case op.Result != nil:
		w.line("        return try await send(request, returning: %s.self)", g.swiftType(*op.Result))
	default:
		w.line("        try await send(request)")
	}
	w.line("    }")
}

// authDoc says which of the configuration's credentials op sends.
func authDoc(a spec.Auth) string {
	var uses []string
	if a.APIKey {
		uses = append(uses, "the API key (`apiKey`)")
	}
	if a.Bearer {
		uses = append(uses, "the bearer token (`bearerToken`)")
	}
	if a.SigV4 {
		uses = append(uses, "a SigV4 signature (`credentials`)")
	}
	if len(uses) == 0 {
		return ""
	}
	return "Authenticates with " + strings.Join(uses, " and ") + "."
}

// path returns a Swift string expression for op's path with its path
// parameters substituted and escaped.
func (g *generator) path(op operation) string {
	var b strings.Builder
	b.WriteByte('"')
	rest := op.Path
	for {
		open := strings.IndexByte(rest, '{')
		end := strings.IndexByte(rest[max(open, 0):], '}')
		if open < 0 || end < 0 {
			break
		}
		end += open
		b.WriteString(quote(rest[:open])[1 : len(quote(rest[:open]))-1])
		name := strings.TrimSuffix(rest[open+1:end], "+")
		expr := quote("{" + name + "}")
		for i, p := range op.Params {
			if p.In == spec.InPath && p.Name == name {
				escape := "Request.escape"
				if p.Greedy {
					escape = "Request.escapePath"
				}
				expr = `\(` + escape + "(" + str(op.args[i], p.Type) + "))"
			}
		}
		b.WriteString(strings.Trim(expr, `"`))
		rest = rest[end+1:]
	}
	q := quote(rest)
	b.WriteString(q[1 : len(q)-1])
	b.WriteByte('"')
	return b.String()
}

// str returns a Swift expression for the wire text of expr, of type t.
func str(expr string, t spec.Type) string {
	switch t.Kind {
	case spec.String:
		return expr
	case spec.Array:
		return expr + ".map { " + str("$0", elemOf(t)) + " }.joined(separator: \",\")"
	}
	return "String(" + expr + ")"
}

func elemOf(t spec.Type) spec.Type {
	if t.Elem == nil {
		return spec.Type{Kind: spec.String}
	}
	return *t.Elem
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
