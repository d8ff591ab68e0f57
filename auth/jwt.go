package auth

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
	lru "github.com/hashicorp/golang-lru/v2"
)

// JWTConfig configures a [JWT] authorizer; [NewJWT] checks it. Issuer and
// Audiences are required; every other field has a default for its zero
// value.
type JWTConfig struct {
	// Issuer is who issues the tokens: the "iss" claim must equal it.
	// Unless JWKSURL is set, the keys are discovered from it (OpenID
	// Connect Discovery: Issuer + "/.well-known/openid-configuration",
	// whose "issuer" must equal Issuer and whose "jwks_uri" names the key
	// set), so it must then be an https URL (http only on a loopback
	// host). Required.
	Issuer string

	// Audiences are the audiences accepted: the "aud" claim, a string or
	// an array, must contain at least one of them. Required.
	Audiences []string

	// JWKSURL is where the issuer publishes its signing keys, a JSON Web
	// Key Set; an https URL (http only on a loopback host). If empty, it
	// is discovered from Issuer. Keys only ever come from here: a token's
	// "jku", "x5u" and "jwk" headers are ignored.
	JWKSURL string

	// Secret is the HMAC key for HS256, HS384 and HS512 tokens, for this
	// authorizer only (symmetric keys in a key set are never used; an HS
	// token's kid is ignored). It must be at least as long as the hash of
	// every HS algorithm allowed: 32 bytes for HS256, 48 for HS384, 64 for
	// HS512. If empty, HS tokens are refused. NewJWT copies it.
	Secret []byte

	// Algorithms are the signature algorithms ("alg" header) accepted.
	// If empty: RS256 RS384 RS512 PS256 PS384 PS512 ES256 ES384 ES512
	// EdDSA, and when Secret is set, those of HS256 HS384 HS512 it is long
	// enough for. "none" is never accepted.
	Algorithms []string

	// Leeway is the clock skew allowed when checking "exp", "nbf" and
	// "iat". If zero, 30 seconds; if negative, none.
	Leeway time.Duration

	// IdentitySource says where a request carries its token, as the
	// managed service writes it: "$request.header.NAME" or
	// "$request.querystring.NAME". In the Authorization header the token
	// follows the "Bearer" scheme (RFC 6750); any other header or query
	// parameter holds the bare token. If empty,
	// "$request.header.Authorization".
	IdentitySource string

	// Client fetches the discovery document and the key set. It must have
	// a Timeout: a fetch is shared by every request waiting for keys, so it
	// is not cancelled when the request that started it ends. If nil, a
	// client with a 1.5 second timeout.
	Client *http.Client

	// MaxJWKSBytes is the largest discovery document or key set read; a
	// larger one fails the fetch. If zero, 1 MiB.
	MaxJWKSBytes int64

	// RefetchInterval is the least time between two fetches of the key
	// set caused by tokens whose "kid" it lacks, so that made-up kids
	// cannot make the authorizer hammer the issuer. If zero, 1 minute.
	RefetchInterval time.Duration

	// CacheSize is how many verified tokens are remembered, so that a
	// repeated token costs a map lookup instead of a signature check.
	// If zero, 10,000; if negative, none.
	CacheSize int

	// Clock tells the time for the claims checks and the caches. If nil,
	// time.Now.
	Clock func() time.Time
}

// The defaults of [JWTConfig].
const (
	jwtDefaultLeeway          = 30 * time.Second
	jwtDefaultSource          = "$request.header.Authorization"
	jwtDefaultTimeout         = 1500 * time.Millisecond
	jwtDefaultMaxJWKSBytes    = 1 << 20
	jwtDefaultRefetchInterval = time.Minute
	jwtDefaultCacheSize       = 10_000
)

// JWT is an [Authorizer] for JSON Web Tokens (RFC 7519) signed by an
// OpenID Connect or OAuth 2.0 issuer, like the managed service's JWT
// authorizer. Make one with [NewJWT]; the zero JWT refuses every request
// with an error that is not [ErrUnauthorized] (so the gateway answers
// 500).
//
// For each request Authorize takes the token from the identity source,
// checks that its "alg" is allowed, finds its key (by "kid"; a token
// without one may use a key set holding exactly one key), checks that
// the key fits the algorithm (RSA for RS and PS, EC on the named curve
// for ES, Ed25519 for EdDSA, Secret for HS), verifies the signature, and
// then checks the claims: "exp" (required), "nbf" and "iat" with Leeway,
// "iss" and "aud". The [Identity] it returns has Kind "jwt", the "sub"
// claim as Principal, every claim in Claims (numbers as json.Number), and
// Scopes from "scope" or, failing that, "scp" (a space-separated string
// or an array of strings). Every refusal wraps [ErrUnauthorized] with a
// message for the log. Failing to get the keys at all (the issuer is down
// and none are cached) is the authorizer's own failure: that error does
// not wrap ErrUnauthorized.
//
// # Keys
//
// The key set is fetched when a request first needs it, not by NewJWT,
// so an issuer that is down at start-up delays nothing; after a failed
// fetch, requests fail fast for 5 seconds (or RefetchInterval if shorter)
// before the next try. The set is kept for the max-age its response
// carries (Cache-Control, held between 1 minute and 24 hours; 1 hour if
// absent) and then fetched again by the request that finds it stale,
// while concurrent requests go on with the old set, which also stays in
// use if that fetch fails. A token whose kid the set lacks causes an
// immediate fetch, at most once per RefetchInterval, so keys rotate
// without a restart. Concurrent requests share one fetch. Keys whose
// "use" is not "sig", whose "key_ops" lack "verify", whose "alg" does
// not fit them, symmetric keys, RSA keys under 2048 bits and unsupported
// types are skipped.
//
// # Cache
//
// Verified tokens are kept in an LRU cache of CacheSize entries until
// their "exp" (without leeway), so a repeated token costs well under a
// microsecond. Only successes are cached. A fetch that removes or
// replaces a key empties the cache. Identities made from one token share
// their Claims and Scopes: treat them as read-only.
//
// A JWT is safe for concurrent use. It starts no goroutines.
type JWT struct {
	cfg       JWTConfig // as given, for Config
	issuer    string
	realm     string // the Challenge for a request without a token
	source    jwtSource
	algs      map[string]bool
	secret    []byte
	validator *jwt.Validator
	keys      *jwksCache                    // nil when only HS algorithms are allowed
	cache     *lru.Cache[string, jwtCached] // nil when caching is off
	clock     func() time.Time
}

