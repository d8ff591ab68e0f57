package cache

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gatekit/gatekit/internal/clocktest"
)

// memOp is one step of a MemoryStore test case.
type memOp struct {
	kind memOpKind
	key  string // get, set, delete; the prefix for flush
	val  string // set: the body; get: the body wanted, "" for a miss
	ttl  time.Duration
	n    int // checkLen: the entries wanted
}

type memOpKind int

const (
	memGet memOpKind = iota
	memSet
	memDelete
	memFlush
	memWait
	memCheckLen
)

// memSize is the total size of entries with these bodies and no headers.
func memSize(bodies ...string) int64 {
	n := int64(len(bodies)) * entryOverhead
	for _, b := range bodies {
		n += int64(len(b))
	}
	return n
}

func TestMemoryStore(t *testing.T) {
	get := func(key, val string) memOp { return memOp{kind: memGet, key: key, val: val} }
	miss := func(key string) memOp { return memOp{kind: memGet, key: key} }
	set := func(key, val string) memOp { return memOp{kind: memSet, key: key, val: val, ttl: time.Hour} }
	setTTL := func(key, val string, ttl time.Duration) memOp {
		return memOp{kind: memSet, key: key, val: val, ttl: ttl}
	}
	del := func(key string) memOp { return memOp{kind: memDelete, key: key} }
	flush := func(prefix string) memOp { return memOp{kind: memFlush, key: prefix} }
	wait := func(d time.Duration) memOp { return memOp{kind: memWait, ttl: d} }
	checkLen := func(n int) memOp { return memOp{kind: memCheckLen, n: n} }
	big := strings.Repeat("x", 1000)
	cases := []struct {
		name     string
		capacity int64
		ops      []memOp
	}{
		{"hit", 1 << 20, []memOp{set("a", "v1"), get("a", "v1"), get("a", "v1"), checkLen(1)}},
		{"miss", 1 << 20, []memOp{miss("a"), set("a", "v1"), miss("b"), miss(""), checkLen(1)}},
		{"empty key and body", 1 << 20, []memOp{setTTL("", "", time.Minute), checkLen(1)}},
		{"ttl expiry", 1 << 20, []memOp{
			setTTL("a", "v1", 10*time.Second),
			wait(9 * time.Second), get("a", "v1"),
			wait(time.Second), checkLen(1), // expired, but counts until found
			miss("a"), checkLen(0),
		}},
		{"expired entry stays a miss", 1 << 20, []memOp{
			setTTL("a", "v1", time.Second), wait(time.Hour), miss("a"), miss("a"), checkLen(0),
		}},
		{"ttl not positive stores nothing", 1 << 20, []memOp{
			setTTL("a", "v1", 0), miss("a"),
			setTTL("a", "v1", -time.Second), miss("a"), checkLen(0),
		}},
		{"ttl not positive removes the old entry", 1 << 20, []memOp{
			set("a", "v1"), setTTL("a", "v2", 0), miss("a"), checkLen(0),
		}},
		{"replace", 1 << 20, []memOp{
			set("a", "v1"), set("a", "a longer value"), get("a", "a longer value"),
			set("a", "v3"), get("a", "v3"), checkLen(1),
		}},
		{"replace renews the ttl", 1 << 20, []memOp{
			setTTL("a", "v1", 10*time.Second), wait(8 * time.Second),
			setTTL("a", "v2", 10*time.Second), wait(8 * time.Second),
			get("a", "v2"),
		}},
		{"delete", 1 << 20, []memOp{
			set("a", "v1"), set("b", "v2"), del("a"), miss("a"), get("b", "v2"),
			del("a"), del("nothing"), checkLen(1),
		}},
		{"flush prefix", 1 << 20, []memOp{
			set("api/prod/x", "1"), set("api/prod/y", "2"), set("api/dev/x", "3"), set("other", "4"), set("api/production", "5"),
			flush("api/prod/"),
			miss("api/prod/x"), miss("api/prod/y"), get("api/dev/x", "3"), get("other", "4"), get("api/production", "5"),
			checkLen(3),
			flush("nothing/"), checkLen(3),
		}},
		{"flush all", 1 << 20, []memOp{
			set("api/prod/x", "1"), set("other", "2"), flush(""),
			miss("api/prod/x"), miss("other"), checkLen(0),
			set("again", "3"), get("again", "3"),
		}},
		{"bigger than capacity", memSize(big) - 1, []memOp{
			set("a", big), miss("a"), checkLen(0),
		}},
		{"bigger than capacity removes the old entry", memSize(big) - 1, []memOp{
			set("a", "v1"), set("b", "v2"), set("a", big), miss("a"), get("b", "v2"), checkLen(1),
		}},
		{"exactly the capacity", memSize(big), []memOp{
			set("a", "v1"), set("b", big), miss("a"), get("b", big), checkLen(1),
		}},
		{"oldest evicted first", memSize("v1", "v2", "v3"), []memOp{
			set("a", "v1"), set("b", "v2"), set("c", "v3"), set("d", "v4"),
			miss("a"), get("b", "v2"), get("c", "v3"), get("d", "v4"), checkLen(3),
		}},
		{"get keeps an entry alive", memSize("v1", "v2", "v3"), []memOp{
			set("a", "v1"), set("b", "v2"), set("c", "v3"),
			get("a", "v1"), set("d", "v4"), // evicts b, not a
			get("a", "v1"), set("e", "v5"), // evicts c
			get("a", "v1"), set("f", "v6"), // evicts d
			miss("b"), miss("c"), miss("d"), get("e", "v5"), get("f", "v6"), get("a", "v1"), checkLen(3),
		}},
		{"replace counts as a use", memSize("v1", "v2", "v3"), []memOp{
			set("a", "v1"), set("b", "v2"), set("c", "v3"), set("a", "v9"), set("d", "v4"),
			get("a", "v9"), miss("b"),
		}},
		{"a big entry evicts several", memSize("v1", "v2", "v3"), []memOp{
			set("a", "v1"), set("b", "v2"), set("c", "v3"),
			set("d", strings.Repeat("y", entryOverhead+4)), // the size of two small entries
			miss("a"), miss("b"), get("c", "v3"), checkLen(2),
		}},
		{"a growing replace evicts others", memSize("v1", "v2", "v3"), []memOp{
			set("a", "v1"), set("b", "v2"), set("c", "v3"),
			set("c", strings.Repeat("z", 2*entryOverhead+6)), // the size of all three
			miss("a"), miss("b"), get("c", strings.Repeat("z", 2*entryOverhead+6)), checkLen(1),
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			clock := clocktest.NewClock(time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC))
			s, err := NewMemoryStore(tc.capacity, clock.Now)
			if err != nil {
				t.Fatal(err)
			}
			for i, op := range tc.ops {
				switch op.kind {
				case memGet:
					e, err := s.Get(ctx, op.key)
					switch {
					case err != nil:
						t.Fatalf("op %d: Get(%q): %v", i, op.key, err)
					case op.val == "" && e != nil:
						t.Fatalf("op %d: Get(%q) = %q, want a miss", i, op.key, e.Body)
					case op.val != "" && e == nil:
						t.Fatalf("op %d: Get(%q) missed, want %q", i, op.key, op.val)
					case op.val != "" && string(e.Body) != op.val:
						t.Fatalf("op %d: Get(%q) = %q, want %q", i, op.key, e.Body, op.val)
					}
				case memSet:
					e := &Entry{Status: http.StatusOK, Body: []byte(op.val), StoredAt: clock.Now()}
					if err := s.Set(ctx, op.key, e, op.ttl); err != nil {
						t.Fatalf("op %d: Set(%q): %v", i, op.key, err)
					}
				case memDelete:
					if err := s.Delete(ctx, op.key); err != nil {
						t.Fatalf("op %d: Delete(%q): %v", i, op.key, err)
					}
				case memFlush:
					if err := s.Flush(ctx, op.key); err != nil {
						t.Fatalf("op %d: Flush(%q): %v", i, op.key, err)
					}
				case memWait:
					clock.Advance(op.ttl)
				case memCheckLen:
					if got := s.Len(); got != op.n {
						t.Fatalf("op %d: Len() = %d, want %d", i, got, op.n)
					}
				}
				checkMemBytes(t, s)
			}
		})
	}
}

