package auth

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"
)

// The RSA moduli accepted, in bits: NIST deprecated shorter ones, and
// longer ones only make verification slow.
const (
	jwkRSAMinBits = 2048
	jwkRSAMaxBits = 8192
)

// errJWKUnknownKid is why a token's key was not found: the set may have
// changed since it was fetched.
var errJWKUnknownKid = errors.New("no key with kid")

// jwk is one usable verification key of a key set.
type jwk struct {
	kid string
	alg string           // the one algorithm the key is for, or "" for any it fits
	key crypto.PublicKey // *rsa.PublicKey, *ecdsa.PublicKey or ed25519.PublicKey
}

// fits reports whether k may verify a token signed with alg.
func (k *jwk) fits(alg string) bool {
	return (k.alg == "" || k.alg == alg) && jwtKeyFits(alg, k.key)
}

// jwkSet is a parsed JSON Web Key Set (RFC 7517 §5). It is not changed
// once made.
type jwkSet struct {
	keys    []jwk             // the usable keys, in the set's order
	skipped map[string]string // kid → why its key is not used
}

// jwkJSON is a key as a key set spells it; private members are ignored.
type jwkJSON struct {
	Kty    string   `json:"kty"`
	Use    string   `json:"use"`
	KeyOps []string `json:"key_ops"`
	Alg    string   `json:"alg"`
	Kid    string   `json:"kid"`
	Crv    string   `json:"crv"`
	N      string   `json:"n"`
	E      string   `json:"e"`
	X      string   `json:"x"`
	Y      string   `json:"y"`
}

// parseJWKS parses a key set. Keys that cannot be used (see [JWT]) are
// skipped, not errors: one odd key must not take the others down.
func parseJWKS(body []byte) (*jwkSet, error) {
	var doc struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, fmt.Errorf("key set: %w", err)
	}
	if doc.Keys == nil {
		return nil, errors.New(`key set: no "keys" array`)
	}
	s := &jwkSet{keys: make([]jwk, 0, len(doc.Keys))}
	for i, raw := range doc.Keys {
		var j jwkJSON
		if err := json.Unmarshal(raw, &j); err != nil {
			s.skip(j.Kid, fmt.Sprintf("keys[%d]: %v", i, err))
			continue
		}
		k, err := parseJWK(&j)
		if err != nil {
			s.skip(j.Kid, fmt.Sprintf("keys[%d]: %v", i, err))
			continue
		}
		s.keys = append(s.keys, k)
	}
	return s, nil
}

func (s *jwkSet) skip(kid, why string) {
	if s.skipped == nil {
		s.skipped = make(map[string]string)
	}
	s.skipped[kid] = why
}

// parseJWK makes a usable key of j, or says why it is not one.
func parseJWK(j *jwkJSON) (jwk, error) {
	if j.Use != "" && j.Use != "sig" {
		return jwk{}, fmt.Errorf("use is %q, not sig", j.Use)
	}
	if j.KeyOps != nil && !slices.Contains(j.KeyOps, "verify") {
		return jwk{}, fmt.Errorf("key_ops %q lack verify", j.KeyOps)
	}
	var (
		key crypto.PublicKey
		err error
	)
	switch j.Kty {
	case "RSA":
		key, err = jwkRSA(j.N, j.E)
	case "EC":
		key, err = jwkEC(j.Crv, j.X, j.Y)
	case "OKP":
		key, err = jwkOKP(j.Crv, j.X)
	case "oct":
		err = errors.New("symmetric keys are never taken from a key set")
	default:
		err = fmt.Errorf("kty %q is not supported", j.Kty)
	}
	if err != nil {
		return jwk{}, err
	}
	if j.Alg != "" && !jwtKeyFits(j.Alg, key) {
		return jwk{}, fmt.Errorf("alg %q does not fit a %s key", j.Alg, j.Kty)
	}
	return jwk{kid: j.Kid, alg: j.Alg, key: key}, nil
}

// jwkB64 decodes a key member. Key sets come from the issuer, not the
// caller, so padding is tolerated.
func jwkB64(name, s string) ([]byte, error) {
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return b, nil
}

