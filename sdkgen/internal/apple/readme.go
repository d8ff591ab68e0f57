package apple

import (
	"strings"

	"github.com/gatekit/gatekit/sdkgen/internal/spec"
)

// Op is an operation as a generator holds it, with its names.
type Op interface {
	// Spec returns the operation.
	Spec() *spec.Operation
}

// Heading writes the README's title, "# {title} {lang} SDK", and the
// API's description.
func (w *Writer) Heading(api *spec.API, lang string) {
	w.Line("# %s %s SDK", api.TitleOrName(), lang)
	w.Line("")
	if api.Doc != "" {
		w.Line("%s", strings.TrimSpace(api.Doc))
		w.Line("")
	}
}

// VersionNote is " (API version 1.0)", or "" when the API has no
// version.
func VersionNote(api *spec.API) string {
	if api.Version != "" {
		return " (API version " + api.Version + ")"
	}
	return ""
}

// ConfigTable writes the table of the client's configuration: column
// heads its first column ("Field"), endpoint and stage are the defaults,
// and credentials names the type of the SigV4 credentials.
func (w *Writer) ConfigTable(column string, api *spec.API, endpoint, stage, credentials string) {
	w.Line("| %s | Default | Meaning |", column)
	w.Line("| --- | --- | --- |")
	w.Line("| `endpoint` | `%s` | The API's URL, without the stage. |", endpoint)
	w.Line("| `stage` | `%s` | The stage; empty for none. |", stage)
	w.Line("| `apiKey` | nil | Sent as `x-api-key` with every request. |")
	w.Line("| `bearerToken` | nil | Sent as `Authorization: Bearer <token>` to the operations that accept it. |")
	w.Line("| `credentials` | nil | `%s` that SigV4 operations are signed with. |", credentials)
	w.Line("| `region` | `%s` | The region SigV4 signs for. |", api.Region)
	w.Line("| `service` | `%s` | The service SigV4 signs for. |", api.SigV4Service())
}

// AuthSections writes the README's Authentication section: for each kind
// of credentials, a code block in lang of the lines that set them up
// (apiKey, bearer, sigV4) and of call's call of the first of ops that
// sends them, if one does; then how requests are signed.
func AuthSections[O Op](w *Writer, lang string, apiKey, bearer, sigV4 []string, ops []O, call func(O) string) {
	w.Line("## Authentication")
	for _, s := range []struct {
		title string
		setup []string
		sends func(spec.Auth) bool
	}{
		{"API key", apiKey, func(a spec.Auth) bool { return a.APIKey }},
		{"Bearer token", bearer, func(a spec.Auth) bool { return a.Bearer }},
		{"SigV4", sigV4, func(a spec.Auth) bool { return a.SigV4 }},
	} {
		w.Line("")
		w.Line("### %s", s.title)
		w.Line("")
		w.Line("```%s", lang)
		for _, l := range s.setup {
			w.Line("%s", l)
		}
		for _, op := range ops {
			if s.sends(op.Spec().Auth) {
				w.Line("%s", call(op))
				break
			}
		}
		w.Line("```")
	}
	w.Line("")
	w.Line("Requests are signed in the `Authorization` header (host, `x-amz-date` and,")
	w.Line("with a session token, `x-amz-security-token`; the payload's SHA-256).")
}

// Simplest returns the operation of ops with the fewest arguments, as
// arity counts them, among those that need no credentials, for the
// usage examples; the first of ops when all need some; false when there
// are none.
func Simplest[O Op](ops []O, arity func(O) int) (O, bool) {
	var best O
	found := false
	for _, op := range ops {
		if op.Spec().Auth == (spec.Auth{}) && (!found || arity(op) < arity(best)) {
			best, found = op, true
		}
	}
	if !found && len(ops) > 0 {
		return ops[0], true
	}
	return best, found
}

// OperationsTable writes the README's table of ops: each one's HTTP
// method, path and method, as name gives it, in a column headed column.
func OperationsTable[O Op](w *Writer, column string, ops []O, name func(O) string) {
	w.Line("## Operations")
	w.Line("")
	w.Line("| Method | Path | %s |", column)
	w.Line("| --- | --- | --- |")
	for _, op := range ops {
		w.Line("| %s | `%s` | `%s` |", op.Spec().Method, op.Spec().Path, name(op))
	}
}
