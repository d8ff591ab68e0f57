package auth

import (
	"context"
	"crypto/hmac"
	"crypto/subtle"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
)

// Credentials finds the secret behind an access key id.
//
// Lookup returns an error wrapping [ErrUnknownAccessKey] for a key it does
// not know; [SigV4] answers that exactly as it answers a wrong signature,
// so callers cannot probe for keys. Any other error is a failure of the
// store (the gateway answers 500). Lookup is called concurrently.
type Credentials interface {
	Lookup(ctx context.Context, accessKeyID string) (Credential, error)
}

// CredentialsFunc adapts a function to [Credentials].
type CredentialsFunc func(ctx context.Context, accessKeyID string) (Credential, error)

// Lookup calls f(ctx, accessKeyID).
func (f CredentialsFunc) Lookup(ctx context.Context, accessKeyID string) (Credential, error) {
	return f(ctx, accessKeyID)
}

// ErrUnknownAccessKey is what [Credentials.Lookup] returns (or wraps) for
// an access key id it does not know.
var ErrUnknownAccessKey = errors.New("auth: sigv4: unknown access key")

// Credential is the secret behind one access key id and what it may do.
type Credential struct {
	// Secret is the secret access key. Required.
	Secret string
	// Principal names the caller (an ARN, a user name) and becomes
	// Identity.Principal. If empty, the access key id is used.
	Principal string
	// SessionToken, if set, marks temporary credentials: requests must
	// carry it in X-Amz-Security-Token (header or query, signed or not).
	// If empty, requests must carry no token.
	SessionToken string
	// Expires, if set, is when temporary credentials stop working;
	// requests at or after it fail with ErrExpiredToken.
	Expires time.Time
	// Policy is what the caller may invoke: it is evaluated for
	// InvokeAction on the request's method ARN (see Request.MethodARN)
	// and source IP, and anything but Allowed is ErrForbidden. If nil,
	// every request with a valid signature is allowed.
	Policy *Policy
}

// StaticCredentials is a fixed set of credentials keyed by access key id.
// It must not be modified while in use.
type StaticCredentials map[string]Credential

// Lookup returns the credential for accessKeyID, or an error wrapping
// [ErrUnknownAccessKey].
func (c StaticCredentials) Lookup(_ context.Context, accessKeyID string) (Credential, error) {
	cred, ok := c[accessKeyID]
	if !ok {
		return Credential{}, ErrUnknownAccessKey
	}
	return cred, nil
}

// Validate reports every problem in c: no credentials at all, empty or
// malformed access key ids, missing secrets and invalid policies.
func (c StaticCredentials) Validate() error {
	var errs []error
	if len(c) == 0 {
		errs = append(errs, errors.New("auth: sigv4: StaticCredentials is empty: every request would be refused"))
	}
	for _, id := range slices.Sorted(maps.Keys(c)) {
		cred := c[id]
		if id == "" || strings.ContainsAny(id, "/ ") {
			errs = append(errs, fmt.Errorf("auth: sigv4: StaticCredentials[%q]: access key id must be non-empty, without '/' or spaces", id))
		}
		if cred.Secret == "" {
			errs = append(errs, fmt.Errorf("auth: sigv4: StaticCredentials[%q]: Secret is required", id))
		}
		if cred.Policy != nil {
			if err := cred.Policy.Validate(); err != nil {
				errs = append(errs, fmt.Errorf("auth: sigv4: StaticCredentials[%q].Policy: %w", id, err))
			}
		}
	}
	return errors.Join(errs...)
}

// DefaultMaxSkew is how far a signed request's time may be from the clock
// when SigV4.MaxSkew is zero: AWS's 15 minutes.
const DefaultMaxSkew = 15 * time.Minute

