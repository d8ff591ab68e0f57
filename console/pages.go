package console

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"
)

// web holds the pages as they are served: web/index.html and the files
// under web/assets. There is no build step.
//
//go:embed web
var web embed.FS

// contentTypes are the types of the files in web, by extension. A file
// of another kind is not served.
var contentTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".svg":  "image/svg+xml",
}

// csp lets the pages load scripts, styles, images and data from their own
// origin only (so no inline scripts or styles), and no other site frame
// them: the console's buttons deploy.
const csp = "default-src 'self'; frame-ancestors 'none'"

// servePage serves the console's one page. Its URLs are relative, so it
// must be requested with a trailing slash: behind a gateway both
// "/console" and "/console/" arrive here as "/", and the first is
// redirected to the second, relative to the path the client asked for.
func servePage(w http.ResponseWriter, r *http.Request) {
	if u, err := url.ParseRequestURI(r.RequestURI); err == nil && !strings.HasSuffix(u.Path, "/") {
		w.Header().Set("Location", (&url.URL{Path: path.Base(u.Path) + "/"}).String())
		w.WriteHeader(http.StatusMovedPermanently)
		return
	}
	serveFile(w, r, "web/index.html")
}

// serveAsset serves a file under web/assets.
func serveAsset(w http.ResponseWriter, r *http.Request) {
	serveFile(w, r, "web/assets/"+r.PathValue("file"))
}

// serveFile serves the embedded file name, with an ETag so that browsers
// revalidate it cheaply.
func serveFile(w http.ResponseWriter, r *http.Request, name string) {
	ctype, ok := contentTypes[path.Ext(name)]
	b, err := fs.ReadFile(web, name)
	if !ok || err != nil {
		http.NotFound(w, r)
		return
	}
	sum := sha256.Sum256(b)
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Content-Security-Policy", csp)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-cache")
	h.Set("ETag", `"`+base64.RawURLEncoding.EncodeToString(sum[:12])+`"`)
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(b))
}
