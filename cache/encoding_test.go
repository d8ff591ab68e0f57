package cache

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"slices"
	"testing"
	"time"
)

// encodingCases are entries that must survive Marshal and Unmarshal.
var encodingCases = []struct {
	name string
	e    Entry
}{
	{"minimal", Entry{Status: http.StatusOK, StoredAt: time.Unix(1700000000, 0)}},
	{"multi-valued headers", Entry{
		Status: http.StatusOK,
		Header: http.Header{
			"Content-Type": {"application/json"},
			"Set-Cookie":   {"a=1; Path=/", "b=2", "a=1; Path=/"},
			"Vary":         {"Accept", "Accept-Encoding"},
			"x-lowercase":  {"kept as it is"},
			"Ünïcode":      {"välue ✓"},
		},
		Body:     []byte(`{"id":1,"name":"rex"}`),
		StoredAt: time.Unix(1700000000, 1),
	}},
	{"empty header", Entry{Status: http.StatusNoContent, Header: http.Header{}, StoredAt: time.Unix(1, 0)}},
	{"empty values", Entry{
		Status:   http.StatusOK,
		Header:   http.Header{"Empty-String": {""}, "No-Values": {}, "": {"empty key"}},
		Body:     []byte("x"),
		StoredAt: time.Unix(1, 0),
	}},
	{"nil body", Entry{Status: http.StatusNotModified, Header: http.Header{"Etag": {`"x"`}}, StoredAt: time.Unix(2, 0)}},
	{"empty body", Entry{Status: http.StatusOK, Body: []byte{}, StoredAt: time.Unix(2, 0)}},
	{"binary body", Entry{Status: http.StatusOK, Body: allBytes(), StoredAt: time.Unix(3, 0)}},
	{"large body", Entry{Status: http.StatusOK, Body: bytes.Repeat([]byte("0123456789"), 10000), StoredAt: time.Unix(3, 0)}},
	{"nanoseconds and zone", Entry{
		Status:   http.StatusOK,
		StoredAt: time.Date(2025, 3, 14, 15, 9, 26, 535897932, time.FixedZone("UTC+1", 3600)),
	}},
	{"monotonic reading", Entry{Status: http.StatusOK, StoredAt: time.Now()}},
	{"before 1970", Entry{Status: http.StatusOK, StoredAt: time.Date(1969, 7, 20, 20, 17, 40, 123456789, time.UTC)}},
	{"status zero", Entry{Status: 0, StoredAt: time.Unix(4, 0)}},
	{"odd status", Entry{Status: 999, StoredAt: time.Unix(4, 0)}},
	{"negative status", Entry{Status: -1, StoredAt: time.Unix(4, 0)}},
}

func allBytes() []byte {
	b := make([]byte, 256)
	for i := range b {
		b[i] = byte(i)
	}
	return b
}

func TestMarshalRoundTrip(t *testing.T) {
	for _, tc := range encodingCases {
		t.Run(tc.name, func(t *testing.T) {
			b := Marshal(&tc.e)
			got, err := Unmarshal(b)
			if err != nil {
				t.Fatalf("Unmarshal: %v", err)
			}
			if diff := entryDiff(&tc.e, got); diff != "" {
				t.Fatal(diff)
			}
			if got.StoredAt.UnixNano() != tc.e.StoredAt.UnixNano() {
				t.Errorf("StoredAt = %d ns, want %d ns", got.StoredAt.UnixNano(), tc.e.StoredAt.UnixNano())
			}
			// The body aliases the input, as documented.
			if len(got.Body) > 0 && &got.Body[0] != &b[len(b)-len(got.Body)] {
				t.Error("Body does not alias the input")
			}
		})
	}
}

// TestUnmarshalTruncated decodes every proper prefix of each case's
// encoding. A prefix that ends before the body is corrupt; one that ends
// in the body decodes to the entry with that much of its body, since the
// encoding does not record the body's length.
func TestUnmarshalTruncated(t *testing.T) {
	for _, tc := range encodingCases {
		t.Run(tc.name, func(t *testing.T) {
			b := Marshal(&tc.e)
			bodyAt := len(b) - len(tc.e.Body)
			for i := range len(b) {
				got, err := Unmarshal(b[:i:i])
				if i < bodyAt {
					if !errors.Is(err, ErrCorrupt) || got != nil {
						t.Fatalf("Unmarshal of %d of %d header bytes = %v, %v; want ErrCorrupt", i, bodyAt, got, err)
					}
					continue
				}
				if err != nil {
					t.Fatalf("Unmarshal of %d bytes, all the header and some body: %v", i, err)
				}
				want := tc.e
				want.Body = tc.e.Body[:i-bodyAt]
				if diff := entryDiff(&want, got); diff != "" {
					t.Fatalf("Unmarshal of %d bytes: %s", i, diff)
				}
			}
		})
	}
}