// SigV4 authorizes requests signed with AWS Signature Version 4, in the
// Authorization header or as a presigned URL, as IAM authorization of the
// managed service does. A request is allowed when its signature verifies
// against the secret of its access key, its signing time is within
// MaxSkew of the clock (a presigned URL: from MaxSkew before its
// X-Amz-Date to X-Amz-Expires after it), its session token matches, and
// the credential's policy allows it.
//
// The canonical request is built as the AWS specification says for
// services other than S3: the path as sent, normalized (dot and empty
// segments removed) and URI-encoded again; the query decoded, re-encoded
// and sorted; the signed headers trimmed, with repeated headers joined by
// ",". Signers that do not normalize paths (aws-sdk-go-v2, S3-style
// signers) are accepted too: when normalizing changes the path, a
// signature over the path as sent also verifies. A security token added
// to a presigned URL after signing (as the AWS IoT convention has it) is
// accepted whether or not it was signed. The payload must be signed:
// X-Amz-Content-Sha256, when sent, must be the SHA-256 of the body
// ("UNSIGNED-PAYLOAD" and streaming uploads are S3 features), and the body
// is read with Request.Body.
//
// Errors: missing or malformed authentication information wraps
// [ErrUnauthorized]; a signature that does not verify, a credential scope
// for another date, region or service, an unknown access key or a wrong
// session token wraps [ErrInvalidSignature]; a signing time outside the
// window, or expired credentials, wraps [ErrExpiredToken] (the managed
// service says "Signature expired"); a policy that does not allow the
// request wraps [ErrForbidden].
//
// Call Validate before serving. A SigV4 must not be modified or copied
// once in use (it caches derived signing keys); Authorize is safe for
// concurrent use.
type SigV4 struct {
	// Region is the region requests are signed for ("us-east-1").
	// Required.
	Region string
	// Service is the service name requests are signed for. If empty,
	// "execute-api".
	Service string
	// Credentials finds the secret behind an access key id. Required.
	Credentials Credentials
	// MaxSkew is how far a request's signing time may be from the clock,
	// either way. If zero, DefaultMaxSkew.
	MaxSkew time.Duration
	// Clock returns the current time. If nil, Request.Now is used, or
	// time.Now when that is zero.
	Clock func() time.Time

	keysOnce sync.Once
	keys     *lru.Cache[string, []byte] // signing keys by secret, date, region, service
}

// sigv4KeyCacheSize bounds the signing keys a SigV4 keeps: one per
// credential and day is what a steady load needs.
const sigv4KeyCacheSize = 4096

// signingKey returns the key that signs requests of one day, region and
// service under secret. Deriving it takes four HMACs, about half the cost
// of a verification, so keys are cached.
func (s *SigV4) signingKey(secret, date, region, service string) []byte {
	s.keysOnce.Do(func() {
		s.keys, _ = lru.New[string, []byte](sigv4KeyCacheSize) // a positive size never fails
	})
	id := secret + "\x00" + date + "\x00" + region + "\x00" + service
	if k, ok := s.keys.Get(id); ok {
		return k
	}
	k := sigv4SigningKey(secret, date, region, service)
	s.keys.Add(id, k)
	return k
}

var (
	_ Authorizer  = (*SigV4)(nil)
	_ Credentials = StaticCredentials(nil)
	_ Credentials = CredentialsFunc(nil)
)

// Validate reports every configuration problem in s, each naming its
// field, and those its Credentials report when they have a
// Validate() error method (as StaticCredentials does).
func (s *SigV4) Validate() error {
	var errs []error
	if s.Region == "" || strings.ContainsAny(s.Region, "/ ") {
		errs = append(errs, fmt.Errorf("auth: sigv4: Region %q must be a region name such as us-east-1", s.Region))
	}
	if strings.ContainsAny(s.Service, "/ ") {
		errs = append(errs, fmt.Errorf("auth: sigv4: Service %q must be a service name such as execute-api", s.Service))
	}
	if s.MaxSkew < 0 {
		errs = append(errs, fmt.Errorf("auth: sigv4: MaxSkew %v must not be negative", s.MaxSkew))
	}
	if s.Credentials == nil {
		errs = append(errs, errors.New("auth: sigv4: Credentials is required"))
	} else if v, ok := s.Credentials.(interface{ Validate() error }); ok {
		errs = append(errs, v.Validate())
	}
	return errors.Join(errs...)
}