// jwtCached is a verified token's identity and expiry.
type jwtCached struct {
	id  *Identity
	exp time.Time
}

var (
	_ Authorizer = (*JWT)(nil)
	_ Challenger = (*JWT)(nil)
)

// NewJWT checks cfg and returns a JWT authorizer. It reports every
// mistake in cfg at once, each naming its field. It does no I/O: keys
// are fetched when the first request needs them.
func NewJWT(cfg JWTConfig) (*JWT, error) {
	given := cfg
	given.Audiences = slices.Clone(cfg.Audiences)
	given.Algorithms = slices.Clone(cfg.Algorithms)
	given.Secret = bytes.Clone(cfg.Secret)
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("auth: jwt: "+format, args...))
	}

	switch {
	case cfg.Issuer == "":
		bad("Issuer is required")
	case strings.ContainsFunc(cfg.Issuer, jwtIsCTL):
		bad("Issuer %q has control characters", cfg.Issuer)
	}
	if len(cfg.Audiences) == 0 {
		bad("Audiences: at least one audience is required")
	}
	for i, a := range cfg.Audiences {
		if a == "" {
			bad("Audiences[%d] is empty", i)
		}
	}
	algs, asymmetric, algErrs := jwtAlgorithms(cfg.Algorithms, cfg.Secret)
	errs = append(errs, algErrs...)
	switch {
	case !asymmetric && cfg.JWKSURL != "":
		bad("JWKSURL is set but Algorithms allows only HS algorithms, which use Secret")
	case !asymmetric:
	case cfg.JWKSURL != "":
		if err := jwtCheckURL(cfg.JWKSURL); err != nil {
			bad("JWKSURL: %v", err)
		}
	case cfg.Issuer != "":
		if err := jwtCheckURL(cfg.Issuer); err != nil {
			bad("Issuer: %v (keys are discovered from it when JWKSURL is empty)", err)
		}
	}
	if cfg.IdentitySource == "" {
		cfg.IdentitySource = jwtDefaultSource
	}
	source, err := parseJWTSource(cfg.IdentitySource)
	if err != nil {
		bad("IdentitySource: %v", err)
	}
	if cfg.Client == nil {
		cfg.Client = &http.Client{Timeout: jwtDefaultTimeout}
	} else if cfg.Client.Timeout <= 0 {
		bad("Client has no Timeout")
	}
	switch {
	case cfg.MaxJWKSBytes < 0:
		bad("MaxJWKSBytes %d is negative", cfg.MaxJWKSBytes)
	case cfg.MaxJWKSBytes == 0:
		cfg.MaxJWKSBytes = jwtDefaultMaxJWKSBytes
	}
	switch {
	case cfg.RefetchInterval < 0:
		bad("RefetchInterval %v is negative", cfg.RefetchInterval)
	case cfg.RefetchInterval == 0:
		cfg.RefetchInterval = jwtDefaultRefetchInterval
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}

	switch {
	case cfg.Leeway == 0:
		cfg.Leeway = jwtDefaultLeeway
	case cfg.Leeway < 0:
		cfg.Leeway = 0
	}
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	j := &JWT{
		cfg:    given,
		issuer: cfg.Issuer,
		realm:  `Bearer realm="` + jwtQuoteEscaper.Replace(cfg.Issuer) + `"`,
		source: source,
		algs:   algs,
		secret: bytes.Clone(cfg.Secret),
		validator: jwt.NewValidator(
			jwt.WithIssuer(cfg.Issuer),
			jwt.WithAudience(cfg.Audiences...),
			jwt.WithLeeway(cfg.Leeway),
			jwt.WithExpirationRequired(),
			jwt.WithIssuedAt(),
			jwt.WithTimeFunc(cfg.Clock),
		),
		clock: cfg.Clock,
	}
	if cfg.CacheSize == 0 {
		cfg.CacheSize = jwtDefaultCacheSize
	}
	if cfg.CacheSize > 0 {
		// lru.New fails only for a size that is not positive.
		j.cache, _ = lru.New[string, jwtCached](cfg.CacheSize)
	}
	if asymmetric {
		j.keys = &jwksCache{
			issuer:          cfg.Issuer,
			url:             cfg.JWKSURL,
			client:          cfg.Client,
			maxBytes:        cfg.MaxJWKSBytes,
			refetchInterval: cfg.RefetchInterval,
			clock:           cfg.Clock,
		}
		if j.cache != nil {
			j.keys.dropped = j.cache.Purge
		}
	}
	return j, nil
}

