package gateway_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gatekit/gatekit/auth"
	"github.com/gatekit/gatekit/gateway"
)

// TestClientCertificate serves a gateway over TLS that asks for client
// certificates; a route that requires one sees its subject.
func TestClientCertificate(t *testing.T) {
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test CA"}, IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	caDER, _ := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	ca, _ := x509.ParseCertificate(caDER)
	clientKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	clientTmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "billing-service"}, DNSNames: []string{"billing.internal"},
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	clientDER, _ := x509.CreateCertificate(rand.Reader, clientTmpl, ca, &clientKey.PublicKey, caKey)

	gw := gateway.New()
	defer gw.Close()
	if err := gw.RegisterAuthorizer("mtls", auth.ClientCert{}); err != nil {
		t.Fatal(err)
	}
	h := gateway.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := gateway.Identity(r.Context())
		fmt.Fprintf(w, "%s %v", id.Principal, id.Context["sans"])
	}))
	if err := gw.Mount("/", &gateway.API{Routes: []gateway.Route{{Key: "GET /internal", Integration: h, Authorizer: "mtls"}}}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(gw)
	pool := x509.NewCertPool()
	pool.AddCert(ca)
	srv.TLS = &tls.Config{ClientAuth: tls.VerifyClientCertIfGiven, ClientCAs: pool}
	srv.StartTLS()
	defer srv.Close()

	for _, tt := range []struct {
		name   string
		certs  []tls.Certificate
		status int
		body   string
	}{
		{"without a certificate", nil, 401, `{"message":"Unauthorized"}`},
		{"with one", []tls.Certificate{{Certificate: [][]byte{clientDER}, PrivateKey: clientKey}}, 200, "CN=billing-service [billing.internal]"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			client := srv.Client()
			tr := client.Transport.(*http.Transport).Clone()
			tr.TLSClientConfig.Certificates = tt.certs
			defer tr.CloseIdleConnections()
			resp, err := (&http.Client{Transport: tr}).Get(srv.URL + "/internal")
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.status || string(b) != tt.body {
				t.Errorf("got %d %q, want %d %q", resp.StatusCode, b, tt.status, tt.body)
			}
		})
	}
}
