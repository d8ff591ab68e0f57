package sdkgen

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/gatekit/gatekit/gateway"
	"github.com/gatekit/gatekit/sdkgen/openapi"
)

// GenerateStage generates the SDK for what a stage of gw serves: it
// exports the stage (see [openapi.Export]) with serverURL as where
// clients reach the gateway, then generates from the document.
func GenerateStage(gw *gateway.Gateway, apiName, stageName, serverURL string, lang Language, opts Options) (fs.FS, error) {
	doc, err := openapi.Export(gw, apiName, stageName, openapi.ExportOptions{ServerURL: serverURL})
	if err != nil {
		return nil, err
	}
	return Generate(doc, lang, opts)
}

// zipTime is the time of every file in an archive: the zip format's
// first day.
var zipTime = time.Date(1980, time.January, 1, 0, 0, 0, 0, time.UTC)

// Zip writes the files of fsys to w as a zip archive, each under the
// directory prefix (none if empty).
func Zip(w io.Writer, fsys fs.FS, prefix string) error {
	zw := zip.NewWriter(w)
	err := fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(fsys, path)
		if err != nil {
			return err
		}
		name := path
		if prefix != "" {
			name = prefix + "/" + path
		}
		// A fixed time, so that one SDK is always the same archive.
		h := &zip.FileHeader{Name: name, Method: zip.Deflate, Modified: zipTime}
		h.SetMode(0o644)
		f, err := zw.CreateHeader(h)
		if err != nil {
			return err
		}
		_, err = f.Write(data)
		return err
	})
	if err != nil {
		return fmt.Errorf("sdkgen: zip: %w", err)
	}
	return zw.Close()
}

// HandlerOptions configure [Handler].
type HandlerOptions struct {
	// ServerURL is where clients reach the gateway
	// ("https://api.example.com"): generated SDKs call it by default, and
	// exported documents name it as their server. If empty, the scheme
	// and host the request to the handler came with.
	ServerURL string
}

// Handler serves the SDKs and the OpenAPI documents of gw's API stages,
// as the managed service's get-sdk and get-export do:
//
//	GET {prefix}/apis/{api}/stages/{stage}/sdks/{language}[?package=…]
//	GET {prefix}/apis/{api}/stages/{stage}/exports/openapi.json[?extensions=aws]
//	GET {prefix}/apis/{api}/stages/{stage}/exports/openapi.yaml[?extensions=aws]
//	GET {prefix}/languages
//
// An SDK comes as a zip archive ({api}-{stage}-{language}.zip, its files
// under one directory). Mount it with http.StripPrefix where only those
// who may see the APIs' contracts reach it: behind an authorizer, as the
// console. Errors are JSON {"message": …}: 404 for an unknown API, stage
// or language, 405 for a method other than GET or HEAD.
func Handler(gw *gateway.Gateway, opts HandlerOptions) http.Handler {
	mux := http.NewServeMux()
	h := &handler{gw: gw, opts: opts}
	mux.HandleFunc("GET /apis/{api}/stages/{stage}/sdks/{language}", h.sdk)
	mux.HandleFunc("GET /apis/{api}/stages/{stage}/exports/{file}", h.export)
	mux.HandleFunc("GET /languages", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, Languages())
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			writeError(w, http.StatusMethodNotAllowed, "Method Not Allowed")
			return
		}
		if _, pattern := mux.Handler(r); pattern == "" {
			writeError(w, http.StatusNotFound, "Not Found")
			return
		}
		mux.ServeHTTP(w, r)
	})
}

type handler struct {
	gw   *gateway.Gateway
	opts HandlerOptions
}

func (h *handler) serverURL(r *http.Request) string {
	if h.opts.ServerURL != "" {
		return h.opts.ServerURL
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// stageDoc exports the request's stage, or answers 404.
func (h *handler) stageDoc(w http.ResponseWriter, r *http.Request, aws bool) *openapi3.T {
	api, stage := r.PathValue("api"), r.PathValue("stage")
	if _, err := h.gw.GetStage(api, stage); err != nil {
		writeError(w, http.StatusNotFound, fmt.Sprintf("no stage %q of API %q", stage, api))
		return nil
	}
	doc, err := openapi.Export(h.gw, api, stage, openapi.ExportOptions{ServerURL: h.serverURL(r), AWS: aws})
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return nil
	}
	return doc
}

func (h *handler) sdk(w http.ResponseWriter, r *http.Request) {
	lang := Language(r.PathValue("language"))
	if generators[lang] == nil {
		writeError(w, http.StatusNotFound, fmt.Sprintf("no SDK language %q (have %v)", lang, Languages()))
		return
	}
	doc := h.stageDoc(w, r, false)
	if doc == nil {
		return
	}
	fsys, err := Generate(doc, lang, Options{Package: r.URL.Query().Get("package")})
	if err != nil {
		// The API's contract cannot be written in the language (a
		// name clash): the caller's request was fine.
		writeError(w, http.StatusUnprocessableEntity, err.Error())
		return
	}
	name := strings.Trim(fileName(r.PathValue("api"))+"-"+fileName(r.PathValue("stage"))+"-"+string(lang), "-")
	var buf bytes.Buffer
	if err := Zip(&buf, fsys, name); err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.zip"`)
	_, _ = w.Write(buf.Bytes())
}

// fileName keeps the letters, digits, '-' and '_' of s.
func fileName(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return -1
	}, s)
}

func (h *handler) export(w http.ResponseWriter, r *http.Request) {
	var marshal func(*openapi3.T) ([]byte, error)
	var contentType string
	switch r.PathValue("file") {
	case "openapi.json":
		marshal, contentType = openapi.MarshalJSON, "application/json"
	case "openapi.yaml":
		marshal, contentType = openapi.MarshalYAML, "application/yaml"
	default:
		writeError(w, http.StatusNotFound, "exports are openapi.json and openapi.yaml")
		return
	}
	ext := r.URL.Query().Get("extensions")
	if ext != "" && ext != "aws" {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("extensions=%q: the only extensions are aws", ext))
		return
	}
	doc := h.stageDoc(w, r, ext == "aws")
	if doc == nil {
		return
	}
	b, err := marshal(doc)
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	w.Header().Set("Content-Type", contentType)
	_, _ = w.Write(b)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"message": msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"message":"Internal Server Error"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}
