package stage

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
)

// maxDomainLen is the longest domain name, in characters.
const maxDomainLen = 253

// Domains maps a request's host and path to a target, as a managed API
// gateway's custom domain names with their base-path mappings do: the
// host selects a domain, and the longest base path that starts the
// request path selects the target (typically an API and stage).
//
// The zero Domains maps nothing and is ready for [Domains.Add]. Add all
// mappings first: after that a Domains is never modified, and
// [Domains.Lookup] is safe for concurrent use. Add is not safe to call
// concurrently with anything; to change the mappings of a running
// gateway, build a new Domains and swap the pointer the gateway holds
// (for example in an atomic.Pointer).
type Domains[T any] struct {
	exact map[string]*Mappings[T] // keyed by lower-case domain
	wild  map[string]*Mappings[T] // keyed by the domain after "*."
	n     int                     // number of mappings

	// The lengths of the keys of exact and wild: a host whose length is
	// not among them skips the map lookup, which costs far more.
	exactLens, wildLens lenSet
}

// lenSet is a set of lengths from 0 to 255.
type lenSet [4]uint64

// add puts n, at most 255, in the set.
func (s *lenSet) add(n int) { s[n/64] |= 1 << (n % 64) }

// has reports whether n is in the set.
func (s *lenSet) has(n int) bool { return n < 256 && s[n/64]&(1<<(n%64)) != 0 }

// Mappings are the base-path mappings of one domain, as [Domains.Host]
// returns them. They are immutable and safe for concurrent use.
type Mappings[T any] struct {
	root    T        // the empty base path's target, if hasRoot
	hasRoot bool     // the empty base path is mapped
	keys    []string // the other base paths without slashes ("v1/admin"), sorted
	targets []T      // targets[i] is the target of keys[i]
	depth   int      // segments in the deepest key
}

// Add maps domain and basePath to target.
//
// The domain is a host name ("api.example.com"), compared without regard
// to case, or a wildcard "*.example.com", where "*" is the whole first
// label and matches exactly one label. Each label is 1 to 63 letters,
// digits and hyphens, not starting or ending with a hyphen, and the whole
// name is at most 253 characters; one trailing dot is ignored. The domain
// has no scheme, port or path, and is not an IP address: only names can
// be mapped.
//
// The base path is "" (or "/"), which maps the whole domain, or one or
// more segments such as "v1" or "v1/admin", of [A-Za-z0-9._~-] and not
// "." or "..". A leading or trailing '/' is ignored. Base paths are case
// sensitive. Mapping the same domain and base path twice is an error.
func (d *Domains[T]) Add(domain, basePath string, target T) error {
	name, wildcard, err := parseDomain(domain)
	if err != nil {
		return err
	}
	key, depth, err := parseBasePath(basePath)
	if err != nil {
		return fmt.Errorf("stage: domain %q: %w", domain, err)
	}
	m, lens := &d.exact, &d.exactLens
	if wildcard {
		m, lens = &d.wild, &d.wildLens
	}
	if *m == nil {
		*m = make(map[string]*Mappings[T])
	}
	bp := (*m)[name]
	if bp == nil {
		bp = &Mappings[T]{}
	}
	if key == "" {
		if bp.hasRoot {
			return fmt.Errorf("stage: domain %q: the empty base path is already mapped", domain)
		}
		bp.root, bp.hasRoot = target, true
	} else {
		i, dup := search(bp.keys, key)
		if dup {
			return fmt.Errorf("stage: domain %q: base path %q is already mapped", domain, key)
		}
		bp.keys = slices.Insert(bp.keys, i, key)
		bp.targets = slices.Insert(bp.targets, i, target)
		bp.depth = max(bp.depth, depth)
	}
	(*m)[name] = bp
	lens.add(len(name))
	d.n++
	return nil
}

// Lookup returns the target that host and path map to, and the rest of
// the path after the base path.
//
// The host is a Host header value, in any case and perhaps with a port
// ("API.example.com:8443"); a bracketed IP literal ("[::1]:8080") never
// matches. A domain mapped exactly beats a wildcard; "*.example.com"
// matches "a.example.com" but neither "example.com" nor
// "a.b.example.com". Only the winning domain's base paths are tried: a
// request that none of them matches is a miss, even if a wildcard would
// have matched it.
//
// The path is the request's canonical escaped path ("/v1/pets/1"; "" is
// read as "/", and a path not starting with '/' never matches). Since
// base paths hold only unreserved characters, which a canonical path
// never escapes, they compare byte for byte. The longest mapped base path that is a whole-segment
// prefix of the path wins: "v1" matches "/v1" and "/v1/pets" but not
// "/v10/pets". The rest starts with '/': "/pets/1" in the example, and "/"
// when the path is the base path, with or without a trailing slash.
//
// ok is false, with the zero target and "", for an unknown host, or a
// known host where no base path matches. Lookup allocates nothing.
func (d *Domains[T]) Lookup(host, path string) (target T, rest string, ok bool) {
	m := d.Host(host)
	if m == nil {
		return target, "", false
	}
	return m.Lookup(path)
}

