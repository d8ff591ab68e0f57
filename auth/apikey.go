package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
)

// APIKey describes an API key. The key's value is shown once, when it is
// created; stores keep only its SHA-256 digest.
type APIKey struct {
	ID          string
	Name        string
	Description string
	Enabled     bool
	CreatedAt   time.Time
	// Digest is the SHA-256 of the key's value.
	Digest [sha256.Size]byte
	// UsagePlans names the usage plans the key is on. It lives with the
	// key so that gateways sharing a KeyStore share it: a gateway reads it
	// with each request's key, and changes it with its AttachKey and
	// DetachKey. Plan names contain no "|". A key a KeyStore returns may
	// share this slice with the store: do not modify it in place.
	UsagePlans []string
}

// KeyStore keeps API keys by the digest of their value. Implementations
// are safe for concurrent use; the in-memory [MemoryKeyStore] is the
// default, and a Redis one lets a cluster share keys.
type KeyStore interface {
	// Put stores k, replacing the key with the same ID.
	Put(ctx context.Context, k APIKey) error
	// ByDigest returns the key whose value has the digest d.
	ByDigest(ctx context.Context, d [sha256.Size]byte) (APIKey, bool, error)
	// ByID returns the key with the id.
	ByID(ctx context.Context, id string) (APIKey, bool, error)
	// List returns every key, in no particular order.
	List(ctx context.Context) ([]APIKey, error)
	// Delete removes the key with the id.
	Delete(ctx context.Context, id string) error
}

// ErrNoKey is returned for an API key id that no key has.
var ErrNoKey = errors.New("auth: no such API key")

// APIKeys creates and checks API keys. The zero value keeps them in a
// [MemoryKeyStore] of its own and reads the system clock.
type APIKeys struct {
	// Store keeps the keys. If nil, an in-memory store.
	Store KeyStore
	// Clock stamps creation times. If nil, time.Now.
	Clock func() time.Time

	once sync.Once
}

func (a *APIKeys) init() {
	a.once.Do(func() {
		if a.Store == nil {
			a.Store = &MemoryKeyStore{}
		}
		if a.Clock == nil {
			a.Clock = time.Now
		}
	})
}

// keyAlphabet is what key values and ids are made of.
const keyAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// randomString returns n characters of keyAlphabet from crypto/rand,
// without modulo bias.
func randomString(n int) string {
	const limit = 256 - 256%len(keyAlphabet)
	out := make([]byte, 0, n)
	var buf [64]byte
	for len(out) < n {
		_, _ = rand.Read(buf[:]) // crypto/rand.Read never fails
		for _, b := range buf {
			if int(b) < limit && len(out) < n {
				out = append(out, keyAlphabet[int(b)%len(keyAlphabet)])
			}
		}
	}
	return string(out)
}

// Create makes a new enabled key and returns it with its value: 40
// characters, as the managed service's keys. The value is not kept and
// cannot be shown again.
func (a *APIKeys) Create(ctx context.Context, name, description string) (APIKey, string, error) {
	a.init()
	value := randomString(40)
	k := APIKey{
		ID:          strings.ToLower(randomString(10)),
		Name:        name,
		Description: description,
		Enabled:     true,
		CreatedAt:   a.Clock(),
		Digest:      sha256.Sum256([]byte(value)),
	}
	if err := a.Store.Put(ctx, k); err != nil {
		return APIKey{}, "", err
	}
	return k, value, nil
}

// SetEnabled enables or disables the key with the id.
func (a *APIKeys) SetEnabled(ctx context.Context, id string, enabled bool) error {
	return a.update(ctx, id, func(k *APIKey) { k.Enabled = enabled })
}

// SetUsagePlans sets the names of the usage plans the key with the id is
// on (see [APIKey].UsagePlans).
func (a *APIKeys) SetUsagePlans(ctx context.Context, id string, plans []string) error {
	return a.update(ctx, id, func(k *APIKey) { k.UsagePlans = slices.Clone(plans) })
}