// Config returns the configuration the JWT was made with, as given to
// [NewJWT] (fields left zero are still zero).
func (j *JWT) Config() JWTConfig {
	c := j.cfg
	c.Audiences = slices.Clone(c.Audiences)
	c.Algorithms = slices.Clone(c.Algorithms)
	c.Secret = bytes.Clone(c.Secret)
	return c
}

// Authorize verifies the request's token and returns who it names; see
// [JWT] for the checks. Refusals wrap [ErrUnauthorized].
func (j *JWT) Authorize(ctx context.Context, r *Request) (*Identity, error) {
	if j.validator == nil {
		return nil, errors.New("auth: jwt: JWT not made by NewJWT")
	}
	tok, err := j.source.token(r)
	if err != nil {
		return nil, err
	}
	if j.cache != nil {
		if c, ok := j.cache.Get(tok); ok && j.clock().Before(c.exp) {
			id := *c.id
			return &id, nil
		}
	}
	id, exp, err := j.verify(ctx, tok)
	if err != nil {
		return nil, err
	}
	// A token verified just before a fetch dropped its key may be added
	// after that fetch emptied the cache: it was valid when checked.
	if j.cache != nil && j.clock().Before(exp) {
		j.cache.Add(tok, jwtCached{id: id, exp: exp})
	}
	cp := *id
	return &cp, nil
}

// Challenge returns the WWW-Authenticate value (RFC 6750) for err, an
// error Authorize returned: `Bearer realm="ISSUER"` when the request
// carried no token, and `Bearer realm="ISSUER", error="invalid_token"`
// when its token was refused. It adds no detail.
func (j *JWT) Challenge(err error) string {
	var e *jwtError
	if errors.As(err, &e) && !e.missing {
		return j.realm + `, error="invalid_token"`
	}
	return j.realm
}

// verify checks tok from scratch and returns its identity and expiry.
func (j *JWT) verify(ctx context.Context, tok string) (*Identity, time.Time, error) {
	p, err := parseJWS(tok)
	if err != nil {
		return nil, time.Time{}, jwtInvalid(err)
	}
	alg, kid := p.header.Alg, p.header.Kid
	if !j.algs[alg] {
		return nil, time.Time{}, jwtInvalidf("alg %q is not allowed", alg)
	}
	key, err := j.key(ctx, alg, kid)
	if err != nil {
		return nil, time.Time{}, err
	}
	if err := p.verify(key); err != nil {
		return nil, time.Time{}, jwtInvalidf("signature (alg %s, kid %q): %w", alg, kid, err)
	}
	claims, err := p.claims()
	if err != nil {
		return nil, time.Time{}, jwtInvalid(err)
	}
	if err := j.validator.Validate(claims); err != nil {
		return nil, time.Time{}, jwtInvalid(err)
	}
	id, err := jwtIdentity(claims)
	if err != nil {
		return nil, time.Time{}, jwtInvalid(err)
	}
	exp, _ := claims.GetExpirationTime() // present and valid: Validate checked it
	return id, exp.Time, nil
}

// key returns the key that verifies a token with alg and kid: Secret for
// HS algorithms, otherwise a key from the key set, which is fetched again
// (rate-limited) when it lacks kid. An error that is not a *jwtError
// means no key set could be had at all.
func (j *JWT) key(ctx context.Context, alg, kid string) (any, error) {
	if jwtIsHMAC(alg) {
		return j.secret, nil
	}
	set, err := j.keys.current(ctx)
	if err != nil {
		return nil, err
	}
	key, err := set.lookup(kid, alg)
	if !errors.Is(err, errJWKUnknownKid) {
		if err != nil {
			return nil, jwtInvalid(err)
		}
		return key, nil
	}
	set, ferr := j.keys.refetch(ctx)
	if ferr != nil {
		return nil, jwtInvalidf("%w (key set not fetched again: %v)", err, ferr)
	}
	key, err = set.lookup(kid, alg)
	if err != nil {
		return nil, jwtInvalidf("%w (after fetching the key set again)", err)
	}
	return key, nil
}

// jwtQuoteEscaper escapes a quoted-string's specials (RFC 9110 §5.6.4).
var jwtQuoteEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`)

// jwtIsCTL reports whether r is a control character, which header values
// must not hold.
func jwtIsCTL(r rune) bool { return r < ' ' || r == 0x7f }
