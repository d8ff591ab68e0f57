package lambdaevent

import (
	"encoding/base64"
	"strings"
	"unicode/utf8"
)

// IsText reports whether a request body of the media type in contentType
// (a Content-Type header value, parameters allowed) is passed to the
// function as text rather than base64. Text types are text/*; the
// application/ types json, xml, javascript, x-www-form-urlencoded, yaml,
// x-yaml and graphql; and any type with a +json, +xml or +yaml suffix,
// such as application/problem+json or image/svg+xml. Matching ignores
// case. An empty contentType is not a text type; see the package
// documentation for how such bodies are passed.
func IsText(contentType string) bool {
	mediaType, _, _ := strings.Cut(contentType, ";")
	typ, sub, ok := strings.Cut(strings.TrimSpace(mediaType), "/")
	if !ok {
		return false
	}
	sub = strings.ToLower(sub)
	if strings.HasSuffix(sub, "+json") || strings.HasSuffix(sub, "+xml") || strings.HasSuffix(sub, "+yaml") {
		return true
	}
	switch strings.ToLower(typ) {
	case "text":
		return true
	case "application":
		switch sub {
		case "json", "xml", "javascript", "x-www-form-urlencoded", "yaml", "x-yaml", "graphql":
			return true
		}
	}
	return false
}

// encodeBody returns a request body as an event carries it, and whether it
// is base64-encoded. A body is text when it is valid UTF-8 and its type is
// a text type or not given.
func encodeBody(contentType string, body []byte) (string, bool) {
	if len(body) == 0 {
		return "", false
	}
	if (contentType == "" || IsText(contentType)) && utf8.Valid(body) {
		return string(body), false
	}
	return base64.StdEncoding.EncodeToString(body), true
}
