package spec

// Arg is an argument of an operation's method: the HTTP method of an ANY
// operation, a parameter or the body.
type Arg struct {
	// Ident is its identifier: "method", the parameter's, or "body".
	Ident string
	Type  Type
	// Required says whether it must be given.
	Required bool
	// Param is the index of the parameter in the operation's Params, or
	// -1 for the method and the body.
	Param int
}

// Args returns the arguments of op's method in order: the HTTP method of
// an ANY operation (required, named method, a String), its parameters
// (idents[j] naming op.Params[j]), then its body (named body).
func (op *Operation) Args(idents []string) []Arg {
	var args []Arg
	if op.Method == "ANY" {
		args = append(args, Arg{Ident: "method", Type: Type{Kind: String}, Required: true, Param: -1})
	}
	for j, p := range op.Params {
		args = append(args, Arg{Ident: idents[j], Type: p.Type, Required: p.Required, Param: j})
	}
	if op.Body != nil {
		args = append(args, Arg{Ident: "body", Type: *op.Body, Required: op.BodyRequired, Param: -1})
	}
	return args
}

// Arguments renders the arguments of op's method (see Args) with arg and
// sorts them into the required and the optional ones, each in order.
func (op *Operation) Arguments(idents []string, arg func(Arg) string) (required, optional []string) {
	for _, a := range op.Args(idents) {
		if a.Required {
			required = append(required, arg(a))
		} else {
			optional = append(optional, arg(a))
		}
	}
	return required, optional
}

// Entries renders op's parameters that go in in (the query string or
// headers), in order, as the entries of a map literal from each one's
// name on the wire to its argument: entry(p.Name, idents[j]) for
// p = op.Params[j].
func (op *Operation) Entries(in In, idents []string, entry func(name, ident string) string) []string {
	var out []string
	for j, p := range op.Params {
		if p.In == in {
			out = append(out, entry(p.Name, idents[j]))
		}
	}
	return out
}

// MethodExpr is the expression of the HTTP method op sends: the method
// argument of an ANY operation (named method), else quote(op.Method),
// the language's string literal of it.
func (op *Operation) MethodExpr(quote func(string) string) string {
	if op.Method == "ANY" {
		return "method"
	}
	return quote(op.Method)
}

// Flags returns, of bearer and sigV4 (a language's arguments that ask
// its request helper for the bearer token and a SigV4 signature), those
// a requires, in that order. The API key needs none: when configured, it
// goes with every request.
func (a Auth) Flags(bearer, sigV4 string) []string {
	return Auth{Bearer: a.Bearer, SigV4: a.SigV4}.Kinds("", bearer, sigV4)
}
