package ws

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gorilla/websocket"
)

// Post sends data to the connection id as a text message, whichever
// instance holds it. It fails with ErrGone if the connection is not open.
// The message is queued: Post does not wait for the client to read it.
func (s *Server) Post(ctx context.Context, id string, data []byte) error {
	if c := s.local(id); c != nil {
		return c.post(data, false)
	}
	return s.remote(ctx, Command{Op: OpPost, ConnID: id, Data: data})
}

// Delete closes the connection id, whichever instance holds it, with
// 1000 (normal closure); its $disconnect route runs. It fails with
// ErrGone if the connection is not open.
func (s *Server) Delete(ctx context.Context, id string) error {
	if c := s.local(id); c != nil {
		c.close(websocket.CloseNormalClosure, "closed by the server")
		return nil
	}
	return s.remote(ctx, Command{Op: OpDelete, ConnID: id})
}

// Get returns what is known of the connection id: when it connected, when
// its client last sent a message, and who the client is. It fails with
// ErrGone if the connection is not open.
func (s *Server) Get(ctx context.Context, id string) (ConnInfo, error) {
	if c := s.local(id); c != nil {
		return c.snapshot(), nil
	}
	info, ok, err := s.store.Get(ctx, id)
	switch {
	case err != nil:
		return ConnInfo{}, fmt.Errorf("ws: Get %s: %w", id, err)
	case !ok || info.Instance == s.instance: // ours, but no longer open
		return ConnInfo{}, ErrGone
	}
	return info, nil
}

// remote sends cmd to the instance that holds its connection.
func (s *Server) remote(ctx context.Context, cmd Command) error {
	info, ok, err := s.store.Get(ctx, cmd.ConnID)
	switch {
	case err != nil:
		return fmt.Errorf("ws: %s %s: %w", cmd.Op, cmd.ConnID, err)
	case !ok || info.Instance == s.instance || s.bus == nil:
		return ErrGone
	}
	// Publish is fire-and-forget: the command reaches the instance unless
	// it is gone, which ErrGone reports.
	if err := s.bus.Publish(ctx, info.Instance, cmd); err != nil {
		if errors.Is(err, ErrGone) { // its instance is gone: so is the connection
			_ = s.store.Delete(ctx, cmd.ConnID)
			return ErrGone
		}
		return fmt.Errorf("ws: %s %s via instance %s: %w", cmd.Op, cmd.ConnID, info.Instance, err)
	}
	return nil
}

// deliver carries out a command another instance published.
func (s *Server) deliver(cmd Command) {
	c := s.local(cmd.ConnID)
	if c == nil {
		return // closed meanwhile
	}
	switch cmd.Op {
	case OpPost:
		_ = c.post(cmd.Data, cmd.Binary)
	case OpDelete:
		c.close(websocket.CloseNormalClosure, "closed by the server")
	}
}

// ConnectionsHandler serves the connections API as the managed service
// does, on any path ending in /@connections/{connectionId}:
//
//   - POST sends the request body to the connection (204);
//   - GET answers {"ConnectedAt", "LastActiveAt", "Identity": {"SourceIp",
//     "UserAgent"}} (200), with the principal and API key id when known;
//   - DELETE closes the connection (204).
//
// A connection that is not open gets 410 Gone. The handler does no
// authorization of its own: mount it where it is protected — behind a
// gateway route with a SigV4 or other authorizer — never on the public
// WebSocket API.
func (s *Server) ConnectionsHandler() http.Handler {
	return http.HandlerFunc(s.serveConnections)
}

func (s *Server) serveConnections(w http.ResponseWriter, r *http.Request) {
	p := r.URL.EscapedPath()
	i := strings.LastIndex(p, "/@connections/")
	if i < 0 {
		writeJSONError(w, http.StatusNotFound, "Not Found")
		return
	}
	id, err := url.PathUnescape(p[i+len("/@connections/"):])
	if err != nil || id == "" || strings.Contains(id, "/") {
		writeJSONError(w, http.StatusBadRequest, "Invalid connection id")
		return
	}
	ctx := r.Context()
	switch r.Method {
	case http.MethodPost:
		limit := s.api.limits.MaxMessageBytes
		data, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
		if err != nil {
			writeJSONError(w, http.StatusBadRequest, "Could not read the body")
			return
		}
		if int64(len(data)) > limit {
			writeJSONError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("Message over %d bytes", limit))
			return
		}
		err = s.Post(ctx, id, data)
		s.answer(w, id, err, http.StatusNoContent, nil)
	case http.MethodGet:
		info, err := s.Get(ctx, id)
		s.answer(w, id, err, http.StatusOK, connectionJSON(info))
	case http.MethodDelete:
		err := s.Delete(ctx, id)
		s.answer(w, id, err, http.StatusNoContent, nil)
	default:
		w.Header().Set("Allow", "GET, POST, DELETE")
		writeJSONError(w, http.StatusMethodNotAllowed, "Method Not Allowed")
	}
}

// answer writes the connections API's response for err.
func (s *Server) answer(w http.ResponseWriter, id string, err error, okStatus int, body any) {
	switch {
	case errors.Is(err, ErrGone), errors.Is(err, errQueueFull):
		writeJSONError(w, http.StatusGone, "Connection "+id+" is gone")
	case err != nil:
		s.log.Error("ws: connections API", "connection_id", id, "err", err)
		writeJSONError(w, http.StatusInternalServerError, "Internal server error")
	case body == nil:
		w.WriteHeader(okStatus)
	default:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(okStatus)
		_ = json.NewEncoder(w).Encode(body)
	}
}

// connectionJSON is the managed service's GET answer, with gatekit's
// additions.
func connectionJSON(info ConnInfo) any {
	type identity struct {
		SourceIP    string `json:"SourceIp"`
		UserAgent   string `json:"UserAgent,omitempty"`
		PrincipalID string `json:"PrincipalId,omitempty"`
		APIKeyID    string `json:"ApiKeyId,omitempty"`
	}
	return struct {
		ConnectedAt  string   `json:"ConnectedAt"`
		LastActiveAt string   `json:"LastActiveAt"`
		Identity     identity `json:"Identity"`
	}{
		ConnectedAt:  info.ConnectedAt.UTC().Format(time.RFC3339Nano),
		LastActiveAt: info.LastActiveAt.UTC().Format(time.RFC3339Nano),
		Identity:     identity{info.Identity.SourceIP, info.Identity.UserAgent, info.Identity.Principal, info.Identity.APIKeyID},
	}
}
