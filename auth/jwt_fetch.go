package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// How long a fetched key set is kept, and how long requests fail fast
// after a failed fetch.
const (
	jwksDefaultMaxAge  = time.Hour
	jwksMinMaxAge      = time.Minute
	jwksMaxMaxAge      = 24 * time.Hour
	jwksFailureBackoff = 5 * time.Second
)

// jwksCache fetches an issuer's key set and keeps it; see [JWT] for when.
// It is safe for concurrent use and starts no goroutines: the request
// that needs a fetch runs it, and concurrent ones wait for it.
type jwksCache struct {
	issuer          string
	client          *http.Client
	maxBytes        int64
	refetchInterval time.Duration
	clock           func() time.Time
	dropped         func() // if not nil, called when a fetch drops a key

	mu         sync.Mutex
	url        string      // the key set's; "" until discovered (guarded by mu)
	set        *jwkSet     // nil until a fetch succeeds (guarded by mu)
	staleAt    time.Time   // when set is to be fetched again (guarded by mu)
	retryAt    time.Time   // no fetch before it, after one failed (guarded by mu)
	lastErr    error       // why the last fetch failed (guarded by mu)
	kidFetchAt time.Time   // the last fetch an unknown kid asked for (guarded by mu)
	flight     *jwksFlight // the fetch under way (guarded by mu)
}

// jwksFlight is one fetch, which several requests may wait for.
type jwksFlight struct {
	done chan struct{} // closed when set and err are final
	set  *jwkSet
	err  error
}

// current returns the key set, fetching it first if there is none yet or
// it is stale. A stale set is returned while another request fetches, or
// when the fetch fails.
func (c *jwksCache) current(ctx context.Context) (*jwkSet, error) {
	now := c.clock()
	c.mu.Lock()
	old := c.set
	switch {
	case old != nil && (now.Before(c.staleAt) || c.flight != nil || now.Before(c.retryAt)):
		c.mu.Unlock()
		return old, nil
	case old == nil && c.flight == nil && now.Before(c.retryAt):
		err := c.lastErr
		c.mu.Unlock()
		return nil, err
	}
	f, lead := c.flightLocked()
	c.mu.Unlock()
	set, err := c.wait(ctx, f, lead)
	if err != nil && old != nil {
		return old, nil
	}
	return set, err
}

// refetch fetches the key set again for a token whose kid it lacks,
// unless that was done less than refetchInterval ago; a fetch already
// under way is joined instead.
func (c *jwksCache) refetch(ctx context.Context) (*jwkSet, error) {
	now := c.clock()
	c.mu.Lock()
	if c.flight == nil {
		if next := c.kidFetchAt.Add(c.refetchInterval); !c.kidFetchAt.IsZero() && now.Before(next) {
			c.mu.Unlock()
			return nil, fmt.Errorf("the last refetch was less than %v ago", c.refetchInterval)
		}
		if now.Before(c.retryAt) {
			err := c.lastErr
			c.mu.Unlock()
			return nil, err
		}
		c.kidFetchAt = now
	}
	f, lead := c.flightLocked()
	c.mu.Unlock()
	return c.wait(ctx, f, lead)
}

// flightLocked returns the fetch under way, or a new one that the caller
// leads: it must run it.
func (c *jwksCache) flightLocked() (f *jwksFlight, lead bool) {
	if c.flight != nil {
		return c.flight, false
	}
	c.flight = &jwksFlight{done: make(chan struct{})}
	return c.flight, true
}

// wait runs f if lead, or else waits for it to end or for ctx.
func (c *jwksCache) wait(ctx context.Context, f *jwksFlight, lead bool) (*jwkSet, error) {
	if lead {
		c.run(ctx, f)
		return f.set, f.err
	}
	select {
	case <-f.done:
		return f.set, f.err
	case <-ctx.Done():
		return nil, fmt.Errorf("auth: jwt: waiting for the key set: %w", ctx.Err())
	}
}

