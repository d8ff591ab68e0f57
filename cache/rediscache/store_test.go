package rediscache

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gatekit/gatekit/cache"
	"github.com/gatekit/gatekit/internal/redistest"
	"github.com/redis/go-redis/v9"
)

// TestSharedRoundTrip: an entry one Store sets, another Store on another
// client with the same tag (another gateway instance) gets back whole.
func TestSharedRoundTrip(t *testing.T) {
	addr := redistest.Addr(t)
	for _, c := range []struct {
		name  string
		key   []byte
		entry *cache.Entry
	}{
		{"plain", nil, testEntry()},
		{"encrypted", testKey, testEntry()},
		{"no headers, empty body", nil, &cache.Entry{Status: 204, StoredAt: time.Unix(0, 1)}},
		{"encrypted, empty body", testKey[:16], &cache.Entry{Status: 204, Header: http.Header{"Etag": {`"x"`}}, StoredAt: time.Now()}},
		{"binary body", testKey[:24], &cache.Entry{Status: 200, Body: []byte{0, 1, 0xE1, 0xff, '{', '}'}, StoredAt: time.Now()}},
	} {
		t.Run(c.name, func(t *testing.T) {
			tag := redistest.Tag(t, addr)
			a := newStore(t, addr, Options{HashTag: tag, EncryptionKey: c.key})
			b := newStore(t, addr, Options{HashTag: tag, EncryptionKey: c.key})
			const key = "pets/prod/GET /pets/{id}|id=1"
			if e := mustGet(t, b, key); e != nil {
				t.Fatalf("Get before Set = %+v, want nil", e)
			}
			mustSet(t, a, key, c.entry, time.Minute)
			if diff := sameEntry(mustGet(t, b, key), c.entry); diff != "" {
				t.Fatalf("the other Store's Get: %s", diff)
			}
			if err := b.Delete(context.Background(), key); err != nil {
				t.Fatal(err)
			}
			if e := mustGet(t, a, key); e != nil {
				t.Fatalf("Get after the other Store's Delete = %+v, want nil", e)
			}
			if err := a.Delete(context.Background(), key); err != nil {
				t.Errorf("Delete of a missing key: %v", err)
			}
		})
	}
}

// TestKeyLayout: an entry is the string "{tag}:key", in cache.Marshal's
// encoding when not encrypted.
func TestKeyLayout(t *testing.T) {
	addr := redistest.Addr(t)
	tag := redistest.Tag(t, addr)
	s := newStore(t, addr, Options{HashTag: tag})
	e := testEntry()
	mustSet(t, s, "api/stage/k", e, time.Minute)
	raw, err := redistest.Client(t, addr).Get(context.Background(), "{"+tag+"}:api/stage/k").Bytes()
	if err != nil {
		t.Fatal(err)
	}
	got, err := cache.Unmarshal(raw)
	if err != nil {
		t.Fatalf("the raw value is not in cache.Marshal's encoding: %v", err)
	}
	if diff := sameEntry(got, e); diff != "" {
		t.Errorf("the raw value decodes to another entry: %s", diff)
	}
}

// TestTTL: an entry set for 200 ms is there at once, and gone soon after
// 200 ms; a ttl of zero or less stores nothing.
func TestTTL(t *testing.T) {
	addr := redistest.Addr(t)
	tag := redistest.Tag(t, addr)
	s := newStore(t, addr, Options{HashTag: tag})
	raw := redistest.Client(t, addr)
	ctx := context.Background()

	start := time.Now()
	mustSet(t, s, "short", testEntry(), 200*time.Millisecond)
	if mustGet(t, s, "short") == nil {
		t.Fatal("no entry right after Set")
	}
	if ttl := raw.PTTL(ctx, "{"+tag+"}:short").Val(); ttl <= 0 || ttl > 200*time.Millisecond {
		t.Errorf("PTTL = %v, want in (0, 200ms]", ttl)
	}
	for mustGet(t, s, "short") != nil {
		if time.Since(start) > 2*time.Second {
			t.Fatal("still there 2 s after a Set for 200 ms")
		}
		time.Sleep(10 * time.Millisecond)
	}
	gone := time.Since(start)
	if gone < 190*time.Millisecond {
		t.Errorf("gone after %v, want about 200 ms", gone)
	}
	t.Logf("gone after %v", gone)

	for _, ttl := range []time.Duration{0, -time.Second} {
		mustSet(t, s, "none", testEntry(), ttl)
		if n := raw.Exists(ctx, "{"+tag+"}:none").Val(); n != 0 {
			t.Errorf("Set with ttl %v stored a key", ttl)
		}
	}
	mustSet(t, s, "tiny", testEntry(), time.Microsecond) // 1 ms, no error
}