// update applies change to the key with the id and stores it. Two
// updates of one key racing in two processes may lose one: keys are
// managed by people and scripts, not by the request path.
func (a *APIKeys) update(ctx context.Context, id string, change func(*APIKey)) error {
	a.init()
	k, ok, err := a.Store.ByID(ctx, id)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("%w: %q", ErrNoKey, id)
	}
	change(&k)
	return a.Store.Put(ctx, k)
}

// Get returns the key with the id.
func (a *APIKeys) Get(ctx context.Context, id string) (APIKey, error) {
	a.init()
	k, ok, err := a.Store.ByID(ctx, id)
	if err == nil && !ok {
		err = fmt.Errorf("%w: %q", ErrNoKey, id)
	}
	return k, err
}

// List returns every key, oldest first.
func (a *APIKeys) List(ctx context.Context) ([]APIKey, error) {
	a.init()
	ks, err := a.Store.List(ctx)
	slices.SortFunc(ks, func(x, y APIKey) int { return x.CreatedAt.Compare(y.CreatedAt) })
	return ks, err
}

// Delete removes the key with the id.
func (a *APIKeys) Delete(ctx context.Context, id string) error {
	a.init()
	return a.Store.Delete(ctx, id)
}

// Check returns the enabled key whose value is value. A missing, unknown
// or disabled key is an error wrapping [ErrForbidden], with the same
// message for each. The value is hashed before the lookup, so the time a
// lookup takes says nothing about how much of a guess was right.
func (a *APIKeys) Check(ctx context.Context, value string) (APIKey, error) {
	a.init()
	if value == "" {
		return APIKey{}, fmt.Errorf("%w: invalid API key", ErrForbidden)
	}
	k, ok, err := a.Store.ByDigest(ctx, sha256.Sum256([]byte(value)))
	if err != nil {
		return APIKey{}, err
	}
	if !ok || !k.Enabled {
		return APIKey{}, fmt.Errorf("%w: invalid API key", ErrForbidden)
	}
	return k, nil
}

// MemoryKeyStore is a [KeyStore] in memory. The zero value is ready; it is
// safe for concurrent use.
type MemoryKeyStore struct {
	mu       sync.RWMutex
	byID     map[string]APIKey
	byDigest map[[sha256.Size]byte]string // digest → id
}

var _ KeyStore = (*MemoryKeyStore)(nil)

// Put stores k.
func (m *MemoryKeyStore) Put(_ context.Context, k APIKey) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.byID == nil {
		m.byID, m.byDigest = map[string]APIKey{}, map[[sha256.Size]byte]string{}
	}
	if old, ok := m.byID[k.ID]; ok {
		delete(m.byDigest, old.Digest)
	}
	k.UsagePlans = slices.Clone(k.UsagePlans) // the caller's slice stays theirs
	m.byID[k.ID] = k
	m.byDigest[k.Digest] = k.ID
	return nil
}

// ByDigest returns the key with the digest.
func (m *MemoryKeyStore) ByDigest(_ context.Context, d [sha256.Size]byte) (APIKey, bool, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	id, ok := m.byDigest[d]
	if !ok {
		return APIKey{}, false, nil
	}
	return m.byID[id], true, nil
}

// ByID returns the key with the id.
func (m *MemoryKeyStore) ByID(_ context.Context, id string) (APIKey, bool, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	k, ok := m.byID[id]
	return k, ok, nil
}

// List returns every key.
func (m *MemoryKeyStore) List(context.Context) ([]APIKey, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	out := make([]APIKey, 0, len(m.byID))
	for _, k := range m.byID {
		out = append(out, k)
	}
	return out, nil
}

// Delete removes the key with the id.
func (m *MemoryKeyStore) Delete(_ context.Context, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	k, ok := m.byID[id]
	if !ok {
		return fmt.Errorf("%w: %q", ErrNoKey, id)
	}
	delete(m.byID, id)
	delete(m.byDigest, k.Digest)
	return nil
}
