package auth

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// This file builds the pieces of a SigV4 signature: the canonical request,
// the string to sign and the signing key, as the AWS specification
// ("Create a signed AWS API request", IAM user guide) defines them for
// services other than S3.

const (
	sigv4Algorithm  = "AWS4-HMAC-SHA256"
	sigv4Terminator = "aws4_request"
	sigv4DateLayout = "20060102T150405Z"
)

// sigv4Target returns the path and raw query the client sent. The
// request line's target (RequestURI) is what the client signed, before
// any rewriting by the gateway; requests made in-process without one,
// and absolute-form or "*" targets, fall back to the parsed URL.
func sigv4Target(r *http.Request) (path, query string) {
	t := r.RequestURI
	if t == "" || t[0] != '/' {
		return r.URL.EscapedPath(), r.URL.RawQuery
	}
	path, query, _ = strings.Cut(t, "?")
	return path, query
}

// sigv4CanonicalURI returns the canonical URI of rawPath, the path as sent on
// the wire (already percent-encoded by the client). With normalize, dot
// segments and empty segments are removed first, as every service but S3
// expects. The result is URI-encoded again ("%20" becomes "%2520"): for
// non-S3 services the specification encodes each segment twice, the
// first time being the client's own encoding of the URL.
func sigv4CanonicalURI(rawPath string, normalize bool) string {
	if normalize {
		rawPath = sigv4NormalizePath(rawPath)
	}
	if rawPath == "" {
		rawPath = "/"
	}
	return sigv4URIEncode(rawPath, true)
}

// sigv4NormalizePath removes "." and ".." segments (RFC 3986 section 5.2.4) and
// empty segments ("//"), keeping a leading slash and a trailing one when
// anything is left before it: "/a/./b//" becomes "/a/b/", "/a/.." becomes
// "/". This is the rule botocore and the AWS CRT signers apply.
func sigv4NormalizePath(p string) string {
	if p == "" {
		return "/"
	}
	if !strings.Contains(p, "//") && !strings.Contains(p, "/.") {
		return p // nothing to remove: the common case, without allocating
	}
	segs := make([]string, 0, strings.Count(p, "/")+1)
	for s := range strings.SplitSeq(p, "/") {
		switch s {
		case "", ".":
		case "..":
			if len(segs) > 0 {
				segs = segs[:len(segs)-1]
			}
		default:
			segs = append(segs, s)
		}
	}
	var b strings.Builder
	b.Grow(len(p))
	if p[0] == '/' {
		b.WriteByte('/')
	}
	b.WriteString(strings.Join(segs, "/"))
	if p[len(p)-1] == '/' && len(segs) > 0 {
		b.WriteByte('/')
	}
	return b.String()
}

// sigv4URIEncode percent-encodes every byte of s outside the RFC 3986
// sigv4Unreserved set (A-Z a-z 0-9 - . _ ~) as %XY with upper-case hex; with
// keepSlash, "/" stays as it is.
func sigv4URIEncode(s string, keepSlash bool) string {
	n := 0
	for i := 0; i < len(s); i++ {
		if !sigv4Unreserved(s[i]) && (s[i] != '/' || !keepSlash) {
			n++
		}
	}
	if n == 0 {
		return s
	}
	const hexUpper = "0123456789ABCDEF"
	b := make([]byte, 0, len(s)+2*n)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if sigv4Unreserved(c) || (c == '/' && keepSlash) {
			b = append(b, c)
			continue
		}
		b = append(b, '%', hexUpper[c>>4], hexUpper[c&15])
	}
	return string(b)
}

func sigv4Unreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

// sigv4QueryPair is one decoded name=value pair of a query string.
type sigv4QueryPair struct{ key, value string }

// sigv4ParseQuery splits a raw query string into decoded pairs, in order. Empty
// pieces ("a&&b") are skipped and a "+" decodes to a space, as
// url.ParseQuery and the AWS SDK for Go do; a bad percent-escape is an
// error, since such a query has no canonical form.
func sigv4ParseQuery(raw string) ([]sigv4QueryPair, error) {
	if raw == "" {
		return nil, nil
	}
	pairs := make([]sigv4QueryPair, 0, strings.Count(raw, "&")+1)
	for piece := range strings.SplitSeq(raw, "&") {
		if piece == "" {
			continue
		}
		k, v, _ := strings.Cut(piece, "=")
		var err error
		if k, err = sigv4QueryUnescape(k); err != nil {
			return nil, err
		}
		if v, err = sigv4QueryUnescape(v); err != nil {
			return nil, err
		}
		pairs = append(pairs, sigv4QueryPair{k, v})
	}
	return pairs, nil
}