// Authorize verifies r's signature and returns an Identity of Kind
// "sigv4" whose Principal is the credential's and whose Context holds
// the "accessKey". See [SigV4] for the errors.
func (s *SigV4) Authorize(ctx context.Context, r *Request) (*Identity, error) {
	if s.Credentials == nil {
		return nil, errors.New("auth: sigv4: Credentials is nil")
	}
	req := r.HTTP
	rawPath, rawQuery := sigv4Target(req)
	sr, err := sigv4Parse(req, rawQuery)
	if err != nil {
		return nil, err
	}
	if err := s.checkScope(sr); err != nil {
		return nil, err
	}
	now := s.now(r)
	if err := s.checkTime(sr, now); err != nil {
		return nil, err
	}
	payloadHash := req.Header.Get("X-Amz-Content-Sha256")
	if payloadHash == "UNSIGNED-PAYLOAD" || strings.HasPrefix(payloadHash, "STREAMING-") {
		return nil, fmt.Errorf("auth: sigv4: X-Amz-Content-Sha256 %q: unsigned payloads are not supported: %w", payloadHash, ErrInvalidSignature)
	}

	cred, err := s.Credentials.Lookup(ctx, sr.accessKey)
	known := err == nil
	if err != nil && !errors.Is(err, ErrUnknownAccessKey) {
		return nil, fmt.Errorf("auth: sigv4: looking up access key: %w", err)
	}
	if !known {
		// Go on with a secret no signature can match, so that an
		// unknown key costs what a wrong signature costs.
		cred = Credential{Secret: "\x00unknown"}
	}

	declared := payloadHash != ""
	if !declared {
		body, err := sigv4Body(r)
		if err != nil {
			return nil, err
		}
		payloadHash = sigv4HashHex(body)
	}
	if !s.verify(req, rawPath, sr, cred.Secret, payloadHash) || !known {
		detail := "signature does not match"
		if !known {
			detail = "unknown access key " + sr.accessKey
		}
		return nil, fmt.Errorf("auth: sigv4: %s: %w", detail, ErrInvalidSignature)
	}

	if subtle.ConstantTimeCompare([]byte(sr.token), []byte(cred.SessionToken)) != 1 {
		detail := "security token does not match"
		switch {
		case sr.token == "":
			detail = "security token missing for temporary credentials"
		case cred.SessionToken == "":
			detail = "security token sent for long-term credentials"
		}
		return nil, fmt.Errorf("auth: sigv4: access key %s: %s: %w", sr.accessKey, detail, ErrInvalidSignature)
	}
	if !cred.Expires.IsZero() && !now.Before(cred.Expires) {
		return nil, fmt.Errorf("auth: sigv4: access key %s: credentials expired at %s: %w",
			sr.accessKey, cred.Expires.UTC().Format(time.RFC3339), ErrExpiredToken)
	}
	if declared {
		body, err := sigv4Body(r)
		if err != nil {
			return nil, err
		}
		if !hmac.Equal([]byte(sigv4HashHex(body)), []byte(payloadHash)) {
			return nil, fmt.Errorf("auth: sigv4: X-Amz-Content-Sha256 does not match the body: %w", ErrInvalidSignature)
		}
	}
	if cred.Policy != nil {
		arn := r.MethodARN()
		ip, _ := netip.ParseAddr(r.SourceIP) // invalid when unknown: IP conditions do not match
		if d := cred.Policy.Evaluate(InvokeAction, arn, ip); d != Allowed {
			return nil, fmt.Errorf("auth: sigv4: access key %s: policy does not allow %s from %q: %w", sr.accessKey, arn, r.SourceIP, ErrForbidden)
		}
	}

	principal := cred.Principal
	if principal == "" {
		principal = sr.accessKey
	}
	return &Identity{
		Kind:      "sigv4",
		Principal: principal,
		Context:   map[string]any{"accessKey": sr.accessKey},
	}, nil
}

