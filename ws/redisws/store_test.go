package redisws

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/gatekit/gatekit/internal/redistest"
	"github.com/gatekit/gatekit/ws"
)

// sameConn reports how got differs from want, or "".
func sameConn(got, want ws.ConnInfo) string {
	switch {
	case got.ID != want.ID:
		return "ID differs"
	case got.Instance != want.Instance:
		return "Instance differs"
	case !got.ConnectedAt.Equal(want.ConnectedAt):
		return "ConnectedAt " + got.ConnectedAt.String() + ", want " + want.ConnectedAt.String()
	case !got.LastActiveAt.Equal(want.LastActiveAt):
		return "LastActiveAt " + got.LastActiveAt.String() + ", want " + want.LastActiveAt.String()
	case got.Identity != want.Identity:
		return "Identity differs"
	}
	return ""
}

// fullConn returns a connection with every field set, its times with
// nanoseconds and in a zone other than UTC.
func fullConn(id string) ws.ConnInfo {
	zone := time.FixedZone("UTC+5:30", 5*3600+1800)
	return ws.ConnInfo{
		ID:           id,
		Instance:     "gw-1.eu-west-1",
		ConnectedAt:  time.Date(2025, 3, 1, 12, 0, 0, 123456789, zone),
		LastActiveAt: time.Date(2025, 3, 1, 12, 5, 30, 1, zone),
		Identity: ws.Identity{
			SourceIP:  "2001:db8::1",
			UserAgent: "Mozilla/5.0 (X11; Linux x86_64) \"quoted\" ünïcode",
			Principal: "user|42",
			APIKeyID:  "key-7",
		},
	}
}

func TestStoreRoundTrip(t *testing.T) {
	addr := redistest.Addr(t)
	tag := redistest.Tag(t, addr)
	// Two Stores on two clients, as two instances would have.
	a, b := newStore(t, addr, tag), newStore(t, addr, tag)
	ctx := context.Background()
	for _, c := range []struct {
		name string
		conn ws.ConnInfo
	}{
		{"every field", fullConn("conn-1")},
		{"only the required", ws.ConnInfo{ID: "conn-2", Instance: "gw-2"}},
		{"times in UTC", ws.ConnInfo{ID: "conn-3", Instance: "gw-2",
			ConnectedAt: time.Unix(1700000000, 0).UTC(), LastActiveAt: time.Unix(1700000001, 999999999).UTC()}},
		{"odd id", ws.ConnInfo{ID: "a b:{c}*?\x00\xff=", Instance: "gw:{3}", Identity: ws.Identity{SourceIP: "10.0.0.1"}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if err := a.Put(ctx, c.conn, time.Minute); err != nil {
				t.Fatal(err)
			}
			got, ok, err := b.Get(ctx, c.conn.ID)
			if err != nil || !ok {
				t.Fatalf("Get = %v, %v", ok, err)
			}
			if d := sameConn(got, c.conn); d != "" {
				t.Errorf("%s: got %+v, want %+v", d, got, c.conn)
			}
		})
	}

	t.Run("Put replaces every field", func(t *testing.T) {
		if err := a.Put(ctx, fullConn("conn-4"), time.Minute); err != nil {
			t.Fatal(err)
		}
		// No UserAgent, Principal, APIKeyID or times: none may survive.
		want := ws.ConnInfo{ID: "conn-4", Instance: "gw-9", Identity: ws.Identity{SourceIP: "10.0.0.2"}}
		if err := b.Put(ctx, want, time.Minute); err != nil {
			t.Fatal(err)
		}
		got, ok, err := a.Get(ctx, "conn-4")
		if err != nil || !ok {
			t.Fatalf("Get = %v, %v", ok, err)
		}
		if d := sameConn(got, want); d != "" {
			t.Errorf("%s: got %+v, want %+v", d, got, want)
		}
	})

	t.Run("unknown id", func(t *testing.T) {
		got, ok, err := b.Get(ctx, "no-such-conn")
		if err != nil || ok || got != (ws.ConnInfo{}) {
			t.Errorf("Get = %+v, %v, %v; want the zero ConnInfo, false, nil", got, ok, err)
		}
	})
}

