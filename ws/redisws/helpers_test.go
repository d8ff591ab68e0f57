package redisws

import (
	"bytes"
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/gatekit/gatekit/internal/redistest"
	"github.com/gatekit/gatekit/ws"
	"github.com/redis/go-redis/v9"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// testTimeout is the Timeout of the Stores and Buses of the tests that
// are about what is stored and delivered, not about latency: the race
// detector on a busy machine is slow.
const testTimeout = 2 * time.Second

// newStore returns a Store under tag on a new client of addr.
func newStore(t testing.TB, addr, tag string) *Store {
	t.Helper()
	s, err := NewStore(redistest.Client(t, addr), Options{HashTag: tag, Timeout: testTimeout})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// newBus returns a Bus under tag on a new client of addr, closed when t
// ends. A nil logger discards.
func newBus(t testing.TB, addr, tag string, logger *slog.Logger) *Bus {
	t.Helper()
	return newBusOn(t, redistest.Client(t, addr), tag, logger)
}

// newBusOn returns a Bus under tag on client, closed when t ends (before
// the client, which was made first). A nil logger discards.
func newBusOn(t testing.TB, client redis.UniversalClient, tag string, logger *slog.Logger) *Bus {
	t.Helper()
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	b, err := NewBus(client, Options{HashTag: tag, Timeout: testTimeout, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := b.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return b
}

// recorder records the commands delivered to it.
type recorder struct {
	mu   sync.Mutex
	cmds []ws.Command
	more chan struct{} // a token after each delivery
}

func newRecorder() *recorder { return &recorder{more: make(chan struct{}, 1)} }

// subscribed subscribes bus as instance "a" and returns the recorder of
// what it receives.
func subscribed(t testing.TB, bus *Bus) *recorder {
	t.Helper()
	rec := newRecorder()
	if err := bus.Subscribe(context.Background(), "a", rec.deliver); err != nil {
		t.Fatal(err)
	}
	return rec
}

func (r *recorder) deliver(c ws.Command) {
	r.mu.Lock()
	r.cmds = append(r.cmds, c)
	r.mu.Unlock()
	select {
	case r.more <- struct{}{}:
	default:
	}
}

// got returns a copy of the commands delivered so far.
func (r *recorder) got() []ws.Command {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]ws.Command(nil), r.cmds...)
}

// wait returns the commands delivered once there are n, failing t if
// that takes longer than within.
func (r *recorder) wait(t testing.TB, n int, within time.Duration) []ws.Command {
	t.Helper()
	deadline := time.NewTimer(within)
	defer deadline.Stop()
	for {
		if got := r.got(); len(got) >= n {
			return got
		}
		select {
		case <-r.more:
		case <-deadline.C:
			t.Fatalf("%d commands delivered after %v, want %d", len(r.got()), within, n)
		}
	}
}

// sameCommand reports how got differs from want, or "".
func sameCommand(got, want ws.Command) string {
	switch {
	case got.Op != want.Op:
		return "Op " + string(got.Op) + ", want " + string(want.Op)
	case got.ConnID != want.ConnID:
		return "ConnID " + got.ConnID + ", want " + want.ConnID
	case !bytes.Equal(got.Data, want.Data):
		return "Data differs"
	case got.Binary != want.Binary:
		return "Binary differs"
	}
	return ""
}

// logBuffer is a log destination safe for concurrent use.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func (l *logBuffer) logger() *slog.Logger { return slog.New(slog.NewTextHandler(l, nil)) }

// eventually calls f every 10 ms until it returns true, failing t with
// what if that takes longer than within.
func eventually(t testing.TB, within time.Duration, what string, f func() bool) {
	t.Helper()
	for deadline := time.Now().Add(within); !f(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("after %v: %s", within, what)
		}
	}
}