// run fetches the key set for f and records the outcome. Others may be
// waiting for it, so it does not stop when ctx is cancelled; the client's
// timeout bounds it.
func (c *jwksCache) run(ctx context.Context, f *jwksFlight) {
	dropped := false
	defer func() {
		if f.set == nil && f.err == nil { // fetch panicked
			f.err = errors.New("auth: jwt: key set fetch panicked")
		}
		now := c.clock()
		c.mu.Lock()
		if f.err != nil {
			c.retryAt, c.lastErr = now.Add(min(jwksFailureBackoff, c.refetchInterval)), f.err
		}
		c.flight = nil
		c.mu.Unlock()
		close(f.done)
		if dropped && c.dropped != nil {
			c.dropped()
		}
	}()

	c.mu.Lock()
	url := c.url
	c.mu.Unlock()
	ctx = context.WithoutCancel(ctx)
	if url == "" {
		if url, f.err = c.discover(ctx); f.err != nil {
			return
		}
		c.mu.Lock()
		c.url = url
		c.mu.Unlock()
	}
	body, h, err := c.get(ctx, url)
	if err != nil {
		f.err = err
		return
	}
	set, err := parseJWKS(body)
	if err != nil {
		f.err = fmt.Errorf("auth: jwt: %s: %w", url, err)
		return
	}
	now := c.clock()
	c.mu.Lock()
	dropped = set.drops(c.set)
	c.set, c.staleAt = set, now.Add(jwksMaxAge(h.Get("Cache-Control")))
	c.retryAt, c.lastErr = time.Time{}, nil
	c.mu.Unlock()
	f.set = set
}

// discover reads the key set's URL from the issuer's OpenID Connect
// discovery document.
func (c *jwksCache) discover(ctx context.Context) (string, error) {
	u := strings.TrimSuffix(c.issuer, "/") + "/.well-known/openid-configuration"
	body, _, err := c.get(ctx, u)
	if err != nil {
		return "", err
	}
	var doc struct {
		Issuer  string `json:"issuer"`
		JWKSURI string `json:"jwks_uri"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return "", fmt.Errorf("auth: jwt: %s: %w", u, err)
	}
	if doc.Issuer != c.issuer {
		return "", fmt.Errorf("auth: jwt: %s: issuer is %q, not %q", u, doc.Issuer, c.issuer)
	}
	if err := jwtCheckURL(doc.JWKSURI); err != nil {
		return "", fmt.Errorf("auth: jwt: %s: jwks_uri: %w", u, err)
	}
	return doc.JWKSURI, nil
}

// get fetches url, which must answer 200 with at most maxBytes.
func (c *jwksCache) get(ctx context.Context, url string) ([]byte, http.Header, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("auth: jwt: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.client.Do(req)
	if err != nil {
		return nil, nil, fmt.Errorf("auth: jwt: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, nil, fmt.Errorf("auth: jwt: GET %s: %s", url, resp.Status)
	}
	if resp.ContentLength > c.maxBytes {
		return nil, nil, fmt.Errorf("auth: jwt: GET %s: %d bytes, more than MaxJWKSBytes (%d)", url, resp.ContentLength, c.maxBytes)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, c.maxBytes+1))
	if err != nil {
		return nil, nil, fmt.Errorf("auth: jwt: GET %s: %w", url, err)
	}
	if int64(len(body)) > c.maxBytes {
		return nil, nil, fmt.Errorf("auth: jwt: GET %s: more than MaxJWKSBytes (%d)", url, c.maxBytes)
	}
	return body, resp.Header, nil
}

// jwksMaxAge is how long to keep a key set given its Cache-Control
// header: its max-age (no-cache and no-store count as 0), held between
// jwksMinMaxAge and jwksMaxMaxAge.
func jwksMaxAge(cacheControl string) time.Duration {
	age, noCache := jwksDefaultMaxAge, false
	for d := range strings.SplitSeq(cacheControl, ",") {
		name, val, _ := strings.Cut(strings.TrimSpace(d), "=")
		switch strings.ToLower(name) {
		case "max-age":
			if n, err := strconv.ParseUint(strings.Trim(val, `"`), 10, 32); err == nil {
				age = time.Duration(n) * time.Second
			}
		case "no-cache", "no-store":
			noCache = true
		}
	}
	if noCache {
		age = 0
	}
	return min(max(age, jwksMinMaxAge), jwksMaxMaxAge)
}
