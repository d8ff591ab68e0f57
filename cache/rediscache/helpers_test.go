package rediscache

import (
	"bytes"
	"context"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/gatekit/gatekit/cache"
	"github.com/gatekit/gatekit/internal/redistest"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// testKey is a 32-byte AES key for the tests.
var testKey = bytes.Repeat([]byte{0x42}, 32)

// newStore returns a Store on a new client of addr. An empty HashTag
// gets one of the test's own, whose keys are deleted when t ends. The
// Timeout is 2 s unless set: these tests are about what is stored, not
// about latency, and the race detector is slow.
func newStore(t testing.TB, addr string, opts Options) *Store {
	t.Helper()
	if opts.HashTag == "" {
		opts.HashTag = redistest.Tag(t, addr)
	}
	if opts.Timeout == 0 {
		opts.Timeout = 2 * time.Second
	}
	s, err := New(redistest.Client(t, addr), opts)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// testEntry returns an entry with multi-valued headers and a body that
// the tests look for in raw Redis values.
func testEntry() *cache.Entry {
	return &cache.Entry{
		Status: http.StatusCreated,
		Header: http.Header{
			"Content-Type": {"application/json"},
			"X-Secret":     {"header-secret-value", "second-secret-value"},
		},
		Body:     []byte(`{"pet":"body-secret-plaintext"}`),
		StoredAt: time.Unix(1700000000, 123456789),
	}
}

// sameEntry reports how got differs from want, or "".
func sameEntry(got, want *cache.Entry) string {
	switch {
	case got == nil:
		return "no entry"
	case got.Status != want.Status:
		return "status differs"
	case !got.StoredAt.Equal(want.StoredAt):
		return "StoredAt differs"
	case !bytes.Equal(got.Body, want.Body):
		return "body differs"
	case len(got.Header) != len(want.Header):
		return "headers differ"
	}
	for k, vs := range want.Header {
		if !slices.Equal(got.Header[k], vs) {
			return "header " + k + " differs"
		}
	}
	return ""
}

// mustGet returns the entry under key, failing t on an error.
func mustGet(t testing.TB, s *Store, key string) *cache.Entry {
	t.Helper()
	e, err := s.Get(context.Background(), key)
	if err != nil {
		t.Fatalf("Get(%q): %v", key, err)
	}
	return e
}

// mustSet stores e under key for ttl, failing t on an error.
func mustSet(t testing.TB, s *Store, key string, e *cache.Entry, ttl time.Duration) {
	t.Helper()
	if err := s.Set(context.Background(), key, e, ttl); err != nil {
		t.Fatalf("Set(%q): %v", key, err)
	}
}
