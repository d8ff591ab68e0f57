package rediscache

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/gatekit/gatekit/cache"
	"github.com/gatekit/gatekit/internal/redistest"
)

// TestEncryptedAtRest: with a key, what Redis holds shows neither the
// body nor the header values, nor the status line's encoding; a Store
// without that key cannot read it.
func TestEncryptedAtRest(t *testing.T) {
	addr := redistest.Addr(t)
	ctx := context.Background()
	raw := redistest.Client(t, addr)
	e := testEntry()
	for _, c := range []struct {
		name string
		key  []byte // the reader's key
	}{
		{"no key", nil},
		{"another key", bytes.Repeat([]byte{0x43}, 32)},
		{"a shorter key", testKey[:16]},
	} {
		t.Run(c.name, func(t *testing.T) {
			tag := redistest.Tag(t, addr)
			w := newStore(t, addr, Options{HashTag: tag, EncryptionKey: testKey})
			mustSet(t, w, "k", e, time.Minute)
			v, err := raw.Get(ctx, "{"+tag+"}:k").Bytes()
			if err != nil {
				t.Fatal(err)
			}
			for _, secret := range []string{"body-secret-plaintext", "header-secret-value", "second-secret-value", "application/json", "X-Secret"} {
				if bytes.Contains(v, []byte(secret)) {
					t.Errorf("the raw value contains %q", secret)
				}
			}
			if want := len(cache.Marshal(e)) + 1 + 12 + 16; len(v) != want {
				t.Errorf("the raw value is %d bytes, want %d (mark, nonce, ciphertext, tag)", len(v), want)
			}
			if diff := sameEntry(mustGet(t, w, "k"), e); diff != "" {
				t.Fatalf("the writer's own Get: %s", diff)
			}

			r := newStore(t, addr, Options{HashTag: tag, EncryptionKey: c.key})
			got, err := r.Get(ctx, "k")
			if got != nil || !errors.Is(err, cache.ErrCorrupt) {
				t.Fatalf("Get with %s = %v, %v; want nil and an error wrapping cache.ErrCorrupt", c.name, got, err)
			}
			if strings.Contains(err.Error(), "secret") {
				t.Errorf("the error shows the plaintext: %v", err)
			}
		})
	}
}

// TestEncryptedNoncesDiffer: the same entry stored twice is sealed with
// two nonces.
func TestEncryptedNoncesDiffer(t *testing.T) {
	addr := redistest.Addr(t)
	tag := redistest.Tag(t, addr)
	s := newStore(t, addr, Options{HashTag: tag, EncryptionKey: testKey})
	raw := redistest.Client(t, addr)
	ctx := context.Background()
	mustSet(t, s, "a", testEntry(), time.Minute)
	mustSet(t, s, "b", testEntry(), time.Minute)
	a := raw.Get(ctx, "{"+tag+"}:a").Val()
	b := raw.Get(ctx, "{"+tag+"}:b").Val()
	if a[:13] == b[:13] {
		t.Error("two values share a nonce")
	}
}

// TestEncryptedBoundToKey: a sealed value moved under another key, or
// under another tag with the same cache key, does not open there.
func TestEncryptedBoundToKey(t *testing.T) {
	addr := redistest.Addr(t)
	ctx := context.Background()
	raw := redistest.Client(t, addr)
	tag := redistest.Tag(t, addr)
	tag2 := redistest.Tag(t, addr)
	s := newStore(t, addr, Options{HashTag: tag, EncryptionKey: testKey})
	s2 := newStore(t, addr, Options{HashTag: tag2, EncryptionKey: testKey})
	mustSet(t, s, "api/prod/GET /admin", testEntry(), time.Minute)
	v := raw.Get(ctx, "{"+tag+"}:api/prod/GET /admin").Val()

	for _, c := range []struct {
		name  string
		store *Store
		rk    string
		key   string
	}{
		{"another cache key", s, "{" + tag + "}:api/prod/GET /public", "api/prod/GET /public"},
		{"another tag", s2, "{" + tag2 + "}:api/prod/GET /admin", "api/prod/GET /admin"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if err := raw.Set(ctx, c.rk, v, time.Minute).Err(); err != nil {
				t.Fatal(err)
			}
			got, err := c.store.Get(ctx, c.key)
			if got != nil || !errors.Is(err, cache.ErrCorrupt) {
				t.Fatalf("Get of the moved value = %v, %v; want nil and an error wrapping cache.ErrCorrupt", got, err)
			}
			if raw.Exists(ctx, c.rk).Val() != 0 {
				t.Error("the moved value was not deleted")
			}
		})
	}
	if diff := sameEntry(mustGet(t, s, "api/prod/GET /admin"), testEntry()); diff != "" {
		t.Errorf("the original: %s", diff)
	}
}