func sigv4QueryUnescape(s string) (string, error) {
	if !strings.ContainsAny(s, "%+") {
		return s, nil
	}
	return url.QueryUnescape(s)
}

// sigv4CanonicalQuery returns the canonical query string of pairs, leaving out
// the pairs named in omit: each name and value URI-encoded, the pairs
// sorted by encoded name and then encoded value, joined with "&".
func sigv4CanonicalQuery(pairs []sigv4QueryPair, omit ...string) string {
	enc := make([]sigv4QueryPair, 0, len(pairs))
	size := 0
	for _, p := range pairs {
		if slices.Contains(omit, p.key) {
			continue
		}
		e := sigv4QueryPair{sigv4URIEncode(p.key, false), sigv4URIEncode(p.value, false)}
		size += len(e.key) + len(e.value) + 2
		enc = append(enc, e)
	}
	slices.SortFunc(enc, func(a, b sigv4QueryPair) int {
		if c := strings.Compare(a.key, b.key); c != 0 {
			return c
		}
		return strings.Compare(a.value, b.value)
	})
	var b strings.Builder
	b.Grow(size)
	for i, p := range enc {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(p.key)
		b.WriteByte('=')
		b.WriteString(p.value)
	}
	return b.String()
}

// sigv4CanonicalHeaders returns the canonical headers block for the signed
// header names (lower-case, sorted): one "name:value\n" line each, the
// values of a repeated header joined with ",", each value trimmed and its
// runs of spaces collapsed. "host" is read from r.Host, where net/http
// keeps it; "content-length" falls back to r.ContentLength.
func sigv4CanonicalHeaders(r *http.Request, names []string) string {
	var b strings.Builder
	for _, name := range names {
		b.WriteString(name)
		b.WriteByte(':')
		var values []string
		switch name {
		case "host":
			host := r.Host
			if host == "" {
				host = r.URL.Host
			}
			values = []string{host}
		default:
			values = r.Header.Values(name)
			if len(values) == 0 && name == "content-length" && r.ContentLength > 0 {
				values = []string{strconv.FormatInt(r.ContentLength, 10)}
			}
		}
		for i, v := range values {
			if i > 0 {
				b.WriteByte(',')
			}
			sigv4WriteTrimmed(&b, v)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// sigv4WriteTrimmed writes v without leading and trailing spaces and tabs and
// with each run of spaces inside it shortened to one.
func sigv4WriteTrimmed(b *strings.Builder, v string) {
	v = strings.Trim(v, " \t")
	for {
		i := strings.Index(v, "  ")
		if i < 0 {
			b.WriteString(v)
			return
		}
		b.WriteString(v[:i+1])
		v = strings.TrimLeft(v[i:], " ")
	}
}

// sigv4CanonicalRequest joins the parts of a canonical request. headers is the
// block canonicalHeaders returns, with its final newline.
func sigv4CanonicalRequest(method, uri, query, headers, signedHeaders, payloadHash string) string {
	var b strings.Builder
	b.Grow(len(method) + len(uri) + len(query) + len(headers) + len(signedHeaders) + len(payloadHash) + 5)
	for _, s := range [...]string{method, "\n", uri, "\n", query, "\n", headers, "\n", signedHeaders, "\n", payloadHash} {
		b.WriteString(s)
	}
	return b.String()
}

// sigv4StringToSign returns the string to sign for a canonical request signed
// at amzDate (ISO 8601 basic format) within scope
// (date/region/service/aws4_request).
func sigv4StringToSign(amzDate, scope, creq string) string {
	sum := sha256.Sum256([]byte(creq))
	return sigv4Algorithm + "\n" + amzDate + "\n" + scope + "\n" + hex.EncodeToString(sum[:])
}

// sigv4SigningKey derives the key that signs requests of one day, region and
// service from a secret access key.
func sigv4SigningKey(secret, date, region, service string) []byte {
	k := sigv4HMAC([]byte("AWS4"+secret), date)
	k = sigv4HMAC(k, region)
	k = sigv4HMAC(k, service)
	return sigv4HMAC(k, sigv4Terminator)
}

// sigv4HMAC returns HMAC-SHA256(key, data): the signature when key is a
// signing key and data a string to sign.
func sigv4HMAC(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}

// sigv4HashHex returns the lower-case hex SHA-256 of b: a payload hash.
func sigv4HashHex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
