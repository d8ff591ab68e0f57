package auth

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/golang-jwt/jwt/v5"
)

// jwtMaxTokenBytes bounds the size of a token; real ones stay well under
// 8 KiB.
const jwtMaxTokenBytes = 16 << 10

// jwtB64 decodes the parts of a token: unpadded base64url whose unused
// bits are zero, so that every token has exactly one spelling.
var jwtB64 = base64.RawURLEncoding.Strict()

// jwsHeader is what a token's header says that the authorizer reads.
// Headers that name keys ("jku", "x5u", "jwk", "x5c") are ignored.
type jwsHeader struct {
	Alg  string          `json:"alg"`
	Kid  string          `json:"kid"`
	Crit json.RawMessage `json:"crit"`
}

// jws is a token in the JWS compact serialization (RFC 7515 §7.1), split
// and decoded. Its signature is not checked yet.
type jws struct {
	header       jwsHeader
	signingInput string // the header and payload as the token spells them
	payload      []byte
	sig          []byte
}

// parseJWS splits and decodes tok. It accepts only the compact
// serialization, in base64url without padding, and refuses headers with
// "crit" extensions, of which none is supported.
func parseJWS(tok string) (*jws, error) {
	if len(tok) > jwtMaxTokenBytes {
		return nil, fmt.Errorf("malformed token: %d bytes, more than %d", len(tok), jwtMaxTokenBytes)
	}
	dots := 0
	for i := 0; i < len(tok); i++ {
		switch c := tok[i]; {
		case c == '.':
			dots++
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '-', c == '_':
		default:
			return nil, fmt.Errorf("malformed token: byte %d is not base64url", i)
		}
	}
	if dots != 2 {
		return nil, fmt.Errorf("malformed token: %d parts, not 3", dots+1)
	}
	h, rest, _ := strings.Cut(tok, ".")
	pl, sig, _ := strings.Cut(rest, ".")
	p := &jws{signingInput: tok[:len(h)+1+len(pl)]}
	hb, err := jwtB64.DecodeString(h)
	if err != nil {
		return nil, fmt.Errorf("malformed token: header: %w", err)
	}
	if err := json.Unmarshal(hb, &p.header); err != nil {
		return nil, fmt.Errorf("malformed token: header: %w", err)
	}
	if p.header.Alg == "" {
		return nil, errors.New("malformed token: header has no alg")
	}
	if p.header.Crit != nil {
		return nil, errors.New("malformed token: header has crit, and no extension is supported")
	}
	if p.payload, err = jwtB64.DecodeString(pl); err != nil {
		return nil, fmt.Errorf("malformed token: payload: %w", err)
	}
	if p.sig, err = jwtB64.DecodeString(sig); err != nil {
		return nil, fmt.Errorf("malformed token: signature: %w", err)
	}
	if len(p.sig) == 0 {
		return nil, errors.New("malformed token: no signature")
	}
	return p, nil
}

// verify checks p's signature with key, which must fit p's algorithm.
func (p *jws) verify(key any) error {
	m := jwtMethod(p.header.Alg)
	if m == nil {
		return fmt.Errorf("alg %q is not supported", p.header.Alg)
	}
	return m.Verify(p.signingInput, p.sig, key)
}

// claims decodes p's payload, which must be one JSON object. Numbers
// stay json.Number, so that large integers keep their precision.
func (p *jws) claims() (jwt.MapClaims, error) {
	d := json.NewDecoder(bytes.NewReader(p.payload))
	d.UseNumber()
	var c jwt.MapClaims
	if err := d.Decode(&c); err != nil {
		return nil, fmt.Errorf("claims: %w", err)
	}
	if c == nil {
		return nil, errors.New("claims: not a JSON object")
	}
	if _, err := d.Token(); err != io.EOF {
		return nil, errors.New("claims: data after the JSON object")
	}
	return c, nil
}

// jwtDefaultAlgorithms are the algorithms allowed by default, besides the
// HS ones a Secret enables.
var jwtDefaultAlgorithms = []string{
	"RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
	"ES256", "ES384", "ES512", "EdDSA",
}

