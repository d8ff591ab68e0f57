package cache

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/golang-lru/v2/simplelru"
)

// MemoryStore is a [Store] held in this process's memory: an LRU bounded
// by the total [Entry.Size] of its entries.
//
// Memory stays under the capacity, as Entry.Size counts it (keys are not
// counted): a Set that would go over it first drops the least recently
// used entries, and an entry bigger than the whole capacity is not
// stored at all. A Get that
// finds an entry counts as a use of it.
//
// Expired entries are dropped lazily, by the Get that finds them expired
// or by LRU eviction, and until then they still count against the
// capacity (and in [MemoryStore.Len] and [MemoryStore.Bytes]).
//
// A MemoryStore is safe for concurrent use: one mutex guards it, since
// even a Get reorders the LRU. It starts no goroutines, so it needs no
// Close. It does not look at the context, and its methods fail only on a
// nil entry.
//
// Create one with [NewMemoryStore]. The zero MemoryStore has no capacity:
// it keeps nothing.
type MemoryStore struct {
	capacity int64
	clock    func() time.Time

	mu    sync.Mutex
	lru   *simplelru.LRU[string, memItem] // guarded by mu
	bytes int64                           // total size of the items in lru; guarded by mu
}

var _ Store = (*MemoryStore)(nil)

// memItem is what a MemoryStore keeps under a key. It is held by value
// in the LRU's list element, so that a Set costs no extra allocation.
type memItem struct {
	entry   *Entry
	size    int64     // entry.Size(), taken once at Set
	expires time.Time // the item is expired from this instant on
}

// NewMemoryStore returns an empty MemoryStore that keeps at most
// capacity bytes of entries, as [Entry.Size] counts them. It returns an
// error if capacity is less than 1.
//
// clock returns the current time, against which entries expire. If nil,
// time.Now is used.
//
// NewMemoryStore starts no goroutines.
func NewMemoryStore(capacity int64, clock func() time.Time) (*MemoryStore, error) {
	if capacity < 1 {
		return nil, fmt.Errorf("cache: NewMemoryStore: capacity must be at least 1, got %d", capacity)
	}
	s := &MemoryStore{capacity: capacity, clock: clock}
	// The LRU's own bound is on the number of items; it is set out of
	// reach, and Set enforces the bound on bytes. The callback runs
	// however an item leaves (Remove, RemoveOldest, Purge), so that
	// bytes stays right.
	lru, err := simplelru.NewLRU(math.MaxInt, s.evicted)
	if err != nil {
		return nil, fmt.Errorf("cache: NewMemoryStore: %w", err)
	}
	s.lru = lru
	return s, nil
}

// evicted is the LRU's eviction callback. s.mu is held.
func (s *MemoryStore) evicted(_ string, it memItem) {
	s.bytes -= it.size
}

func (s *MemoryStore) now() time.Time {
	if s.clock == nil {
		return time.Now()
	}
	return s.clock()
}

// Get returns the entry stored under key, or nil if there is none or it
// has expired; an expired entry is removed. The error is always nil.
func (s *MemoryStore) Get(_ context.Context, key string) (*Entry, error) {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.lru == nil {
		return nil, nil
	}
	it, ok := s.lru.Get(key)
	if !ok {
		return nil, nil
	}
	if !now.Before(it.expires) {
		s.lru.Remove(key)
		return nil, nil
	}
	return it.entry, nil
}

// Set stores e under key for ttl, replacing any entry stored there, and
// drops the least recently used entries as needed to stay under the
// capacity. If ttl is not positive or e is bigger than the capacity, Set
// stores nothing but still removes the entry under key, so that no older
// entry outlives a newer Set. Set returns an error only if e is nil.
func (s *MemoryStore) Set(_ context.Context, key string, e *Entry, ttl time.Duration) error {
	if e == nil {
		return errors.New("cache: MemoryStore.Set: nil entry")
	}
	it := memItem{entry: e, size: e.Size()}
	if ttl > 0 {
		it.expires = s.now().Add(ttl)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.lru == nil {
		return nil
	}
	if ttl <= 0 || it.size > s.capacity {
		s.lru.Remove(key)
		return nil
	}
	// Add replaces the value of a present key without calling the
	// eviction callback, so the old item's bytes are taken off here.
	if old, ok := s.lru.Peek(key); ok {
		s.bytes -= old.size
	}
	s.lru.Add(key, it)
	s.bytes += it.size
	// The new item is the most recent and fits on its own, so this stops
	// before it is reached.
	for s.bytes > s.capacity {
		if _, _, ok := s.lru.RemoveOldest(); !ok {
			break
		}
	}
	return nil
}

// Delete removes the entry under key, if any. The error is always nil.
func (s *MemoryStore) Delete(_ context.Context, key string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.lru != nil {
		s.lru.Remove(key)
	}
	return nil
}

// Flush removes every entry whose key starts with prefix ("" for all).
// It holds the lock while it looks at every key. The error is always
// nil.
func (s *MemoryStore) Flush(_ context.Context, prefix string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.lru == nil:
	case prefix == "":
		s.lru.Purge()
	default:
		for _, k := range s.lru.Keys() {
			if strings.HasPrefix(k, prefix) {
				s.lru.Remove(k)
			}
		}
	}
	return nil
}

// Len returns the number of entries held, expired ones included.
func (s *MemoryStore) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.lru == nil {
		return 0
	}
	return s.lru.Len()
}

// Bytes returns the total [Entry.Size] of the entries held, expired ones
// included. It is never more than the capacity.
func (s *MemoryStore) Bytes() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.bytes
}
