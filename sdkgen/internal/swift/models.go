package swift

import "strings"

// modelsFile returns Models.swift: a Codable struct per model, and
// JSONValue when some type is any JSON value; nil when there is neither.
func (g *generator) modelsFile() []byte {
	if len(g.api.Models) == 0 && !g.usesJSON {
		return nil
	}
	var w writer
	w.line("import Foundation")
	for _, m := range g.api.Models {
		name := g.models[m.Name]
		props := g.fields[m.Name]
		w.line("")
		if m.Doc != "" {
			w.doc("", m.Doc)
		} else {
			w.line("/// %s is the %s model.", name, m.Name)
		}
		w.line("public struct %s: Codable, Hashable, Sendable {", name)
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
			w.doc("    ", doc)
			w.line("    public var %s: %s", props[i], t)
			p := props[i] + ": " + t
			if !f.Required {
				p += " = nil"
			}
			params = append(params, p)
			renamed = renamed || props[i] != f.Name
		}
		if len(m.Fields) > 0 {
			w.line("")
		}
		if len(props) == 0 {
			w.line("    public init() {}")
		} else {
			w.line("    public init(%s) {", strings.Join(params, ", "))
			for _, p := range props {
				w.line("        self.%s = %s", p, p)
			}
			w.line("    }")
		}
		if renamed {
			w.line("")
			w.line("    enum CodingKeys: String, CodingKey {")
			for i, f := range m.Fields {
				if props[i] == f.Name {
					w.line("        case %s", props[i])
				} else {
					w.line("        case %s = %s", props[i], quote(f.Name))
				}
			}
			w.line("    }")
		}
		w.line("}")
	}
	if g.usesJSON {
		w.line("")
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
