package spec

import (
	"regexp"
	"strings"
)

// Endpoint is the endpoint a generated client calls by default: BaseURL
// without a trailing slash and without its stage.
func (a *API) Endpoint() string {
	base := strings.TrimSuffix(a.BaseURL, "/")
	if a.Stage != "" {
		base = strings.TrimSuffix(base, "/"+a.Stage)
	}
	return base
}

// SigV4Service is the service SigV4 signs for by default: Service, or
// "execute-api" when it is empty.
func (a *API) SigV4Service() string {
	if a.Service == "" {
		return "execute-api"
	}
	return a.Service
}

// dottedNumber is a version that PEP 440 and RubyGems both accept.
var dottedNumber = regexp.MustCompile(`^[0-9]+(\.[0-9]+)*$`)

// PackageVersion is a generated package's version: the API's Version
// when it is a plain dotted number (which both PEP 440 and RubyGems
// accept), else 0.1.0.
func (a *API) PackageVersion() string {
	if dottedNumber.MatchString(a.Version) {
		return a.Version
	}
	return "0.1.0"
}