// checkMemBytes checks that s's byte count is the sum of its entries' sizes
// and within its capacity.
func checkMemBytes(t *testing.T, s *MemoryStore) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	var sum int64
	for _, it := range s.lru.Values() {
		if it.size != it.entry.Size() {
			t.Fatalf("item size %d, entry size %d", it.size, it.entry.Size())
		}
		sum += it.size
	}
	if s.bytes != sum {
		t.Fatalf("bytes = %d, the entries add up to %d", s.bytes, sum)
	}
	if s.bytes > s.capacity {
		t.Fatalf("bytes = %d, over the capacity %d", s.bytes, s.capacity)
	}
}

func TestNewMemoryStoreCapacity(t *testing.T) {
	for _, capacity := range []int64{0, -1, -1 << 62} {
		s, err := NewMemoryStore(capacity, nil)
		if err == nil || s != nil {
			t.Errorf("NewMemoryStore(%d) = %v, %v; want an error", capacity, s, err)
			continue
		}
		if !strings.Contains(err.Error(), "capacity") {
			t.Errorf("NewMemoryStore(%d) error %q does not name the capacity", capacity, err)
		}
	}
	if _, err := NewMemoryStore(1, nil); err != nil {
		t.Errorf("NewMemoryStore(1): %v", err)
	}
}

// TestMemoryStoreRealClock checks that a nil clock means time.Now.
func TestMemoryStoreRealClock(t *testing.T) {
	ctx := context.Background()
	s, err := NewMemoryStore(1<<20, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Set(ctx, "a", &Entry{Body: []byte("v")}, time.Hour); err != nil {
		t.Fatal(err)
	}
	if err := s.Set(ctx, "b", &Entry{Body: []byte("v")}, time.Nanosecond); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Millisecond)
	if e, _ := s.Get(ctx, "a"); e == nil {
		t.Error("Get(a) missed, want a hit")
	}
	if e, _ := s.Get(ctx, "b"); e != nil {
		t.Error("Get(b) hit, want it expired")
	}
}

