package main

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/gorilla/websocket"
)

// client is a chat connection of a test.
type client struct {
	*websocket.Conn
	name string
	room string // as asked for: "" for the default
	id   string // the connection id, once whoami has asked
}

// join connects name to room ("" for the default). When it returns,
// $connect has put the connection in its room, and posts to it are
// delivered.
func join(t *testing.T, addr, name, room string) *client {
	t.Helper()
	q := url.Values{"name": {name}}
	if room != "" {
		q.Set("room", room)
	}
	conn, resp, err := websocket.DefaultDialer.Dial("ws://"+addr+"/chat?"+q.Encode(), nil)
	if err != nil {
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		t.Fatalf("%s: dial: %v (status %d)", name, err, status)
	}
	t.Cleanup(func() { conn.Close() })
	return &client{Conn: conn, name: name, room: room}
}

// whoami asks the $default route who c is, checks the answer, and
// records c's connection id. The answer must be c's next message.
func (c *client) whoami(t *testing.T) {
	t.Helper()
	if err := c.WriteMessage(websocket.TextMessage, []byte(`{"action":"help"}`)); err != nil {
		t.Fatal(err)
	}
	var h help
	if err := json.Unmarshal(c.read(t), &h); err != nil || h.ConnectionID == "" {
		t.Fatalf("%s: the help answer: %+v, %v", c.name, h, err)
	}
	if want := cmp.Or(c.room, defaultRoom); h.Name != c.name || h.Room != want || len(h.Actions) != 1 || h.Actions[0] != "sendmessage" {
		t.Errorf("%s: the help answer: %+v, want name %s, room %s, actions [sendmessage]", c.name, h, c.name, want)
	}
	c.id = h.ConnectionID
}

// read reads the next message within 5 s.
func (c *client) read(t *testing.T) []byte {
	t.Helper()
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, msg, err := c.ReadMessage()
	if err != nil {
		t.Fatalf("%s: read: %v", c.name, err)
	}
	return msg
}

// expect reads the next message and checks that it is want, exactly.
func (c *client) expect(t *testing.T, want message) {
	t.Helper()
	wantJSON, _ := json.Marshal(want)
	if got := c.read(t); string(got) != string(wantJSON) {
		t.Errorf("%s got %s, want %s", c.name, got, wantJSON)
	}
}

// expectNothing checks that no message arrives for a while. The
// connection is unusable afterwards.
func (c *client) expectNothing(t *testing.T) {
	t.Helper()
	_ = c.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
	if _, msg, err := c.ReadMessage(); err == nil {
		t.Errorf("%s got %s, want nothing", c.name, msg)
	} else if ne, ok := errors.AsType[net.Error](err); !ok || !ne.Timeout() {
		t.Errorf("%s: %v, want a read timeout", c.name, err)
	}
}

func (c *client) say(t *testing.T, text string) {
	t.Helper()
	msg, _ := json.Marshal(map[string]string{"action": "sendmessage", "text": text})
	if err := c.WriteMessage(websocket.TextMessage, msg); err != nil {
		t.Fatal(err)
	}
}

// leave closes the connection as a browser does, with 1000.
func (c *client) leave(t *testing.T) {
	t.Helper()
	_ = c.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, "bye"))
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	for { // until the server's close frame
		if _, _, err := c.ReadMessage(); err != nil {
			break
		}
	}
	c.Close()
}

