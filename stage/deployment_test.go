package stage

import (
	"sync"
	"testing"
	"time"
)

var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// validID reports whether id looks like a deployment ID.
func validID(id string) bool {
	if len(id) != idLen {
		return false
	}
	for i := range len(id) {
		if c := id[i]; !('a' <= c && c <= 'z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}

func TestHistoryIDs(t *testing.T) {
	const n = 10000
	var h History[int]
	seen := make(map[string]bool, n)
	for i := range n {
		d := h.Add(i, "", t0)
		if !validID(d.ID) {
			t.Fatalf("deployment %d: ID %q is not 10 characters of [a-z0-9]", i, d.ID)
		}
		if seen[d.ID] {
			t.Fatalf("deployment %d: ID %q repeats", i, d.ID)
		}
		seen[d.ID] = true
	}
}

func TestHistoryIDCollision(t *testing.T) {
	// The source yields the same bytes twice, then others: the second
	// deployment must not reuse the first one's ID.
	calls := 0
	h := History[string]{fill: func(b []byte) {
		calls++
		for i := range b {
			b[i] = byte(i)
			if calls > 2 {
				b[i] += 100
			}
		}
	}}
	a := h.Add("a", "", t0)
	b := h.Add("b", "", t0)
	if a.ID == b.ID {
		t.Fatalf("both deployments have ID %q", a.ID)
	}
	if a.ID != "abcdefghij" {
		t.Errorf("first ID = %q; want %q", a.ID, "abcdefghij")
	}
	if got, ok := h.Get(b.ID); !ok || got != b {
		t.Errorf("Get(%q) = %v, %v; want the second deployment", b.ID, got, ok)
	}
}

func TestHistoryIDRejectsHighBytes(t *testing.T) {
	// Bytes from 252 up would make some characters likelier; they are
	// skipped.
	h := History[int]{fill: func(b []byte) {
		for i := range b {
			b[i] = 255
			if i%2 == 1 {
				b[i] = 36 + 1 // 'b'
			}
		}
	}}
	if got := h.Add(0, "", t0).ID; got != "bbbbbbbbbb" {
		t.Errorf("ID = %q; want %q", got, "bbbbbbbbbb")
	}
}

func TestHistory(t *testing.T) {
	var h History[string]
	if _, ok := h.Latest(); ok {
		t.Error("Latest on an empty History reported a deployment")
	}
	if got := h.List(); len(got) != 0 {
		t.Errorf("List on an empty History = %v", got)
	}
	if _, ok := h.Get("abcdefghij"); ok {
		t.Error("Get on an empty History reported a deployment")
	}

	values := []string{"v1", "v2", "v3"}
	var added []*Deployment[string]
	for i, v := range values {
		d := h.Add(v, "release "+v, t0.Add(time.Duration(i)*time.Hour))
		if d.Value != v || d.Description != "release "+v || !d.CreatedAt.Equal(t0.Add(time.Duration(i)*time.Hour)) {
			t.Errorf("Add(%q) = %+v", v, d)
		}
		added = append(added, d)
	}

	list := h.List()
	if len(list) != len(added) {
		t.Fatalf("List has %d deployments; want %d", len(list), len(added))
	}
	for i := range list {
		if list[i] != added[i] {
			t.Errorf("List()[%d] = %s; want %s (oldest first)", i, list[i].Value, added[i].Value)
		}
	}
	list[0] = nil
	if h.List()[0] != added[0] {
		t.Error("changing the slice List returned changed the History")
	}

	for _, d := range added {
		if got, ok := h.Get(d.ID); !ok || got != d {
			t.Errorf("Get(%q) = %v, %v; want %s", d.ID, got, ok, d.Value)
		}
	}
	if _, ok := h.Get("zzzzzzzzzz"); ok {
		t.Error("Get of an unknown ID reported a deployment")
	}
	if got, ok := h.Latest(); !ok || got != added[2] {
		t.Errorf("Latest() = %v, %v; want v3", got, ok)
	}
}

func TestHistoryConcurrent(t *testing.T) {
	var h History[int]
	const writers, each = 4, 250
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				d := h.Add(w*each+i, "", t0)
				if got, ok := h.Get(d.ID); !ok || got != d {
					t.Errorf("Get(%q) right after Add = %v, %v", d.ID, got, ok)
				}
				_ = h.List()
				_, _ = h.Latest()
			}
		})
	}
	wg.Wait()
	list := h.List()
	if len(list) != writers*each {
		t.Fatalf("List has %d deployments; want %d", len(list), writers*each)
	}
	seen := make(map[string]bool)
	for _, d := range list {
		if seen[d.ID] {
			t.Fatalf("ID %q repeats", d.ID)
		}
		seen[d.ID] = true
	}
}
