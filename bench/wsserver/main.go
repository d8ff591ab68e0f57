// Command wsserver is the server of bench/ws.sh: a gateway serving one
// WebSocket API, and a memory report, so that wsload, in another process,
// can measure what each connection costs this process and how long an
// echo takes.
//
// It serves on -addr (default 127.0.0.1:0, a free loopback port) and
// prints "listening on HOST:PORT" as the first line of its standard
// output. On that one listener:
//
//   - GET /ws is the WebSocket API, a gateway route whose integration is a
//     ws.Server with the default limits (pings every 30 seconds included).
//     Its route selection expression is $request.body.action; the two-way
//     route "echo" sends each message back unchanged, and $default answers
//     {"route":"$default"}. The gateway-wide throttle is off, so that a
//     burst of upgrades is not refused with 429.
//   - GET /debug/mem, outside the gateway, runs a garbage collection,
//     returns freed memory to the OS and answers JSON: goroutines,
//     MemStats figures and the resident set size from /proc/self/status
//     (see memreport.Report).
//   - with -pprof, /debug/pprof/ serves net/http/pprof, for looking into
//     where the memory goes.
//
// On SIGINT or SIGTERM it stops accepting, closes every WebSocket
// connection with 1001 (going away) and exits.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net/http"
	"net/http/pprof"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/gatekit/gatekit/bench/internal/memreport"
	"github.com/gatekit/gatekit/bench/internal/serve"
	"github.com/gatekit/gatekit/gateway"
	"github.com/gatekit/gatekit/throttle"
	"github.com/gatekit/gatekit/ws"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "address to serve on; port 0 picks a free port")
	withPprof := flag.Bool("pprof", false, "also serve net/http/pprof under /debug/pprof/")
	flag.Parse()
	if err := run(*addr, *withPprof); err != nil {
		log.Fatal(err)
	}
}

func run(addr string, withPprof bool) error {
	echo := ws.IntegrationFunc(func(_ context.Context, ev *ws.Event) (ws.Response, error) {
		return ws.Response{Body: []byte(ev.Body)}, nil
	})
	unknown := ws.IntegrationFunc(func(context.Context, *ws.Event) (ws.Response, error) {
		return ws.Response{Body: []byte(`{"route":"$default"}`)}, nil
	})
	srv, err := ws.New(&ws.API{
		RouteSelectionExpression: "$request.body.action",
		Routes: []ws.Route{
			{Key: "echo", Integration: echo, TwoWay: true},
			{Key: ws.RouteDefault, Integration: unknown, TwoWay: true},
		},
	}, ws.Options{})
	if err != nil {
		return err
	}
	// UntilSignal's http.Server.Shutdown does not track hijacked
	// connections: close them here once it returns.
	defer srv.Close()

	gw := gateway.New(gateway.WithGatewayThrottle(throttle.Rate{PerSecond: throttle.Inf}))
	defer gw.Close()
	if err := gw.Mount("/", &gateway.API{Name: "wsbench", Routes: []gateway.Route{
		{Key: "GET /ws", Integration: gateway.Handler(srv)},
	}}); err != nil {
		return err
	}

	mux := http.NewServeMux()
	mux.Handle("GET /debug/mem", http.HandlerFunc(serveMem))
	if withPprof {
		mux.HandleFunc("/debug/pprof/", pprof.Index)
		mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	}
	mux.Handle("/", gw)
	return serve.UntilSignal(addr, mux)
}

// serveMem answers the memory report, after a full collection, so that
// the figures are what is live and not what awaits collection.
func serveMem(w http.ResponseWriter, _ *http.Request) {
	debug.FreeOSMemory() // runs a GC first, then returns what it can to the OS
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	rep := memreport.Report{
		Goroutines:   runtime.NumGoroutine(),
		HeapInuse:    ms.HeapInuse,
		HeapAlloc:    ms.HeapAlloc,
		HeapObjects:  ms.HeapObjects,
		StackInuse:   ms.StackInuse,
		OtherRuntime: ms.MSpanInuse + ms.MCacheInuse + ms.GCSys + ms.BuckHashSys,
		Sys:          ms.Sys,
	}
	rss, err := vmRSS()
	if err != nil {
		log.Printf("wsserver: /debug/mem: %v", err)
	}
	rep.RSS = rss
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(rep)
}

// vmRSS returns this process's resident set size in bytes.
func vmRSS() (uint64, error) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, err
	}
	for line := range strings.Lines(string(b)) {
		rest, ok := strings.CutPrefix(line, "VmRSS:")
		if !ok {
			continue
		}
		kb, ok := strings.CutSuffix(strings.TrimSpace(rest), " kB")
		n, err := strconv.ParseUint(strings.TrimSpace(kb), 10, 64)
		if !ok || err != nil {
			return 0, fmt.Errorf("VmRSS line %q: want N kB", strings.TrimSpace(line))
		}
		return n << 10, nil
	}
	return 0, fmt.Errorf("/proc/self/status has no VmRSS line")
}
