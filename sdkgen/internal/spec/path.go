package spec

import (
	"fmt"
	"strings"
)

// PathPart is a piece of an operation's path template: literal Text, or,
// when Param is not -1, the path parameter at index Param of the
// operation's Params; Plus says the template wrote it {name+}.
type PathPart struct {
	Text  string
	Param int
	Plus  bool
}

// PathError says why PathParts cannot split a path template: it has an
// unclosed {, or (Param is not "") a {Param} that names no path parameter
// of the operation.
type PathError struct {
	Path, Param string
}

// Error says what is wrong with the path.
func (e *PathError) Error() string {
	if e.Param == "" {
		return fmt.Sprintf("path %q has an unclosed {", e.Path)
	}
	return fmt.Sprintf("path %q: no path parameter %q", e.Path, e.Param)
}

// PathParts splits op's path template into literal text and its
// parameters, in order. The error is a *PathError.
func (op *Operation) PathParts() ([]PathPart, error) {
	var parts []PathPart
	rest := op.Path
	for rest != "" {
		open := strings.IndexByte(rest, '{')
		if open < 0 {
			parts = append(parts, PathPart{Text: rest, Param: -1})
			break
		}
		end := strings.IndexByte(rest[open:], '}')
		if end < 0 {
			return nil, &PathError{Path: op.Path}
		}
		if open > 0 {
			parts = append(parts, PathPart{Text: rest[:open], Param: -1})
		}
		name := rest[open+1 : open+end]
		plus := strings.HasSuffix(name, "+")
		name = strings.TrimSuffix(name, "+")
		param := -1
		for i, p := range op.Params {
			if p.In == InPath && p.Name == name {
				param = i
			}
		}
		if param < 0 {
			return nil, &PathError{Path: op.Path, Param: name}
		}
		parts = append(parts, PathPart{Param: param, Plus: plus})
		rest = rest[open+end+1:]
	}
	return parts, nil
}
