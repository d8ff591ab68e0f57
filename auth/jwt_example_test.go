package auth_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/gatekit/gatekit/auth"
	"github.com/golang-jwt/jwt/v5"
)

func ExampleJWT() {
	// The issuer's signing key, and its public half in a key set served
	// in-process.
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	pub, _ := key.PublicKey.Bytes() // 0x04 || x || y
	b64 := base64.RawURLEncoding.EncodeToString
	jwks, _ := json.Marshal(map[string]any{"keys": []any{map[string]string{
		"kty": "EC", "crv": "P-256", "kid": "key-1", "use": "sig",
		"x": b64(pub[1:33]), "y": b64(pub[33:]),
	}}})
	idp := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write(jwks)
	}))
	defer idp.Close()

	authz, err := auth.NewJWT(auth.JWTConfig{
		Issuer:    "https://idp.example.com",
		Audiences: []string{"pets-api"},
		JWKSURL:   idp.URL, // without it, discovered from Issuer
	})
	if err != nil {
		fmt.Println(err)
		return
	}

	// A token as the issuer mints it.
	tok := jwt.NewWithClaims(jwt.SigningMethodES256, jwt.MapClaims{
		"iss":   "https://idp.example.com",
		"aud":   "pets-api",
		"sub":   "alice",
		"scope": "pets:read pets:write",
		"exp":   time.Now().Add(time.Hour).Unix(),
	})
	tok.Header["kid"] = "key-1"
	signed, _ := tok.SignedString(key)

	r := httptest.NewRequest(http.MethodGet, "/pets", nil)
	r.Header.Set("Authorization", "Bearer "+signed)
	id, err := authz.Authorize(context.Background(), &auth.Request{HTTP: r})
	fmt.Println(id.Principal, id.Scopes, err)

	// Refusals wrap ErrUnauthorized; Challenge says what to answer.
	r.Header.Del("Authorization")
	_, err = authz.Authorize(context.Background(), &auth.Request{HTTP: r})
	fmt.Println(errors.Is(err, auth.ErrUnauthorized), authz.Challenge(err))
	r.Header.Set("Authorization", "Bearer "+signed[:len(signed)-4]+"AAAA")
	_, err = authz.Authorize(context.Background(), &auth.Request{HTTP: r})
	fmt.Println(errors.Is(err, auth.ErrUnauthorized), authz.Challenge(err))
	// Output:
	// alice [pets:read pets:write] <nil>
	// true Bearer realm="https://idp.example.com"
	// true Bearer realm="https://idp.example.com", error="invalid_token"
}
