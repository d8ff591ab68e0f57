package objc

import (
	"fmt"
	"strings"

	"github.com/gatekit/gatekit/sdkgen/internal/spec"
)

// modelsHeader returns {prefix}Models.h: the model protocol and a class per
// model.
func (g *generator) modelsHeader() []byte {
	var w writer
	p := g.prefix
	w.line("// %sModels.h: the models of the %s API.", p, g.title())
	w.line("")
	w.line("#import <Foundation/Foundation.h>")
	w.line("")
	w.line("NS_ASSUME_NONNULL_BEGIN")
	w.line("")
	for _, m := range g.api.Models {
		w.line("@class %s;", g.models[m.Name])
	}
	if len(g.api.Models) > 0 {
		w.line("")
	}
	w.line("/// %sModel is what every model class conforms to: it converts from and", p)
	w.line("/// to the JSON object (an NSDictionary) that carries the model.")
	w.line("@protocol %sModel <NSObject>", p)
	w.line("")
	w.line("/// Reads the model from a JSON object: nil, with error set, when a")
	w.line("/// required field is missing or a field has the wrong type.")
	w.line("- (nullable instancetype)initWithDictionary:(NSDictionary<NSString *, id> *)dictionary error:(NSError **)error;")
	w.line("")
	w.line("/// Returns the model as a JSON object, without the fields that are nil.")
	w.line("- (NSDictionary<NSString *, id> *)dictionaryRepresentation;")
	w.line("")
	w.line("@end")
	for _, m := range g.api.Models {
		name := g.models[m.Name]
		props := g.fields[m.Name]
		w.line("")
		if m.Doc != "" {
			w.doc("", m.Doc)
		} else {
			w.line("/// %s is the %s model.", name, m.Name)
		}
		if len(m.Fields) == 0 {
			w.line("@interface %s : NSObject <%sModel>", name, p)
		} else {
			w.line("@interface %s : NSObject <%sModel> {", name, p)
			w.line("@private")
			for i, f := range m.Fields {
				w.line("    %s;", decl(g.objcType(f.Type), "_"+props[i]))
			}
			w.line("}")
		}
		w.line("")
		for i, f := range m.Fields {
			doc := strings.TrimSpace(f.Doc)
			if doc == "" {
				doc = "The " + f.Name + " field"
				if f.Type.Format == "date-time" {
					doc += ", an RFC 3339 date-time"
				}
				doc += "."
			}
			if f.Required {
				doc += " Required."
			}
			w.doc("", doc)
			a := attrs(f.Type)
			if !f.Required {
				a += ", nullable"
			}
			w.line("@property (nonatomic, %s) %s;", a, decl(g.objcType(f.Type), props[i]))
		}
		if required := g.requiredInit(m); required != "" {
			w.line("")
			w.line("/// Returns a %s with its required fields.", m.Name)
			w.line("%s;", required)
		}
		w.line("")
		w.line("@end")
	}
	w.line("")
	w.line("NS_ASSUME_NONNULL_END")
	return w.Bytes()
}

// requiredInit returns the declaration of the initializer that takes m's
// required fields, or "" when it has none.
func (g *generator) requiredInit(m spec.Model) string {
	var parts []string
	for i, f := range m.Fields {
		if !f.Required {
			continue
		}
		label := g.fields[m.Name][i]
		if len(parts) == 0 {
			label = "initWith" + strings.ToUpper(label[:1]) + label[1:]
		}
		parts = append(parts, fmt.Sprintf("%s:(%s)%s", label, strings.TrimSpace(g.objcType(f.Type)), argName(f.Name)))
	}
	if len(parts) == 0 {
		return ""
	}
	return "- (instancetype)" + strings.Join(parts, " ")
}

// modelsSource returns {prefix}Models.m.
func (g *generator) modelsSource() []byte {
	var w writer
	p := g.prefix
	w.line("// %sModels.m: the models of the %s API.", p, g.title())
	w.line("")
	w.line("#import \"%sModels.h\"", p)
	w.line("#import \"%sInternal.h\"", p)
	for _, m := range g.api.Models {
		name := g.models[m.Name]
		props := g.fields[m.Name]
		w.line("")
		w.line("@implementation %s", name)
		w.line("")
		for _, prop := range props {
			w.line("@synthesize %s = _%s;", prop, prop)
		}
		if len(props) > 0 {
			w.line("")
		}
		if required := g.requiredInit(m); required != "" {
			w.line("%s {", required)
			w.line("    self = [super init];")
			w.line("    if (self != nil) {")
			for i, f := range m.Fields {
				if f.Required {
					w.line("        self.%s = %s;", props[i], argName(f.Name))
				}
			}
			w.line("    }")
			w.line("    return self;")
			w.line("}")
			w.line("")
		}
		w.line("- (instancetype)initWithDictionary:(NSDictionary<NSString *, id> *)dictionary error:(NSError **)error {")
		w.line("    self = [super init];")
		w.line("    if (self == nil) {")
		w.line("        return nil;")
		w.line("    }")
		if len(m.Fields) > 0 {
			w.line("    id value = nil;")
		}
		for i, f := range m.Fields {
			yes := map[bool]string{true: "YES", false: "NO"}[f.Required]
			w.line("    if (!%sReadField(dictionary, %s, %s, %s, %s, &value, error)) {",
				p, quote(f.Name), quote(g.jsonType(f.Type)), yes, quote(m.Name))
			w.line("        return nil;")
			w.line("    }")
			w.line("    self.%s = value;", props[i])
		}
		w.line("    return self;")
		w.line("}")
		w.line("")
		w.line("- (NSDictionary<NSString *, id> *)dictionaryRepresentation {")
		w.line("    NSMutableDictionary<NSString *, id> *dictionary = [NSMutableDictionary dictionary];")
		for i, f := range m.Fields {
			w.line("    %sWriteField(dictionary, %s, self.%s);", p, quote(f.Name), props[i])
		}
		w.line("    return dictionary;")
		w.line("}")
		w.line("")
		w.line("- (NSString *)description {")
		w.WriteString("    return [NSString stringWithFormat:@\"<%@ %@>\", NSStringFromClass([self class]), [self dictionaryRepresentation]];\n")
		w.line("}")
		w.line("")
		w.line("@end")
	}
	return w.Bytes()
}
