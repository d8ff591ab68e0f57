package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"go.uber.org/goleak"

	"github.com/gatekit/gatekit/internal/testenv"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// The connections API's credential in tests.
const (
	testAccessKey = "AKIDCHATTEST"
	testSecretKey = "chat/test/secret"
)

// startChat runs the program as main does, on a loopback port, and
// returns its address and a function that stops it (SIGINT's path) and
// returns run's error. The test's cleanup stops it too.
func startChat(t *testing.T) (addr string, stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cfg := config{
		addr: "127.0.0.1:0", quiet: true, accessKey: testAccessKey, secretKey: testSecretKey,
		log: slog.New(slog.NewTextHandler(t.Output(), nil)),
	}
	addrc, done := make(chan string, 1), make(chan error, 1)
	go func() { done <- run(ctx, cfg, io.Discard, func(a string) { addrc <- a }) }()
	select {
	case addr = <-addrc:
	case err := <-done:
		cancel()
		t.Fatalf("run: %v", err)
	}
	var once sync.Once
	var err error
	stop = func() error {
		once.Do(func() {
			cancel()
			err = <-done
		})
		return err
	}
	t.Cleanup(func() {
		if err := stop(); err != nil {
			t.Errorf("run: %v", err)
		}
	})
	return addr, stop
}

// TestNodeClients runs client/twoclients.js, the Node test driver,
// against the program. It needs node and the client's dependencies; under
// CI=true their absence fails the test rather than skipping it.
func TestNodeClients(t *testing.T) {
	const install = "`npm ci --prefix examples/chat/client` at the repository's root"
	node := testenv.Tool(t, "node", "install Node.js 18 or later (apt-get install nodejs npm), then run "+install)
	testenv.NodeModules(t, "client", "ws", "run "+install)
	addr, _ := startChat(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "twoclients.js", "ws://"+addr+"/chat")
	cmd.Dir = "client"
	cmd.WaitDelay = 5 * time.Second // if killed, do not wait for its pipes longer
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("node twoclients.js: %v\n%s", err, out)
	}
	t.Logf("node twoclients.js:\n%s", out)
}

// TestUsage checks what the program prints: how to run the Node client
// and a signed curl for the connections API, on the address it serves.
func TestUsage(t *testing.T) {
	var out bytes.Buffer
	ctx, cancel := context.WithCancel(context.Background())
	var addr string
	err := run(ctx, config{addr: "127.0.0.1:0", accessKey: "AKIDX", secretKey: "s3cr3t", log: slog.New(slog.NewTextHandler(t.Output(), nil))},
		&out, func(a string) { addr = a; cancel() })
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"node examples/chat/client/chat.js ws://" + addr + "/chat alice",
		"npm ci --prefix examples/chat/client",
		"curl -i --aws-sigv4 'aws:amz:local:execute-api' --user 'AKIDX:s3cr3t' -X POST -d 'hello' http://" + addr + "/admin/@connections/ID",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the usage lacks %q:\n%s", want, out.String())
		}
	}
}

// TestShutdown: on SIGINT (ctx done) every client is closed with 1001,
// and run returns nil once every goroutine has ended.
func TestShutdown(t *testing.T) {
	addr, stop := startChat(t)
	alice := join(t, addr, "alice", "")
	bob := join(t, addr, "bob", "")
	alice.expect(t, message{"chat", "lobby", "bob joined"})
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	for _, c := range []*client{alice, bob} {
		_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
		var err error
		for err == nil {
			_, _, err = c.ReadMessage() // a "left" message may come first
		}
		if !websocket.IsCloseError(err, websocket.CloseGoingAway) {
			t.Errorf("%s: %v, want a close frame with 1001", c.name, err)
		}
	}
	if _, _, err := websocket.DefaultDialer.Dial("ws://"+addr+"/chat?name=carol", nil); err == nil {
		t.Error("a client could connect after shutdown")
	}
}
