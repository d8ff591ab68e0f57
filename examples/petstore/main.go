// Command petstore is gatekit's main example: a gateway serving a pet
// store API on 127.0.0.1:8080 with every kind of integration. See
// README.md beside this file.
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
	"syscall"
	"time"

	"github.com/gatekit/gatekit/gateway"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address to serve the gateway on")
	backend := flag.String("backend", "", "base URL of the inventory backend; if empty, one is started on a loopback port")
	quiet := flag.Bool("quiet", false, "do not print the curl lines")
	flag.Parse()
	if err := run(*addr, *backend, *quiet); err != nil {
		log.Fatal(err)
	}
}

func run(addr, backendURL string, quiet bool) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	if backendURL == "" {
		inv, err := startInventory()
		if err != nil {
			return err
		}
		defer inv.Close()
		backendURL = "http://" + inv.Addr
	}

	gw := gateway.New()
	defer gw.Close()
	if err := gw.Mount("/", newAPI(newStore(), backendURL)); err != nil {
		return err
	}

	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: gw, ReadHeaderTimeout: 10 * time.Second}
	if !quiet {
		printUsage(ln.Addr().String())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// inventory is the small HTTP backend the proxy route forwards to.
type inventory struct {
	*http.Server
	Addr string
}

func startInventory() (*inventory, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /stock/{item}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"item":%q,"inStock":12,"forwardedFor":%q}`+"\n", r.PathValue("item"), r.Header.Get("X-Forwarded-For"))
	})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	return &inventory{Server: srv, Addr: ln.Addr().String()}, nil
}

func printUsage(addr string) {
	base := "http://" + addr
	fmt.Printf(`petstore gateway listening on %s

Try:
  curl -i %[2]s/pets                                  # function, payload 2.0, bare JSON value
  curl -i %[2]s/pets/1                                # function with a typed response
  curl -i -X POST -d '{"name":"Rex","type":"dog"}' %[2]s/pets
  curl -i %[2]s/pets/99                               # the function answers 404
  curl -i %[2]s/owners/alice                          # a wrapped http.Handler
  curl -i %[2]s/inventory/stock/kibble                # HTTP proxy to a loopback backend
  curl -i %[2]s/health                                # mock
  curl -i %[2]s/nowhere                               # gateway response: 404 Not Found
  curl -i -X OPTIONS -H 'Origin: https://example.com' -H 'Access-Control-Request-Method: POST' %[2]s/pets

Stop with Ctrl-C.
`, addr, base)
}
