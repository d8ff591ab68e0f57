// Package cache keeps integration responses so that not every request
// reaches the backend, as the managed API gateway's stage cache does. It
// knows nothing of package gateway: the gateway builds the keys ([Key]),
// asks a [Store] for an [Entry], and stores what HTTP allows
// ([Cacheable], [StoredHeader]).
//
// # Stores
//
// A Store maps keys to entries with a time to live. [MemoryStore] is an
// LRU bounded by the bytes of its entries, in this process; package
// cache/rediscache keeps entries in Redis, so that several gateway
// instances share one cache, optionally encrypted at rest. A store error
// is never a failed request: the gateway treats it as a miss.
//
// Keys start with a namespace naming the API stage ("api/stage/"), so
// that [Store.Flush] can drop one stage's entries from a store that
// several stages share.
package cache

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// Entry is a cached response.
type Entry struct {
	// Status is the HTTP status code.
	Status int
	// Header holds the response headers the integration set, without
	// hop-by-hop headers and without those the gateway adds to each
	// response (request id, rate-limit headers, Date).
	Header http.Header
	// Body is the response body.
	Body []byte
	// StoredAt is when the entry was stored, for the Age header.
	StoredAt time.Time
}

// Size is what the entry counts for against a store's capacity: its body,
// its headers and a fixed overhead.
func (e *Entry) Size() int64 {
	n := int64(len(e.Body)) + entryOverhead
	for k, vs := range e.Header {
		n += int64(len(k))
		for _, v := range vs {
			n += int64(len(v)) + 16
		}
	}
	return n
}

// entryOverhead is the bookkeeping an entry costs beyond its bytes.
const entryOverhead = 128

// Store keeps entries. Implementations are safe for concurrent use.
type Store interface {
	// Get returns the entry stored under key, or nil if there is none
	// or it has expired. The entry must not be modified.
	Get(ctx context.Context, key string) (*Entry, error)
	// Set stores e under key for ttl. The store may keep e itself: the
	// caller must not modify it afterwards.
	Set(ctx context.Context, key string, e *Entry, ttl time.Duration) error
	// Delete removes the entry under key, if any.
	Delete(ctx context.Context, key string) error
	// Flush removes every entry whose key starts with prefix ("" for
	// all).
	Flush(ctx context.Context, prefix string) error
}

// Marshal encodes e in a compact binary form, for stores that keep bytes.
func Marshal(e *Entry) []byte {
	n := 1 + binary.MaxVarintLen64*3 + len(e.Body)
	for k, vs := range e.Header {
		n += binary.MaxVarintLen64 * (2 + len(vs))
		n += len(k)
		for _, v := range vs {
			n += len(v)
		}
	}
	b := make([]byte, 0, n)
	b = append(b, encodingVersion)
	b = binary.AppendUvarint(b, uint64(e.Status))
	b = binary.AppendVarint(b, e.StoredAt.UnixNano())
	b = binary.AppendUvarint(b, uint64(len(e.Header)))
	for k, vs := range e.Header {
		b = appendString(b, k)
		b = binary.AppendUvarint(b, uint64(len(vs)))
		for _, v := range vs {
			b = appendString(b, v)
		}
	}
	return append(b, e.Body...)
}

const encodingVersion = 1

// maxHeaderHint bounds the size hint of the header map Unmarshal makes;
// a map for more headers grows as they are added.
const maxHeaderHint = 64

// ErrCorrupt is returned by Unmarshal for bytes that are no entry.
var ErrCorrupt = errors.New("cache: corrupt entry")

// Unmarshal decodes an entry encoded by Marshal. The entry's Body
// aliases b.
func Unmarshal(b []byte) (*Entry, error) {
	d := decoder{b: b}
	if v := d.byte(); v != encodingVersion {
		return nil, fmt.Errorf("%w: version %d", ErrCorrupt, v)
	}
	e := &Entry{Status: int(d.uvarint())}
	e.StoredAt = time.Unix(0, d.varint())
	nh := d.uvarint()
	if nh > uint64(len(d.b)) {
		return nil, ErrCorrupt
	}
	if nh > 0 {
		// nh is bounded by the input's length, but a map sized for it
		// costs about a hundred bytes per input byte: corrupt bytes must
		// not make a small input a large allocation.
		e.Header = make(http.Header, min(nh, maxHeaderHint))
	}
	for range nh {
		k := d.string()
		nv := d.uvarint()
		if nv > uint64(len(d.b)) {
			return nil, ErrCorrupt
		}
		vs := make([]string, 0, nv)
		for range nv {
			vs = append(vs, d.string())
		}
		e.Header[k] = vs
	}
	if d.err {
		return nil, ErrCorrupt
	}
	e.Body = d.b
	return e, nil
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// decoder reads what Marshal wrote; err is set on the first short read.
type decoder struct {
	b   []byte
	err bool
}

func (d *decoder) byte() byte {
	if len(d.b) == 0 {
		d.err = true
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

func (d *decoder) uvarint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.err = true
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) varint() int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.err = true
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) string() string {
	n := d.uvarint()
	if d.err || n > uint64(len(d.b)) {
		d.err = true
		return ""
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}
