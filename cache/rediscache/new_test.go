package rediscache

import (
	"strings"
	"testing"

	"github.com/gatekit/gatekit/internal/redistest"
	"github.com/redis/go-redis/v9"
)

// TestNew checks New's validation. It needs no Redis: New makes no call.
func TestNew(t *testing.T) {
	ok := redistest.RefusedClient(t)
	type newCase struct {
		name    string
		client  redis.UniversalClient
		opts    Options
		wantErr string // "" for success
	}
	cases := []newCase{
		{"zero options", ok, Options{}, ""},
		{"all set", ok, Options{HashTag: "t", EncryptionKey: testKey, Timeout: 1, MaxEntryBytes: 1}, ""},
		{"AES-128", ok, Options{EncryptionKey: testKey[:16]}, ""},
		{"AES-192", ok, Options{EncryptionKey: testKey[:24]}, ""},
		{"open brace", ok, Options{HashTag: "a{b"}, "Options.HashTag"},
		{"close brace", ok, Options{HashTag: "b}"}, "Options.HashTag"},
		{"empty key", ok, Options{EncryptionKey: []byte{}}, "Options.EncryptionKey"},
		{"1-byte key", ok, Options{EncryptionKey: testKey[:1]}, "Options.EncryptionKey"},
		{"15-byte key", ok, Options{EncryptionKey: testKey[:15]}, "Options.EncryptionKey"},
		{"17-byte key", ok, Options{EncryptionKey: testKey[:17]}, "Options.EncryptionKey"},
		{"31-byte key", ok, Options{EncryptionKey: testKey[:31]}, "Options.EncryptionKey"},
		{"64-byte key", ok, Options{EncryptionKey: append(testKey, testKey...)}, "Options.EncryptionKey"},
		{"negative Timeout", ok, Options{Timeout: -1}, "Options.Timeout"},
		{"negative MaxEntryBytes", ok, Options{MaxEntryBytes: -1}, "Options.MaxEntryBytes"},
	}
	// The clients every store refuses, with zero Options.
	for _, c := range redistest.BadClients(t) {
		cases = append(cases, newCase{c.Name, c.Client, Options{}, c.WantErr})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := New(c.client, c.opts)
			if c.wantErr == "" {
				if err != nil || s == nil {
					t.Fatalf("New = %v, %v; want a Store", s, err)
				}
				return
			}
			if err == nil || s != nil {
				t.Fatalf("New = %v, %v; want an error", s, err)
			}
			if !strings.Contains(err.Error(), c.wantErr) || !strings.HasPrefix(err.Error(), "rediscache: ") {
				t.Errorf("error %q does not name %q", err, c.wantErr)
			}
		})
	}

	t.Run("defaults", func(t *testing.T) {
		s, err := New(ok, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if s.prefix != "{gatekit-cache}:" || s.timeout != DefaultTimeout || s.maxEntry != DefaultMaxEntryBytes || s.aead != nil {
			t.Errorf("defaults: %q %v %d %v", s.prefix, s.timeout, s.maxEntry, s.aead)
		}
	})
	t.Run("all errors at once", func(t *testing.T) {
		_, err := New(ok, Options{HashTag: "{", EncryptionKey: []byte("short"), Timeout: -1})
		for _, want := range []string{"HashTag", "EncryptionKey", "Timeout"} {
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("error %v does not name %s", err, want)
			}
		}
	})
}

func TestGlobEscape(t *testing.T) {
	for in, want := range map[string]string{
		"":          "",
		"api/prod/": "api/prod/",
		"{t}:a*b":   `{t}:a\*b`,
		`?[x]\`:     `\?\[x\]\\`,
		"héllo^-!":  "héllo^-!",
	} {
		if got := globEscape(in); got != want {
			t.Errorf("globEscape(%q) = %q, want %q", in, got, want)
		}
	}
}
