package main

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net"
	"net/http"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// issuer is the example's own identity provider: an RSA signing key whose
// public half it publishes as a JSON Web Key Set on a loopback port, as an
// OpenID Connect provider does.
type issuer struct {
	*http.Server
	URL string // the issuer, "http://127.0.0.1:PORT"
	key *rsa.PrivateKey
}

const issuerKeyID = "petstore-1"

func startIssuer() (*issuer, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	iss := &issuer{URL: "http://" + ln.Addr().String(), key: key}
	b64 := base64.RawURLEncoding.EncodeToString
	jwks, _ := json.Marshal(map[string]any{"keys": []map[string]string{{
		"kty": "RSA", "kid": issuerKeyID, "use": "sig", "alg": "RS256",
		"n": b64(key.N.Bytes()), "e": b64(big.NewInt(int64(key.E)).Bytes()),
	}}})
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/jwks.json", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(jwks)
	})
	iss.Server = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = iss.Serve(ln) }()
	return iss, nil
}

// token signs an access token for subject with the space-separated scope,
// valid for ttl.
func (i *issuer) token(subject, scope string, ttl time.Duration) (string, error) {
	now := time.Now()
	t := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims{
		"iss": i.URL, "aud": "petstore", "sub": subject, "scope": scope,
		"iat": now.Unix(), "exp": now.Add(ttl).Unix(),
	})
	t.Header["kid"] = issuerKeyID
	return t.SignedString(i.key)
}
