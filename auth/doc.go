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
// # The authorizers
//
//   - [JWT] (made with [NewJWT]): bearer tokens checked against an
//     issuer's JSON Web Key Set, found through OpenID Connect discovery or
//     configured. Algorithms come from an allow-list; "none" and
//     key-type confusions are refused; keys are cached and refetched for
//     unknown key ids at a bounded rate; verified tokens are cached until
//     they expire. It answers 401s with a WWW-Authenticate challenge.
//   - [SigV4]: requests signed with AWS Signature Version 4, in the
//     Authorization header or a presigned query string, for credentials a
//     [Credentials] provider looks up; a credential may carry a [Policy].
//     The canonical request is built from the request-target the client
//     sent, so the gateway's own path handling cannot break a signature.
//   - [Custom]: the managed service's Lambda authorizers (TOKEN, REQUEST,
//     and the simple response) as Go functions with the aws-lambda-go
//     event types. Results are cached per identity-source values, and a
//     cached policy is evaluated again for each request's own resource.
//   - [ClientCert]: the verified TLS client certificate as identity.
//   - [ResourcePolicy]: a [Policy] every request to an API must pass, such
//     as a source IP allow-list.
//
// [APIKeys] creates API keys (shown once, stored as SHA-256 digests in a
// [KeyStore]) and checks them.
//
// # Policies
//
// [Policy] documents have the managed service's shape: Allow and Deny
// statements on execute-api:Invoke for resources such as
// arn:aws:execute-api:{region}:{account}:{api}/{stage}/{METHOD}/{path},
// with "*" and "?" wildcards and source-IP conditions; an explicit deny
// wins, and what no statement allows is denied.
//
// # Failures
//
// No error an authorizer returns is shown to the client: the gateway
// answers with the response type's generic message and logs the detail.
// Authorizers take care that their answers do not tell an attacker which
// part was wrong: an unknown access key costs and reads the same as a
// wrong signature, an unknown API key the same as a disabled one.
package auth