func TestStoreTouch(t *testing.T) {
	addr := redistest.Addr(t)
	tag := redistest.Tag(t, addr)
	s := newStore(t, addr, tag)
	raw := redistest.Client(t, addr)
	ctx := context.Background()

	t.Run("known", func(t *testing.T) {
		c := fullConn("conn-1")
		if err := s.Put(ctx, c, time.Minute); err != nil {
			t.Fatal(err)
		}
		at := c.LastActiveAt.Add(90*time.Second + 7)
		if err := s.Touch(ctx, c.ID, at); err != nil {
			t.Fatal(err)
		}
		got, ok, err := s.Get(ctx, c.ID)
		if err != nil || !ok {
			t.Fatalf("Get = %v, %v", ok, err)
		}
		c.LastActiveAt = at
		if d := sameConn(got, c); d != "" {
			t.Errorf("%s: got %+v, want %+v", d, got, c)
		}
		// Touch leaves the expiry alone.
		ttl, err := raw.PTTL(ctx, s.prefix+c.ID).Result()
		if err != nil || ttl <= 0 || ttl > time.Minute {
			t.Errorf("PTTL = %v, %v; want in (0, 1m]", ttl, err)
		}
	})

	t.Run("unknown", func(t *testing.T) {
		if err := s.Touch(ctx, "no-such-conn", time.Now()); err != nil {
			t.Fatal(err)
		}
		m, err := raw.HGetAll(ctx, s.prefix+"no-such-conn").Result()
		if err != nil || len(m) != 0 {
			t.Errorf("HGETALL after Touch = %v, %v; want nothing", m, err)
		}
		if _, ok, err := s.Get(ctx, "no-such-conn"); ok || err != nil {
			t.Errorf("Get = %v, %v; want false, nil", ok, err)
		}
	})
}

func TestStoreDelete(t *testing.T) {
	addr := redistest.Addr(t)
	tag := redistest.Tag(t, addr)
	a, b := newStore(t, addr, tag), newStore(t, addr, tag)
	ctx := context.Background()
	if err := a.Put(ctx, fullConn("conn-1"), time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := b.Delete(ctx, "conn-1"); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := a.Get(ctx, "conn-1"); ok || err != nil {
		t.Errorf("Get after Delete = %v, %v; want false, nil", ok, err)
	}
	if err := b.Delete(ctx, "conn-1"); err != nil {
		t.Errorf("Delete of an unknown id: %v", err)
	}
}

func TestStoreTTL(t *testing.T) {
	addr := redistest.Addr(t)
	tag := redistest.Tag(t, addr)
	s := newStore(t, addr, tag)
	raw := redistest.Client(t, addr)
	ctx := context.Background()
	if err := s.Put(ctx, fullConn("conn-1"), 200*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if ttl, err := raw.PTTL(ctx, s.prefix+"conn-1").Result(); err != nil || ttl <= 0 || ttl > 200*time.Millisecond {
		t.Errorf("PTTL = %v, %v; want in (0, 200ms]", ttl, err)
	}
	eventually(t, 2*time.Second, "the record has not expired", func() bool {
		_, ok, err := s.Get(ctx, "conn-1")
		if err != nil {
			t.Fatal(err)
		}
		return !ok
	})
}

func TestStorePutRefused(t *testing.T) {
	addr := redistest.Addr(t)
	tag := redistest.Tag(t, addr)
	s := newStore(t, addr, tag)
	ctx := context.Background()
	for _, c := range []struct {
		name string
		conn ws.ConnInfo
		ttl  time.Duration
		want string
	}{
		{"zero ttl", fullConn("conn-1"), 0, "ttl"},
		{"negative ttl", fullConn("conn-1"), -time.Second, "ttl"},
		{"no ID", ws.ConnInfo{Instance: "gw-1"}, time.Minute, "ID"},
		{"no Instance", ws.ConnInfo{ID: "conn-1"}, time.Minute, "Instance"},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := s.Put(ctx, c.conn, c.ttl)
			if err == nil || !strings.HasPrefix(err.Error(), "redisws: Put: ") || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Put = %v; want an error naming Put and %s", err, c.want)
			}
			if errors.Is(err, ErrUnavailable) {
				t.Errorf("%v wraps ErrUnavailable", err)
			}
			if _, ok, _ := s.Get(ctx, c.conn.ID); ok {
				t.Error("Put stored a record")
			}
		})
	}
}

// TestStoreGetMalformed: a record Get cannot read is an error, not a
// connection.
func TestStoreGetMalformed(t *testing.T) {
	addr := redistest.Addr(t)
	tag := redistest.Tag(t, addr)
	s := newStore(t, addr, tag)
	raw := redistest.Client(t, addr)
	ctx := context.Background()
	for _, c := range []struct {
		name   string
		fields []any
	}{
		{"bad time", []any{"id", "c", "instance", "gw", "connectedAt", "yesterday"}},
		{"no instance", []any{"id", "c", "lastActiveAt", "2025-01-01T00:00:00Z"}},
		{"only lastActiveAt", []any{"lastActiveAt", "2025-01-01T00:00:00Z"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			id := strings.ReplaceAll(c.name, " ", "-")
			if err := raw.HSet(ctx, s.prefix+id, c.fields...).Err(); err != nil {
				t.Fatal(err)
			}
			got, ok, err := s.Get(ctx, id)
			if err == nil || ok || !strings.HasPrefix(err.Error(), "redisws: Get: ") {
				t.Errorf("Get = %+v, %v, %v; want an error naming Get", got, ok, err)
			}
		})
	}
}
