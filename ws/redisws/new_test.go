package redisws

import (
	"strings"
	"testing"

	"github.com/gatekit/gatekit/internal/redistest"
	"github.com/redis/go-redis/v9"
)

// TestNew checks the validation of NewStore and NewBus. It needs no
// Redis: they make no call.
func TestNew(t *testing.T) {
	ok := redistest.RefusedClient(t)
	clusterClient := func(opts redis.ClusterOptions) *redis.ClusterClient {
		opts.Addrs, opts.ContextTimeoutEnabled = []string{redistest.RefusedAddr}, true
		c := redis.NewClusterClient(&opts)
		t.Cleanup(func() { c.Close() })
		return c
	}
	okCluster := clusterClient(redis.ClusterOptions{})
	readOnly := clusterClient(redis.ClusterOptions{ReadOnly: true})
	byLatency := clusterClient(redis.ClusterOptions{RouteByLatency: true})

	type newCase struct {
		name       string
		client     redis.UniversalClient
		opts       Options
		wantErr    string // "" for success
		busWantErr string // if not the same as wantErr
	}
	cases := []newCase{
		{"zero options", ok, Options{}, "", ""},
		{"all set", ok, Options{HashTag: "t", Timeout: 1}, "", ""},
		{"ClusterClient", okCluster, Options{}, "", ""},
		{"ReadOnly ClusterClient", readOnly, Options{}, "", "ReadOnly"},
		{"RouteByLatency ClusterClient", byLatency, Options{}, "", "ReadOnly"},
		{"open brace", ok, Options{HashTag: "a{b"}, "Options.HashTag", ""},
		{"close brace", ok, Options{HashTag: "b}"}, "Options.HashTag", ""},
		{"negative Timeout", ok, Options{Timeout: -1}, "Options.Timeout", ""},
		{"brace and negative Timeout", ok, Options{HashTag: "{", Timeout: -1}, "Options.Timeout", ""},
	}
	// The clients every store refuses, with zero Options.
	for _, c := range redistest.BadClients(t) {
		cases = append(cases, newCase{c.Name, c.Client, Options{}, c.WantErr, ""})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := NewStore(c.client, c.opts)
			checkNew(t, "NewStore", s != nil, err, c.wantErr)
			want := c.busWantErr
			if want == "" {
				want = c.wantErr
			}
			b, err := NewBus(c.client, c.opts)
			checkNew(t, "NewBus", b != nil, err, want)
			if b != nil {
				if err := b.Close(); err != nil {
					t.Errorf("Close of a Bus never subscribed: %v", err)
				}
			}
		})
	}

	t.Run("defaults", func(t *testing.T) {
		s, err := NewStore(ok, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if s.prefix != "{gatekit-ws}:conn:" || s.timeout != DefaultTimeout {
			t.Errorf("Store defaults: %q %v", s.prefix, s.timeout)
		}
		b, err := NewBus(ok, Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		if b.prefix != "{gatekit-ws}:ws:" || b.timeout != DefaultTimeout || b.logger == nil || b.sharded {
			t.Errorf("Bus defaults: %q %v %v %v", b.prefix, b.timeout, b.logger, b.sharded)
		}
	})
	t.Run("sharded on a ClusterClient", func(t *testing.T) {
		b, err := NewBus(okCluster, Options{HashTag: "t"})
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		if !b.sharded || b.prefix != "{t}:ws:" {
			t.Errorf("sharded %v, prefix %q", b.sharded, b.prefix)
		}
	})
}

// checkNew checks the outcome of a constructor: made and err, against
// wantErr ("" for success).
func checkNew(t *testing.T, name string, made bool, err error, wantErr string) {
	t.Helper()
	if wantErr == "" {
		if err != nil || !made {
			t.Errorf("%s = %v, %v; want a value", name, made, err)
		}
		return
	}
	if err == nil || made {
		t.Fatalf("%s = %v, %v; want an error", name, made, err)
	}
	if !strings.Contains(err.Error(), wantErr) || !strings.HasPrefix(err.Error(), "redisws: ") {
		t.Errorf("%s: error %q does not name %q", name, err, wantErr)
	}
}
