// Command wsload is the client of bench/ws.sh: it measures, against a
// running wsserver, what an idle WebSocket connection costs the server
// and how long a two-way route takes to answer.
//
// Phase 1 reads the server's GET /debug/mem, opens -conns connections at
// -dial-rate a second, keeps them idle for -hold, reads /debug/mem again
// and reports the difference divided by the number of open connections.
// The figures are the server process's only: wsload runs in a process of
// its own. It then closes every connection with a close handshake and
// waits (at most 30 seconds) for the server's goroutines to return to
// their baseline.
//
// Phase 2 opens -latency-conns connections; each sends
// {"action":"echo","id":N,"t":UNIXNANO} -rate times a second, with
// jitter, for -duration, and times the round trip to the echo with the
// same id. It reports how many were sent and answered, the errors, and
// the p50, p90, p99 and maximum round trip.
//
// Progress goes to standard error and the results to standard output. It
// exits with status 1 and a message if fewer than 99% of the connections
// open, if more than 1% drop or fail, or if anything takes much longer
// than planned; with status 2 on invalid flags. Either phase is skipped
// when its count is 0.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/gorilla/websocket"

	"github.com/gatekit/gatekit/bench/internal/memreport"
)

// Bounds that keep a run from growing without limit.
const (
	maxConns      = 100_000
	maxMessages   = 10_000_000 // latency-conns × rate × duration
	maxDialing    = 512        // upgrades in flight at once
	maxClosing    = 256        // close handshakes in flight at once
	closeTimeout  = 5 * time.Second
	drainTimeout  = 5 * time.Second  // for the last echoes after the sends stop
	settleTimeout = 30 * time.Second // for the server's goroutines to end
	settleSlack   = 10               // goroutines over baseline that count as settled
	target        = 20 << 10         // the target, bytes per idle connection
)

type config struct {
	url, memURL  string
	conns        int
	dialRate     float64
	hold         time.Duration
	latencyConns int
	duration     time.Duration
	rate         float64
}

func main() {
	var cfg config
	flag.StringVar(&cfg.url, "url", "", "WebSocket URL of the server's API, e.g. ws://127.0.0.1:8080/ws (required)")
	flag.StringVar(&cfg.memURL, "mem-url", "", "URL of the server's memory report, e.g. http://127.0.0.1:8080/debug/mem (required for phase 1)")
	flag.IntVar(&cfg.conns, "conns", 10000, "idle connections for phase 1; 0 skips it")
	flag.Float64Var(&cfg.dialRate, "dial-rate", 2000, "connections opened per second")
	flag.DurationVar(&cfg.hold, "hold", 5*time.Second, "how long to keep the idle connections before measuring")
	flag.IntVar(&cfg.latencyConns, "latency-conns", 1000, "connections for phase 2; 0 skips it")
	flag.DurationVar(&cfg.duration, "duration", 20*time.Second, "how long phase 2 sends")
	flag.Float64Var(&cfg.rate, "rate", 1, "messages per second per connection in phase 2")
	flag.Parse()
	if err := cfg.validate(); err != nil {
		fmt.Fprintf(os.Stderr, "wsload: %s\n", strings.ReplaceAll(err.Error(), "\n", "\nwsload: "))
		os.Exit(2)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, cfg.budget())
	defer cancel()
	err := run(ctx, cfg, os.Stdout)
	if err != nil && ctx.Err() != nil {
		err = fmt.Errorf("%w (%v)", err, context.Cause(ctx))
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "wsload: %v\n", err)
		os.Exit(1)
	}
}

func (c *config) validate() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if !strings.HasPrefix(c.url, "ws://") && !strings.HasPrefix(c.url, "wss://") {
		bad("-url %q: want ws://host:port/path", c.url)
	}
	if c.conns > 0 && !strings.HasPrefix(c.memURL, "http://") && !strings.HasPrefix(c.memURL, "https://") {
		bad("-mem-url %q: want http://host:port/debug/mem", c.memURL)
	}
	if c.conns < 0 || c.conns > maxConns {
		bad("-conns %d: want 0..%d", c.conns, maxConns)
	}
	if c.latencyConns < 0 || c.latencyConns > maxConns {
		bad("-latency-conns %d: want 0..%d", c.latencyConns, maxConns)
	}
	if c.conns == 0 && c.latencyConns == 0 {
		bad("-conns and -latency-conns are both 0: nothing to do")
	}
	if !(c.dialRate >= 1 && c.dialRate <= 100_000) {
		bad("-dial-rate %g: want 1..100000", c.dialRate)
	}
	if c.hold < 0 || c.hold > 10*time.Minute {
		bad("-hold %v: want 0..10m", c.hold)
	}
	if c.duration < time.Second || c.duration > 10*time.Minute {
		bad("-duration %v: want 1s..10m", c.duration)
	}
	if !(c.rate > 0 && c.rate <= 100) {
		bad("-rate %g: want more than 0, at most 100", c.rate)
	}
	if n := float64(c.latencyConns) * c.rate * c.duration.Seconds(); n > maxMessages {
		bad("-latency-conns × -rate × -duration = %.0f messages: want at most %d", n, maxMessages)
	}
	return errors.Join(errs...)
}

