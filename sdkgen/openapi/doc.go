// Package openapi exports the APIs a gatekit gateway serves as OpenAPI 3.0
// documents, and imports OpenAPI 3.0 and Swagger 2.0 documents as gatekit
// APIs, honouring the managed service's x-amazon-apigateway-* extensions.
//
// [Export] describes one stage: what its deployment serves, with the
// stage's URL as the server. [MarshalJSON] and [MarshalYAML] write the
// document. [Import] builds a [gateway.API] from a document; what it
// cannot map is reported as a warning (or, in strict mode, an error),
// never dropped silently.
//
// The SDK generators of package sdkgen work from these documents.
package openapi
