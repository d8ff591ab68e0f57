// Package route parses route keys and finds the route for a request, the
// way the routes of a managed HTTP API gateway work.
//
// # Route keys
//
// A route key is a method and a path template separated by one space, or
// the catch-all "$default":
//
//	GET /pets
//	GET /pets/{id}
//	ANY /files/{proxy+}
//	$default
//
// The method is GET, POST, PUT, DELETE, PATCH, HEAD, OPTIONS or ANY, in
// upper case. ANY matches every request method, including ones that no
// route key can name. HEAD is a method of its own: a GET route does not
// answer HEAD requests.
//
// The path template starts with '/' and has no empty segment, no trailing
// '/' (except the root path "/"), no "." or ".." segment, and no '%', '?',
// '#', whitespace or control character. Each segment is either literal
// text or a whole parameter:
//
//   - {name} matches exactly one non-empty segment;
//   - {name+}, a greedy parameter, matches one or more segments, and may
//     only be the last segment.
//
// Names match [A-Za-z0-9._-]+, and one name may not appear twice in a
// path. A key has at most [MaxParams] parameters. Segments that mix text
// and a parameter, such as "{id}.json", are not supported.
//
// Literal segments are compared with the canonical escaped request path
// (see package urlpath), in which every byte other than the RFC 3986
// path characters (letters, digits, "-._~!$&'()*+,;=:@") is escaped. A
// literal holding any other byte could never match, so [ParseKey] rejects
// it.
//
// # Which route matches
//
// [Table.Match] takes a canonical escaped path and picks the most specific
// route, whatever the order in which routes were added:
//
//   - Segments are compared from the left. At each segment a literal beats
//     {param}, which beats {proxy+}.
//   - At the path position reached, a route for the request's method beats
//     an ANY route.
//   - If that position has neither, the search backs up and tries the next
//     less specific branch. With the routes "POST /pets/{id}" and
//     "GET /{proxy+}", a GET of /pets/1 matches "GET /{proxy+}".
//   - "$default" matches, with any method, when no other route does.
//
// A trailing slash on the request path is ignored, except by a greedy
// parameter: /pets/ matches "GET /pets". The root path / matches only the
// route "/" (or $default). A greedy parameter needs at least one segment:
// "GET /pets/{proxy+}" matches neither /pets nor /pets/, and "/{proxy+}"
// does not match /.
//
// The search is depth first in a tree of path positions. Backtracking
// never visits a position twice, so no path, however crafted, makes a
// match cost more than one walk over the table.
//
// # Parameters
//
// Match fills a [Params] with the parameters of the route that matched,
// named as in that route's key: the routes "GET /pets/{id}" and
// "POST /pets/{petId}" can coexist, and each reports its own name. A value
// is the escaped text of the path it matched, a substring of the request
// path: "1" for {id} and /pets/1; "a/b" — or "a/b/", with its trailing
// slash — for {proxy+} and /files/a/b. Match allocates nothing, on a hit
// or a miss.
//
// # Duplicates
//
// Two routes with the same method and the same path shape — the same path
// with parameter names ignored, such as "GET /pets/{id}" and
// "GET /pets/{name}" — would match the same requests, so [Table.Add]
// rejects the second. So does a second "$default".
package route
