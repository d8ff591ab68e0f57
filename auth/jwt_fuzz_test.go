package auth

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/golang-jwt/jwt/v5"

	"github.com/gatekit/gatekit/internal/clocktest"
)

// FuzzJWTParse feeds Authorize arbitrary tokens: it must never panic,
// and must accept none but the valid seeds themselves.
func FuzzJWTParse(f *testing.F) {
	secret := []byte("0123456789abcdef0123456789abcdef")
	keys := []*jwtTestKey{jwtKey("p256", "ec", "ES256"), jwtKey("ed", "ed", ""), jwtKey("rsa1", "rsa", "")}
	idp := newJWTTestIdP(f, keys...)
	clock := clocktest.NewClock(jwtT0)
	j := newJWTForIdP(f, idp, clock, func(c *JWTConfig) { c.Secret, c.CacheSize = secret, -1 })

	claims := func(edit func(jwt.MapClaims)) jwt.MapClaims {
		c := idp.claims(clock.Now())
		c["scope"] = "a b"
		if edit != nil {
			edit(c)
		}
		return c
	}
	valid := []string{
		keys[0].sign(f, "ES256", claims(nil)),
		keys[1].sign(f, "EdDSA", claims(nil)),
		keys[2].sign(f, "RS256", claims(nil)),
		keys[2].sign(f, "PS256", claims(func(c jwt.MapClaims) { c["aud"] = []string{"x", "api"} })),
		jwtSign(f, "HS256", "", secret, claims(nil), nil),
	}
	for _, tok := range valid {
		f.Add(tok)
	}
	for _, tok := range []string{
		"", ".", "..", "a.b.c", "e30.e30.", "e30.e30.AA",
		jwtCompact(map[string]string{"alg": "none"}, claims(nil), nil),
		jwtCompact(map[string]any{"alg": "ES256", "kid": "ec", "crit": []string{"b64"}}, claims(nil), make([]byte, 64)),
		keys[0].sign(f, "ES256", claims(func(c jwt.MapClaims) { c["exp"] = "soon" })),
		keys[1].sign(f, "EdDSA", claims(func(c jwt.MapClaims) { delete(c, "scope"); c["scp"] = []any{1.5} })),
		jwtSign(f, "ES256", "unknown", keys[0].priv, claims(nil), nil),
	} {
		f.Add(tok)
	}

	f.Fuzz(func(t *testing.T, tok string) {
		if p, err := parseJWS(tok); err == nil {
			// Strict decoding: every token has one spelling.
			b64 := base64.RawURLEncoding.EncodeToString
			h, _, _ := strings.Cut(tok, ".")
			if got := p.signingInput + "." + b64(p.sig); got != tok || !strings.HasPrefix(tok, h+"."+b64(p.payload)+".") {
				t.Fatalf("parseJWS(%q) does not round-trip", tok)
			}
		}
		id, err := j.Authorize(context.Background(), jwtRequest(tok))
		if err == nil {
			if !slices.Contains(valid, tok) {
				t.Fatalf("Authorize accepted %q as %+v", tok, id)
			}
			return
		}
		if !errors.Is(err, ErrUnauthorized) {
			t.Fatalf("Authorize(%q) error %v does not wrap ErrUnauthorized", tok, err)
		}
	})
}

// FuzzJWKSParse feeds the key set parser arbitrary documents: it must
// never panic, and every key it keeps must fit an algorithm (its own
// alg, if it has one).
func FuzzJWKSParse(f *testing.F) {
	seeds := []string{"testdata/jwt/jwks.json"}
	for _, name := range []string{"3_1.ec_public_key.json", "3_3.rsa_public_key.json", "3_2.ec_private_key.json"} {
		seeds = append(seeds, filepath.Join(jwtCookbookDir, "jwk", name))
	}
	for i, path := range seeds {
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		if i > 0 {
			b = append(append([]byte(`{"keys":[`), b...), "]}"...)
		}
		f.Add(b)
	}
	var set []map[string]any
	for _, k := range []*jwtTestKey{jwtKey("p384", "a", "ES384"), jwtKey("p521", "b", ""), jwtKey("ed", "c", "EdDSA")} {
		set = append(set, k.jwk())
	}
	set = append(set, map[string]any{"kty": "oct", "k": "AAAA"}, map[string]any{"kty": "EC", "crv": "P-256", "x": "AA", "y": "AA"})
	b, _ := json.Marshal(map[string]any{"keys": set})
	f.Add(b)
	f.Add([]byte(`{"keys":[{"kty":"RSA","n":"AQAB","e":"AQAB"}]}`))
	f.Add([]byte(`{"keys":null}`))
	f.Add([]byte(`[]`))

	f.Fuzz(func(t *testing.T, body []byte) {
		s, err := parseJWKS(body)
		if err != nil {
			return
		}
		for _, k := range s.keys {
			if k.alg != "" && !jwtKeyFits(k.alg, k.key) {
				t.Fatalf("kept key %q whose alg %q does not fit it", k.kid, k.alg)
			}
			if !slices.ContainsFunc(jwtDefaultAlgorithms, k.fits) {
				t.Fatalf("kept key %q (%T) that fits no algorithm", k.kid, k.key)
			}
			for _, alg := range jwtDefaultAlgorithms {
				s.lookup(k.kid, alg)
			}
		}
		s.lookup("", "ES256")
	})
}
