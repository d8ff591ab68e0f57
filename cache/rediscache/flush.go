package rediscache

import (
	"context"
	"strings"

	"github.com/redis/go-redis/v9"
)

// scanBatch is the COUNT of each SCAN, and so about the number of keys
// each UNLINK removes.
const scanBatch = 1000

// Flush implements [cache.Store]: it removes every entry whose key starts
// with prefix ("" for all the entries under the hash tag), with SCAN and
// UNLINK. It walks the whole keyspace of the node holding the cache, a
// round trip per 1000 keys, each bounded by Timeout and all by ctx.
//
// Entries stored while it runs may survive it. On a Cluster it scans
// every master, and on a Ring every shard that is up, concurrently.
func (s *Store) Flush(ctx context.Context, prefix string) error {
	match := globEscape(s.prefix+prefix) + "*"
	var err error
	// A Cluster or a Ring answers SCAN from a node of its choosing: scan
	// each node instead. The hash tag puts every key on one node, but
	// during a slot migration some may be on another. Finding the nodes
	// is bounded by Timeout; the scans, which do not use lctx, are not.
	lctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	switch c := s.client.(type) {
	case *redis.ClusterClient:
		err = c.ForEachMaster(lctx, func(_ context.Context, node *redis.Client) error {
			return s.flushNode(ctx, node, match)
		})
	case *redis.Ring:
		err = c.ForEachShard(lctx, func(_ context.Context, node *redis.Client) error {
			return s.flushNode(ctx, node, match)
		})
	default:
		err = s.flushNode(ctx, c, match)
	}
	if err != nil {
		return fail(ctx, "Flush", err)
	}
	return nil
}

// flushNode scans node for keys matching match and unlinks them, through
// the Store's client, which routes them to their node.
func (s *Store) flushNode(ctx context.Context, node redis.Cmdable, match string) error {
	var cursor uint64
	for {
		keys, next, err := s.scan(ctx, node, cursor, match)
		if err != nil {
			return err
		}
		if len(keys) > 0 {
			if err := s.unlink(ctx, keys); err != nil {
				return err
			}
		}
		if next == 0 {
			return nil
		}
		cursor = next
	}
}

func (s *Store) scan(ctx context.Context, node redis.Cmdable, cursor uint64, match string) ([]string, uint64, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	return node.Scan(ctx, cursor, match, scanBatch).Result()
}

func (s *Store) unlink(ctx context.Context, keys []string) error {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	return s.client.Unlink(ctx, keys...).Err()
}

// globEscape escapes the characters special to Redis's glob patterns
// (* ? [ ] \) with a backslash.
func globEscape(s string) string {
	if !strings.ContainsAny(s, `*?[]\`) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := range len(s) {
		switch c := s[i]; c {
		case '*', '?', '[', ']', '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