// budget bounds the whole run: the planned time, twice over, plus a
// margin for the waits that have bounds of their own.
func (c *config) budget() time.Duration {
	dial := time.Duration(float64(c.conns+c.latencyConns) / c.dialRate * float64(time.Second))
	return 2*(dial+c.hold+c.duration) + 2*time.Minute
}

func run(ctx context.Context, cfg config, out io.Writer) error {
	if cfg.conns > 0 {
		if err := idlePhase(ctx, cfg, out); err != nil {
			return fmt.Errorf("phase 1: %w", err)
		}
	}
	if cfg.latencyConns > 0 {
		if cfg.conns > 0 {
			fmt.Fprintln(out)
		}
		if err := echoPhase(ctx, cfg, out); err != nil {
			return fmt.Errorf("phase 2: %w", err)
		}
	}
	return nil
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "wsload: "+format+"\n", args...)
}

// ---- phase 1: idle connections ------------------------------------------

func idlePhase(ctx context.Context, cfg config, out io.Writer) error {
	base, err := getMem(ctx, cfg.memURL)
	if err != nil {
		return err
	}
	logf("phase 1: server baseline: %d goroutines, RSS %s", base.Goroutines, sizeStr(int64(base.RSS)))
	clients, err := dialAll(ctx, cfg.url, cfg.conns, cfg.dialRate, nil)
	defer dropAll(clients)
	if err != nil {
		return err
	}
	logf("phase 1: holding %d idle connections for %v", len(clients), cfg.hold)
	if err := sleep(ctx, cfg.hold); err != nil {
		return err
	}
	open := countOpen(clients)
	loaded, err := getMem(ctx, cfg.memURL)
	if err != nil {
		return err
	}
	if lost := len(clients) - open; lost > len(clients)/100 {
		return fmt.Errorf("%d of %d connections closed while idle; the first because: %v", lost, len(clients), firstErr(clients))
	}
	if open == 0 {
		return errors.New("no connection stayed open")
	}

	logf("phase 1: closing %d connections", len(clients))
	clean := closeAll(clients)
	settled, waited, err := settle(ctx, cfg.memURL, base.Goroutines)
	if err != nil {
		return err
	}

	fmt.Fprintf(out, "phase 1: %d idle connections (%d asked, dialed at %g/s, held %v)\n", open, cfg.conns, cfg.dialRate, cfg.hold)
	fmt.Fprintln(out, "memory of the wsserver process only, after a GC; wsload runs in a separate process")
	fmt.Fprintf(out, "%-20s %12s %12s %12s %12s\n", "server", "baseline", "with conns", "delta", "per conn")
	row := func(name string, b, l uint64) {
		d := int64(l) - int64(b)
		fmt.Fprintf(out, "%-20s %12s %12s %12s %12s\n", name, sizeStr(int64(b)), sizeStr(int64(l)), sizeStr(d), sizeStr(d/int64(open)))
	}
	row("RSS", base.RSS, loaded.RSS)
	row("heap+stack in use", base.HeapInuse+base.StackInuse, loaded.HeapInuse+loaded.StackInuse)
	row("  heap in use", base.HeapInuse, loaded.HeapInuse)
	row("  stack in use", base.StackInuse, loaded.StackInuse)
	row("runtime metadata", base.OtherRuntime, loaded.OtherRuntime)
	count := func(name string, b, l int64) {
		fmt.Fprintf(out, "%-20s %12d %12d %12d %12.2f\n", name, b, l, l-b, float64(l-b)/float64(open))
	}
	count("heap objects", int64(base.HeapObjects), int64(loaded.HeapObjects))
	count("goroutines", int64(base.Goroutines), int64(loaded.Goroutines))
	perConn := (int64(loaded.RSS) - int64(base.RSS)) / int64(open)
	verdict := "within target"
	if perConn >= target {
		verdict = "OVER TARGET"
	}
	fmt.Fprintf(out, "memory per idle connection (RSS delta / conns): %s (target: under %s): %s\n", sizeStr(perConn), sizeStr(target), verdict)
	fmt.Fprintf(out, "closed: %d of %d with a clean close handshake; ", clean, len(clients))
	if settled.Goroutines <= base.Goroutines+settleSlack {
		fmt.Fprintf(out, "server back to %d goroutines (baseline %d) after %.1fs, heap in use %s from baseline\n",
			settled.Goroutines, base.Goroutines, waited.Seconds(), sizeStr(int64(settled.HeapInuse)-int64(base.HeapInuse)))
	} else {
		fmt.Fprintf(out, "WARNING: server still has %d goroutines (baseline %d) after %v\n", settled.Goroutines, base.Goroutines, settleTimeout)
	}
	return nil
}

