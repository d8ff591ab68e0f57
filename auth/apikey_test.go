package auth

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestAPIKeys(t *testing.T) {
	ctx := context.Background()
	var keys APIKeys
	k, value, err := keys.Create(ctx, "partner", "the partner's key")
	if err != nil {
		t.Fatal(err)
	}
	if len(value) != 40 || strings.Trim(value, keyAlphabet) != "" || !k.Enabled || k.Name != "partner" || k.CreatedAt.IsZero() {
		t.Fatalf("Create = %+v, %q", k, value)
	}
	if got, err := keys.Check(ctx, value); err != nil || got.ID != k.ID {
		t.Fatalf("Check = %+v, %v", got, err)
	}
	stored, _ := keys.Get(ctx, k.ID)
	if strings.Contains(string(stored.Digest[:]), value) {
		t.Error("the value is stored")
	}
	for _, bad := range []string{"", "x", value[:39], value + "x"} {
		if _, err := keys.Check(ctx, bad); !errors.Is(err, ErrForbidden) {
			t.Errorf("Check(%q) = %v", bad, err)
		}
	}
	if err := keys.SetEnabled(ctx, k.ID, false); err != nil {
		t.Fatal(err)
	}
	_, errDisabled := keys.Check(ctx, value)
	_, errUnknown := keys.Check(ctx, "unknown")
	if !errors.Is(errDisabled, ErrForbidden) || errDisabled.Error() != errUnknown.Error() {
		t.Errorf("disabled: %v; unknown: %v (must read the same)", errDisabled, errUnknown)
	}
	if err := keys.SetEnabled(ctx, "nope", true); !errors.Is(err, ErrNoKey) {
		t.Errorf("SetEnabled(unknown) = %v", err)
	}
	plans := []string{"free", "partners"}
	if err := keys.SetUsagePlans(ctx, k.ID, plans); err != nil {
		t.Fatal(err)
	}
	plans[0] = "changed" // the caller's slice is not the store's
	if got, _ := keys.Get(ctx, k.ID); !slices.Equal(got.UsagePlans, []string{"free", "partners"}) || got.Enabled {
		t.Errorf("after SetUsagePlans: %+v, want the plans set and the key still disabled", got)
	}
	if err := keys.SetUsagePlans(ctx, "nope", nil); !errors.Is(err, ErrNoKey) {
		t.Errorf("SetUsagePlans(unknown) = %v", err)
	}
	k2, _, _ := keys.Create(ctx, "second", "")
	list, _ := keys.List(ctx)
	if len(list) != 2 || list[0].ID != k.ID || list[1].ID != k2.ID {
		t.Errorf("List = %+v", list)
	}
	if err := keys.Delete(ctx, k.ID); err != nil {
		t.Fatal(err)
	}
	if err := keys.Delete(ctx, k.ID); !errors.Is(err, ErrNoKey) {
		t.Errorf("second Delete = %v", err)
	}
	seen := map[string]bool{}
	for range 1000 {
		v := randomString(40)
		if seen[v] {
			t.Fatal("repeated key value")
		}
		seen[v] = true
	}
}

func BenchmarkAPIKeyCheck(b *testing.B) {
	ctx := context.Background()
	var keys APIKeys
	for range 1000 {
		_, _, _ = keys.Create(ctx, "k", "")
	}
	_, value, _ := keys.Create(ctx, "mine", "")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := keys.Check(ctx, value); err != nil {
			b.Fatal(err)
		}
	}
}
