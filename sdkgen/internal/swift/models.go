package swift

import (
	"strings"

	"github.com/gatekit/gatekit/sdkgen/internal/apple"
)

// modelsFile returns Models.swift: a Codable struct per model, and
// JSONValue when some type is any JSON value; nil when there is neither.
func (g *generator) modelsFile() []byte {
	if len(g.api.Models) == 0 && !g.usesJSON {
		return nil
	}
	var w apple.Writer
	w.Line("import Foundation")
	for _, m := range g.api.Models {
		name := g.models[m.Name]
		props := g.fields[m.Name]
		w.Line("")
		w.ModelDoc(&m, name)
		w.Line("public struct %s: Codable, Hashable, Sendable {", name)
		var params []string
		renamed := false
		for i, f := range m.Fields {
			t := g.swiftType(f.Type)
			if !f.Required {
				t += "?"
			}
			doc := f.Doc
			if doc == "" && f.Type.Format == "date-time" {
				doc = "An RFC 3339 date-time."
			}
			w.Doc("    ", doc)
			w.Line("    public var %s: %s", props[i], t)
			p := props[i] + ": " + t
			if !f.Required {
				p += " = nil"
			}
			params = append(params, p)
			renamed = renamed || props[i] != f.Name
		}
		if len(m.Fields) > 0 {
			w.Line("")
		}
		if len(props) == 0 {
			w.Line("    public init() {}")
		} else {
			w.Line("    public init(%s) {", strings.Join(params, ", "))
			for _, p := range props {
				w.Line("        self.%s = %s", p, p)
			}
			w.Line("    }")
		}
		if renamed {
			w.Line("")
			w.Line("    enum CodingKeys: String, CodingKey {")
			for i, f := range m.Fields {
				if props[i] == f.Name {
					w.Line("        case %s", props[i])
				} else {
					w.Line("        case %s = %s", props[i], quote(f.Name))
				}
			}
			w.Line("    }")
		}
		w.Line("}")
	}
	if g.usesJSON {
		w.Line("")
		w.WriteString(jsonValueCode)
	}
	return w.Bytes()
}

// jsonValueCode declares JSONValue, the type of values without a schema.
const jsonValueCode = `/// JSONValue is any JSON value: the type of values the API does not
/// describe with a schema.
public enum JSONValue: Codable, Hashable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null:
            try container.encodeNil()
        case .bool(let value):
            try container.encode(value)
        case .number(let value):
            try container.encode(value)
        case .string(let value):
            try container.encode(value)
        case .array(let value):
            try container.encode(value)
        case .object(let value):
            try container.encode(value)
        }
    }

    /// The member named key, when this is an object that has one.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let object) = self else { return nil }
        return object[key]
    }

    /// The element at index, when this is an array that long.
    public subscript(index: Int) -> JSONValue? {
        guard case .array(let array) = self, array.indices.contains(index) else { return nil }
        return array[index]
    }

    /// The string, when this is one.
    public var stringValue: String? {
        guard case .string(let value) = self else { return nil }
        return value
    }

    /// The number, when this is one.
    public var doubleValue: Double? {
        guard case .number(let value) = self else { return nil }
        return value
    }

    /// The Boolean, when this is one.
    public var boolValue: Bool? {
        guard case .bool(let value) = self else { return nil }
        return value
    }
}
`