// settle polls the memory report until the server's goroutines are back
// near baseline, or settleTimeout passes; it returns the last report.
func settle(ctx context.Context, memURL string, baseline int) (memreport.Report, time.Duration, error) {
	start := time.Now()
	for {
		m, err := getMem(ctx, memURL)
		if err != nil {
			return m, 0, err
		}
		waited := time.Since(start)
		if m.Goroutines <= baseline+settleSlack || waited >= settleTimeout {
			return m, waited, nil
		}
		if err := sleep(ctx, 250*time.Millisecond); err != nil {
			return m, 0, err
		}
	}
}

// ---- phase 2: echo round trips ------------------------------------------

// echoer is a phase 2 connection: it sends numbered messages and times
// their echoes.
type echoer struct {
	*client
	mu      sync.Mutex
	pending map[int64]time.Time // id → when sent; guarded by mu
	rtts    []time.Duration     // guarded by mu
	strays  int                 // answers with no pending id; guarded by mu
	sent    int                 // sender only
	wErr    error               // sender only
}

// onMessage runs on the reader goroutine.
func (e *echoer) onMessage(msg []byte) {
	now := time.Now()
	var m struct {
		Action string `json:"action"`
		ID     int64  `json:"id"`
	}
	err := json.Unmarshal(msg, &m)
	e.mu.Lock()
	defer e.mu.Unlock()
	sent, ok := e.pending[m.ID]
	if err != nil || m.Action != "echo" || !ok {
		e.strays++
		return
	}
	delete(e.pending, m.ID)
	e.rtts = append(e.rtts, now.Sub(sent))
}

// send sends rate messages a second until until, the first at a random
// offset and each next one 0.8 to 1.2 intervals after the one before.
func (e *echoer) send(ctx context.Context, rate float64, until time.Time) {
	interval := time.Duration(float64(time.Second) / rate)
	next := time.Now().Add(rand.N(interval))
	var buf []byte
	for id := int64(1); next.Before(until); id++ {
		if sleep(ctx, time.Until(next)) != nil {
			return
		}
		now := time.Now()
		buf = fmt.Appendf(buf[:0], `{"action":"echo","id":%d,"t":%d}`, id, now.UnixNano())
		e.mu.Lock()
		e.pending[id] = now
		e.mu.Unlock()
		_ = e.ws.SetWriteDeadline(now.Add(5 * time.Second))
		if err := e.ws.WriteMessage(websocket.TextMessage, buf); err != nil {
			e.mu.Lock()
			delete(e.pending, id)
			e.mu.Unlock()
			e.wErr = err
			return
		}
		e.sent++
		next = next.Add(interval*4/5 + rand.N(interval*2/5+1))
	}
}

func (e *echoer) waiting() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.pending)
}

