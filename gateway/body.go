package gateway

import (
	"errors"
	"io"
	"net/http"
	"sync"
)

// prereadSize bounds the first read of a request body, which the HTTP
// proxy makes before it contacts the backend: a body whose start is
// malformed (a bad chunk header), too large or cut short is refused without
// the backend seeing anything, and a body that arrives whole in that read
// is sent with a Content-Length. It is a single read, so a client that
// streams its body slowly is not held back.
const prereadSize = 64 << 10

var prereadBuffers = sync.Pool{New: func() any { b := make([]byte, prereadSize); return &b }}

// bodyError records why reading a request body failed, for the answer the
// gateway gives.
type bodyError struct{ err error }

// prereadBody makes the first read of r's body, replacing r.Body with a reader
// that replays it. It answers the request itself and reports false when
// the body cannot be read.
func prereadBody(w http.ResponseWriter, r *http.Request, p *proxyState) bool {
	if r.Body == nil || r.Body == http.NoBody || r.ContentLength == 0 {
		return true
	}
	bp := prereadBuffers.Get().(*[]byte)
	defer prereadBuffers.Put(bp)
	buf := *bp
	n, err := r.Body.Read(buf)
	if err != nil && err != io.EOF {
		writeBodyError(w, r, err)
		return false
	}
	data := make([]byte, n)
	copy(data, buf[:n])
	if err == io.EOF {
		// The client's chunked framing goes too: a Transport sends a
		// request whose TransferEncoding says chunked as chunked, whatever
		// its ContentLength.
		r.Body, r.ContentLength, r.TransferEncoding = &replayBody{prefix: data}, int64(n), nil
		if n == 0 {
			r.Body = http.NoBody
		}
		return true
	}
	r.Body = &replayBody{prefix: data, rest: r.Body, p: p}
	return true
}

// writeBodyError answers a request whose body could not be read.
func writeBodyError(w http.ResponseWriter, r *http.Request, err error) {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		w.Header().Set("Connection", "close")
		WriteError(w, r, &Error{Type: RequestTooLarge, Err: err})
		return
	}
	WriteError(w, r, &Error{Type: BadRequestBody, Err: err})
}

// replayBody reads prefix, then rest, recording a failure of rest in p.
type replayBody struct {
	prefix []byte
	rest   io.ReadCloser
	p      *proxyState
}

func (b *replayBody) Read(p []byte) (int, error) {
	if len(b.prefix) > 0 {
		n := copy(p, b.prefix)
		b.prefix = b.prefix[n:]
		return n, nil
	}
	if b.rest == nil {
		return 0, io.EOF
	}
	n, err := b.rest.Read(p)
	if err != nil && err != io.EOF {
		b.p.bodyErr.Store(&bodyError{err})
	}
	return n, err
}

func (b *replayBody) Close() error {
	if b.rest != nil {
		return b.rest.Close()
	}
	return nil
}
