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
	"flag"
	"log"
	"net/http"
	"strconv"

	"github.com/gatekit/gatekit/bench/internal/serve"
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
	length := strconv.Itoa(len(body))
	return serve.UntilSignal(addr, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		h := w.Header()
		h["Content-Type"] = []string{"application/json"}
		h["Content-Length"] = []string{length}
		_, _ = w.Write(body)
	}))
}