func echoPhase(ctx context.Context, cfg config, out io.Writer) error {
	echoers := make(map[*client]*echoer, cfg.latencyConns)
	var mu sync.Mutex // guards echoers while dialing
	clients, err := dialAll(ctx, cfg.url, cfg.latencyConns, cfg.dialRate, func(c *client) {
		e := &echoer{client: c, pending: map[int64]time.Time{}}
		c.onMessage = e.onMessage
		mu.Lock()
		echoers[c] = e
		mu.Unlock()
	})
	defer dropAll(clients)
	if err != nil {
		return err
	}

	logf("phase 2: %d connections sending %g message(s) a second each for %v", len(clients), cfg.rate, cfg.duration)
	until := time.Now().Add(cfg.duration)
	var wg sync.WaitGroup
	for _, c := range clients {
		wg.Go(func() { echoers[c].send(ctx, cfg.rate, until) })
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	for deadline := time.Now().Add(drainTimeout); time.Now().Before(deadline); {
		n := 0
		for _, e := range echoers {
			n += e.waiting()
		}
		if n == 0 {
			break
		}
		if err := sleep(ctx, 50*time.Millisecond); err != nil {
			return err
		}
	}
	dropped := len(clients) - countOpen(clients)
	logf("phase 2: closing %d connections", len(clients))
	clean := closeAll(clients)

	var rtts []time.Duration
	var sent, lost, strays, writeErrs int
	var firstWErr error
	for _, e := range echoers {
		e.mu.Lock()
		rtts = append(rtts, e.rtts...)
		lost += len(e.pending)
		strays += e.strays
		e.mu.Unlock()
		sent += e.sent
		if e.wErr != nil {
			writeErrs++
			if firstWErr == nil {
				firstWErr = e.wErr
			}
		}
	}
	slices.Sort(rtts)

	fmt.Fprintf(out, "phase 2: %d connections, route \"echo\" (two-way), %g message(s)/s each with jitter for %v\n", len(clients), cfg.rate, cfg.duration)
	fmt.Fprintf(out, "%8s %8s %7s %7s %9s %9s %9s %9s %9s\n", "sent", "echoed", "lost", "errors", "p50 ms", "p90 ms", "p99 ms", "max ms", "msg/s")
	fmt.Fprintf(out, "%8d %8d %7d %7d %9.3f %9.3f %9.3f %9.3f %9.0f\n", sent, len(rtts), lost, strays+writeErrs,
		ms(percentile(rtts, 0.50)), ms(percentile(rtts, 0.90)), ms(percentile(rtts, 0.99)), ms(percentile(rtts, 1)),
		float64(len(rtts))/cfg.duration.Seconds())
	fmt.Fprintf(out, "closed: %d of %d with a clean close handshake; %d dropped during the run\n", clean, len(clients), dropped)

	var problems []string
	if dropped > len(clients)/100 {
		problems = append(problems, fmt.Sprintf("%d of %d connections dropped during the run; the first because: %v", dropped, len(clients), firstErr(clients)))
	}
	if writeErrs > len(clients)/100 {
		problems = append(problems, fmt.Sprintf("%d connections failed to send; the first because: %v", writeErrs, firstWErr))
	}
	if bad := lost + strays; sent == 0 || bad > sent/100 {
		problems = append(problems, fmt.Sprintf("%d of %d messages sent got no echo within %v after the last send, and %d answers matched no message", lost, sent, drainTimeout, strays))
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	return nil
}

// percentile returns the nearest-rank p-quantile of sorted.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(p*float64(len(sorted)))) - 1
	return sorted[max(i, 0)]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// ---- connections ----------------------------------------------------------

// dialer keeps the client light: small buffers, and write buffers shared
// between connections while no message is being written.
var dialer = &websocket.Dialer{
	NetDialContext:   (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
	HandshakeTimeout: 10 * time.Second,
	ReadBufferSize:   512,
	WriteBufferSize:  512,
	WriteBufferPool:  &sync.Pool{},
}

// client is one connection with its reader goroutine, which answers the
// server's pings and close frame and passes messages to onMessage.
type client struct {
	ws        *websocket.Conn
	onMessage func([]byte) // if nil, messages are discarded
	done      chan struct{}
	err       error // why the reader returned; set before done closes
}

func (c *client) read() {
	defer close(c.done)
	for {
		_, r, err := c.ws.NextReader()
		if err == nil && c.onMessage != nil {
			var msg []byte
			if msg, err = io.ReadAll(r); err == nil {
				c.onMessage(msg)
			}
		}
		if err != nil {
			c.err = err
			return
		}
	}
}

func (c *client) isOpen() bool {
	select {
	case <-c.done:
		return false
	default:
		return true
	}
}

// dialAll opens n connections at rate a second, at most maxDialing at
// once, calling setup on each before its reader starts. It fails if
// fewer than 99% open; the clients it returns are open either way.
func dialAll(ctx context.Context, url string, n int, rate float64, setup func(*client)) ([]*client, error) {
	logf("dialing %d connections at %g/s", n, rate)
	var (
		mu      sync.Mutex
		clients = make([]*client, 0, n)
		failed  int
		first   error
		wg      sync.WaitGroup
		opened  atomic.Int64
	)
	sem := make(chan struct{}, maxDialing)
	start := time.Now()
	progress := time.NewTicker(time.Second)
	defer progress.Stop()
	for i := range n {
		if sleep(ctx, time.Until(start.Add(time.Duration(float64(i)/rate*float64(time.Second))))) != nil {
			break
		}
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		select {
		case <-progress.C:
			logf("  %d open", opened.Load())
		default:
		}
		wg.Go(func() {
			defer func() { <-sem }()
			ws, resp, err := dialer.DialContext(ctx, url, nil)
			if resp != nil && resp.Body != nil {
				resp.Body.Close()
			}
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				if resp != nil {
					err = fmt.Errorf("%w (status %d)", err, resp.StatusCode)
				}
				failed++
				if first == nil {
					first = err
				}
				return
			}
			c := &client{ws: ws, done: make(chan struct{})}
			if setup != nil {
				setup(c)
			}
			go c.read()
			clients = append(clients, c)
			opened.Add(1)
		})
	}
	wg.Wait()
	logf("%d of %d open in %.1fs, %d failed", len(clients), n, time.Since(start).Seconds(), failed)
	if err := ctx.Err(); err != nil {
		return clients, err
	}
	if need := int(math.Ceil(0.99 * float64(n))); len(clients) < need {
		return clients, fmt.Errorf("only %d of %d connections opened (want at least 99%%); the first failure: %v", len(clients), n, first)
	}
	return clients, nil
}

func countOpen(clients []*client) int {
	n := 0
	for _, c := range clients {
		if c.isOpen() {
			n++
		}
	}
	return n
}

// firstErr returns why the first closed connection closed.
func firstErr(clients []*client) error {
	for _, c := range clients {
		if !c.isOpen() {
			return c.err
		}
	}
	return nil
}

// closeAll closes every connection with a close handshake, at most
// maxClosing at once, and returns how many the server answered with a
// normal closure.
func closeAll(clients []*client) int {
	var clean atomic.Int64
	var wg sync.WaitGroup
	sem := make(chan struct{}, maxClosing)
	for _, c := range clients {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			if c.closeCleanly() {
				clean.Add(1)
			}
		})
	}
	wg.Wait()
	return int(clean.Load())
}

