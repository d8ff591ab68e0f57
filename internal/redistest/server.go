package redistest

import (
	"context"
	"net"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// StartCluster starts a redis-server of the test's own in cluster mode,
// keeping nothing on disk, gives it every slot, and kills it when t
// ends. It returns its address. Without redis-server, the test is
// skipped, or fails under CI=true (see [ServerBinary]).
func StartCluster(t testing.TB) string {
	t.Helper()
	bin := ServerBinary(t)
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
func clusterPort(t testing.TB) int {
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

// SilentServer accepts connections and never answers, as a Redis that
// is stopped or behind a black hole would. It closes them when t ends,
// and returns its address.
func SilentServer(t testing.TB) string {
	t.Helper()
	return FakeServer(t, nil)
}

// FakeServer listens on a free loopback port and calls serve with each
// connection it accepts, in a goroutine of its own; a nil serve never
// reads or answers. When t ends it closes the listener and the
// connections, and waits for those goroutines: serve must return once
// its connection is closed. It returns its address.
func FakeServer(t testing.TB, serve func(net.Conn)) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu     sync.Mutex
		conns  []net.Conn // guarded by mu
		closed bool       // guarded by mu
		wg     sync.WaitGroup
	)
	wg.Go(func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			if closed { // accepted just before the listener closed
				mu.Unlock()
				c.Close()
				return
			}
			conns = append(conns, c)
			mu.Unlock()
			if serve != nil {
				wg.Go(func() { serve(c) })
			}
		}
	})
	t.Cleanup(func() {
		l.Close()
		mu.Lock()
		closed = true
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return l.Addr().String()
}
