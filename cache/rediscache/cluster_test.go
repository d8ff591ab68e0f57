package rediscache

import (
	"context"
	"net"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gatekit/gatekit/internal/redistest"
	"github.com/redis/go-redis/v9"
)

// startCluster starts a redis-server of the test's own in cluster mode,
// keeping nothing on disk, gives it every slot, and kills it when t ends.
// It returns its address.
func startCluster(t *testing.T) string {
	t.Helper()
	bin := redistest.ServerBinary(t)
	port := clusterPort(t)
	addr := "127.0.0.1:" + strconv.Itoa(port)
	dir := t.TempDir()
	cmd := exec.Command(bin, "--port", strconv.Itoa(port), "--bind", "127.0.0.1",
		"--cluster-enabled", "yes", "--cluster-config-file", dir+"/nodes.conf",
		"--save", "", "--appendonly", "no", "--dir", dir)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})

	c := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1, ContextTimeoutEnabled: true})
	defer c.Close()
	ctx := context.Background()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the cluster node on %s did not become ready", addr)
		}
		cctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
		info, err := c.ClusterInfo(cctx).Result()
		if err == nil && strings.Contains(info, "cluster_slots_assigned:0\r\n") {
			err = c.Do(cctx, "CLUSTER", "ADDSLOTSRANGE", 0, 16383).Err()
		}
		cancel()
		if err == nil && strings.Contains(info, "cluster_state:ok") {
			return addr
		}
	}
}

// clusterPort returns a free loopback port whose cluster bus port (10000
// more) is free too.
func clusterPort(t *testing.T) int {
	t.Helper()
	for range 20 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		port := l.Addr().(*net.TCPAddr).Port
		if port+10000 > 65535 {
			l.Close()
			continue
		}
		bus, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(port+10000))
		l.Close()
		if err != nil {
			continue
		}
		bus.Close()
		return port
	}
	t.Fatal("no free pair of ports for a cluster node")
	return 0
}

// TestClients: a Store works the same on a ClusterClient and on a Ring,
// whose Flush scans each node rather than one of the client's choosing.
func TestClients(t *testing.T) {
	for _, c := range []struct {
		name   string
		client func(t *testing.T) redis.UniversalClient
	}{
		{"cluster", func(t *testing.T) redis.UniversalClient {
			return redis.NewClusterClient(&redis.ClusterOptions{Addrs: []string{startCluster(t)}, ContextTimeoutEnabled: true})
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
