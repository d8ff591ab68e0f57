package rediscache

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/gatekit/gatekit/internal/redistest"
	"github.com/redis/go-redis/v9"
)

// TestClients: a Store works the same on a ClusterClient and on a Ring,
// whose Flush scans each node rather than one of the client's choosing.
func TestClients(t *testing.T) {
	for _, c := range []struct {
		name   string
		client func(t *testing.T) redis.UniversalClient
	}{
		{"cluster", func(t *testing.T) redis.UniversalClient {
			return redis.NewClusterClient(&redis.ClusterOptions{Addrs: []string{redistest.StartCluster(t)}, ContextTimeoutEnabled: true})
		}},
		{"ring", func(t *testing.T) redis.UniversalClient {
			return redis.NewRing(&redis.RingOptions{Addrs: map[string]string{"a": redistest.Addr(t)}, ContextTimeoutEnabled: true})
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			client := c.client(t)
			t.Cleanup(func() { client.Close() })
			tag := "gktest-" + c.name + "-" + strconv.FormatInt(time.Now().UnixNano(), 36)
			t.Cleanup(func() {
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				defer cancel()
				for _, tg := range []string{tag, tag + "-other"} {
					s, _ := New(client, Options{HashTag: tg, Timeout: time.Second})
					s.Flush(ctx, "")
				}
			})
			s, err := New(client, Options{HashTag: tag, EncryptionKey: testKey, Timeout: 2 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			other, err := New(client, Options{HashTag: tag + "-other", Timeout: 2 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			keys := []string{"a/1", "a/2", "b/1"}
			for _, k := range keys {
				mustSet(t, s, k, testEntry(), time.Minute)
				mustSet(t, other, k, testEntry(), time.Minute)
			}
			if diff := sameEntry(mustGet(t, s, "a/1"), testEntry()); diff != "" {
				t.Fatal(diff)
			}
			if err := s.Flush(ctx, "a/"); err != nil {
				t.Fatal(err)
			}
			if mustGet(t, s, "a/1") != nil || mustGet(t, s, "a/2") != nil || mustGet(t, s, "b/1") == nil {
				t.Error("Flush(\"a/\") did not remove exactly a/1 and a/2")
			}
			if err := s.Flush(ctx, ""); err != nil {
				t.Fatal(err)
			}
			if mustGet(t, s, "b/1") != nil {
				t.Error("Flush(\"\") left b/1")
			}
			for _, k := range keys {
				if mustGet(t, other, k) == nil {
					t.Errorf("Flush removed %q of another tag", k)
				}
			}
		})
	}
}
