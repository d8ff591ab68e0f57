// Package urlpath computes the one canonical form of a request path.
//
// A gateway decides several things from the request path: which route
// runs, whether the caller is authorized, which rate-limit bucket and
// cache entry apply, and what the backend finally receives. If any two of
// those steps read the path differently, an attacker can pick a spelling
// that one step allows and another step treats as something else
// ("/public/%2e%2e/admin", "//admin"). The rule of this package is
// therefore: compute the canonical path once per request with [Canonical],
// and hand that same string to every later step.
//
// # The canonical form
//
// [Canonical] takes an escaped request path, as returned by
// (*url.URL).EscapedPath, and applies these rules, in this order. They are
// the project's decision; changing any of them changes what every policy
// in the gateway means.
//
//  1. The path must start with '/'. A raw control byte (below 0x20, or
//     0x7f), an invalid percent escape ("%zz", a '%' too close to the end)
//     and an encoded control byte ("%00", "%0A", "%7F", …) are errors
//     wrapping [ErrInvalid].
//  2. Escapes of unreserved characters (ALPHA DIGIT '-' '.' '_' '~') are
//     decoded: "%41" becomes "A" and "%2e" becomes ".". Every other escape
//     stays an escape, written with upper-case hex ("%2f" becomes "%2F").
//     A raw byte that RFC 3986 does not allow in a path segment (anything
//     but unreserved characters, the sub-delims "!$&'()*+,;=", ':' and '@')
//     is percent-encoded: space, '"', '<', '\', non-ASCII bytes, and so on.
//     Escaped and raw reserved characters are not equivalent (RFC 3986
//     §6.2.2.2), so "%24" and "$" stay different.
//  3. Only a raw '/' separates segments. "%2F" and "%5C" are data:
//     "/a%2Fb" is one segment whose decoded value is "a/b".
//  4. Empty segments are dropped ("//admin" is "/admin", "/a//b" is
//     "/a/b"), but a trailing slash is kept ("/a/b/" stays "/a/b/", and "/"
//     stays "/").
//  5. Dot segments "." and ".." — recognized after step 2, so "%2e%2e" is
//     ".." — are removed as in RFC 3986 §5.2.4. A ".." above the root is
//     dropped ("/../a" is "/a"). A path that ends in a dot segment keeps a
//     trailing slash ("/a/b/.." is "/a/").
//  6. A segment that would be or contain a dot segment for a backend that
//     reads the path its own way is an error wrapping [ErrInvalid]: one
//     whose parts between encoded slashes ("%2F", "%5C") or before a ';'
//     are "." or "..". So "/public/..%2Fadmin", "/public/%2e%2e%2fadmin"
//     and "/public/..;/admin" are refused, while "/files/a%2Fb" and
//     "/a;v=1" are fine.
//
// Some consequences: "/public/%2e%2e/admin" is "/admin" (served by the
// route for "/admin", with its checks), and "/public/..%2Fadmin" is
// refused.
//
// The canonical form is a fixed point: Canonical(Canonical(p)) equals
// Canonical(p). It contains no empty segment (except before a trailing
// slash), no dot segment — not even once its segments are decoded — and
// no '%' that does not start a valid upper-case escape of a byte that must
// stay escaped.
//
// # What backends see
//
// Send the backend the canonical path too, so that it acts on the path
// that was authorized. Two things stay for the backend to read in its own
// way: "%2F" and "%5C" stay escaped (some servers decode them before
// splitting the path), and ';' is an ordinary character (Tomcat and Jetty
// strip ";params" from segments). Rule 6 makes sure neither can turn into
// a dot segment on the backend: "/public/..%2Fadmin" and
// "/public/..;/admin" never reach it.
//
// # Decoding
//
// Route parameters and backend mappings sometimes need the decoded value of
// a segment. [Unescape] decodes a canonical path or segment. Decode
// segments one at a time, after splitting on '/': decoding a whole path
// turns "%2F" into a separator that was never there.
//
// # Cost
//
// Most real paths are already canonical. For those, [Canonical] returns its
// argument itself, without allocating; other paths cost one allocation for
// the result (a few more beyond some hundred bytes) and time linear in
// their length.
package urlpath
