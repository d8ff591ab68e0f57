package redisws

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gatekit/gatekit/ws"
	"github.com/redis/go-redis/v9"
)

// Store is a [ws.Store] on Redis, shared by every instance that uses the
// same Redis and hash tag: a record one instance puts, every instance
// gets. See the package documentation for the key layout.
//
// Put is one MULTI/EXEC (DEL, HSET, PEXPIRE), Get one HGETALL, Touch
// one script, Delete one DEL: each a single round trip, bounded by
// [Options].Timeout. A Store is safe for concurrent use and starts no
// goroutines.
type Store struct {
	client  redis.UniversalClient
	prefix  string // "{tag}:conn:", before every connection id
	timeout time.Duration
}

var _ ws.Store = (*Store)(nil)

// NewStore returns a Store on the client. It makes no call to Redis and
// starts no goroutines.
//
// So that Timeout bounds every call, a *redis.Client, *redis.ClusterClient
// or *redis.Ring must have ContextTimeoutEnabled set (go-redis ignores a
// context's deadline otherwise); NewStore fails if it has not. It also
// fails for a HashTag with a brace and a negative Timeout.
func NewStore(client redis.UniversalClient, opts Options) (*Store, error) {
	s, err := check(client, opts)
	if err != nil {
		return nil, err
	}
	return &Store{client: client, prefix: s.tag + ":conn:", timeout: s.timeout}, nil
}

// The fields of a connection's hash.
const (
	fieldID           = "id"
	fieldInstance     = "instance"
	fieldConnectedAt  = "connectedAt"
	fieldLastActiveAt = "lastActiveAt"
	fieldSourceIP     = "sourceIp"
	fieldUserAgent    = "userAgent"
	fieldPrincipal    = "principalId"
	fieldAPIKeyID     = "apiKeyId"
)

// Put implements [ws.Store]: it replaces the record of c.ID with c, to
// expire after ttl, rounded down to the millisecond (up, below 1 ms).
// A ttl of zero or less is an error (a record without one would outlive
// a crashed instance for ever), and so are an empty ID or Instance.
func (s *Store) Put(ctx context.Context, c ws.ConnInfo, ttl time.Duration) error {
	switch {
	case c.ID == "" || c.Instance == "":
		return &opError{op: "Put", err: errors.New("the connection has no ID or Instance")}
	case ttl <= 0:
		return &opError{op: "Put", err: fmt.Errorf("ttl %v is not positive", ttl)}
	}
	key := s.prefix + c.ID
	cctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	// DEL first, so that no field of a former record survives.
	_, err := s.client.TxPipelined(cctx, func(p redis.Pipeliner) error {
		p.Del(cctx, key)
		p.HSet(cctx, key,
			fieldID, c.ID,
			fieldInstance, c.Instance,
			fieldConnectedAt, formatTime(c.ConnectedAt),
			fieldLastActiveAt, formatTime(c.LastActiveAt),
			fieldSourceIP, c.Identity.SourceIP,
			fieldUserAgent, c.Identity.UserAgent,
			fieldPrincipal, c.Identity.Principal,
			fieldAPIKeyID, c.Identity.APIKeyID,
		)
		p.PExpire(cctx, key, max(ttl, time.Millisecond))
		return nil
	})
	if err != nil {
		return fail(ctx, "Put", err)
	}
	return nil
}

// Get implements [ws.Store].
func (s *Store) Get(ctx context.Context, id string) (ws.ConnInfo, bool, error) {
	cctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	m, err := s.client.HGetAll(cctx, s.prefix+id).Result()
	if err != nil {
		return ws.ConnInfo{}, false, fail(ctx, "Get", err)
	}
	if len(m) == 0 {
		return ws.ConnInfo{}, false, nil
	}
	c, err := decodeConn(m)
	if err != nil {
		return ws.ConnInfo{}, false, &opError{op: "Get", err: fmt.Errorf("the record of %q: %w", id, err)}
	}
	return c, true, nil
}

// touchScript: KEYS the record; ARGV the field, its value. It sets the
// field only if the record exists, so that touching an unknown (or
// expired, or deleted) connection leaves no partial record behind.
var touchScript = redis.NewScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1
`)

// Touch implements [ws.Store]: it sets LastActiveAt of the record of id,
// if there is one, and leaves its expiry alone. It is one EVALSHA, or
// EVALSHA and EVAL the first time a Redis sees the script.
func (s *Store) Touch(ctx context.Context, id string, at time.Time) error {
	cctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	err := touchScript.Run(cctx, s.client, []string{s.prefix + id}, fieldLastActiveAt, formatTime(at)).Err()
	if err != nil {
		return fail(ctx, "Touch", err)
	}
	return nil
}

// Delete implements [ws.Store]. Deleting an unknown connection does
// nothing.
func (s *Store) Delete(ctx context.Context, id string) error {
	cctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	if err := s.client.Del(cctx, s.prefix+id).Err(); err != nil {
		return fail(ctx, "Delete", err)
	}
	return nil
}

// formatTime returns t in UTC as RFC 3339 with nanoseconds, readable in
// redis-cli. It keeps the instant, not t's location or monotonic clock
// reading.
func formatTime(t time.Time) string {
	return t.UTC().Format(time.RFC3339Nano)
}

// decodeConn returns the connection of the hash m.
func decodeConn(m map[string]string) (ws.ConnInfo, error) {
	c := ws.ConnInfo{
		ID:       m[fieldID],
		Instance: m[fieldInstance],
		Identity: ws.Identity{
			SourceIP:  m[fieldSourceIP],
			UserAgent: m[fieldUserAgent],
			Principal: m[fieldPrincipal],
			APIKeyID:  m[fieldAPIKeyID],
		},
	}
	if c.ID == "" || c.Instance == "" {
		return ws.ConnInfo{}, errors.New("no id or instance")
	}
	var err error
	if c.ConnectedAt, err = parseTime(m, fieldConnectedAt); err != nil {
		return ws.ConnInfo{}, err
	}
	if c.LastActiveAt, err = parseTime(m, fieldLastActiveAt); err != nil {
		return ws.ConnInfo{}, err
	}
	return c, nil
}

// parseTime returns the time in the field f of m, or the zero time if
// there is none.
func parseTime(m map[string]string, f string) (time.Time, error) {
	v, ok := m[f]
	if !ok {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s: %w", f, err)
	}
	return t, nil
}