func TestRooms(t *testing.T) {
	addr, _ := startChat(t)
	alice := join(t, addr, "alice", "")
	bob := join(t, addr, "bob", "lobby")
	// alice has sent nothing: a post reaches a client as soon as it is
	// connected.
	alice.expect(t, message{"chat", "lobby", "bob joined"})
	carol := join(t, addr, "carol", "kitchen") // nobody in the lobby hears of it

	alice.say(t, "hello bob")
	alice.expect(t, message{"alice", "lobby", "hello bob"}) // the sender too
	bob.expect(t, message{"alice", "lobby", "hello bob"})
	bob.say(t, "hello alice")
	bob.expect(t, message{"bob", "lobby", "hello alice"})
	alice.expect(t, message{"bob", "lobby", "hello alice"})

	carol.say(t, "anyone in the kitchen?")
	carol.expect(t, message{"carol", "kitchen", "anyone in the kitchen?"})
	dave := join(t, addr, "dave", "kitchen")
	carol.expect(t, message{"chat", "kitchen", "dave joined"})

	bob.leave(t)
	alice.expect(t, message{"chat", "lobby", "bob left"})
	dave.leave(t)
	carol.expect(t, message{"chat", "kitchen", "dave left"})

	// Nothing crossed rooms: each got only what was checked above.
	alice.expectNothing(t)
	carol.expectNothing(t)
}

func TestAnswers(t *testing.T) {
	addr, _ := startChat(t)
	alice := join(t, addr, "alice", "")
	for _, tt := range []struct {
		name, send, want string
	}{
		{"unknown action: help", `{"action":"dance"}`, `"actions":["sendmessage"]`},
		{"help: who and where", `{"action":"help"}`, `"name":"alice","room":"lobby"`},
		{"not JSON: help", `hello`, `"actions":["sendmessage"]`},
		{"no text", `{"action":"sendmessage"}`, `{"message":"sendmessage needs a non-empty string \"text\""}`},
		{"text not a string", `{"action":"sendmessage","text":42}`, `sendmessage needs a non-empty string`},
		{"a message", `{"action":"sendmessage","text":"hi"}`, `{"from":"alice","room":"lobby","text":"hi"}`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if err := alice.WriteMessage(websocket.TextMessage, []byte(tt.send)); err != nil {
				t.Fatal(err)
			}
			if got := string(alice.read(t)); !strings.Contains(got, tt.want) {
				t.Errorf("%s: got %s, want %s", tt.send, got, tt.want)
			}
		})
	}
}

func TestConnectRefused(t *testing.T) {
	addr, _ := startChat(t)
	for _, tt := range []struct {
		name, query string
		status      int
	}{
		{"no name", "", 400},
		{"empty name", "?name=", 400},
		{"name of 33 characters", "?name=" + strings.Repeat("é", 33), 400},
		{"the chat's own name", "?name=chat", 400},
		{"control character", "?name=a%0Ab", 400},
		{"not UTF-8", "?name=%FF", 400},
		{"room of 33 characters", "?name=x&room=" + strings.Repeat("r", 33), 400},
		{"name of 32 characters", "?name=" + strings.Repeat("é", 32), 101},
		{"name with a space", "?name=Mary+Ann&room=the+kitchen", 101},
	} {
		t.Run(tt.name, func(t *testing.T) {
			conn, resp, err := websocket.DefaultDialer.Dial("ws://"+addr+"/chat"+tt.query, nil)
			if err == nil {
				conn.Close()
			}
			if resp == nil || resp.StatusCode != tt.status {
				t.Fatalf("dial: %v, %v; want status %d", err, resp, tt.status)
			}
			if tt.status != 400 {
				return
			}
			var body struct{ Message string }
			if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || body.Message == "" || resp.Header.Get("Content-Type") != "application/json" {
				t.Errorf("refused with %+v (%v), Content-Type %q; want a JSON message", body, err, resp.Header.Get("Content-Type"))
			}
		})
	}
}

