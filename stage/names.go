package stage

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// parseDomain validates domain and returns its lower-case form without
// any "*." prefix or trailing dot, and whether it is a wildcard.
func parseDomain(domain string) (name string, wildcard bool, err error) {
	fail := func(why string) (string, bool, error) {
		return "", false, fmt.Errorf("stage: domain %q: %s", domain, why)
	}
	switch {
	case domain == "":
		return fail("is empty")
	case strings.Contains(domain, "://"):
		return fail("has a scheme; give the host name alone")
	case strings.HasPrefix(domain, "["):
		return fail("is an IP address; only names can be mapped")
	case strings.Contains(domain, "/"):
		return fail("has a path; give the base path separately")
	case strings.Contains(domain, ":"):
		return fail("has a port; domains match every port")
	case len(strings.TrimSuffix(domain, ".")) > maxDomainLen:
		return fail(fmt.Sprintf("is longer than %d characters", maxDomainLen))
	}
	name, wildcard = strings.CutPrefix(strings.ToLower(domain), "*.")
	name = strings.TrimSuffix(name, ".")
	if name == "" && wildcard || name == "*" {
		return fail("has no name after \"*.\"")
	}
	labels := strings.Split(name, ".")
	for _, l := range labels {
		if why := checkLabel(l); why != "" {
			return fail(why)
		}
	}
	if isDigits(labels[len(labels)-1]) {
		return fail("is an IP address; only names can be mapped")
	}
	return name, wildcard, nil
}

// checkLabel returns why l is not a valid LDH label, or "".
func checkLabel(l string) string {
	switch {
	case l == "":
		return "has an empty label"
	case len(l) > 63:
		return fmt.Sprintf("label %q is longer than 63 characters", l)
	case strings.Contains(l, "*"):
		return "a wildcard \"*\" is allowed only as the whole first label"
	case l[0] == '-' || l[len(l)-1] == '-':
		return fmt.Sprintf("label %q starts or ends with '-'", l)
	}
	for i := range len(l) {
		if c := l[i]; !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
			r, _ := utf8.DecodeRuneInString(l[i:])
			return fmt.Sprintf("label %q has invalid character %q; allowed: letters, digits and '-'", l, r)
		}
	}
	return ""
}

// parseBasePath validates a base path and returns it without leading and
// trailing slashes, with its number of segments.
func parseBasePath(basePath string) (key string, depth int, err error) {
	key = strings.TrimPrefix(strings.TrimSuffix(basePath, "/"), "/")
	if key == "" {
		return "", 0, nil
	}
	for seg := range strings.SplitSeq(key, "/") {
		depth++
		switch seg {
		case "":
			return "", 0, fmt.Errorf("base path %q: empty segment", basePath)
		case ".", "..":
			return "", 0, fmt.Errorf("base path %q: dot segment %q", basePath, seg)
		}
		for i := range len(seg) {
			if c := seg[i]; !isNameByte(c) && !strings.ContainsRune("-.~", rune(c)) {
				r, _ := utf8.DecodeRuneInString(seg[i:])
				return "", 0, fmt.Errorf("base path %q: invalid character %q; allowed: A-Z a-z 0-9 -._~", basePath, r)
			}
		}
	}
	return key, depth, nil
}

// isDigits reports whether s is all ASCII digits.
func isDigits(s string) bool {
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
