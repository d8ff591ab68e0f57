package main

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"unicode"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"

	"github.com/gatekit/gatekit/ws"
)

const (
	// defaultRoom is the room of a client that names none.
	defaultRoom = "lobby"
	// systemName signs the chat's own messages ("alice joined"); no
	// client may take it.
	systemName = "chat"
	// maxNameLen bounds names and rooms, in characters.
	maxNameLen = 32
)

// message is what every client of a room receives.
type message struct {
	From string `json:"from"`
	Room string `json:"room"`
	Text string `json:"text"`
}

// help is the $default route's answer.
type help struct {
	Message      string   `json:"message"`
	Actions      []string `json:"actions"`
	ConnectionID string   `json:"connectionId"`
	Name         string   `json:"name,omitempty"`
	Room         string   `json:"room,omitempty"`
}

// chat is the chat-room application: a WebSocket API whose routes are
// Lambda-style functions, as the managed service's sample chat app has
// them, and the room registry they share. Its ws server, srv, serves the
// upgrade requests.
type chat struct {
	srv   *ws.Server
	rooms rooms
	log   *slog.Logger
}

// newChat returns the chat with its ws server; Shutdown the server to
// close every connection.
func newChat(log *slog.Logger) (*chat, error) {
	c := &chat{log: log}
	srv, err := ws.New(&ws.API{
		Name:                     "chat",
		RouteSelectionExpression: "$request.body.action",
		Routes: []ws.Route{
			{Key: ws.RouteConnect, Integration: ws.Function(c.connect)},
			{Key: ws.RouteDisconnect, Integration: ws.Function(c.disconnect)},
			// Two-way so that a malformed message gets an answer; a
			// good one gets none (an empty body sends nothing).
			{Key: "sendmessage", Integration: ws.Function(c.sendMessage), TwoWay: true},
			{Key: ws.RouteDefault, Integration: ws.Function(c.help), TwoWay: true},
		},
	}, ws.Options{Logger: log})
	if err != nil {
		return nil, err
	}
	c.srv = srv
	return c, nil
}

// connect admits a client with a valid name to its room, and tells the
// others.
func (c *chat) connect(ctx context.Context, ev events.APIGatewayWebsocketProxyRequest) (events.APIGatewayProxyResponse, error) {
	name, room := ev.QueryStringParameters["name"], ev.QueryStringParameters["room"]
	if room == "" {
		room = defaultRoom
	}
	switch {
	case name == systemName || !validName(name):
		return refuse(http.StatusBadRequest, "the query parameter name is required: 1 to 32 characters, not \"chat\"")
	case !validName(room):
		return refuse(http.StatusBadRequest, "the query parameter room, if given, must have 1 to 32 characters")
	}
	id := ev.RequestContext.ConnectionID
	c.rooms.join(id, name, room)
	c.log.Info("chat: joined", "name", name, "room", room, "connection_id", id)
	c.broadcast(ctx, message{From: systemName, Room: room, Text: name + " joined"}, id)
	return events.APIGatewayProxyResponse{StatusCode: http.StatusOK}, nil
}

// disconnect takes a closed connection out of its room, and tells the
// others.
func (c *chat) disconnect(ctx context.Context, ev events.APIGatewayWebsocketProxyRequest) (events.APIGatewayProxyResponse, error) {
	c.leave(ctx, ev.RequestContext.ConnectionID)
	return events.APIGatewayProxyResponse{StatusCode: http.StatusOK}, nil
}

// sendMessage broadcasts the message's text to the sender's room,
// sender included.
func (c *chat) sendMessage(ctx context.Context, ev events.APIGatewayWebsocketProxyRequest) (events.APIGatewayProxyResponse, error) {
	id := ev.RequestContext.ConnectionID
	m, ok := c.rooms.lookup(id)
	if !ok {
		return answer(map[string]string{"message": "you are in no room: reconnect"}), nil
	}
	var in struct {
		Text string `json:"text"`
	}
	if err := json.Unmarshal([]byte(ev.Body), &in); err != nil || in.Text == "" {
		return answer(map[string]string{"message": `sendmessage needs a non-empty string "text"`}), nil
	}
	c.broadcast(ctx, message{From: m.name, Room: m.room, Text: in.Text}, "")
	return events.APIGatewayProxyResponse{StatusCode: http.StatusOK}, nil
}

// help answers any other message with the actions there are, and who
// and where the sender is.
func (c *chat) help(_ context.Context, ev events.APIGatewayWebsocketProxyRequest) (events.APIGatewayProxyResponse, error) {
	id := ev.RequestContext.ConnectionID
	m, _ := c.rooms.lookup(id)
	return answer(help{
		Message:      `send {"action":"sendmessage","text":"..."} to talk to your room`,
		Actions:      []string{"sendmessage"},
		ConnectionID: id,
		Name:         m.name,
		Room:         m.room,
	}), nil
}

// leave takes the connection id out of its room, if it is in one, and
// tells the others.
func (c *chat) leave(ctx context.Context, id string) {
	m, ok := c.rooms.leave(id)
	if !ok {
		return
	}
	c.log.Info("chat: left", "name", m.name, "room", m.room, "connection_id", m.id)
	c.broadcast(ctx, message{From: systemName, Room: m.room, Text: m.name + " left"}, "")
}

// broadcast posts msg to every connection of its room but except, through
// the connections API.
//
// A post fails with ws.ErrGone for a connection that is closing, and for
// one whose $connect is still running: it joined its room there, and the
// ws server holds it once $connect has accepted it. Neither leaves its
// room here: the ws server runs $disconnect for every connection that
// $connect accepted, and that takes it out.
func (c *chat) broadcast(ctx context.Context, msg message, except string) {
	data, err := json.Marshal(msg)
	if err != nil {
		c.log.Error("chat: broadcast", "err", err)
		return
	}
	for _, id := range c.rooms.members(msg.Room) {
		if id == except {
			continue
		}
		if err := c.srv.Post(ctx, id, data); err != nil && !errors.Is(err, ws.ErrGone) {
			// A client too slow to read is being closed; its
			// $disconnect takes it out of the room.
			c.log.Warn("chat: post", "connection_id", id, "err", err)
		}
	}
}

// validName reports whether s may name a client or a room: 1 to
// maxNameLen printable characters.
func validName(s string) bool {
	if s == "" || !utf8.ValidString(s) || utf8.RuneCountInString(s) > maxNameLen {
		return false
	}
	for _, r := range s {
		if !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}

// refuse is a $connect answer refusing the connection.
func refuse(status int, msg string) (events.APIGatewayProxyResponse, error) {
	body, err := json.Marshal(map[string]string{"message": msg})
	return events.APIGatewayProxyResponse{StatusCode: status, Body: string(body)}, err
}

// answer is a two-way route's answer to the sender.
func answer(v any) events.APIGatewayProxyResponse {
	body, _ := json.Marshal(v) // maps of strings and the help struct always encode
	return events.APIGatewayProxyResponse{StatusCode: http.StatusOK, Body: string(body)}
}
