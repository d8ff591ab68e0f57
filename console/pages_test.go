package console

import (
	"encoding/json"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"path"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gatekit/gatekit/gateway"
)

func get(t *testing.T, h http.Handler, target string, header http.Header) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest("GET", target, nil)
	for k, vs := range header {
		r.Header[k] = vs
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func wantPageHeaders(t *testing.T, w *httptest.ResponseRecorder, ctype string) {
	t.Helper()
	if got := w.Header().Get("Content-Type"); got != ctype {
		t.Errorf("Content-Type %q, want %q", got, ctype)
	}
	if got := w.Header().Get("Content-Security-Policy"); !strings.Contains(got, "default-src 'self'") {
		t.Errorf("Content-Security-Policy %q, want default-src 'self'", got)
	}
	if got := w.Header().Get("X-Content-Type-Options"); got != "nosniff" {
		t.Errorf("X-Content-Type-Options %q, want nosniff", got)
	}
}

func TestPage(t *testing.T) {
	gw := gateway.New()
	t.Cleanup(func() { _ = gw.Close() })
	h := Handler(gw)

	w := get(t, h, "/", nil)
	if w.Code != 200 {
		t.Fatalf("GET /: %d", w.Code)
	}
	wantPageHeaders(t, w, "text/html; charset=utf-8")
	page := w.Body.String()
	if !strings.Contains(page, `<script type="module" src="assets/app.js">`) {
		t.Error("the page does not load assets/app.js")
	}
	// Every URL in the page is relative, and names a file that is served.
	refs := regexp.MustCompile(`(?:src|href)="([^"#]*)"`).FindAllStringSubmatch(page, -1)
	if len(refs) < 3 {
		t.Fatalf("found %d URLs in the page, want its icon, style sheet and script", len(refs))
	}
	for _, m := range refs {
		ref := m[1]
		if strings.HasPrefix(ref, "/") || strings.Contains(ref, ":") {
			t.Errorf("%q is not a relative URL", ref)
			continue
		}
		if w := get(t, h, "/"+ref, nil); w.Code != 200 {
			t.Errorf("GET /%s: %d", ref, w.Code)
		}
	}
	// JavaScript modules import each other relatively too.
	imports := regexp.MustCompile(`(?m)^import .* from '([^']+)';$`)
	err := fs.WalkDir(web, "web/assets", func(name string, d fs.DirEntry, err error) error {
		if path.Ext(name) != ".js" {
			return err
		}
		b, _ := fs.ReadFile(web, name)
		for _, m := range imports.FindAllStringSubmatch(string(b), -1) {
			if _, err := fs.Stat(web, path.Join(path.Dir(name), m[1])); !strings.HasPrefix(m[1], "./") || err != nil {
				t.Errorf("%s imports %q: want a file beside it", name, m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	// Revalidation.
	if w2 := get(t, h, "/", http.Header{"If-None-Match": {w.Header().Get("ETag")}}); w.Header().Get("ETag") == "" || w2.Code != http.StatusNotModified {
		t.Errorf("GET / again with its ETag %q: %d, want 304", w.Header().Get("ETag"), w2.Code)
	}
}

func TestPageMounted(t *testing.T) {
	gw := gateway.New()
	t.Cleanup(func() { _ = gw.Close() })
	c := gateway.Handler(Handler(gw))
	if err := gw.Mount("/admin/console", &gateway.API{Name: "console", Routes: []gateway.Route{
		{Key: "ANY /", Integration: c},
		{Key: "ANY /{proxy+}", Integration: c},
	}}); err != nil {
		t.Fatal(err)
	}
	// Relative URLs need the trailing slash.
	if w := get(t, gw, "/admin/console", nil); w.Code != http.StatusMovedPermanently || w.Header().Get("Location") != "console/" {
		t.Errorf("GET /admin/console: %d to %q, want 301 to console/ (/admin/console/)", w.Code, w.Header().Get("Location"))
	}
	for _, p := range []string{"/admin/console/", "/admin/console/?x=1", "/admin/console/assets/app.js"} {
		if w := get(t, gw, p, nil); w.Code != 200 {
			t.Errorf("GET %s: %d", p, w.Code)
		}
	}
}

func TestAssets(t *testing.T) {
	gw := gateway.New()
	t.Cleanup(func() { _ = gw.Close() })
	h := Handler(gw)
	want := map[string]string{
		".js":  "text/javascript; charset=utf-8",
		".css": "text/css; charset=utf-8",
		".svg": "image/svg+xml",
	}
	// The SVG namespace is a name that no browser fetches.
	url := regexp.MustCompile(`(?i)https?://[^\s"'<>)]*`)
	n := 0
	err := fs.WalkDir(web, "web", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(web, name)
		if err != nil {
			return err
		}
		for _, u := range url.FindAllString(string(b), -1) {
			if u != "http://www.w3.org/2000/svg" {
				t.Errorf("%s refers to %s: the console loads nothing from elsewhere", name, u)
			}
		}
		asset, ok := strings.CutPrefix(name, "web/assets/")
		if !ok {
			return nil
		}
		n++
		w := get(t, h, "/assets/"+asset, nil)
		if w.Code != 200 || w.Body.String() != string(b) {
			t.Errorf("GET /assets/%s: %d, %d bytes, want 200 and the file's %d", asset, w.Code, w.Body.Len(), len(b))
		}
		if ctype, ok := want[path.Ext(name)]; !ok {
			t.Errorf("%s: no content type expected for %s files", name, path.Ext(name))
		} else {
			wantPageHeaders(t, w, ctype)
		}
		return nil
	})
	if err != nil || n < 5 {
		t.Fatalf("walking the embedded files: %v, %d assets", err, n)
	}

	for _, p := range []string{"/assets/", "/assets/nope.js", "/assets/../pages.go", "/index.html", "/nothing"} {
		if w := get(t, h, p, nil); w.Code/100 != 4 && w.Code/100 != 3 {
			t.Errorf("GET %s: %d, want 404 (or a redirect)", p, w.Code)
		}
	}
}

func TestStatsAPI(t *testing.T) {
	t.Run("without WithStats", func(t *testing.T) {
		gw := gateway.New()
		t.Cleanup(func() { _ = gw.Close() })
		w := get(t, Handler(gw), "/api/stats", nil)
		var got map[string]any
		if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil || w.Code != 200 {
			t.Fatalf("GET /api/stats: %d %v %s", w.Code, err, w.Body)
		}
		if routes, ok := got["Routes"].([]any); got["Enabled"] != false || !ok || len(routes) != 0 {
			t.Errorf("GET /api/stats: %s, want Enabled false and Routes []", w.Body)
		}
	})

	t.Run("with WithStats", func(t *testing.T) {
		gw := gateway.New(gateway.WithStats())
		t.Cleanup(func() { _ = gw.Close() })
		if err := gw.Mount("/", &gateway.API{Name: "pets", Routes: []gateway.Route{
			{Key: "GET /pets", Integration: &gateway.Mock{Body: "[]"}},
			{Key: "GET /fail", Integration: &gateway.Mock{Status: 503}},
		}}); err != nil {
			t.Fatal(err)
		}
		h := Handler(gw)

		var empty struct {
			Enabled bool
			Routes  []gateway.RouteStats
		}
		w := get(t, h, "/api/stats", nil)
		if err := json.Unmarshal(w.Body.Bytes(), &empty); err != nil || !empty.Enabled || empty.Routes == nil || len(empty.Routes) != 0 {
			t.Errorf("before any request: %s, want Enabled and Routes []", w.Body)
		}

		for _, p := range []string{"/pets", "/pets", "/fail"} {
			get(t, gw, p, nil)
		}
		var got struct {
			Enabled bool
			Routes  []gateway.RouteStats
		}
		w = get(t, h, "/api/stats", nil)
		if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil || w.Code != 200 || !got.Enabled || len(got.Routes) != 2 {
			t.Fatalf("GET /api/stats: %d %v %s", w.Code, err, w.Body)
		}
		fail, pets := got.Routes[0], got.Routes[1]
		if pets.API != "pets" || pets.Stage != "$default" || pets.Route != "GET /pets" || pets.Total.Count != 2 ||
			len(pets.Minutes) != 1 || pets.Minutes[0].Count != 2 || time.Since(pets.Minutes[0].Start) > 2*time.Minute {
			t.Errorf("GET /pets: %+v", pets)
		}
		if fail.Route != "GET /fail" || fail.Total.Count != 1 || fail.Total.Errors5XX != 1 {
			t.Errorf("GET /fail: %+v", fail)
		}
		// The shape the pages read.
		var raw struct{ Routes []map[string]json.RawMessage }
		if err := json.Unmarshal(w.Body.Bytes(), &raw); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"API", "Stage", "Route", "Total", "Minutes"} {
			if _, ok := raw.Routes[0][k]; !ok {
				t.Errorf("a route has no %q: %s", k, w.Body)
			}
		}
	})
}