func jwkRSA(n64, e64 string) (*rsa.PublicKey, error) {
	nb, err := jwkB64("n", n64)
	if err != nil {
		return nil, err
	}
	eb, err := jwkB64("e", e64)
	if err != nil {
		return nil, err
	}
	n := new(big.Int).SetBytes(nb)
	if bits := n.BitLen(); bits < jwkRSAMinBits || bits > jwkRSAMaxBits {
		return nil, fmt.Errorf("RSA modulus of %d bits; want %d to %d", bits, jwkRSAMinBits, jwkRSAMaxBits)
	}
	if n.Bit(0) == 0 {
		return nil, errors.New("RSA modulus is even")
	}
	e := new(big.Int).SetBytes(eb)
	if !e.IsInt64() || e.Int64() < 3 || e.Int64() > 1<<31-1 || e.Bit(0) == 0 {
		return nil, fmt.Errorf("RSA exponent %v is not an odd number from 3 to 2^31-1", e)
	}
	return &rsa.PublicKey{N: n, E: int(e.Int64())}, nil
}

func jwkEC(crv, x64, y64 string) (*ecdsa.PublicKey, error) {
	var c elliptic.Curve
	switch crv {
	case "P-256":
		c = elliptic.P256()
	case "P-384":
		c = elliptic.P384()
	case "P-521":
		c = elliptic.P521()
	default:
		return nil, fmt.Errorf("EC curve %q is not supported", crv)
	}
	x, err := jwkB64("x", x64)
	if err != nil {
		return nil, err
	}
	y, err := jwkB64("y", y64)
	if err != nil {
		return nil, err
	}
	size := (c.Params().BitSize + 7) / 8
	if len(x) != size || len(y) != size {
		return nil, fmt.Errorf("%s coordinates of %d and %d bytes; want %d", crv, len(x), len(y), size)
	}
	point := append(append(append(make([]byte, 0, 1+2*size), 4), x...), y...)
	k, err := ecdsa.ParseUncompressedPublicKey(c, point)
	if err != nil {
		return nil, fmt.Errorf("%s point: %w", crv, err)
	}
	return k, nil
}

func jwkOKP(crv, x64 string) (ed25519.PublicKey, error) {
	if crv != "Ed25519" {
		return nil, fmt.Errorf("OKP curve %q is not supported", crv)
	}
	x, err := jwkB64("x", x64)
	if err != nil {
		return nil, err
	}
	if len(x) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("Ed25519 key of %d bytes; want %d", len(x), ed25519.PublicKeySize)
	}
	return ed25519.PublicKey(x), nil
}

// lookup returns the key for a token with kid and alg. A token without a
// kid may use the set's only key. The error wraps errJWKUnknownKid when
// no key has kid.
func (s *jwkSet) lookup(kid, alg string) (crypto.PublicKey, error) {
	if kid == "" {
		if len(s.keys) != 1 {
			return nil, fmt.Errorf("token has no kid, and the key set has %d keys, not 1", len(s.keys))
		}
		if k := &s.keys[0]; !k.fits(alg) {
			return nil, fmt.Errorf("the key set's only key (kid %q) does not fit alg %s", k.kid, alg)
		}
		return s.keys[0].key, nil
	}
	found := false
	for i := range s.keys {
		if k := &s.keys[i]; k.kid == kid {
			if k.fits(alg) {
				return k.key, nil
			}
			found = true
		}
	}
	if found {
		return nil, fmt.Errorf("key %q does not fit alg %s", kid, alg)
	}
	if why, ok := s.skipped[kid]; ok {
		return nil, fmt.Errorf("%w %q that can be used (%s)", errJWKUnknownKid, kid, why)
	}
	return nil, fmt.Errorf("%w %q", errJWKUnknownKid, kid)
}

// drops reports whether s lacks or changed a key of old: tokens verified
// with it must be checked again.
func (s *jwkSet) drops(old *jwkSet) bool {
	if old == nil {
		return false
	}
	for _, o := range old.keys {
		if !slices.ContainsFunc(s.keys, func(k jwk) bool {
			return k.kid == o.kid && k.alg == o.alg &&
				k.key.(interface{ Equal(crypto.PublicKey) bool }).Equal(o.key)
		}) {
			return true
		}
	}
	return false
}
