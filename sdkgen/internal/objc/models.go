package objc

import (
	"fmt"
	"strings"

	"github.com/gatekit/gatekit/sdkgen/internal/apple"
	"github.com/gatekit/gatekit/sdkgen/internal/spec"
)

// modelsHeader returns {prefix}Models.h: the model protocol and a class per
// model.
func (g *generator) modelsHeader() []byte {
	var w apple.Writer
	p := g.prefix
	w.Line("// %sModels.h: the models of the %s API.", p, g.api.TitleOrName())
	w.Line("")
	w.Line("#import <Foundation/Foundation.h>")
	w.Line("")
	w.Line("NS_ASSUME_NONNULL_BEGIN")
	w.Line("")
	for _, m := range g.api.Models {
		w.Line("@class %s;", g.models[m.Name])
	}
	if len(g.api.Models) > 0 {
		w.Line("")
	}
	w.Line("/// %sModel is what every model class conforms to: it converts from and", p)
	w.Line("/// to the JSON object (an NSDictionary) that carries the model.")
	w.Line("@protocol %sModel <NSObject>", p)
	w.Line("")
	w.Line("/// Reads the model from a JSON object: nil, with error set, when a")
	w.Line("/// required field is missing or a field has the wrong type.")
	w.Line("- (nullable instancetype)initWithDictionary:(NSDictionary<NSString *, id> *)dictionary error:(NSError **)error;")
	w.Line("")
	w.Line("/// Returns the model as a JSON object, without the fields that are nil.")
	w.Line("- (NSDictionary<NSString *, id> *)dictionaryRepresentation;")
	w.Line("")
	w.Line("@end")
	for _, m := range g.api.Models {
		name := g.models[m.Name]
		props := g.fields[m.Name]
		w.Line("")
		w.ModelDoc(&m, name)
		if len(m.Fields) == 0 {
			w.Line("@interface %s : NSObject <%sModel>", name, p)
		} else {
			w.Line("@interface %s : NSObject <%sModel> {", name, p)
			w.Line("@private")
			for i, f := range m.Fields {
				w.Line("    %s;", decl(g.objcType(f.Type), "_"+props[i]))
			}
			w.Line("}")
		}
		w.Line("")
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
			w.Doc("", doc)
			a := attrs(f.Type)
			if !f.Required {
				a += ", nullable"
			}
			w.Line("@property (nonatomic, %s) %s;", a, decl(g.objcType(f.Type), props[i]))
		}
		if required := g.requiredInit(m); required != "" {
			w.Line("")
			w.Line("/// Returns a %s with its required fields.", m.Name)
			w.Line("%s;", required)
		}
		w.Line("")
		w.Line("@end")
	}
	w.Line("")
	w.Line("NS_ASSUME_NONNULL_END")
	return w.Bytes()
}

// requiredInit returns the declaration of the initializer that takes m's
// required fields, or "" when it has none.
func (g *generator) requiredInit(m spec.Model) string {
	parts := g.initArgs(&m, func(label string, f spec.Field) string {
		return fmt.Sprintf("%s:(%s)%s", label, strings.TrimSpace(g.objcType(f.Type)), argName(f.Name))
	})
	if len(parts) == 0 {
		return ""
	}
	return "- (instancetype)" + strings.Join(parts, " ")
}

// initArgs returns the parts of the selector of the initializer that
// takes m's required fields, made by arg of each field and its label:
// "initWithName" for the first, the property's name for the others.
func (g *generator) initArgs(m *spec.Model, arg func(label string, f spec.Field) string) []string {
	var parts []string
	for i, f := range m.Fields {
		if !f.Required {
			continue
		}
		label := g.fields[m.Name][i]
		if len(parts) == 0 {
			label = "initWith" + strings.ToUpper(label[:1]) + label[1:]
		}
		parts = append(parts, arg(label, f))
	}
	return parts
}

// modelsSource returns {prefix}Models.m.
func (g *generator) modelsSource() []byte {
	var w apple.Writer
	p := g.prefix
	w.Line("// %sModels.m: the models of the %s API.", p, g.api.TitleOrName())
	w.Line("")
	w.Line("#import \"%sModels.h\"", p)
	w.Line("#import \"%sInternal.h\"", p)
	for _, m := range g.api.Models {
		name := g.models[m.Name]
		props := g.fields[m.Name]
		w.Line("")
		w.Line("@implementation %s", name)
		w.Line("")
		for _, prop := range props {
			w.Line("@synthesize %s = _%s;", prop, prop)
		}
		if len(props) > 0 {
			w.Line("")
		}
		if required := g.requiredInit(m); required != "" {
			w.Line("%s {", required)
			w.Line("    self = [super init];")
			w.Line("    if (self != nil) {")
			for i, f := range m.Fields {
				if f.Required {
					w.Line("        self.%s = %s;", props[i], argName(f.Name))
				}
			}
			w.Line("    }")
			w.Line("    return self;")
			w.Line("}")
			w.Line("")
		}
		w.Line("- (instancetype)initWithDictionary:(NSDictionary<NSString *, id> *)dictionary error:(NSError **)error {")
		w.Line("    self = [super init];")
		w.Line("    if (self == nil) {")
		w.Line("        return nil;")
		w.Line("    }")
		if len(m.Fields) > 0 {
			w.Line("    id value = nil;")
		}
		for i, f := range m.Fields {
			yes := map[bool]string{true: "YES", false: "NO"}[f.Required]
			w.Line("    if (!%sReadField(dictionary, %s, %s, %s, %s, &value, error)) {",
				p, quote(f.Name), quote(g.jsonType(f.Type)), yes, quote(m.Name))
			w.Line("        return nil;")
			w.Line("    }")
			w.Line("    self.%s = value;", props[i])
		}
		w.Line("    return self;")
		w.Line("}")
		w.Line("")
		w.Line("- (NSDictionary<NSString *, id> *)dictionaryRepresentation {")
		w.Line("    NSMutableDictionary<NSString *, id> *dictionary = [NSMutableDictionary dictionary];")
		for i, f := range m.Fields {
			w.Line("    %sWriteField(dictionary, %s, self.%s);", p, quote(f.Name), props[i])
		}
		w.Line("    return dictionary;")
		w.Line("}")
		w.Line("")
		w.Line("- (NSString *)description {")
		w.WriteString("    return [NSString stringWithFormat:@\"<%@ %@>\", NSStringFromClass([self class]), [self dictionaryRepresentation]];\n")
		w.Line("}")
		w.Line("")
		w.Line("@end")
	}
	return w.Bytes()
}
