package urlpath

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
)

// ErrInvalid is wrapped by every error that [Canonical] returns: the path
// cannot be made canonical and the request should be refused (400).
var ErrInvalid = errors.New("urlpath: invalid path")

// Byte classes, see class.
const (
	pchar      = 1 << iota // allowed raw in a segment: unreserved, sub-delims, ':' '@'
	unreserved             // ALPHA DIGIT '-' '.' '_' '~'
	control                // below 0x20, or 0x7f
)

// class holds the byte classes of every byte value.
var class = func() (c [256]uint8) {
	for b := 0; b < 256; b++ {
		switch {
		case 'a' <= b && b <= 'z', 'A' <= b && b <= 'Z', '0' <= b && b <= '9',
			b == '-', b == '.', b == '_', b == '~':
			c[b] = pchar | unreserved
		case strings.IndexByte("!$&'()*+,;=:@", byte(b)) >= 0:
			c[b] = pchar
		case b < 0x20 || b == 0x7f:
			c[b] = control
		}
	}
	return c
}()

const upperHex = "0123456789ABCDEF"

// Canonical returns the canonical escaped form of an escaped request path
// (as from (*url.URL).EscapedPath()), following the rules in the package
// documentation. When escaped is already canonical, Canonical returns
// escaped itself, without allocating. The error, if any, wraps
// [ErrInvalid].
func Canonical(escaped string) (string, error) {
	if isCanonical(escaped) {
		return escaped, nil
	}
	return canonicalize(escaped)
}

// isCanonical reports whether s starts with '/' and needs no change: no
// byte to escape or reject, no escape but upper-case ones of bytes that
// stay escaped, no empty segment before the last one, no dot segment.
func isCanonical(s string) bool {
	if s == "" || s[0] != '/' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '%' {
			if i+2 >= len(s) || !isUpperHex(s[i+1]) || !isUpperHex(s[i+2]) {
				return false
			}
			switch d := unhex(s[i+1])<<4 | unhex(s[i+2]); {
			case class[d]&(unreserved|control) != 0, d == '/', d == '\\':
				return false // the slow path decodes or checks it (rule 6)
			}
			i += 2
			continue
		}
		if c == ';' {
			return false // the slow path checks it (rule 6)
		}
		if c != '/' {
			if class[c]&pchar == 0 {
				return false // a byte to escape or reject
			}
			continue
		}
		// s[i] starts a segment: reject "//", "/.", "/.." followed by '/'
		// or the end. A trailing '/' (empty last segment) is fine.
		rest := s[i+1:]
		if rest != "" && rest[0] == '/' {
			return false
		}
		if strings.HasPrefix(rest, ".") {
			if len(rest) == 1 || rest[1] == '/' {
				return false
			}
			if rest[1] == '.' && (len(rest) == 2 || rest[2] == '/') {
				return false
			}
		}
	}
	return true
}

// canonicalize is the slow path of Canonical.
func canonicalize(escaped string) (string, error) {
	if escaped == "" || escaped[0] != '/' {
		return "", fmt.Errorf("%w: does not start with '/'", ErrInvalid)
	}
	// The result is built in a stack buffer while it fits (an input byte
	// can become three output bytes), so that string(buf) is the only
	// allocation for most paths.
	var stack [256]byte
	buf := stack[:0]
	trailing := false // whether the output ends with '/'
	for i := 1; i <= len(escaped); {
		end := strings.IndexByte(escaped[i:], '/')
		if end < 0 {
			end = len(escaped)
		} else {
			end += i
		}
		start := len(buf)
		buf = append(buf, '/')
		var err error
		buf, err = appendSegment(buf, escaped[i:end], i)
		if err != nil {
			return "", err
		}
		seg := buf[start+1:]
		if hiddenDotSegment(seg) {
			return "", fmt.Errorf("%w: segment at offset %d hides a dot segment behind an encoded slash or ';'", ErrInvalid, i)
		}
		// Every segment sets trailing; the last one decides.
		switch {
		case len(seg) == 0 || len(seg) == 1 && seg[0] == '.':
			buf = buf[:start]
			trailing = true
		case len(seg) == 2 && seg[0] == '.' && seg[1] == '.':
			buf = buf[:start]
			if j := bytes.LastIndexByte(buf, '/'); j >= 0 {
				buf = buf[:j]
			}
			trailing = true
		default:
			trailing = false
		}
		i = end + 1
	}
	if trailing || len(buf) == 0 {
		buf = append(buf, '/')
	}
	if string(buf) == escaped { // no allocation: escaped was canonical already
		return escaped, nil
	}
	return string(buf), nil
}