// verify reports whether sr's signature matches the canonical request of
// req under secret. It tries the specification's canonical request first,
// then the variants [SigV4] accepts: the path not normalized, and a
// presigned URL's security token left out of the query.
func (s *SigV4) verify(req *http.Request, rawPath string, sr *sigv4Signed, secret, payloadHash string) bool {
	uris := []string{sigv4CanonicalURI(rawPath, true)}
	if raw := sigv4CanonicalURI(rawPath, false); raw != uris[0] {
		uris = append(uris, raw)
	}
	var queries []string
	if sr.presigned {
		queries = append(queries, sigv4CanonicalQuery(sr.query, "X-Amz-Signature"))
		if sr.tokenInQuery {
			queries = append(queries, sigv4CanonicalQuery(sr.query, "X-Amz-Signature", "X-Amz-Security-Token"))
		}
	} else {
		queries = append(queries, sigv4CanonicalQuery(sr.query))
	}
	headers := sigv4CanonicalHeaders(req, sr.headerNames)
	key := s.signingKey(secret, sr.scopeDate, sr.region, sr.service)
	for _, uri := range uris {
		for _, query := range queries {
			creq := sigv4CanonicalRequest(req.Method, uri, query, headers, sr.signedHeaders, payloadHash)
			if hmac.Equal(sigv4HMAC(key, sigv4StringToSign(sr.amzDate, sr.scope, creq)), sr.signature) {
				return true
			}
		}
	}
	return false
}

// checkScope checks the credential scope against the signing time and
// s's region and service.
func (s *SigV4) checkScope(sr *sigv4Signed) error {
	var detail string
	switch {
	case sr.scopeDate != sr.amzDate[:8]:
		detail = fmt.Sprintf("credential scope date %.8q is not the signing date %s", sr.scopeDate, sr.amzDate[:8])
	case sr.region != s.Region:
		detail = fmt.Sprintf("credential scope region %.40q is not %s", sr.region, s.Region)
	case sr.service != s.service():
		detail = fmt.Sprintf("credential scope service %.40q is not %s", sr.service, s.service())
	case sr.terminator != sigv4Terminator:
		detail = fmt.Sprintf("credential scope ends in %.40q, not %s", sr.terminator, sigv4Terminator)
	default:
		return nil
	}
	return fmt.Errorf("auth: sigv4: %s: %w", detail, ErrInvalidSignature)
}

// checkTime checks that now is within the request's validity window.
func (s *SigV4) checkTime(sr *sigv4Signed, now time.Time) error {
	skew := s.MaxSkew
	if skew <= 0 {
		skew = DefaultMaxSkew
	}
	from, until := sr.signedAt.Add(-skew), sr.signedAt.Add(skew)
	if sr.hasExpires {
		until = sr.signedAt.Add(sr.expires)
	}
	switch {
	case now.Before(from):
		return fmt.Errorf("auth: sigv4: signature not yet current: %s is more than %v after %s: %w",
			sr.amzDate, skew, now.UTC().Format(sigv4DateLayout), ErrExpiredToken)
	case now.After(until):
		return fmt.Errorf("auth: sigv4: signature expired: valid until %s, now %s: %w",
			until.Format(sigv4DateLayout), now.UTC().Format(sigv4DateLayout), ErrExpiredToken)
	}
	return nil
}

func (s *SigV4) service() string {
	if s.Service == "" {
		return "execute-api"
	}
	return s.Service
}

func (s *SigV4) now(r *Request) time.Time {
	switch {
	case s.Clock != nil:
		return s.Clock()
	case !r.Now.IsZero():
		return r.Now
	}
	return time.Now()
}

// sigv4Body returns r's body, or nil when there is none.
func sigv4Body(r *Request) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	b, err := r.Body()
	if err != nil {
		return nil, fmt.Errorf("auth: sigv4: reading body: %w", err)
	}
	return b, nil
}