// TestConnectionsAPI calls the connections API as an operator would,
// signing with the AWS SDK's signer.
func TestConnectionsAPI(t *testing.T) {
	addr, _ := startChat(t)
	alice := join(t, addr, "alice", "")
	alice.whoami(t)
	hc := &http.Client{Transport: &http.Transport{}, Timeout: 5 * time.Second}
	defer hc.CloseIdleConnections()
	call := func(t *testing.T, method, id, body, secret string) (int, string) {
		t.Helper()
		req, err := http.NewRequest(method, "http://"+addr+"/admin/@connections/"+id, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if secret != "" {
			sum := sha256.Sum256([]byte(body))
			err := v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: testAccessKey, SecretAccessKey: secret},
				req, hex.EncodeToString(sum[:]), "execute-api", "local", time.Now())
			if err != nil {
				t.Fatal(err)
			}
		}
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	for _, tt := range []struct {
		name, method, body, secret string
		status                     int
		want                       string // in the response body
	}{
		{"not signed", "POST", "psst", "", 401, `{"message":"Unauthorized"}`},
		{"wrong secret", "POST", "psst", "wrong", 403, `{"message":"Invalid request signature"}`},
		{"GET", "GET", "", testSecretKey, 200, `"ConnectedAt"`},
		{"POST", "POST", "hello from the operator", testSecretKey, 204, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if status, body := call(t, tt.method, alice.id, tt.body, tt.secret); status != tt.status || !strings.Contains(body, tt.want) {
				t.Errorf("%s: %d %s, want %d %s", tt.method, status, body, tt.status, tt.want)
			}
		})
	}
	if got := string(alice.read(t)); got != "hello from the operator" {
		t.Errorf("alice got %q, want the operator's message (and not the refused ones)", got)
	}

	bob := join(t, addr, "bob", "")
	alice.expect(t, message{"chat", "lobby", "bob joined"})
	bob.whoami(t)
	if status, body := call(t, "DELETE", bob.id, "", testSecretKey); status != 204 {
		t.Fatalf("DELETE: %d %s", status, body)
	}
	_ = bob.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, _, err := bob.ReadMessage(); !websocket.IsCloseError(err, websocket.CloseNormalClosure) {
		t.Errorf("bob after DELETE: %v, want closed with 1000", err)
	}
	alice.expect(t, message{"chat", "lobby", "bob left"})
	if status, _ := call(t, "POST", bob.id, "too late", testSecretKey); status != 410 {
		t.Errorf("POST to a closed connection: %d, want 410", status)
	}
}

// TestBroadcastKeepsGone: a connection a post finds gone stays in its
// room, as one whose $connect is still running must: only $disconnect
// takes a connection out.
func TestBroadcastKeepsGone(t *testing.T) {
	c, err := newChat(slog.New(slog.NewTextHandler(t.Output(), nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer c.srv.Close()
	c.rooms.join("connecting", "zed", "lobby") // as $connect does, before the ws server holds it
	c.broadcast(context.Background(), message{"chat", "lobby", "hello"}, "")
	if got := c.rooms.members("lobby"); len(got) != 1 || got[0] != "connecting" {
		t.Errorf("lobby: %v, want [connecting]", got)
	}
}

// TestConcurrentJoins: clients joining a room at the same moment post to
// one another during their $connect; each ends up in the room, and no one
// is said to have left.
func TestConcurrentJoins(t *testing.T) {
	addr, _ := startChat(t)
	const n = 20
	cs := make([]*client, n)
	var wg sync.WaitGroup
	for i := range cs {
		wg.Go(func() { cs[i] = join(t, addr, fmt.Sprint("u", i), "busy") })
	}
	wg.Wait()
	for _, c := range cs {
		if c == nil {
			t.FailNow() // join reported why
		}
		if err := c.WriteMessage(websocket.TextMessage, []byte(`{"action":"help"}`)); err != nil {
			t.Fatal(err)
		}
		for { // the others' "joined", then the help answer
			msg := c.read(t)
			var h help
			if err := json.Unmarshal(msg, &h); err == nil && h.ConnectionID != "" {
				if h.Room != "busy" {
					t.Errorf("%s is in room %q, want busy", c.name, h.Room)
				}
				break
			}
			var m message
			if err := json.Unmarshal(msg, &m); err != nil || m.From != systemName || !strings.HasSuffix(m.Text, " joined") {
				t.Errorf("%s got %s, want only others joining", c.name, msg)
			}
		}
	}
}
