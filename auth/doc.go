// Package auth decides who may call an API: JWT authorizers, SigV4
// (AWS Signature Version 4) request signing, custom authorizers written as
// Go functions, policy documents, client certificates and API keys.
//
// It knows nothing of package gateway: an [Authorizer] gets a [Request]
// (the HTTP request plus what the gateway resolved about it) and returns
// an [Identity] or an error wrapping one of the sentinel outcomes
// ([ErrUnauthorized], [ErrForbidden], [ErrInvalidSignature],
// [ErrExpiredToken]). The gateway registers authorizers by name, runs the
// one a route names, maps the outcome to its gateway response, and hands
// the identity to the integration.
//
// # Failures
//
// No error an authorizer returns is shown to the client: the gateway
// answers with the response type's generic message and logs the detail.
package auth
