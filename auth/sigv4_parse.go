package auth

import (
	"encoding/hex"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// sigv4MaxExpires is the longest X-Amz-Expires a presigned request may
// ask for: seven days, as AWS allows.
const sigv4MaxExpires = 7 * 24 * time.Hour

// sigv4Signed is what a request says about its own signature, parsed
// and checked for form but not yet verified.
type sigv4Signed struct {
	presigned bool

	accessKey string
	// scope is the credential scope as sent:
	// date/region/service/terminator.
	scope                                  string
	scopeDate, region, service, terminator string

	// signedHeaders is the SignedHeaders value as sent; headerNames the
	// names in it.
	signedHeaders string
	headerNames   []string
	signature     []byte

	// amzDate is the signing time as the string to sign has it (ISO
	// 8601 basic format); signedAt is the same instant.
	amzDate  string
	signedAt time.Time
	// expires is a presigned request's X-Amz-Expires; hasExpires
	// whether it had one.
	expires    time.Duration
	hasExpires bool

	// query is the decoded query string; token the X-Amz-Security-Token
	// sent (header or query), tokenInQuery whether it came in the query.
	query        []sigv4QueryPair
	token        string
	tokenInQuery bool
}

// sigv4Malformed reports a request whose authentication information is
// missing or cannot be parsed.
func sigv4Malformed(detail string) error {
	return fmt.Errorf("auth: sigv4: %s: %w", detail, ErrUnauthorized)
}

// sigv4Parse reads the signature of r, from its Authorization
// header or its presigned query string. Every error wraps
// [ErrUnauthorized].
func sigv4Parse(r *http.Request, rawQuery string) (*sigv4Signed, error) {
	pairs, err := sigv4ParseQuery(rawQuery)
	if err != nil {
		return nil, sigv4Malformed("query string: " + err.Error())
	}
	sr := &sigv4Signed{query: pairs}
	var presign [xAmzCount]string // indexed like sigv4PresignName
	for _, p := range pairs {
		i := sigv4PresignParam(p.key)
		switch {
		case i < 0:
		case presign[i] != "":
			return nil, sigv4Malformed("query parameter " + p.key + " repeated")
		case p.value == "":
			return nil, sigv4Malformed("query parameter " + p.key + " is empty")
		default:
			presign[i] = p.value
		}
	}
	authz := r.Header.Values("Authorization")
	switch {
	case len(authz) > 1:
		return nil, sigv4Malformed("more than one Authorization header")
	case len(authz) == 1 && (presign[xAmzAlgorithm] != "" || presign[xAmzSignature] != ""):
		return nil, sigv4Malformed("both an Authorization header and a presigned query string")
	case len(authz) == 1:
		err = sr.parseHeader(r, authz[0])
	case presign[xAmzAlgorithm] != "" || presign[xAmzSignature] != "" || presign[xAmzCredential] != "":
		sr.presigned = true
		err = sr.parsePresigned(&presign)
	default:
		err = sigv4Malformed("missing authentication token")
	}
	if err != nil {
		return nil, err
	}
	// The security token goes where the signature is, or else in the
	// other place.
	qTok, hTok := presign[xAmzSecurityToken], r.Header.Get("X-Amz-Security-Token")
	if sr.presigned && qTok != "" || hTok == "" {
		sr.token, sr.tokenInQuery = qTok, qTok != ""
	} else {
		sr.token = hTok
	}
	return sr, nil
}

// The presigned query parameters, by their index in sigv4PresignName.
const (
	xAmzAlgorithm = iota
	xAmzCredential
	xAmzDate
	xAmzExpires
	xAmzSignedHeaders
	xAmzSignature
	xAmzSecurityToken
	xAmzCount
)

// sigv4PresignName returns the name of presigned query parameter i.
func sigv4PresignName(i int) string {
	return [xAmzCount]string{
		"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires",
		"X-Amz-SignedHeaders", "X-Amz-Signature", "X-Amz-Security-Token",
	}[i]
}

// sigv4PresignParam returns the index of the presigned query parameter called
// name, or -1 if it is not one.
func sigv4PresignParam(name string) int {
	if !strings.HasPrefix(name, "X-Amz-") {
		return -1
	}
	for i := range xAmzCount {
		if sigv4PresignName(i) == name {
			return i
		}
	}
	return -1
}

// parseHeader reads the Authorization header form:
//
//	AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=…
//
// The three components may come in any order; each must come once.
func (sr *sigv4Signed) parseHeader(r *http.Request, authz string) error {
	rest, ok := strings.CutPrefix(authz, sigv4Algorithm+" ")
	if !ok {
		return sigv4Malformed("Authorization header is not " + sigv4Algorithm)
	}
	var credential, signedHeaders, signature string
	for part := range strings.SplitSeq(rest, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		var dst *string
		switch k {
		case "Credential":
			dst = &credential
		case "SignedHeaders":
			dst = &signedHeaders
		case "Signature":
			dst = &signature
		}
		switch {
		case !ok || dst == nil:
			return sigv4Malformed(fmt.Sprintf("Authorization header: unexpected component %.40q", part))
		case *dst != "":
			return sigv4Malformed("Authorization header: " + k + " repeated")
		case v == "":
			return sigv4Malformed("Authorization header: " + k + " is empty")
		}
		*dst = v
	}
	if credential == "" || signedHeaders == "" || signature == "" {
		return sigv4Malformed("Authorization header: Credential, SignedHeaders and Signature are required")
	}
	if err := sr.parseCommon(credential, signedHeaders, signature); err != nil {
		return err
	}

	// The signing time: X-Amz-Date, or else Date; either must be signed.
	dateHeader := "x-amz-date"
	if v := r.Header.Get("X-Amz-Date"); v != "" {
		if err := sr.parseAmzDate(v); err != nil {
			return err
		}
	} else if v := r.Header.Get("Date"); v != "" {
		t, err := http.ParseTime(v)
		if err != nil {
			return sigv4Malformed("Date header: " + err.Error())
		}
		dateHeader = "date"
		sr.signedAt = t.UTC()
		sr.amzDate = sr.signedAt.Format(sigv4DateLayout)
	} else {
		return sigv4Malformed("neither X-Amz-Date nor Date header")
	}
	if !sigv4Contains(sr.headerNames, dateHeader) {
		return sigv4Malformed(dateHeader + " is not a signed header")
	}
	return nil
}

// parsePresigned reads the X-Amz-* query parameters of a presigned
// request.
func (sr *sigv4Signed) parsePresigned(p *[xAmzCount]string) error {
	for i, v := range p[:xAmzSecurityToken] {
		if v == "" && i != xAmzExpires {
			return sigv4Malformed("presigned query string: " + sigv4PresignName(i) + " is missing")
		}
	}
	if p[xAmzAlgorithm] != sigv4Algorithm {
		return sigv4Malformed("X-Amz-Algorithm is not " + sigv4Algorithm)
	}
	if err := sr.parseCommon(p[xAmzCredential], p[xAmzSignedHeaders], p[xAmzSignature]); err != nil {
		return err
	}
	if err := sr.parseAmzDate(p[xAmzDate]); err != nil {
		return err
	}
	if v := p[xAmzExpires]; v != "" {
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil || time.Duration(n)*time.Second > sigv4MaxExpires {
			return sigv4Malformed(fmt.Sprintf("X-Amz-Expires %.20q is not a number of seconds up to 604800", v))
		}
		sr.expires, sr.hasExpires = time.Duration(n)*time.Second, true
	}
	return nil
}

// parseCommon reads the parts both forms share: the credential
// (AKID/date/region/service/terminator), the signed header names and the
// hex signature.
func (sr *sigv4Signed) parseCommon(credential, signedHeaders, signature string) error {
	parts := strings.Split(credential, "/")
	if len(parts) != 5 || slices.Contains(parts, "") {
		return sigv4Malformed(fmt.Sprintf("credential %.80q is not AKID/date/region/service/aws4_request", credential))
	}
	sr.accessKey = parts[0]
	sr.scopeDate, sr.region, sr.service, sr.terminator = parts[1], parts[2], parts[3], parts[4]
	sr.scope = credential[len(parts[0])+1:]

	sr.signedHeaders = signedHeaders
	sr.headerNames = strings.Split(signedHeaders, ";")
	for i, name := range sr.headerNames {
		if !sigv4IsHeaderName(name) {
			return sigv4Malformed(fmt.Sprintf("signed header %.40q is not a lower-case header name", name))
		}
		if i > 0 && sr.headerNames[i-1] >= name {
			return sigv4Malformed("signed headers are not sorted and distinct")
		}
	}
	if !sigv4Contains(sr.headerNames, "host") {
		return sigv4Malformed("host is not a signed header")
	}

	if len(signature) != 64 {
		return sigv4Malformed("signature is not 64 hex digits")
	}
	sig, err := hex.DecodeString(signature)
	if err != nil {
		return sigv4Malformed("signature is not 64 hex digits")
	}
	sr.signature = sig
	return nil
}

// parseAmzDate reads an X-Amz-Date value: ISO 8601 basic format in UTC
// ("20150830T123600Z").
func (sr *sigv4Signed) parseAmzDate(v string) error {
	t, err := time.Parse(sigv4DateLayout, v)
	if err != nil || len(v) != len(sigv4DateLayout) {
		return sigv4Malformed(fmt.Sprintf("X-Amz-Date %.20q is not in the form 20060102T150405Z", v))
	}
	sr.amzDate, sr.signedAt = v, t
	return nil
}

// sigv4IsHeaderName reports whether s is a non-empty HTTP header name (RFC 9110
// token) with no upper-case letters.
func sigv4IsHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// sigv4Contains reports whether the sorted list holds s.
func sigv4Contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
		if v > s {
			return false
		}
	}
	return false
}
