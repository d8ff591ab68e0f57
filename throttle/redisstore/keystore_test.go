package redisstore

import (
	"context"
	"crypto/sha256"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/gatekit/gatekit/auth"
)

// TestKeyStoreShared: keys put through one client are seen, changed and
// deleted through another, as two gateway instances would.
func TestKeyStoreShared(t *testing.T) {
	addr := needRedis(t)
	tag := testTag(t, addr)
	a, err := NewKeyStore(newClient(t, addr), tag)
	if err != nil {
		t.Fatal(err)
	}
	b, err := NewKeyStore(newClient(t, addr), tag)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	created := time.Date(2024, 2, 14, 12, 0, 0, 123456789, time.UTC)

	// Through auth.APIKeys, as the gateway uses it.
	keysA := &auth.APIKeys{Store: a, Clock: func() time.Time { return created }}
	keysB := &auth.APIKeys{Store: b}
	k, value, err := keysA.Create(ctx, "free", "a free key")
	if err != nil {
		t.Fatal(err)
	}
	got, err := keysB.Check(ctx, value)
	if err != nil || got.ID != k.ID || got.Name != "free" || got.Description != "a free key" || !got.CreatedAt.Equal(created) || got.Digest != k.Digest {
		t.Fatalf("Check on b = %+v, %v; want %+v", got, err, k)
	}
	if err := keysB.SetEnabled(ctx, k.ID, false); err != nil {
		t.Fatal(err)
	}
	if _, err := keysA.Check(ctx, value); !errors.Is(err, auth.ErrForbidden) {
		t.Errorf("Check of a disabled key on a = %v, want ErrForbidden", err)
	}
	if err := keysA.SetEnabled(ctx, k.ID, true); err != nil {
		t.Fatal(err)
	}
	if _, err := keysB.Check(ctx, value); err != nil {
		t.Errorf("Check of a re-enabled key on b: %v", err)
	}
	if err := keysA.SetUsagePlans(ctx, k.ID, []string{"free", "partners"}); err != nil {
		t.Fatal(err)
	}
	if got, err := keysB.Check(ctx, value); err != nil || !slices.Equal(got.UsagePlans, []string{"free", "partners"}) {
		t.Errorf("Check on b after SetUsagePlans on a = %+v, %v; want the two plans", got, err)
	}
	if err := keysB.SetUsagePlans(ctx, k.ID, nil); err != nil {
		t.Fatal(err)
	}
	if got, _ := keysA.Get(ctx, k.ID); got.UsagePlans != nil {
		t.Errorf("UsagePlans after clearing = %q, want none", got.UsagePlans)
	}

	// The KeyStore methods themselves.
	other := auth.APIKey{ID: "other", Name: "gold", Enabled: true, CreatedAt: created.Add(time.Hour), Digest: sha256.Sum256([]byte("v2"))}
	if err := a.Put(ctx, other); err != nil {
		t.Fatal(err)
	}
	if k2, ok, err := b.ByID(ctx, "other"); err != nil || !ok || k2.Name != "gold" || k2.Digest != other.Digest {
		t.Errorf("ByID(other) = %+v, %v, %v", k2, ok, err)
	}
	if k2, ok, err := b.ByDigest(ctx, other.Digest); err != nil || !ok || k2.ID != "other" {
		t.Errorf("ByDigest(other) = %+v, %v, %v", k2, ok, err)
	}
	list, err := keysB.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{}
	for _, k := range list {
		ids = append(ids, k.ID)
	}
	if !slices.Equal(ids, []string{k.ID, "other"}) {
		t.Errorf("List() ids = %v, want [%s other] (oldest first)", ids, k.ID)
	}

	// A new value for the same id replaces the old digest.
	other.Digest = sha256.Sum256([]byte("v3"))
	if err := b.Put(ctx, other); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := a.ByDigest(ctx, sha256.Sum256([]byte("v2"))); ok {
		t.Error("the old digest still finds the key")
	}
	if k2, ok, _ := a.ByDigest(ctx, other.Digest); !ok || k2.ID != "other" {
		t.Error("the new digest does not find the key")
	}
	if list, _ := a.List(ctx); len(list) != 2 {
		t.Errorf("List() after a re-put has %d keys, want 2", len(list))
	}

	if err := a.Delete(ctx, "other"); err != nil {
		t.Fatal(err)
	}
	if err := b.Delete(ctx, "other"); !errors.Is(err, auth.ErrNoKey) {
		t.Errorf("Delete twice = %v, want ErrNoKey", err)
	}
	if _, ok, err := b.ByID(ctx, "other"); ok || err != nil {
		t.Errorf("ByID after Delete = %v, %v", ok, err)
	}
	if _, ok, err := b.ByDigest(ctx, other.Digest); ok || err != nil {
		t.Errorf("ByDigest after Delete = %v, %v", ok, err)
	}
	if list, _ := b.List(ctx); len(list) != 1 || list[0].ID != k.ID {
		t.Errorf("List() after Delete = %+v", list)
	}
}
