package spec

import (
	"bytes"
	"fmt"
	"text/template"
)

// Render executes templates of t with data into f: tmpls maps the path
// of each file to the name of its template. lang names the language in
// errors.
func (f Files) Render(lang string, t *template.Template, data any, tmpls map[string]string) error {
	for name, tmpl := range tmpls {
		var b bytes.Buffer
		if err := t.ExecuteTemplate(&b, tmpl, data); err != nil {
			return fmt.Errorf("sdkgen: %s: %s: %w", lang, name, err)
		}
		f[name] = b.Bytes()
	}
	return nil
}
