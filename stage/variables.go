package stage

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"unicode/utf8"
)

// Limits on stage variables, as in the managed service.
const (
	maxVarNameLen  = 64   // the longest variable name, in characters
	maxVarValueLen = 2048 // the longest variable value, in characters
)

// Variables are a stage's variables: name to value.
//
// A name is 1 to 64 characters of [A-Za-z0-9_]. A value is 1 to 2048
// characters of letters, digits and -._~:/?#&=, — the managed service's
// pattern [A-Za-z0-9-._~:/?#&=,]+. The empty value is
// not allowed, as in the managed service: a template reference to a
// variable then always expands to something, and a variable that should
// be "unset" is left out of the map. Values can hold no '$', '{' or '}',
// so an expanded value never forms another reference.
//
// Variables held by a [State] must not be modified.
type Variables map[string]string

// Validate reports every invalid name and value, joined with
// [errors.Join]; each error names its variable. Problems are reported in
// name order. A nil or empty map is valid.
func (v Variables) Validate() error {
	return v.validate("stage: ")
}

// validate is Validate with each error prefixed by prefix.
func (v Variables) validate(prefix string) error {
	var errs []error
	for _, name := range slices.Sorted(maps.Keys(v)) {
		if why := checkName(name); why != "" {
			errs = append(errs, fmt.Errorf("%svariable %q: name %s", prefix, name, why))
		}
		if why := checkValue(v[name]); why != "" {
			errs = append(errs, fmt.Errorf("%svariable %q: value %s", prefix, name, why))
		}
	}
	return errors.Join(errs...)
}

// Merge returns a new map holding v's variables overridden by over's, as
// a canary's variables override its stage's. It returns nil when both are
// empty. Neither v nor over is modified.
func (v Variables) Merge(over Variables) Variables {
	if len(v) == 0 && len(over) == 0 {
		return nil
	}
	m := make(Variables, len(v)+len(over))
	maps.Copy(m, v)
	maps.Copy(m, over)
	return m
}

// checkName returns why name is not a valid variable name, or "".
func checkName(name string) string {
	switch {
	case name == "":
		return "is empty"
	case len(name) > maxVarNameLen:
		return fmt.Sprintf("is %d characters; the limit is %d", len(name), maxVarNameLen)
	}
	for i := 0; i < len(name); i++ {
		if !isNameByte(name[i]) {
			return badChar(name, i, "A-Z a-z 0-9 _")
		}
	}
	return ""
}

// checkValue returns why value is not a valid variable value, or "".
func checkValue(value string) string {
	switch {
	case value == "":
		return "is empty"
	case len(value) > maxVarValueLen:
		// Every allowed character is one byte, so the byte length is
		// the character count of any value that could be valid.
		return fmt.Sprintf("is %d bytes; the limit is %d characters", len(value), maxVarValueLen)
	}
	for i := 0; i < len(value); i++ {
		if !isValueByte(value[i]) {
			return badChar(value, i, "A-Z a-z 0-9 -._~:/?#&=,")
		}
	}
	return ""
}

// badChar describes the invalid character at byte offset i of s.
func badChar(s string, i int, allowed string) string {
	r, _ := utf8.DecodeRuneInString(s[i:])
	return fmt.Sprintf("has invalid character %q at offset %d; allowed: %s", r, i, allowed)
}

// isNameByte reports whether c may appear in a variable name.
func isNameByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_'
}

// isValueByte reports whether c may appear in a variable value.
func isValueByte(c byte) bool {
	if isNameByte(c) {
		return true
	}
	switch c {
	case '-', '.', '~', ':', '/', '?', '#', '&', '=', ',':
		return true
	}
	return false
}
