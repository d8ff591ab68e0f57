package sdkgen

import "testing"

// BenchmarkGenerate measures generating each language's SDK from an
// exported document: what Handler does for each download.
func BenchmarkGenerate(b *testing.B) {
	doc := pets(b)
	for _, lang := range Languages() {
		b.Run(string(lang), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Generate(doc, lang, Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
