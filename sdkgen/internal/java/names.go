package java

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/gatekit/gatekit/sdkgen/internal/spec"
)

// keywords are Java's reserved words and literals, and the contextual
// keywords that cannot name everything ("var", "record" ...).
var keywords = spec.Reserved(`
	abstract assert boolean break byte case catch char class const continue
	default do double else enum extends final finally float for goto if
	implements import instanceof int interface long native new package
	private protected public return short static strictfp super switch
	synchronized this throw throws transient try void volatile while
	true false null var yield record sealed permits`)

// objectMethods are java.lang.Object's methods: a generated method of the
// same name would override or clash with one.
const objectMethods = "getClass hashCode equals toString notify notifyAll wait clone finalize"

// memberReserved are what a client method or an options method may not be
// called: the client's own methods too.
var memberReserved = spec.Reserved(strings.Join(keysOf(keywords), " ") + " " + objectMethods +
	" builder execute send")

// paramReserved are what a parameter may not be called: the other
// parameters and locals of a client method.
var paramReserved = spec.Reserved(strings.Join(keysOf(keywords), " ") + " request options body method")

// javaLangAndImports are the classes the generated sources use by simple
// name: java.lang's and the imported ones. A class of the SDK's package
// with one of these names would hide or clash with it.
const javaLangAndImports = `
	Object String Long Integer Double Float Short Byte Character Boolean
	Number Math StrictMath System Thread Runnable Iterable Comparable
	CharSequence StringBuilder StringBuffer Class ClassLoader Enum Record
	Void Override Deprecated SuppressWarnings SafeVarargs FunctionalInterface
	Throwable Exception Error RuntimeException IllegalArgumentException
	IllegalStateException NullPointerException ClassCastException
	NumberFormatException UnsupportedOperationException
	IndexOutOfBoundsException ArithmeticException InterruptedException
	AssertionError AutoCloseable Cloneable Process Runtime Module Package
	List Map LinkedHashMap ArrayList Arrays Collections Objects Locale Date
	TimeZone SimpleDateFormat IOException InterruptedIOException InputStream
	OutputStream ByteArrayOutputStream URI URL URLDecoder
	UnsupportedEncodingException HttpURLConnection HttpClient HttpRequest
	HttpResponse Duration StandardCharsets MessageDigest Mac SecretKeySpec
	GeneralSecurityException`

// typeReserved are what a model or options class may not be called: the
// keywords, the classes the sources use, and the SDK's own classes
// (nested ones too: a model called Builder would be hidden in the client).
func typeReserved(client, exception string) map[string]bool {
	return spec.Reserved(strings.Join(keysOf(keywords), " ") + javaLangAndImports +
		" Json SigV4 Builder Request " + client + " " + exception)
}

func keysOf(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// The identifiers of the SDK: each makes a name of the spec a Java one.
// An empty result means the name has no letters or digits.
func (g *gen) typeIdent(name string) string { return ident(spec.Pascal(name), g.typeRes) }

func methodIdent(name string) string { return ident(spec.Camel(name), memberReserved) }

func paramIdent(name string) string { return ident(spec.Camel(name), paramReserved) }

func fieldIdent(name string) string { return ident(spec.Camel(name), keywords) }

func optionsName(op *spec.Operation) string { return op.Name + "Options" }

func ident(name string, reserved map[string]bool) string {
	if name == "" {
		return ""
	}
	return spec.Ident(name, "_", reserved)
}

// noName is the error of a name, what, that makes no Java identifier.
func noName(what string) error {
	return fmt.Errorf("sdkgen: java: %s makes no Java name: it needs a letter or a digit", what)
}

// names checks that every name of the API makes a distinct Java
// identifier, and records the models' class names.
func (g *gen) names() error {
	var models []string
	for _, m := range g.api.Models {
		models = append(models, m.Name)
		id := g.typeIdent(m.Name)
		if id == "" {
			return noName(fmt.Sprintf("model %q", m.Name))
		}
		g.types[m.Name] = id
		var fields []string
		for _, f := range m.Fields {
			if fieldIdent(f.Name) == "" {
				return noName(fmt.Sprintf("model %s: field %q", m.Name, f.Name))
			}
			fields = append(fields, f.Name)
		}
		if err := spec.Distinct("java", "model "+m.Name+": fields", fields, fieldIdent); err != nil {
			return err
		}
	}
	if err := spec.Distinct("java", "models", models, g.typeIdent); err != nil {
		return err
	}
	var ops []string
	classes := map[string]string{} // class → what it is
	for _, m := range g.api.Models {
		classes[g.types[m.Name]] = fmt.Sprintf("model %q", m.Name)
	}
	for i := range g.api.Operations {
		op := &g.api.Operations[i]
		ops = append(ops, op.Name)
		if methodIdent(op.Name) == "" {
			return noName(fmt.Sprintf("operation %q", op.Name))
		}
		var params []string
		for _, p := range op.Params {
			if paramIdent(p.Name) == "" {
				return noName(fmt.Sprintf("operation %s: parameter %q", op.Name, p.Name))
			}
			params = append(params, p.Name)
		}
		if err := spec.Distinct("java", "operation "+op.Name+": parameters", params, paramIdent); err != nil {
			return err
		}
		if len(op.OptionalParams()) > 0 {
			id := g.typeIdent(optionsName(op))
			what := fmt.Sprintf("the options of operation %s", op.Name)
			if prev, ok := classes[id]; ok {
				return fmt.Errorf("sdkgen: java: %s and %s are both %q in java", prev, what, id)
			}
			classes[id] = what
		}
	}
	return spec.Distinct("java", "operations", ops, methodIdent)
}

// javaString is s as a Java string literal. Non-ASCII characters are
// \u escapes and control characters octal ones, so that no character of
// s can end the literal or the line early.
func javaString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\%03o`, r)
		case r < utf8.RuneSelf:
			b.WriteRune(r)
		case r > 0xffff:
			for _, u := range utf16(r) {
				fmt.Fprintf(&b, `\u%04x`, u)
			}
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func utf16(r rune) [2]rune {
	r -= 0x10000
	return [2]rune{0xd800 + r>>10, 0xdc00 + r&0x3ff}
}
