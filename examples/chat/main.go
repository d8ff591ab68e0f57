// Command chat is the chat-room use case of WebSocket APIs: clients
// connect to ws://127.0.0.1:8081/chat?name=NAME&room=ROOM, and what each
// sends as {"action":"sendmessage","text":"..."} reaches everyone in its
// room through the connections API. That API is also served over HTTP,
// behind a SigV4 authorizer. See README.md beside this file.
//
//	go run ./examples/chat
//	node examples/chat/client/chat.js ws://127.0.0.1:8081/chat alice
package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/gatekit/gatekit/auth"
	"github.com/gatekit/gatekit/gateway"
	"github.com/gatekit/gatekit/ws"
)

func main() {
	cfg := config{accessKey: "AKIDCHATEXAMPLE"}
	flag.StringVar(&cfg.addr, "addr", "127.0.0.1:8081", "address to serve the gateway on")
	flag.BoolVar(&cfg.quiet, "quiet", false, "do not print how to try it")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, cfg, os.Stdout, nil); err != nil {
		log.Fatal(err)
	}
}

type config struct {
	addr  string // where to listen
	quiet bool   // do not print how to try it
	// accessKey and secretKey are the SigV4 credential of the
	// connections API. If secretKey is empty, a random one.
	accessKey, secretKey string
	// log receives joins, leaves and the ws server's errors. If nil,
	// slog.Default().
	log *slog.Logger
}

// run serves the chat on cfg.addr until ctx is done, then shuts down
// gracefully. It calls ready, if not nil, with the address it listens on
// once it serves, and prints how to try it to out unless cfg.quiet.
func run(ctx context.Context, cfg config, out io.Writer, ready func(addr string)) error {
	if cfg.log == nil {
		cfg.log = slog.Default()
	}
	if cfg.secretKey == "" {
		cfg.secretKey = rand.Text()
	}
	c, err := newChat(cfg.log)
	if err != nil {
		return err
	}
	gw := gateway.New(gateway.WithLogger(cfg.log))
	hs := &http.Server{Handler: gw, ReadHeaderTimeout: 10 * time.Second}
	if err := setUp(gw, c, cfg.accessKey, cfg.secretKey); err != nil {
		return errors.Join(err, shutdown(hs, c.srv, gw))
	}
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return errors.Join(err, shutdown(hs, c.srv, gw))
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	addr := ln.Addr().String()
	if ready != nil {
		ready(addr)
	}
	if !cfg.quiet {
		printUsage(out, addr, cfg.accessKey, cfg.secretKey)
	}
	select {
	case err := <-errc: // serving failed
		return errors.Join(err, shutdown(hs, c.srv, gw))
	case <-ctx.Done():
	}
	err = shutdown(hs, c.srv, gw)
	if serr := <-errc; !errors.Is(serr, http.ErrServerClosed) {
		err = errors.Join(err, serr)
	}
	return err
}

// setUp mounts the chat on gw: the WebSocket API on GET /chat, and its
// connections API on /admin/@connections/{id} behind a SigV4 authorizer
// that knows one credential.
func setUp(gw *gateway.Gateway, c *chat, accessKey, secretKey string) error {
	sig := &auth.SigV4{Region: "local", Credentials: auth.StaticCredentials{
		accessKey: {Secret: secretKey, Principal: "chat-admin"},
	}}
	if err := gw.RegisterAuthorizer("sigv4", sig); err != nil {
		return err
	}
	return gw.Mount("/", &gateway.API{Name: "chat", Routes: []gateway.Route{
		{Key: "GET /chat", Integration: gateway.Handler(c.srv)},
		{Key: "ANY /admin/@connections/{id}", Integration: gateway.Handler(c.srv.ConnectionsHandler()), Authorizer: "sigv4"},
	}})
}

// shutdown stops in order: new requests (http.Server.Shutdown does not
// wait for hijacked connections, so it returns once no handshake is in
// progress), then the WebSocket connections — closed with 1001 (going
// away) after their $disconnect ran — then the gateway.
func shutdown(hs *http.Server, srv *ws.Server, gw *gateway.Gateway) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	herr := hs.Shutdown(ctx)
	werr := srv.Shutdown(ctx)
	return errors.Join(herr, werr, gw.Close())
}

func printUsage(out io.Writer, addr, accessKey, secretKey string) {
	fmt.Fprintf(out, `chat gateway listening on %[1]s
  WebSocket API:   ws://%[1]s/chat?name=NAME&room=ROOM   (room: default lobby)
  connections API: http://%[1]s/admin/@connections/{id}  (SigV4, region local)

Chat from two terminals at the repository's root (once: npm ci --prefix examples/chat/client):
  node examples/chat/client/chat.js ws://%[1]s/chat alice
  node examples/chat/client/chat.js ws://%[1]s/chat bob
  node examples/chat/client/chat.js ws://%[1]s/chat carol kitchen   # another room

Each client prints its connection id (ID); post to it as the server does:
  curl -i --aws-sigv4 'aws:amz:local:execute-api' --user '%[2]s:%[3]s' -X POST -d 'hello' http://%[1]s/admin/@connections/ID
  curl -i --aws-sigv4 'aws:amz:local:execute-api' --user '%[2]s:%[3]s' http://%[1]s/admin/@connections/ID            # describe it
  curl -i --aws-sigv4 'aws:amz:local:execute-api' --user '%[2]s:%[3]s' -X DELETE http://%[1]s/admin/@connections/ID  # close it
  curl -i -X POST -d 'hello' http://%[1]s/admin/@connections/ID   # 401: not signed
(Some curl versions, 7.88.1 for one, sign the '@' unencoded: 403 Invalid request signature.
An AWS SDK's signer works; see examples/chat/README.md.)

Stop with Ctrl-C.
`, addr, accessKey, secretKey)
}
