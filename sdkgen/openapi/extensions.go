package openapi

// The extensions Export writes and Import reads: the managed service's
// (see its developer guide, "OpenAPI extensions"), and gatekit's own
// x-gatekit-sigv4, which carries what SigV4 signs for ({"region": …,
// "service": …}); the managed service needs none, its region being in its
// host name.
const (
	xPrefix           = "x-amazon-apigateway-"
	xAnyMethod        = "x-amazon-apigateway-any-method"
	xIntegration      = "x-amazon-apigateway-integration"
	xIntegrations     = "x-amazon-apigateway-integrations"
	xAuthorizer       = "x-amazon-apigateway-authorizer"
	xAuthType         = "x-amazon-apigateway-authtype"
	xAuth             = "x-amazon-apigateway-auth"
	xAPIKeySource     = "x-amazon-apigateway-api-key-source"
	xValidators       = "x-amazon-apigateway-request-validators"
	xValidator        = "x-amazon-apigateway-request-validator"
	xGatewayResponses = "x-amazon-apigateway-gateway-responses"
	xCORS             = "x-amazon-apigateway-cors"
	xPolicy           = "x-amazon-apigateway-policy"
	xEndpointConfig   = "x-amazon-apigateway-endpoint-configuration"
	xImportExport     = "x-amazon-apigateway-importexport-version"
	xGatekitSigV4     = "x-gatekit-sigv4"
)
