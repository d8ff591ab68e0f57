package route

import (
	"fmt"
	"strings"
)

// Table maps route keys to values and finds the most specific route for a
// request. Build it with [Table.Add], then look requests up with
// [Table.Match].
//
// The zero value is an empty table. Add must not run concurrently with Add
// or Match; once the table is no longer modified, Match is safe for
// concurrent use by any number of goroutines. A gateway builds a table per
// deployment and never changes it after.
type Table[T any] struct {
	root   node
	routes []entry[T] // slot values in nodes are indexes into routes, plus one
	def    int        // $default, as a slot value
}

// entry is one route of a Table.
type entry[T any] struct {
	key   Key
	names []string // parameter names, in path order
	value T
}

// node is a path position in the tree of a Table: the root, a literal
// segment, a {param} segment or a trailing {proxy+} segment. The tree does
// not depend on T, so matching runs as ordinary, non-generic code.
type node struct {
	segs   []string         // texts of the literal children, in the order added
	lits   []*node          // literal children, in the order of segs
	index  map[string]*node // lits by text, once there are more than maxScan
	param  *node            // the {param} child
	greedy *node            // the {proxy+} child, which has no children
	// slots holds, per method, the routes that end here: an index into
	// Table.routes plus one, or 0 for none.
	slots [numMethods]int
}

// maxScan is the number of literal children up to which a linear scan
// finds a child faster than a map lookup.
const maxScan = 8

// Add adds the route k with the value v. It returns an error, and leaves
// the table unchanged, when k is invalid (see [ParseKey]) or when the table
// already has a route with the same method and path shape: "GET /pets/{id}"
// and "GET /pets/{name}" have the same shape, since they match the same
// requests. The error message starts with "route:" and names both keys.
func (t *Table[T]) Add(k Key, v T) error {
	names, err := k.check()
	if err != nil {
		return err
	}
	if k.IsDefault() {
		if t.def != 0 {
			return t.duplicate(k, t.def)
		}
		t.def = t.add(k, names, v)
		return nil
	}
	n := &t.root
	for seg := range strings.SplitSeq(k.Path[1:], "/") {
		n = n.child(seg)
	}
	m := methodIndex(k.Method)
	if n.slots[m] != 0 {
		return t.duplicate(k, n.slots[m])
	}
	n.slots[m] = t.add(k, names, v)
	return nil
}

// add appends a route and returns its slot value.
func (t *Table[T]) add(k Key, names []string, v T) int {
	t.routes = append(t.routes, entry[T]{key: k, names: names, value: v})
	return len(t.routes)
}

// duplicate returns the error for adding k where the route in slot is.
func (t *Table[T]) duplicate(k Key, slot int) error {
	return keyError(k.String(), fmt.Sprintf("duplicates route %q", t.routes[slot-1].key))
}

// child returns the child of n for the template segment seg, adding it if
// needed. The root path "/" has one empty segment, which is n itself.
func (n *node) child(seg string) *node {
	if seg == "" {
		return n
	}
	if _, greedy, ok := ParamName(seg); ok {
		p := &n.param
		if greedy {
			p = &n.greedy
		}
		if *p == nil {
			*p = new(node)
		}
		return *p
	}
	if c := n.literal(seg); c != nil {
		return c
	}
	c := new(node)
	n.segs = append(n.segs, seg)
	n.lits = append(n.lits, c)
	switch {
	case n.index != nil:
		n.index[seg] = c
	case len(n.lits) > maxScan:
		n.index = make(map[string]*node, len(n.lits))
		for i, l := range n.lits {
			n.index[n.segs[i]] = l
		}
	}
	return c
}

// literal returns the literal child of n for seg, or nil.
func (n *node) literal(seg string) *node {
	if n.index != nil {
		return n.index[seg]
	}
	for i, s := range n.segs {
		// Checking the first byte saves most calls to compare the rest;
		// literal texts and seg are never empty.
		if len(s) == len(seg) && s[0] == seg[0] && s == seg {
			return n.lits[i]
		}
	}
	return nil
}

// Match returns the value of the most specific route for a request with
// the given method and path, and stores the route's path parameters in p,
// which may be nil. ok is false when no route matches and there is no
// $default route; p is then empty.
//
// path must be a canonical escaped path, as from urlpath.Canonical: it
// starts with '/' and has no empty segment but for an optional trailing
// slash. Literal segments are compared with its escaped text,
// case-sensitively. The method is case-sensitive too; a method that no
// route key can name matches ANY routes only.
//
// The package documentation describes which route is the most specific.
// Match does not allocate.
func (t *Table[T]) Match(method, path string, p *Params) (v T, ok bool) {
	if p == nil {
		var scratch Params
		return t.Match(method, path, &scratch)
	}
	// Not p.Reset: the spans are overwritten, and clearing them costs.
	p.names, p.path, p.n = nil, path, 0
	slot := 0
	if path != "" && path[0] == '/' {
		slot = t.root.match(methodIndex(method), path[1:], p)
	}
	if slot == 0 { // the search left p.n at 0
		slot = t.def
	}
	if slot == 0 {
		return v, false
	}
	e := &t.routes[slot-1]
	p.names = e.names
	return e.value, true
}

// match searches depth first below n for a route for the method slot m
// (-1 for a method that only ANY routes match), with rest the part of the
// request path after the segment of n and its following '/'. It tries a
// literal child, then the {param} child, then the {proxy+} child, and so
// finds the most specific route first. It returns the route's slot value,
// or 0, and leaves in p the values of the parameters on the way to it.
func (n *node) match(m int, rest string, p *Params) int {
	if rest == "" {
		return n.route(m)
	}
	seg, next := rest, ""
	for i := 0; i < len(rest); i++ { // faster than strings.Cut for short segments
		if rest[i] == '/' {
			seg, next = rest[:i], rest[i+1:]
			break
		}
	}
	if seg == "" {
		return 0 // an empty segment matches nothing
	}
	if c := n.literal(seg); c != nil {
		if slot := c.match(m, next, p); slot != 0 {
			return slot
		}
	}
	if n.param != nil {
		i := p.n
		p.set(i, rest, len(seg))
		p.n++
		if slot := n.param.match(m, next, p); slot != 0 {
			return slot
		}
		p.n = i
	}
	if n.greedy != nil {
		if slot := n.greedy.route(m); slot != 0 {
			p.set(p.n, rest, len(rest))
			p.n++
			return slot
		}
	}
	return 0
}

// route returns the slot value of the route for method slot m that ends at
// n, falling back to an ANY route, or 0.
func (n *node) route(m int) int {
	if m >= 0 && n.slots[m] != 0 {
		return n.slots[m]
	}
	return n.slots[methodAny]
}