// TestFlush removes the entries of a prefix, glob characters and all,
// and no others; Flush("") removes the whole tag and nothing of another.
func TestFlush(t *testing.T) {
	addr := redistest.Addr(t)
	ctx := context.Background()
	raw := redistest.Client(t, addr)
	keys := []string{"a/1", "a/2", "ab/1", "b/1", "a*/1", "a*b/1", "x[1]/1", "x1/1", `q\?/1`, `q\x/1`, "?/1", "c/1"}
	// The case names have no glob characters: redistest.Tag's clean-up
	// matches the tag, made of the test's name, unescaped.
	for _, c := range []struct {
		name   string
		prefix string
		gone   []string
	}{
		{"directory", "a/", []string{"a/1", "a/2"}},
		{"partial", "a", []string{"a/1", "a/2", "ab/1", "a*/1", "a*b/1"}},
		{"star", "a*", []string{"a*/1", "a*b/1"}},
		{"star directory", "a*/", []string{"a*/1"}},
		{"brackets", "x[1]/", []string{"x[1]/1"}},
		{"backslash", `q\?`, []string{`q\?/1`}},
		{"question mark", "?", []string{"?/1"}},
		{"no match", "zzz", nil},
		{"all", "", keys},
	} {
		t.Run(c.name, func(t *testing.T) {
			tag := redistest.Tag(t, addr)
			s := newStore(t, addr, Options{HashTag: tag})
			other := newStore(t, addr, Options{}) // a tag of its own
			// An outsider's key that the tag's pattern would match if the
			// ':' were not part of it.
			raw.Set(ctx, "{"+tag+"}x", "outsider", time.Minute)
			for _, k := range keys {
				mustSet(t, s, k, testEntry(), time.Minute)
				mustSet(t, other, k, testEntry(), time.Minute)
			}
			if err := s.Flush(ctx, c.prefix); err != nil {
				t.Fatal(err)
			}
			for _, k := range keys {
				want := !slices.Contains(c.gone, k)
				if got := mustGet(t, s, k) != nil; got != want {
					t.Errorf("after Flush(%q), %q present = %v, want %v", c.prefix, k, got, want)
				}
				if mustGet(t, other, k) == nil {
					t.Errorf("Flush(%q) removed %q of another tag", c.prefix, k)
				}
			}
			if raw.Exists(ctx, "{"+tag+"}x").Val() != 1 {
				t.Errorf("Flush(%q) removed a key outside the cache", c.prefix)
			}
		})
	}
}

