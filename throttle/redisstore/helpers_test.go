package redisstore

import (
	"context"
	"log/slog"
	"net"
	"os/exec"
	"strconv"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/gatekit/gatekit/internal/redistest"
	"github.com/gatekit/gatekit/throttle/storetest"
	"github.com/redis/go-redis/v9"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// needRedis, newClient and testTag are redistest's, by the names these
// tests use.
var (
	needRedis = redistest.Addr
	newClient = redistest.Client
	testTag   = redistest.Tag
)

// newStore returns a Store on a new client of addr under a hash tag of
// its own.
func newStore(t testing.TB, addr string, opts Options, hooks ...redis.Hook) *Store {
	t.Helper()
	if opts.HashTag == "" {
		opts.HashTag = testTag(t, addr)
	}
	s, err := New(newClient(t, addr, hooks...), opts)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// mustTake is storetest.MustTake, by the short name these tests use.
var mustTake = storetest.MustTake

// countHook counts the commands a client sends.
type countHook struct{ n atomic.Int64 }

func (h *countHook) DialHook(next redis.DialHook) redis.DialHook { return next }
func (h *countHook) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		h.n.Add(1)
		return next(ctx, cmd)
	}
}
func (h *countHook) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		h.n.Add(int64(len(cmds)))
		return next(ctx, cmds)
	}
}

// server is a redis-server of a test's own, on a loopback port.
type server struct {
	t    testing.TB
	port int
	addr string
	cmd  *exec.Cmd
}

// startServer starts a redis-server that keeps nothing on disk, on a
// free loopback port, and kills it when t ends.
func startServer(t testing.TB) *server {
	t.Helper()
	bin := redistest.ServerBinary(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	s := &server{t: t, port: port, addr: "127.0.0.1:" + strconv.Itoa(port)}
	s.start(bin)
	t.Cleanup(s.kill)
	return s
}

func (s *server) start(bin string) {
	s.t.Helper()
	s.cmd = exec.Command(bin, "--port", strconv.Itoa(s.port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--dir", s.t.TempDir())
	if err := s.cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	c := redis.NewClient(&redis.Options{Addr: s.addr, MaxRetries: -1, ContextTimeoutEnabled: true})
	defer c.Close()
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		err := c.Ping(ctx).Err()
		cancel()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("redis-server on %s did not start: %v", s.addr, err)
		}
	}
}

// restart starts the server again on the same port, empty.
func (s *server) restart() {
	s.t.Helper()
	s.start(s.cmd.Path)
}

// kill ends the server, if it runs.
func (s *server) kill() {
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	_ = s.cmd.Process.Signal(syscall.SIGCONT) // in case it is stopped
	_ = s.cmd.Process.Kill()
	_ = s.cmd.Wait()
	s.cmd = &exec.Cmd{Path: s.cmd.Path}
}

func (s *server) signal(sig syscall.Signal) {
	s.t.Helper()
	if err := s.cmd.Process.Signal(sig); err != nil {
		s.t.Fatal(err)
	}
}

// logCounter is a slog.Handler counting records by level.
type logCounter struct{ warn, info atomic.Int64 }

func (h *logCounter) Enabled(context.Context, slog.Level) bool { return true }
func (h *logCounter) Handle(_ context.Context, r slog.Record) error {
	if r.Level >= slog.LevelWarn {
		h.warn.Add(1)
	} else {
		h.info.Add(1)
	}
	return nil
}
func (h *logCounter) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *logCounter) WithGroup(string) slog.Handler      { return h }
