package redisstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/gatekit/gatekit/auth"
	"github.com/redis/go-redis/v9"
)

// KeyStore is an [auth.KeyStore] on Redis, so that gateway instances
// share API keys. Under the hash tag T it keeps, all in one Cluster slot:
//
//	{T}k|<hex digest>  a hash per key: id, name, desc, enabled, created
//	{T}i|<id>          the key's hex digest, the index by id
//	{T}keys            the set of hex digests, for List
//
// Put and Delete change the three together in one script; ByDigest is one
// HGETALL, ByID one script; List is SMEMBERS and one pipeline. A KeyStore
// is safe for concurrent use and starts no goroutines. Its calls are
// bounded by their context only.
type KeyStore struct {
	client    redis.UniversalClient
	recordKey string
	idKey     string
	setKey    string
}

var _ auth.KeyStore = (*KeyStore)(nil)

// NewKeyStore returns a KeyStore on the client under hashTag (if empty,
// DefaultHashTag). It makes no call to Redis.
func NewKeyStore(client redis.UniversalClient, hashTag string) (*KeyStore, error) {
	if client == nil {
		return nil, errors.New("redisstore: the client is nil")
	}
	if strings.ContainsAny(hashTag, "{}") {
		return nil, fmt.Errorf("redisstore: hash tag %q contains a brace", hashTag)
	}
	if hashTag == "" {
		hashTag = DefaultHashTag
	}
	tag := "{" + hashTag + "}"
	return &KeyStore{client: client, recordKey: tag + "k|", idKey: tag + "i|", setKey: tag + "keys"}, nil
}

// putScript: KEYS id index, record, set; ARGV record prefix, digest,
// then the record's fields and values.
var putScript = redis.NewScript(`
local old = redis.call('GET', KEYS[1])
if old and old ~= ARGV[2] then
  redis.call('DEL', ARGV[1] .. old)
  redis.call('SREM', KEYS[3], old)
end
local prev = redis.call('HGET', KEYS[2], 'id')
if prev and prev ~= ARGV[4] then
  redis.call('DEL', string.sub(KEYS[1], 1, -1 - #ARGV[4]) .. prev)
end
redis.call('DEL', KEYS[2])
redis.call('HSET', KEYS[2], unpack(ARGV, 3))
redis.call('SET', KEYS[1], ARGV[2])
redis.call('SADD', KEYS[3], ARGV[2])
return 1
`)

// byIDScript: KEYS id index; ARGV record prefix. It returns the digest
// and the record's fields and values, or nothing.
var byIDScript = redis.NewScript(`
local d = redis.call('GET', KEYS[1])
if not d then return {} end
local r = redis.call('HGETALL', ARGV[1] .. d)
table.insert(r, 1, d)
return r
`)

// deleteScript: KEYS id index, set; ARGV record prefix. It returns 0
// when there is no such key.
var deleteScript = redis.NewScript(`
local d = redis.call('GET', KEYS[1])
if not d then return 0 end
redis.call('DEL', ARGV[1] .. d, KEYS[1])
redis.call('SREM', KEYS[2], d)
return 1
`)

// Put implements [auth.KeyStore]: it stores k, replacing the key with
// the same ID, and any other key with the same digest.
func (ks *KeyStore) Put(ctx context.Context, k auth.APIKey) error {
	d := hex.EncodeToString(k.Digest[:])
	enabled := "0"
	if k.Enabled {
		enabled = "1"
	}
	err := putScript.Run(ctx, ks.client, []string{ks.idKey + k.ID, ks.recordKey + d, ks.setKey},
		ks.recordKey, d,
		"id", k.ID, "name", k.Name, "desc", k.Description, "enabled", enabled,
		"created", k.CreatedAt.UTC().Format(time.RFC3339Nano),
		"plans", strings.Join(k.UsagePlans, "|")).Err()
	if err != nil {
		return fmt.Errorf("redisstore: Put: %w", err)
	}
	return nil
}