// jwtAlgorithms checks a JWTConfig's Algorithms (defaulted when empty)
// against its Secret, and reports whether any of them needs a key set.
func jwtAlgorithms(list []string, secret []byte) (algs map[string]bool, asymmetric bool, errs []error) {
	if len(list) == 0 {
		list = jwtDefaultAlgorithms
		if len(secret) > 0 {
			if len(secret) < jwtHMACMinKey("HS256") {
				errs = append(errs, fmt.Errorf("auth: jwt: Secret is %d bytes; HS256 needs at least %d", len(secret), jwtHMACMinKey("HS256")))
			}
			for _, hs := range []string{"HS256", "HS384", "HS512"} {
				if len(secret) >= jwtHMACMinKey(hs) {
					list = append(list[:len(list):len(list)], hs)
				}
			}
		}
	}
	algs = make(map[string]bool, len(list))
	hmac := false
	for i, alg := range list {
		switch {
		case strings.EqualFold(alg, "none"):
			errs = append(errs, fmt.Errorf("auth: jwt: Algorithms[%d]: %q is never accepted", i, alg))
		case jwtMethod(alg) == nil:
			errs = append(errs, fmt.Errorf("auth: jwt: Algorithms[%d]: %q is not supported", i, alg))
		case jwtIsHMAC(alg) && len(secret) == 0:
			errs = append(errs, fmt.Errorf("auth: jwt: Algorithms[%d]: %s needs Secret", i, alg))
		case jwtIsHMAC(alg) && len(secret) < jwtHMACMinKey(alg):
			errs = append(errs, fmt.Errorf("auth: jwt: Algorithms[%d]: %s needs a Secret of at least %d bytes, not %d", i, alg, jwtHMACMinKey(alg), len(secret)))
		default:
			algs[alg] = true
			hmac = hmac || jwtIsHMAC(alg)
			asymmetric = asymmetric || !jwtIsHMAC(alg)
		}
	}
	if len(secret) > 0 && !hmac && len(errs) == 0 {
		errs = append(errs, errors.New("auth: jwt: Secret is set but Algorithms allows no HS algorithm"))
	}
	return algs, asymmetric, errs
}

// The RSASSA-PSS methods. golang-jwt's own accept any salt length; RFC
// 7518 §3.5 wants the salt as long as the hash, and so do these.
var (
	jwtPS256 = &jwt.SigningMethodRSAPSS{SigningMethodRSA: jwt.SigningMethodPS256.SigningMethodRSA, Options: &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash}}
	jwtPS384 = &jwt.SigningMethodRSAPSS{SigningMethodRSA: jwt.SigningMethodPS384.SigningMethodRSA, Options: &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash}}
	jwtPS512 = &jwt.SigningMethodRSAPSS{SigningMethodRSA: jwt.SigningMethodPS512.SigningMethodRSA, Options: &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash}}
)

// jwtMethod returns the signing method for alg, or nil if it is not
// supported. It does not consult golang-jwt's process-wide registry,
// which anyone may change.
func jwtMethod(alg string) jwt.SigningMethod {
	switch alg {
	case "RS256":
		return jwt.SigningMethodRS256
	case "RS384":
		return jwt.SigningMethodRS384
	case "RS512":
		return jwt.SigningMethodRS512
	case "PS256":
		return jwtPS256
	case "PS384":
		return jwtPS384
	case "PS512":
		return jwtPS512
	case "ES256":
		return jwt.SigningMethodES256
	case "ES384":
		return jwt.SigningMethodES384
	case "ES512":
		return jwt.SigningMethodES512
	case "EdDSA":
		return jwt.SigningMethodEdDSA
	case "HS256":
		return jwt.SigningMethodHS256
	case "HS384":
		return jwt.SigningMethodHS384
	case "HS512":
		return jwt.SigningMethodHS512
	}
	return nil
}

// jwtIsHMAC reports whether alg is an HS algorithm.
func jwtIsHMAC(alg string) bool { return jwtHMACMinKey(alg) > 0 }

// jwtHMACMinKey is the least key length for an HS alg, its hash's size;
// 0 for other algorithms.
func jwtHMACMinKey(alg string) int {
	switch alg {
	case "HS256":
		return 32
	case "HS384":
		return 48
	case "HS512":
		return 64
	}
	return 0
}

// jwtKeyFits reports whether a public key from a key set suits alg: RSA
// for RS and PS, EC on the matching curve for ES, Ed25519 for EdDSA.
func jwtKeyFits(alg string, key any) bool {
	switch alg {
	case "RS256", "RS384", "RS512", "PS256", "PS384", "PS512":
		_, ok := key.(*rsa.PublicKey)
		return ok
	case "ES256":
		return jwtOnCurve(key, elliptic.P256())
	case "ES384":
		return jwtOnCurve(key, elliptic.P384())
	case "ES512":
		return jwtOnCurve(key, elliptic.P521())
	case "EdDSA":
		_, ok := key.(ed25519.PublicKey)
		return ok
	}
	return false
}

func jwtOnCurve(key any, c elliptic.Curve) bool {
	k, ok := key.(*ecdsa.PublicKey)
	return ok && k.Curve == c
}
