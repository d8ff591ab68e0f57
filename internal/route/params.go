package route

// MaxParams is the largest number of path parameters a route key may have.
// It bounds the storage inside [Params], which is what lets a match run
// without allocating.
const MaxParams = 16

// Params holds the path parameters of a match, in the order they appear in
// the route key. A value is the escaped text of the request path that the
// parameter matched — a substring of the path given to [Table.Match], so
// filling Params allocates nothing; decode it with urlpath.Unescape when
// the decoded value is needed. The names belong to the route that
// matched.
//
// The zero value is empty and ready to use. A Params may be reused for
// one request after another; it is not safe for concurrent use.
type Params struct {
	names []string // of the matched route; len(names) == n after a match
	path  string   // the matched path
	// span[i] is the i-th value's start and end in path. Offsets rather
	// than strings keep Params small and free of pointers to scan.
	span [MaxParams][2]uint32
	n    int
}

// Len returns the number of parameters.
func (p *Params) Len() int {
	return p.n
}

// Name returns the name of the i-th parameter, without the '+' of a greedy
// parameter. It panics if i is not in [0, Len()).
func (p *Params) Name(i int) string {
	return p.names[:p.n][i]
}

// Value returns the escaped value of the i-th parameter. It panics if i is
// not in [0, Len()).
func (p *Params) Value(i int) string {
	sp := p.span[:p.n][i]
	return p.path[sp[0]:sp[1]]
}

// Get returns the escaped value of the parameter called name, and whether
// there is one.
func (p *Params) Get(name string) (string, bool) {
	for i, n := range p.names[:p.n] {
		if n == name {
			return p.Value(i), true
		}
	}
	return "", false
}

// Reset empties p, and drops its references to earlier request paths.
func (p *Params) Reset() {
	*p = Params{}
}

// set records the i-th value, the substring of p.path that rest starts
// with and is n bytes long.
func (p *Params) set(i int, rest string, n int) {
	start := uint32(len(p.path) - len(rest))
	p.span[i] = [2]uint32{start, start + uint32(n)}
}
