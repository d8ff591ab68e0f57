// Command bareproxy is the baseline for bench/run.sh: a bare
// [httputil.ReverseProxy] with nothing but what any reverse proxy needs,
// so that the benchmark can say what the gateway costs on top of it.
//
// It serves on -addr (default 127.0.0.1:0, a free loopback port), prints
// "listening on HOST:PORT" as the first line of its standard output, and
// forwards /inventory/{rest} to {backend}/{rest}, the same mapping as the
// petstore route "ANY /inventory/{proxy+}", so one wrk URL path works
// against both. Other paths get 404. Its Rewrite sets the target URL and
// the X-Forwarded-* headers; its transport keeps up to 256 idle
// connections per backend host, like the gateway's default transport. It
// shuts down cleanly on SIGINT or SIGTERM.
package main

import (
	"flag"
	"fmt"
	"log"
	"net/http"
	"net/http/httputil"
	"net/url"

	"github.com/gatekit/gatekit/bench/internal/serve"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "address to serve on; port 0 picks a free port")
	backend := flag.String("backend", "", "base URL of the backend, e.g. http://127.0.0.1:9000 (required)")
	flag.Parse()
	if *backend == "" {
		log.Fatal("bareproxy: -backend is required")
	}
	if err := run(*addr, *backend); err != nil {
		log.Fatal(err)
	}
}

func run(addr, backend string) error {
	target, err := url.Parse(backend)
	if err != nil {
		return fmt.Errorf("bareproxy: -backend: %w", err)
	}
	if (target.Scheme != "http" && target.Scheme != "https") || target.Host == "" {
		return fmt.Errorf("bareproxy: -backend %q: want http://host:port", backend)
	}

	// The same settings as the gateway's default transport.
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConns = 1024
	transport.MaxIdleConnsPerHost = 256
	defer transport.CloseIdleConnections()

	proxy := &httputil.ReverseProxy{
		Transport: transport,
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(target) // pr.Out's path is already stripped of /inventory
			pr.SetXForwarded()
		},
	}
	mux := http.NewServeMux()
	mux.Handle("/inventory/", http.StripPrefix("/inventory", proxy))

	return serve.UntilSignal(addr, mux)
}
