package ws

import (
	"context"
	"sync"
	"time"
)

// ConnInfo is what is recorded about a connection: where it lives and
// what the connections API's GET returns.
type ConnInfo struct {
	// ID is the connection id.
	ID string `json:"id"`
	// Instance names the server instance that holds the connection.
	Instance string `json:"instance"`
	// ConnectedAt is when the connection was opened.
	ConnectedAt time.Time `json:"connectedAt"`
	// LastActiveAt is when the client last sent a message, as recorded
	// (see Store.Touch): it may lag by up to the server's TouchInterval.
	LastActiveAt time.Time `json:"lastActiveAt"`
	// Identity is who the client is.
	Identity Identity `json:"identity"`
}

// Identity is what the connections API's GET reports of a client, and
// what reaches every message's payload.
type Identity struct {
	SourceIP  string `json:"sourceIp"`
	UserAgent string `json:"userAgent,omitempty"`
	// Principal is the authorizer's principal on $connect, if any.
	Principal string `json:"principalId,omitempty"`
	// APIKeyID is the id of the API key the client connected with, if
	// any.
	APIKeyID string `json:"apiKeyId,omitempty"`
}

// Store records the open connections of every instance, so that any
// instance can tell which one holds a connection. Implementations are
// safe for concurrent use.
type Store interface {
	// Put records a connection, replacing any record with its ID. ttl
	// bounds how long the record outlives its instance if that dies
	// without deleting it (the connection's maximum duration).
	Put(ctx context.Context, c ConnInfo, ttl time.Duration) error
	// Get returns the record of the connection id, and false if there
	// is none.
	Get(ctx context.Context, id string) (ConnInfo, bool, error)
	// Touch sets the connection's LastActiveAt. Touching an unknown
	// connection does nothing.
	Touch(ctx context.Context, id string, at time.Time) error
	// Delete removes the record of the connection id.
	Delete(ctx context.Context, id string) error
}

// Op is what a Command asks of the instance that holds a connection.
type Op string

// The commands one instance sends another.
const (
	// OpPost sends Data to the connection.
	OpPost Op = "post"
	// OpDelete closes the connection.
	OpDelete Op = "delete"
)

// Command is a request to the instance that holds a connection.
type Command struct {
	Op     Op     `json:"op"`
	ConnID string `json:"connectionId"`
	// Data is the message to send, for OpPost.
	Data []byte `json:"data,omitempty"`
	// Binary sends Data as a binary frame rather than a text frame.
	Binary bool `json:"binary,omitempty"`
}

// Bus carries commands between instances: an instance posting to, or
// deleting, a connection another instance holds publishes a Command to
// that instance. Implementations are safe for concurrent use.
type Bus interface {
	// Subscribe delivers the commands published to instance to deliver,
	// one at a time, until Close. It returns once the subscription is
	// active, so that a Publish after it returns is delivered.
	Subscribe(ctx context.Context, instance string, deliver func(Command)) error
	// Publish sends cmd to instance. It does not wait for delivery.
	Publish(ctx context.Context, instance string, cmd Command) error
	// Close ends the subscription and waits for its goroutines.
	Close() error
}

// MemoryStore is a Store in this process's memory, the default: enough
// for one instance. The zero value is ready to use.
type MemoryStore struct {
	mu    sync.Mutex
	conns map[string]ConnInfo
}

var _ Store = (*MemoryStore)(nil)

// Put implements Store. ttl is not needed in one process: the record
// goes with its connection.
func (m *MemoryStore) Put(_ context.Context, c ConnInfo, _ time.Duration) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.conns == nil {
		m.conns = make(map[string]ConnInfo)
	}
	m.conns[c.ID] = c
	return nil
}

// Get implements Store.
func (m *MemoryStore) Get(_ context.Context, id string) (ConnInfo, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c, ok := m.conns[id]
	return c, ok, nil
}

// Touch implements Store.
func (m *MemoryStore) Touch(_ context.Context, id string, at time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if c, ok := m.conns[id]; ok {
		c.LastActiveAt = at
		m.conns[id] = c
	}
	return nil
}

// Delete implements Store.
func (m *MemoryStore) Delete(_ context.Context, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.conns, id)
	return nil
}