func TestUnmarshalCorrupt(t *testing.T) {
	uv := binary.AppendUvarint
	head := func(nh uint64) []byte { // version, status 200, time 0, nh
		return uv(binary.AppendVarint(uv([]byte{encodingVersion}, 200), 0), nh)
	}
	cases := []struct {
		name string
		b    []byte
	}{
		{"nil", nil},
		{"empty", []byte{}},
		{"version 0", append([]byte{0}, head(0)[1:]...)},
		{"version 2", append([]byte{2}, head(0)[1:]...)},
		{"version only", []byte{encodingVersion}},
		{"no time", uv([]byte{encodingVersion}, 200)},
		{"no header count", binary.AppendVarint(uv([]byte{encodingVersion}, 200), 0)},
		{"status overflows", append([]byte{encodingVersion}, bytes.Repeat([]byte{0xff}, 11)...)},
		{"time overflows", append(uv([]byte{encodingVersion}, 200), bytes.Repeat([]byte{0xff}, 11)...)},
		{"header count beyond input", append(head(100), make([]byte, 10)...)},
		{"header count huge", append(head(1<<63), make([]byte, 10)...)},
		{"key beyond input", append(uv(head(1), 50), "short"...)},
		{"key length huge", append(uv(head(1), 1<<63), "short"...)},
		{"value count beyond input", uv(appendString(head(1), "K"), 100)},
		{"value count huge", append(uv(appendString(head(1), "K"), 1<<63), 0, 0, 0)},
		{"value beyond input", append(uv(uv(appendString(head(1), "K"), 1), 9), "v"...)},
		{"missing value", uv(appendString(head(1), "K"), 2)},
		{"missing header", uv(appendString(head(2), "K"), 0)},
		{"unterminated varint", append(head(1), 0x80)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Unmarshal(tc.b)
			if !errors.Is(err, ErrCorrupt) || got != nil {
				t.Errorf("Unmarshal(% x) = %v, %v; want ErrCorrupt", tc.b, got, err)
			}
		})
	}
}

// TestUnmarshalAllocation checks that a header count as large as the
// input does not make Unmarshal allocate many times the input's size.
func TestUnmarshalAllocation(t *testing.T) {
	const n = 64 << 10
	for _, nh := range []uint64{n, n / 2} { // corrupt, and valid with n/2 empty headers
		b := binary.AppendVarint(binary.AppendUvarint([]byte{encodingVersion}, 200), 0)
		b = binary.AppendUvarint(b, nh)
		b = append(b, make([]byte, n)...)
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := Unmarshal(b)
		runtime.ReadMemStats(&after)
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 4*n {
			t.Errorf("Unmarshal of %d bytes naming %d headers (error %v) allocated %d bytes, want at most %d", len(b), nh, err, alloc, 4*n)
		}
	}
}

// FuzzUnmarshal checks that Unmarshal never panics, fails only with
// ErrCorrupt, and that what it decodes re-encodes to the same entry.
func FuzzUnmarshal(f *testing.F) {
	for _, tc := range encodingCases {
		if len(tc.e.Body) > 1<<10 {
			continue // a long body adds nothing but slower mutation
		}
		f.Add(Marshal(&tc.e))
	}
	f.Add([]byte{})
	f.Add([]byte{encodingVersion})
	f.Fuzz(func(t *testing.T, b []byte) {
		in := slices.Clone(b)
		e, err := Unmarshal(b)
		if !bytes.Equal(b, in) {
			t.Fatal("Unmarshal modified its input")
		}
		if err != nil {
			if !errors.Is(err, ErrCorrupt) || e != nil {
				t.Fatalf("Unmarshal = %v, %v; want nil and ErrCorrupt", e, err)
			}
			return
		}
		again, err := Unmarshal(Marshal(e))
		if err != nil {
			t.Fatalf("Unmarshal of a re-marshaled entry: %v", err)
		}
		if diff := entryDiff(e, again); diff != "" {
			t.Fatalf("re-marshaled entry: %s", diff)
		}
	})
}

// entryDiff describes how got differs from want, or returns "". A nil and
// an empty header, body or value list are the same; times are compared
// as instants.
func entryDiff(want, got *Entry) string {
	if got == nil {
		return "got no entry"
	}
	if got.Status != want.Status {
		return fmt.Sprintf("Status = %d, want %d", got.Status, want.Status)
	}
	if !got.StoredAt.Equal(want.StoredAt) {
		return fmt.Sprintf("StoredAt = %v, want %v", got.StoredAt, want.StoredAt)
	}
	if len(got.Header) != len(want.Header) {
		return fmt.Sprintf("Header = %q, want %q", got.Header, want.Header)
	}
	for k, wvs := range want.Header {
		gvs, ok := got.Header[k]
		if !ok || !slices.Equal(gvs, wvs) {
			return fmt.Sprintf("Header[%q] = %q, want %q", k, gvs, wvs)
		}
	}
	if !bytes.Equal(got.Body, want.Body) {
		return fmt.Sprintf("Body = %q, want %q", got.Body, want.Body)
	}
	return ""
}
