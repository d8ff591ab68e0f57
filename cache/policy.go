package cache

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
)

// Key returns the store key for a namespace ("api/stage/") and the
// request's key material: the namespace followed by the hex SHA-256 of
// material, so that keys have a fixed length whatever the parameters and
// reveal none of them.
func Key(namespace string, material []byte) string {
	sum := sha256.Sum256(material)
	var b strings.Builder
	b.Grow(len(namespace) + hex.EncodedLen(len(sum)))
	b.WriteString(namespace)
	var h [2 * sha256.Size]byte
	hex.Encode(h[:], sum[:])
	b.Write(h[:])
	return b.String()
}

// Cacheable reports whether a response with this status and these
// headers may be stored. Only successful responses are (2xx but 206
// Partial Content), and none that says it must not be: Cache-Control
// no-store, no-cache or private, or a Set-Cookie header, which belongs to
// one client.
func Cacheable(status int, h http.Header) bool {
	if status < 200 || status > 299 || status == http.StatusPartialContent {
		return false
	}
	if len(h["Set-Cookie"]) > 0 {
		return false
	}
	for _, v := range h["Cache-Control"] {
		for d := range strings.SplitSeq(v, ",") {
			d = strings.TrimSpace(d)
			if name, _, _ := strings.Cut(d, "="); strings.EqualFold(name, "no-store") ||
				strings.EqualFold(name, "no-cache") || strings.EqualFold(name, "private") {
				return false
			}
		}
	}
	return true
}

// perResponse are the headers that describe one response, not the
// resource: a stored entry never carries them.
var perResponse = map[string]bool{
	"Connection": true, "Keep-Alive": true, "Proxy-Connection": true, "Te": true, "Trailer": true,
	"Transfer-Encoding": true, "Upgrade": true, "Date": true, "Age": true, "X-Request-Id": true,
	"X-Cache": true, "Retry-After": true, "Ratelimit-Limit": true, "Ratelimit-Remaining": true,
	"Ratelimit-Reset": true, "Content-Length": true,
}

// StoredHeader returns a copy of h without the headers that belong to
// one response (hop-by-hop headers, Date, Age, the request id, rate-limit
// headers, Content-Length), which is what an [Entry] keeps.
func StoredHeader(h http.Header) http.Header {
	out := make(http.Header, len(h))
	for k, vs := range h {
		if perResponse[k] || strings.HasPrefix(k, "Access-Control-") {
			continue
		}
		out[k] = append([]string(nil), vs...)
	}
	return out
}
