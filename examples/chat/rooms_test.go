package main

import (
	"fmt"
	"slices"
	"sync"
	"testing"
)

func TestRoomsRegistry(t *testing.T) {
	var r rooms
	if got := r.members("lobby"); len(got) != 0 {
		t.Fatalf("the zero rooms has %v in the lobby", got)
	}
	r.join("a", "alice", "lobby")
	r.join("b", "bob", "lobby")
	r.join("c", "carol", "kitchen")
	if got := r.members("lobby"); !slices.Equal(got, []string{"a", "b"}) {
		t.Errorf("lobby: %v", got)
	}
	if m, ok := r.lookup("c"); !ok || m.name != "carol" || m.room != "kitchen" {
		t.Errorf("lookup(c) = %+v, %v", m, ok)
	}

	if m, ok := r.leave("a"); !ok || m.name != "alice" || m.room != "lobby" {
		t.Errorf("leave(a) = %+v, %v", m, ok)
	}
	if _, ok := r.lookup("a"); ok {
		t.Error("a connection that left is still known")
	}
	if _, ok := r.leave("a"); ok {
		t.Error("a connection left twice")
	}

	// Joining again moves a connection.
	r.join("b", "bob", "kitchen")
	if got := r.members("kitchen"); !slices.Equal(got, []string{"b", "c"}) {
		t.Errorf("kitchen: %v", got)
	}
	if _, ok := r.byRoom["lobby"]; ok {
		t.Error("the empty lobby is still recorded")
	}
	for _, id := range []string{"b", "c"} {
		if _, ok := r.leave(id); !ok {
			t.Errorf("leave(%s) found nothing", id)
		}
	}
	if len(r.byRoom) != 0 || len(r.byConn) != 0 {
		t.Errorf("after everyone left: %v %v", r.byRoom, r.byConn)
	}
}

// TestRoomsConcurrent is for the race detector.
func TestRoomsConcurrent(t *testing.T) {
	var r rooms
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for j := range 100 {
				id := fmt.Sprintf("%d-%d", i, j)
				r.join(id, "n", fmt.Sprint("room", j%3))
				_ = r.members(fmt.Sprint("room", j%3))
				r.leave(id)
			}
		})
	}
	wg.Wait()
	if len(r.byConn) != 0 {
		t.Errorf("%d connections left over", len(r.byConn))
	}
}

func TestValidName(t *testing.T) {
	for _, tt := range []struct {
		s  string
		ok bool
	}{
		{"alice", true},
		{"Mary Ann", true},
		{"日本語", true},
		{"", false},
		{"a\nb", false},
		{"\xff", false},
		{"12345678901234567890123456789012", true},
		{"123456789012345678901234567890123", false},
	} {
		if got := validName(tt.s); got != tt.ok {
			t.Errorf("validName(%q) = %v, want %v", tt.s, got, tt.ok)
		}
	}
}
