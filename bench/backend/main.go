// Command backend is the upstream for bench/run.sh: a tiny keep-alive HTTP
// server that answers every request (GET /stock/{item} in the benchmark)
// with the same small JSON body, so that what the load measures is the
// proxy in front of it, not the backend.
//
// It serves on -addr (default 127.0.0.1:0, a free loopback port) and
// prints "listening on HOST:PORT" as the first line of its standard
// output. It shuts down cleanly on SIGINT or SIGTERM.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"
)

// body is the fixed answer: about 100 bytes of JSON, newline included.
var body = []byte(`{"item":"kibble","inStock":12,"warehouse":"loopback-1","note":"fixed body for gatekit benchmarks"}` + "\n")

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "address to serve on; port 0 picks a free port")
	flag.Parse()
	if err := run(*addr); err != nil {
		log.Fatal(err)
	}
}

func run(addr string) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	length := strconv.Itoa(len(body))
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			h := w.Header()
			h["Content-Type"] = []string{"application/json"}
			h["Content-Length"] = []string{length}
			_, _ = w.Write(body)
		}),
		ReadHeaderTimeout: 10 * time.Second,
	}
	fmt.Printf("listening on %s\n", ln.Addr())

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
