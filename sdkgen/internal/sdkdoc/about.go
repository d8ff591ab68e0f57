package sdkdoc

import "github.com/gatekit/gatekit/sdkgen/internal/spec"

// About is what an SDK's files say of the API besides its operations and
// models, for templates to embed.
type About struct {
	// Title names the API in prose: "the Pet Store API".
	Title string
	// Version is the package's (spec.API.PackageVersion), APIVersion the
	// API's (or "").
	Version, APIVersion string
	// Endpoint, Stage, Region and Service are the client's defaults, as
	// string literals of the language.
	Endpoint, Stage, Region, Service string
}

// NewAbout returns what the SDK says of api; quote makes a string literal
// of the language.
func NewAbout(api *spec.API, quote func(string) string) About {
	return About{
		Title:      Title(api),
		Version:    api.PackageVersion(),
		APIVersion: api.Version,
		Endpoint:   quote(api.Endpoint()),
		Stage:      quote(api.Stage),
		Region:     quote(api.Region),
		Service:    quote(api.SigV4Service()),
	}
}
