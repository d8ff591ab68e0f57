package auth

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/gatekit/gatekit/internal/clocktest"
)

// The shared test vectors, relative to the package directory.
const (
	jwtCookbookDir   = "../../shared/testdata/jose-cookbook"
	jwtWycheproofDir = "../../shared/testdata/wycheproof-jose"
)

// jwtVerifySignature is the signature half of Authorize, for vectors whose
// payloads are not claims: parse tok, check its alg against algs (the
// defaults if nil), choose its key (secret for HS, else from set) and
// verify the signature.
func jwtVerifySignature(tok string, set *jwkSet, secret []byte, algs []string) error {
	allowed, _, errs := jwtAlgorithms(algs, secret)
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	p, err := parseJWS(tok)
	if err != nil {
		return err
	}
	if !allowed[p.header.Alg] {
		return fmt.Errorf("alg %q is not allowed", p.header.Alg)
	}
	var key any = secret
	if !jwtIsHMAC(p.header.Alg) {
		if key, err = set.lookup(p.header.Kid, p.header.Alg); err != nil {
			return err
		}
	}
	return p.verify(key)
}

func jwtReadJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// TestJWTJoseFixtures verifies tokens that the npm package jose signed
// (testdata/jwt/gen.mjs made them) against its key set.
func TestJWTJoseFixtures(t *testing.T) {
	t.Parallel()
	jwks, err := os.ReadFile("testdata/jwt/jwks.json")
	if err != nil {
		t.Fatal(err)
	}
	var tokens map[string]string
	jwtReadJSON(t, "testdata/jwt/tokens.json", &tokens)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(jwks) }))
	defer srv.Close()
	srv.Client().Timeout = 5 * time.Second
	clock := clocktest.NewClock(jwtT0)
	j, err := NewJWT(JWTConfig{
		Issuer:    "https://idp.example.test",
		Audiences: []string{"gatekit-fixtures"},
		JWKSURL:   srv.URL,
		Client:    srv.Client(),
		Clock:     clock.Now,
		CacheSize: -1,
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"ES256", "ES384", "EdDSA", "PS256", "RS256"}; !reflect.DeepEqual(slices.Sorted(maps.Keys(tokens)), want) {
		t.Fatalf("fixture algorithms = %v; want %v", slices.Sorted(maps.Keys(tokens)), want)
	}
	for alg, tok := range tokens {
		t.Run(alg, func(t *testing.T) {
			id, err := j.Authorize(context.Background(), jwtRequest(tok))
			if err != nil {
				t.Fatalf("Authorize: %v", err)
			}
			if id.Principal != "fixture-user" || !slices.Equal(id.Scopes, []string{"pets:read", "pets:write"}) || id.Claims["email"] != "fixture@example.test" {
				t.Errorf("identity = %+v", id)
			}
			tampered := []byte(tok)
			tampered[len(tampered)/2] ^= 'A' ^ 'B' // a letter in the payload
			if _, err := j.Authorize(context.Background(), jwtRequest(string(tampered))); !errors.Is(err, ErrUnauthorized) {
				t.Errorf("tampered token: error = %v; want ErrUnauthorized", err)
			}
		})
	}
}

// TestJWTCookbook verifies the signed examples of RFC 7520 §4 with the
// keys of §3. Their payloads are prose, so only keys and signatures are
// checked.
func TestJWTCookbook(t *testing.T) {
	tests := []struct {
		name, jws, jwk string // jwk is "" for the HMAC example, whose key is in its input
	}{
		{"4.1 RS256", "4_1.rsa_v15_signature.json", "3_3.rsa_public_key.json"},
		{"4.2 PS384", "4_2.rsa-pss_signature.json", "3_3.rsa_public_key.json"},
		{"4.3 ES512", "4_3.ecdsa_signature.json", "3_1.ec_public_key.json"},
		{"4.4 HS256", "4_4.hmac-sha2_integrity_protection.json", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var example struct {
				Input struct {
					Payload string `json:"payload"`
					Key     struct {
						K string `json:"k"`
					} `json:"key"`
				} `json:"input"`
				Output struct {
					Compact string `json:"compact"`
				} `json:"output"`
			}
			jwtReadJSON(t, filepath.Join(jwtCookbookDir, "jws", tt.jws), &example)
			set, secret := &jwkSet{}, []byte(nil)
			if tt.jwk != "" {
				key, err := os.ReadFile(filepath.Join(jwtCookbookDir, "jwk", tt.jwk))
				if err != nil {
					t.Fatal(err)
				}
				if set, err = parseJWKS(fmt.Appendf(nil, `{"keys": [%s]}`, key)); err != nil || len(set.keys) != 1 {
					t.Fatalf("parseJWKS(%s) = %d keys, %v (skipped %v); want 1 key", tt.jwk, len(set.keys), err, set.skipped)
				}
			} else {
				var err error
				if secret, err = base64.RawURLEncoding.DecodeString(example.Input.Key.K); err != nil {
					t.Fatal(err)
				}
			}
			tok := example.Output.Compact
			if err := jwtVerifySignature(tok, set, secret, nil); err != nil {
				t.Fatalf("verify: %v", err)
			}
			p, _ := parseJWS(tok)
			if string(p.payload) != example.Input.Payload {
				t.Errorf("payload = %q; want %q", p.payload, example.Input.Payload)
			}
			for _, i := range []int{len(tok) - 10, len(tok) / 2, 10} {
				bad := []byte(tok)
				bad[i] ^= 'A' ^ 'B'
				if bad[i] == 'A'^'B'^'.' { // hit a dot: move off it
					continue
				}
				if err := jwtVerifySignature(string(bad), set, secret, nil); err == nil {
					t.Errorf("verify accepted the example with byte %d changed", i)
				}
			}
		})
	}
}

