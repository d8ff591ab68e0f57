package auth

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"math/big"
	"testing"
	"time"
)

func TestClientCert(t *testing.T) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(42),
		Subject:      pkix.Name{CommonName: "client-1", Organization: []string{"Acme"}},
		DNSNames:     []string{"client-1.acme.test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)

	r := authRequest("GET", "/pets")
	if _, err := (ClientCert{}).Authorize(context.Background(), r); !errors.Is(err, ErrUnauthorized) {
		t.Errorf("without TLS: %v", err)
	}
	r.HTTP.TLS = &tls.ConnectionState{PeerCertificates: []*x509.Certificate{cert}}
	if _, err := (ClientCert{}).Authorize(context.Background(), r); !errors.Is(err, ErrUnauthorized) {
		t.Errorf("unverified certificate: %v", err)
	}
	r.HTTP.TLS.VerifiedChains = [][]*x509.Certificate{{cert}}
	id, err := (ClientCert{}).Authorize(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	if id.Kind != "clientcert" || id.Principal != "CN=client-1,O=Acme" || id.Context["serialNumber"] != "42" {
		t.Errorf("identity %+v", id)
	}
	if sans := id.Context["sans"].([]string); len(sans) != 1 || sans[0] != "client-1.acme.test" {
		t.Errorf("sans %v", sans)
	}
}