func TestMemoryStoreNilEntry(t *testing.T) {
	s, err := NewMemoryStore(1<<20, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Set(context.Background(), "a", nil, time.Hour); err == nil {
		t.Error("Set of a nil entry succeeded, want an error")
	}
}

// TestMemoryStoreZero checks that the zero MemoryStore keeps nothing and
// does not panic.
func TestMemoryStoreZero(t *testing.T) {
	ctx := context.Background()
	var s MemoryStore
	if err := s.Set(ctx, "a", &Entry{Body: []byte("v")}, time.Hour); err != nil {
		t.Errorf("Set: %v", err)
	}
	if e, err := s.Get(ctx, "a"); e != nil || err != nil {
		t.Errorf("Get = %v, %v; want nil, nil", e, err)
	}
	if err := s.Delete(ctx, "a"); err != nil {
		t.Errorf("Delete: %v", err)
	}
	if err := s.Flush(ctx, ""); err != nil {
		t.Errorf("Flush: %v", err)
	}
	if err := s.Flush(ctx, "a"); err != nil {
		t.Errorf("Flush: %v", err)
	}
	if s.Len() != 0 || s.Bytes() != 0 {
		t.Errorf("Len, Bytes = %d, %d; want 0, 0", s.Len(), s.Bytes())
	}
}

// TestMemoryStoreChurn has several goroutines each write ten times the
// capacity in distinct keys of varying sizes, with reads, deletes and
// flushes among the writes, and checks after every Set that the store
// stays within its capacity.
func TestMemoryStoreChurn(t *testing.T) {
	const (
		capacity   = 64 << 10
		goroutines = 8
		maxBody    = 4 << 10
		// Every entry counts at least entryOverhead bytes.
		maxLen = capacity / entryOverhead
	)
	ctx := context.Background()
	s, err := NewMemoryStore(capacity, nil)
	if err != nil {
		t.Fatal(err)
	}
	body := []byte(strings.Repeat("b", 2*capacity))
	var sets atomic.Int64
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			var written int64 // stored, not counting entries too big to store
			for i := 0; written < 10*capacity; i++ {
				key := fmt.Sprintf("api/g%d/%d", g, i)
				n := (i*7919 + g*131) % maxBody
				if i%97 == 96 {
					n = 2 * capacity // too big: stores nothing
				}
				e := &Entry{Status: 200, Body: body[:n]}
				if i%3 == 0 {
					e.Header = http.Header{"Content-Type": {"text/plain"}, "X-Multi": {"1", key}}
				}
				if err := s.Set(ctx, key, e, time.Hour); err != nil {
					t.Error(err)
					return
				}
				sets.Add(1)
				if n <= maxBody {
					written += e.Size()
				}
				if b := s.Bytes(); b > capacity {
					t.Errorf("after Set %q: Bytes() = %d, over the capacity %d", key, b, capacity)
					return
				}
				if l := s.Len(); l > maxLen {
					t.Errorf("after Set %q: Len() = %d, over %d", key, l, maxLen)
					return
				}
				switch i % 10 {
				case 1, 2, 3:
					if _, err := s.Get(ctx, fmt.Sprintf("api/g%d/%d", g, i/2)); err != nil {
						t.Error(err)
						return
					}
				case 4:
					if err := s.Delete(ctx, fmt.Sprintf("api/g%d/%d", (g+1)%goroutines, i-1)); err != nil {
						t.Error(err)
						return
					}
				}
				if i%200 == 199 {
					if err := s.Flush(ctx, fmt.Sprintf("api/g%d/", g)); err != nil {
						t.Error(err)
						return
					}
				}
			}
		})
	}
	wg.Wait()
	if b := s.Bytes(); b > capacity {
		t.Errorf("at the end: Bytes() = %d, over the capacity %d", b, capacity)
	}
	if l := s.Len(); l > maxLen {
		t.Errorf("at the end: Len() = %d, over %d", l, maxLen)
	}
	checkMemBytes(t, s)
	t.Logf("%d sets; at the end: %d entries, %d bytes", sets.Load(), s.Len(), s.Bytes())
}

// TestMemoryStoreGetAllocs checks that a hit allocates nothing.
func TestMemoryStoreGetAllocs(t *testing.T) {
	ctx := context.Background()
	s, err := NewMemoryStore(1<<20, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Set(ctx, "api/prod/GET /pets/1", &Entry{Body: []byte("v")}, time.Hour); err != nil {
		t.Fatal(err)
	}
	allocs := testing.AllocsPerRun(100, func() {
		if e, _ := s.Get(ctx, "api/prod/GET /pets/1"); e == nil {
			t.Fatal("miss")
		}
	})
	if allocs != 0 {
		t.Errorf("a hit allocates %v times, want 0", allocs)
	}
}