// TestFlushMany: Flush removes more keys than one SCAN batch returns.
func TestFlushMany(t *testing.T) {
	addr := redistest.Addr(t)
	ctx := context.Background()
	tag := redistest.Tag(t, addr)
	s := newStore(t, addr, Options{HashTag: tag})
	raw := redistest.Client(t, addr)
	const n = 3*scanBatch + 17
	v := cache.Marshal(testEntry())
	for i := 0; i < n; i += 500 {
		_, err := raw.Pipelined(ctx, func(p redis.Pipeliner) error {
			for j := i; j < min(i+500, n); j++ {
				p.Set(ctx, fmt.Sprintf("{%s}:api/s/%d", tag, j), v, time.Minute)
				p.Set(ctx, fmt.Sprintf("{%s}:keep/%d", tag, j), v, time.Minute)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Flush(ctx, "api/"); err != nil {
		t.Fatal(err)
	}
	if left := countKeys(t, raw, "{"+tag+"}:api/*"); left != 0 {
		t.Errorf("%d of %d keys left after Flush", left, n)
	}
	if kept := countKeys(t, raw, "{"+tag+"}:keep/*"); kept != n {
		t.Errorf("%d of %d keys of another prefix kept", kept, n)
	}
}

// countKeys counts the keys matching pattern.
func countKeys(t testing.TB, c redis.UniversalClient, pattern string) int {
	t.Helper()
	ctx := context.Background()
	n := 0
	iter := c.Scan(ctx, 0, pattern, 1000).Iterator()
	for iter.Next(ctx) {
		n++
	}
	if err := iter.Err(); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestBadValues: a value the Store cannot read is an error wrapping
// cache.ErrCorrupt, never ErrUnavailable, and is deleted; an entry too
// large to read back is not stored.
func TestBadValues(t *testing.T) {
	addr := redistest.Addr(t)
	ctx := context.Background()
	raw := redistest.Client(t, addr)
	big := make([]byte, 2000)
	for _, c := range []struct {
		name  string
		key   []byte
		value []byte
	}{
		{"garbage", nil, []byte("not an entry")},
		{"wrong version", nil, []byte{2, 200, 1, 0, 0}},
		{"truncated", nil, cache.Marshal(testEntry())[:5]},
		{"too large", nil, append(cache.Marshal(&cache.Entry{Status: 200}), big...)},
		{"plain under a key", testKey, cache.Marshal(testEntry())},
		{"sealed mark only", testKey, []byte{sealedMark}},
		{"sealed, cut short", testKey, []byte{sealedMark, 1, 2, 3}},
	} {
		t.Run(c.name, func(t *testing.T) {
			tag := redistest.Tag(t, addr)
			s := newStore(t, addr, Options{HashTag: tag, EncryptionKey: c.key, MaxEntryBytes: 1024})
			rk := "{" + tag + "}:k"
			if err := raw.Set(ctx, rk, c.value, time.Minute).Err(); err != nil {
				t.Fatal(err)
			}
			e, err := s.Get(ctx, "k")
			if e != nil || !errors.Is(err, cache.ErrCorrupt) || errors.Is(err, ErrUnavailable) {
				t.Fatalf("Get = %v, %v; want nil and an error wrapping cache.ErrCorrupt only", e, err)
			}
			if !strings.HasPrefix(err.Error(), "rediscache: Get: ") {
				t.Errorf("error %q does not name the operation", err)
			}
			if raw.Exists(ctx, rk).Val() != 0 {
				t.Error("the bad value was not deleted")
			}
		})
	}

	t.Run("wrong type", func(t *testing.T) {
		// A Redis error, not a bad value: no ErrUnavailable, no delete (a
		// Set replaces it).
		tag := redistest.Tag(t, addr)
		s := newStore(t, addr, Options{HashTag: tag})
		raw.RPush(ctx, "{"+tag+"}:k", "x")
		if e, err := s.Get(ctx, "k"); e != nil || err == nil || errors.Is(err, ErrUnavailable) {
			t.Errorf("Get of a list = %v, %v; want an error, not ErrUnavailable", e, err)
		}
		mustSet(t, s, "k", testEntry(), time.Minute)
		if diff := sameEntry(mustGet(t, s, "k"), testEntry()); diff != "" {
			t.Error(diff)
		}
	})

	t.Run("Set too large", func(t *testing.T) {
		tag := redistest.Tag(t, addr)
		s := newStore(t, addr, Options{HashTag: tag, MaxEntryBytes: 1024})
		err := s.Set(ctx, "k", &cache.Entry{Status: 200, Body: big}, time.Minute)
		if err == nil || errors.Is(err, ErrUnavailable) {
			t.Errorf("Set of 2000 bytes with MaxEntryBytes 1024: %v, want an error", err)
		}
		if raw.Exists(ctx, "{"+tag+"}:k").Val() != 0 {
			t.Error("stored anyway")
		}
		if err := s.Set(ctx, "k", nil, time.Minute); err == nil {
			t.Error("Set of a nil entry: no error")
		}
	})
}

// TestCallerGivesUp: when the caller's context has ended, the error is
// the context's, not ErrUnavailable.
func TestCallerGivesUp(t *testing.T) {
	addr := redistest.Addr(t)
	s := newStore(t, addr, Options{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := s.Get(ctx, "k")
	if !errors.Is(err, context.Canceled) || errors.Is(err, ErrUnavailable) {
		t.Errorf("Get with a cancelled context: %v; want context.Canceled, not ErrUnavailable", err)
	}
}