// ByDigest implements [auth.KeyStore].
func (ks *KeyStore) ByDigest(ctx context.Context, d [sha256.Size]byte) (auth.APIKey, bool, error) {
	m, err := ks.client.HGetAll(ctx, ks.recordKey+hex.EncodeToString(d[:])).Result()
	if err != nil {
		return auth.APIKey{}, false, fmt.Errorf("redisstore: ByDigest: %w", err)
	}
	if len(m) == 0 {
		return auth.APIKey{}, false, nil
	}
	k, err := decodeKey(d, m)
	return k, err == nil, err
}

// ByID implements [auth.KeyStore].
func (ks *KeyStore) ByID(ctx context.Context, id string) (auth.APIKey, bool, error) {
	r, err := byIDScript.Run(ctx, ks.client, []string{ks.idKey + id}, ks.recordKey).StringSlice()
	if err != nil {
		return auth.APIKey{}, false, fmt.Errorf("redisstore: ByID: %w", err)
	}
	if len(r) < 3 {
		return auth.APIKey{}, false, nil
	}
	d, err := parseDigest(r[0])
	if err != nil {
		return auth.APIKey{}, false, err
	}
	m := make(map[string]string, len(r)/2)
	for i := 1; i+1 < len(r); i += 2 {
		m[r[i]] = r[i+1]
	}
	k, err := decodeKey(d, m)
	return k, err == nil, err
}

// List implements [auth.KeyStore].
func (ks *KeyStore) List(ctx context.Context) ([]auth.APIKey, error) {
	digests, err := ks.client.SMembers(ctx, ks.setKey).Result()
	if err != nil {
		return nil, fmt.Errorf("redisstore: List: %w", err)
	}
	if len(digests) == 0 {
		return nil, nil
	}
	cmds := make([]*redis.MapStringStringCmd, len(digests))
	_, err = ks.client.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, d := range digests {
			cmds[i] = p.HGetAll(ctx, ks.recordKey+d)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("redisstore: List: %w", err)
	}
	out := make([]auth.APIKey, 0, len(digests))
	for i, c := range cmds {
		m := c.Val()
		if len(m) == 0 {
			continue // deleted since SMEMBERS
		}
		d, err := parseDigest(digests[i])
		if err != nil {
			return nil, err
		}
		k, err := decodeKey(d, m)
		if err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, nil
}

// Delete implements [auth.KeyStore]. It fails with an error wrapping
// auth.ErrNoKey if no key has the id.
func (ks *KeyStore) Delete(ctx context.Context, id string) error {
	n, err := deleteScript.Run(ctx, ks.client, []string{ks.idKey + id, ks.setKey}, ks.recordKey).Int64()
	if err != nil {
		return fmt.Errorf("redisstore: Delete: %w", err)
	}
	if n == 0 {
		return fmt.Errorf("%w: %q", auth.ErrNoKey, id)
	}
	return nil
}

func parseDigest(s string) (d [sha256.Size]byte, err error) {
	if len(s) != hex.EncodedLen(sha256.Size) {
		return d, fmt.Errorf("redisstore: malformed key digest %q", s)
	}
	if _, err := hex.Decode(d[:], []byte(s)); err != nil {
		return d, fmt.Errorf("redisstore: malformed key digest %q: %w", s, err)
	}
	return d, nil
}

func decodeKey(d [sha256.Size]byte, m map[string]string) (auth.APIKey, error) {
	k := auth.APIKey{
		ID:          m["id"],
		Name:        m["name"],
		Description: m["desc"],
		Enabled:     m["enabled"] == "1",
		Digest:      d,
	}
	if p := m["plans"]; p != "" {
		k.UsagePlans = strings.Split(p, "|")
	}
	if c := m["created"]; c != "" {
		t, err := time.Parse(time.RFC3339Nano, c)
		if err != nil {
			return auth.APIKey{}, fmt.Errorf("redisstore: key %q: created: %w", k.ID, err)
		}
		k.CreatedAt = t
	}
	return k, nil
}