// HasDomain reports whether a mapped domain, exact or wildcard, serves
// host, matched as by [Domains.Lookup]: whether a miss of Lookup for this
// host is an unmapped path on a known domain rather than an unknown
// host. A gateway uses it to refuse such a request instead of trying its
// other routes. HasDomain allocates nothing.
func (d *Domains[T]) HasDomain(host string) bool { return d.Host(host) != nil }

// Len returns the number of mappings: (domain, base path) pairs.
func (d *Domains[T]) Len() int { return d.n }

// Host returns the base-path mappings of the domain that serves host, as
// [Domains.Lookup] finds it, or nil for an unknown host. A caller that
// must tell an unknown host from an unmapped path on a known domain calls
// Host, then [Mappings.Lookup], and so matches the host once. Host
// allocates nothing.
func (d *Domains[T]) Host(host string) *Mappings[T] {
	// A port is at most 5 digits after the last ':'; scanning the tail is
	// cheaper than a search of the whole host.
	for i := len(host) - 1; i >= 0 && i >= len(host)-6; i-- {
		if host[i] == ':' {
			host = host[:i]
			break
		}
	}
	host = strings.TrimSuffix(host, ".")
	if host == "" || len(host) > maxDomainLen {
		return nil
	}
	upper := false
	for i := range len(host) {
		if host[i]-'A' < 26 {
			upper = true
			break
		}
	}
	if !upper {
		if d.exactLens.has(len(host)) {
			if bp, ok := d.exact[host]; ok {
				return bp
			}
		}
		if dot := strings.IndexByte(host, '.'); dot > 0 && d.wildLens.has(len(host)-dot-1) {
			return d.wild[host[dot+1:]]
		}
		return nil
	}
	// Lower-case into a stack buffer: indexing a map with string(bytes)
	// does not allocate. Most clients send lower-case hosts, which skip
	// this copy.
	var buf [maxDomainLen]byte
	name := buf[:len(host)]
	for i := range len(host) {
		c := host[i]
		if c-'A' < 26 {
			c += 'a' - 'A'
		}
		name[i] = c
	}
	if d.exactLens.has(len(name)) {
		if bp, ok := d.exact[string(name)]; ok {
			return bp
		}
	}
	if dot := bytes.IndexByte(name, '.'); dot > 0 && d.wildLens.has(len(name)-dot-1) {
		return d.wild[string(name[dot+1:])]
	}
	return nil
}

// linearMax is the most base paths of one domain that match scans one by
// one; above it, match binary-searches them.
const linearMax = 8

// Lookup finds the longest base path that is a whole-segment prefix of
// path, as [Domains.Lookup] does, and returns its target and the rest of
// the path. It allocates nothing.
func (bp *Mappings[T]) Lookup(path string) (target T, rest string, ok bool) {
	if path == "" {
		path = "/"
	}
	if path[0] != '/' {
		return target, "", false
	}
	p := path[1:]
	end := -1 // length of the matched base path within p
	if bp.hasRoot {
		target, end = bp.root, 0
	}
	if len(bp.keys) <= linearMax {
		// Few base paths, the common case: compare each with p.
		for i, k := range bp.keys {
			if len(k) > end && len(k) <= len(p) && (len(k) == len(p) || p[len(k)] == '/') && p[:len(k)] == k {
				target, end = bp.targets[i], len(k)
			}
		}
	} else {
		// Many: look up each prefix of p that ends at a segment
		// boundary, shortest first, no deeper than the deepest base
		// path; the last hit is the longest.
		k := 0
		for range bp.depth {
			e := k
			for e < len(p) && p[e] != '/' {
				e++
			}
			if i, hit := search(bp.keys, p[:e]); hit {
				target, end = bp.targets[i], e
			}
			if e == len(p) {
				break
			}
			k = e + 1
		}
	}
	switch {
	case end < 0:
		return target, "", false
	case end == 0:
		return target, path, true
	case end+1 == len(path):
		return target, "/", true
	}
	return target, path[1+end:], true
}

// search returns where s is, or would be inserted, in the sorted keys, and
// whether it is there.
func search(keys []string, s string) (int, bool) {
	lo, hi := 0, len(keys)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if keys[m] < s {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo, lo < len(keys) && keys[lo] == s
}