// jwtWycheproofDisagree are the Wycheproof vectors on which the verifier
// knowingly differs, with why.
var jwtWycheproofDisagree = map[string]string{
	"json_web_signature_test.json#346": `the key's alg is PS256 and the token's PS384: a key with an alg verifies that alg only (as vectors 331 to 340 demand)`,
	"json_web_signature_test.json#350": `the key's alg is PS256 and the token's PS384 (see 346)`,
	"json_web_signature_test.json#347": `the key's alg is "ES521", no algorithm at all, so the key is skipped`,
	"json_web_signature_test.json#351": `the key's alg is "ES521" (see 347)`,
	"json_web_signature_test.json#372": `"?" is not base64url, so the token is malformed; the vector's MAC is that of the token without it`,
	"json_web_signature_test.json#373": `"?" is not base64url (see 372)`,
	"json_web_signature_test.json#367": "the token is byte for byte vector 357, which is valid: the padding it means to test is missing (padded tokens are refused, see TestJWTRefusals)",
	"json_web_signature_test.json#370": "the token is byte for byte vector 357 (see 367)",
	"json_web_key_test.json#7":         "keys with the ROCA weakness are not detected: the issuer is trusted to publish sound keys",
}

// TestJWTWycheproof runs the Wycheproof JWS vectors (and the JWK vectors
// that apply: public key sets, single HMAC keys) through the signature
// check, which must agree with each vector's result.
func TestJWTWycheproof(t *testing.T) {
	type vectors struct {
		TestGroups []struct {
			Comment string          `json:"comment"`
			Public  json.RawMessage `json:"public"`
			Private json.RawMessage `json:"private"`
			Tests   []struct {
				TcID    int    `json:"tcId"`
				Comment string `json:"comment"`
				JWS     string `json:"jws"`
				Result  string `json:"result"`
			} `json:"tests"`
		} `json:"testGroups"`
	}
	for _, file := range []string{"json_web_signature_test.json", "json_web_key_test.json"} {
		t.Run(file, func(t *testing.T) {
			var v vectors
			jwtReadJSON(t, filepath.Join(jwtWycheproofDir, file), &v)
			checked, skipped := 0, 0
			for _, g := range v.TestGroups {
				set, secret, algs, why := jwtWycheproofKeys(file, g.Public, g.Private)
				for _, tc := range g.Tests {
					name := fmt.Sprintf("%s#%d", file, tc.TcID)
					if why != "" {
						skipped++
						t.Logf("%s (%s, %s): not applicable: %s", name, g.Comment, tc.Comment, why)
						continue
					}
					checked++
					err := errors.New("key set rejected")
					if set != nil || secret != nil {
						err = jwtVerifySignature(tc.JWS, set, secret, algs)
					}
					valid := err == nil
					want := tc.Result == "valid"
					if reason, ok := jwtWycheproofDisagree[name]; ok {
						if valid == want {
							t.Errorf("%s (%s): listed as a disagreement (%s) but agrees", name, tc.Comment, reason)
						}
						continue
					}
					if valid != want {
						t.Errorf("%s (%s, %s): valid = %v (%v); want %v", name, g.Comment, tc.Comment, valid, err, want)
					}
				}
			}
			t.Logf("%d vectors checked, %d not applicable", checked, skipped)
		})
	}
}

// jwtWycheproofKeys makes a group's key material into what the verifier
// takes: a key set for public keys, or a Secret (with its one algorithm)
// for a single HMAC key. why says why a group does not apply.
func jwtWycheproofKeys(file string, public, private json.RawMessage) (set *jwkSet, secret []byte, algs []string, why string) {
	var jwks struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if file == "json_web_signature_test.json" { // one key per group
		if public != nil {
			s, err := parseJWKS(fmt.Appendf(nil, `{"keys": [%s]}`, public))
			if err != nil {
				return nil, nil, nil, err.Error()
			}
			return s, nil, nil, ""
		}
		jwks.Keys = []json.RawMessage{private}
	} else {
		if public != nil {
			s, err := parseJWKS(public)
			if err != nil {
				return nil, nil, nil, err.Error()
			}
			return s, nil, nil, ""
		}
		if err := json.Unmarshal(private, &jwks); err != nil {
			return nil, nil, nil, err.Error()
		}
	}
	if len(jwks.Keys) != 1 {
		return nil, nil, nil, "a set of symmetric keys: JWT takes one Secret, never symmetric keys from a key set"
	}
	var k struct {
		Kty, Alg, K string
	}
	if err := json.Unmarshal(jwks.Keys[0], &k); err != nil || k.Kty != "oct" {
		return nil, nil, nil, fmt.Sprintf("private key of type %q without a public key", k.Kty)
	}
	if !jwtIsHMAC(k.Alg) {
		return nil, nil, nil, fmt.Sprintf("symmetric key for %q, which is not a JWS algorithm", k.Alg)
	}
	key, err := base64.RawURLEncoding.DecodeString(k.K)
	if err != nil {
		return nil, nil, nil, err.Error()
	}
	if file == "json_web_signature_test.json" {
		return &jwkSet{}, key, nil, "" // as Secret, with the default algorithms
	}
	if _, err := NewJWT(JWTConfig{Issuer: "i", Audiences: []string{"a"}, Secret: key, Algorithms: []string{k.Alg}}); err != nil {
		return nil, nil, nil, "" // NewJWT refuses the key: every token is invalid
	}
	return &jwkSet{}, key, []string{k.Alg}, ""
}