// hiddenDotSegment reports whether a canonical segment would be a dot
// segment, or contain one, for a backend that decodes "%2F" or "%5C" into
// separators, or that strips ";params" from segments (rule 6).
func hiddenDotSegment(seg []byte) bool {
	if !bytes.Contains(seg, []byte("%2F")) && !bytes.Contains(seg, []byte("%5C")) && bytes.IndexByte(seg, ';') < 0 {
		return false // a plain dot segment is rule 5's
	}
	for len(seg) > 0 {
		part := seg
		next := len(seg)
		for j := 0; j+2 < len(seg); j++ {
			if seg[j] == '%' && (seg[j+1] == '2' && seg[j+2] == 'F' || seg[j+1] == '5' && seg[j+2] == 'C') {
				part, next = seg[:j], j+3
				break
			}
		}
		if k := bytes.IndexByte(part, ';'); k >= 0 {
			part = part[:k]
		}
		if len(part) == 1 && part[0] == '.' || len(part) == 2 && part[0] == '.' && part[1] == '.' {
			return true
		}
		seg = seg[next:]
	}
	return false
}

// appendSegment appends the canonical form of one segment (no raw '/') to
// buf. off is the segment's offset in the whole path, for error messages.
func appendSegment(buf []byte, seg string, off int) ([]byte, error) {
	for i := 0; i < len(seg); i++ {
		c := seg[i]
		switch k := class[c]; {
		case k&pchar != 0:
			buf = append(buf, c)
		case k&control != 0:
			return nil, fmt.Errorf("%w: control byte 0x%02X at offset %d", ErrInvalid, c, off+i)
		case c != '%':
			buf = append(buf, '%', upperHex[c>>4], upperHex[c&15])
		case i+2 >= len(seg) || !isHex(seg[i+1]) || !isHex(seg[i+2]):
			return nil, fmt.Errorf("%w: invalid percent escape at offset %d", ErrInvalid, off+i)
		default:
			d := unhex(seg[i+1])<<4 | unhex(seg[i+2])
			switch k := class[d]; {
			case k&unreserved != 0:
				buf = append(buf, d)
			case k&control != 0:
				return nil, fmt.Errorf("%w: encoded control byte %%%02X at offset %d", ErrInvalid, d, off+i)
			default:
				buf = append(buf, '%', upperHex[d>>4], upperHex[d&15])
			}
			i += 2
		}
	}
	return buf, nil
}

// Unescape decodes the percent escapes of a canonical path or segment. It
// returns s itself, without allocating, when s contains no '%'. A '%' that
// does not start a valid escape is kept as it is; Canonical never produces
// one.
//
// Decode a path one segment at a time (after splitting on '/'), since a
// decoded "%2F" is indistinguishable from a separator.
func Unescape(s string) string {
	i := strings.IndexByte(s, '%')
	if i < 0 {
		return s
	}
	b := make([]byte, 0, len(s))
	b = append(b, s[:i]...)
	for ; i < len(s); i++ {
		c := s[i]
		if c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			c = unhex(s[i+1])<<4 | unhex(s[i+2])
			i += 2
		}
		b = append(b, c)
	}
	return string(b)
}

func isUpperHex(c byte) bool {
	return '0' <= c && c <= '9' || 'A' <= c && c <= 'F'
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// unhex returns the value of the hex digit c, which isHex accepted.
func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c >= 'a':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}
