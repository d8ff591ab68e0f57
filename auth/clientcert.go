package auth

import (
	"context"
	"fmt"
)

// ClientCert is an authorizer for TLS listeners that ask for client
// certificates (tls.Config.ClientAuth VerifyClientCertIfGiven or
// RequireAndVerifyClientCert): it requires a certificate the TLS stack
// verified, and makes its subject and subject alternative names the
// caller's identity. A request without one gets 401.
type ClientCert struct{}

var _ Authorizer = ClientCert{}

// Authorize returns the verified client certificate's identity.
func (ClientCert) Authorize(_ context.Context, r *Request) (*Identity, error) {
	tls := r.HTTP.TLS
	if tls == nil || len(tls.VerifiedChains) == 0 || len(tls.VerifiedChains[0]) == 0 {
		return nil, fmt.Errorf("%w: no verified client certificate", ErrUnauthorized)
	}
	cert := tls.VerifiedChains[0][0]
	sans := append([]string(nil), cert.DNSNames...)
	sans = append(sans, cert.EmailAddresses...)
	for _, u := range cert.URIs {
		sans = append(sans, u.String())
	}
	for _, ip := range cert.IPAddresses {
		sans = append(sans, ip.String())
	}
	return &Identity{
		Kind:      "clientcert",
		Principal: cert.Subject.String(),
		Context: map[string]any{
			"subjectDN":    cert.Subject.String(),
			"issuerDN":     cert.Issuer.String(),
			"serialNumber": cert.SerialNumber.String(),
			"sans":         sans,
		},
	}, nil
}