// closeCleanly sends a close frame, waits for the server's, and closes
// the socket; it reports whether the server answered with 1000.
func (c *client) closeCleanly() bool {
	deadline := time.Now().Add(closeTimeout)
	msg := websocket.FormatCloseMessage(websocket.CloseNormalClosure, "")
	clean := false
	if c.ws.WriteControl(websocket.CloseMessage, msg, deadline) == nil {
		t := time.NewTimer(time.Until(deadline))
		select {
		case <-c.done:
			clean = websocket.IsCloseError(c.err, websocket.CloseNormalClosure)
		case <-t.C:
		}
		t.Stop()
	}
	_ = c.ws.Close()
	<-c.done
	return clean
}

// dropAll closes every socket at once, without a handshake: the clean-up
// after a failure or an interrupt. Closing twice does no harm.
func dropAll(clients []*client) {
	for _, c := range clients {
		_ = c.ws.Close()
	}
	for _, c := range clients {
		<-c.done
	}
}

// ---- server memory --------------------------------------------------------

var memClient = &http.Client{Timeout: 30 * time.Second}

func getMem(ctx context.Context, url string) (memreport.Report, error) {
	var m memreport.Report
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return m, err
	}
	resp, err := memClient.Do(req)
	if err != nil {
		return m, fmt.Errorf("memory report: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return m, fmt.Errorf("memory report: GET %s: %s", url, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		return m, fmt.Errorf("memory report: %w", err)
	}
	if m.RSS == 0 {
		return m, errors.New("memory report: the server could not read its RSS")
	}
	return m, nil
}

// ---- helpers ----------------------------------------------------------------

// sleep waits for d, or fails when ctx ends first.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// sizeStr formats a byte count (possibly negative) in B, KiB or MiB.
func sizeStr(n int64) string {
	a := math.Abs(float64(n))
	switch {
	case a >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case a >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
