package stage

import (
	"crypto/rand"
	"sync"
	"time"
)

// Deployment is an immutable snapshot of something deployed: in the
// gateway, a compiled API. Deployments are made by [History.Add] and must
// not be modified afterwards; Value must not be modified either.
type Deployment[T any] struct {
	// ID identifies the deployment within its History: 10 characters of
	// [a-z0-9] drawn from crypto/rand, like the managed service's
	// deployment IDs.
	ID string
	// Description is free text from whoever deployed.
	Description string
	// CreatedAt is the time passed to Add.
	CreatedAt time.Time
	// Value is what was deployed.
	Value T
}

// idLen is the length of a deployment ID; idAlphabet holds its characters.
const (
	idLen      = 10
	idAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
)

// History keeps every deployment of one API, oldest first. Deployments
// are never removed, so a stage can always roll back to any of them.
//
// The zero History is empty and ready to use. A History is safe for
// concurrent use.
type History[T any] struct {
	mu   sync.RWMutex
	list []*Deployment[T]          // guarded by mu; oldest first
	byID map[string]*Deployment[T] // guarded by mu

	// fill fills b with random bytes; nil means crypto/rand. Tests set
	// it to force ID collisions.
	fill func(b []byte)
}

// Add records value as a new deployment made at now, and returns it. Its
// ID is unique within h.
func (h *History[T]) Add(value T, description string, now time.Time) *Deployment[T] {
	d := &Deployment[T]{Description: description, CreatedAt: now, Value: value}
	h.mu.Lock()
	defer h.mu.Unlock()
	for {
		d.ID = h.newID()
		if _, dup := h.byID[d.ID]; !dup {
			break
		}
	}
	if h.byID == nil {
		h.byID = make(map[string]*Deployment[T])
	}
	h.byID[d.ID] = d
	h.list = append(h.list, d)
	return d
}

// Get returns the deployment with the given ID.
func (h *History[T]) Get(id string) (*Deployment[T], bool) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	d, ok := h.byID[id]
	return d, ok
}

// List returns every deployment, oldest first, in a new slice.
func (h *History[T]) List() []*Deployment[T] {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return append([]*Deployment[T](nil), h.list...)
}

// Latest returns the most recently added deployment; ok is false when
// there is none.
func (h *History[T]) Latest() (d *Deployment[T], ok bool) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	if len(h.list) == 0 {
		return nil, false
	}
	return h.list[len(h.list)-1], true
}

// newID returns a random deployment ID, each character uniform over
// idAlphabet.
func (h *History[T]) newID() string {
	fill := h.fill
	if fill == nil {
		// crypto/rand.Read never returns an error: it crashes the
		// program if the system's source fails.
		fill = func(b []byte) { _, _ = rand.Read(b) }
	}
	var id [idLen]byte
	var buf [16]byte
	n := 0
	for n < idLen {
		fill(buf[:])
		for _, c := range buf {
			// 252 is the largest multiple of 36 that fits a byte:
			// rejecting bytes above it keeps every character equally
			// likely.
			if c >= 252 {
				continue
			}
			id[n] = idAlphabet[c%36]
			if n++; n == idLen {
				break
			}
		}
	}
	return string(id[:])
}
