package gateway

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// AccessLog writes one line per request of a stage, as the managed
// service's access logging does, through a slog.Logger.
type AccessLog struct {
	// Logger receives the lines, at Info level. Required.
	Logger *slog.Logger
	// Format is the line: text in which $context variables, with the
	// managed service's names, are replaced — e.g.
	//
	//	{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","status":"$context.status"}
	//
	// The line is the log record's message. If empty, each record has no
	// message but one attribute per variable of DefaultAccessLogVariables,
	// for structured handlers (slog.JSONHandler). An unknown variable is
	// an error when the stage is configured.
	Format string
}

// DefaultAccessLogVariables are the attributes of a record when the
// AccessLog has no Format.
var DefaultAccessLogVariables = []string{
	"requestId", "identity.sourceIp", "httpMethod", "routeKey", "path", "status",
	"protocol", "responseLength", "requestTime", "responseLatency",
	"integrationLatency", "integrationStatus", "error.message", "identity.apiKeyId",
	"authorizer.principalId", "cacheStatus",
}

// accessVars are the $context variables an access log can use.
var accessVars = map[string]func(e *accessEntry) string{
	"requestId":              func(e *accessEntry) string { return e.s.requestID() },
	"extendedRequestId":      func(e *accessEntry) string { return e.s.requestID() },
	"apiId":                  func(e *accessEntry) string { return e.s.dep.name },
	"stage":                  func(e *accessEntry) string { return e.s.stage.name },
	"domainName":             func(e *accessEntry) string { return e.r.Host },
	"httpMethod":             func(e *accessEntry) string { return e.r.Method },
	"routeKey":               func(e *accessEntry) string { return routeKeyOf(e.s) },
	"resourcePath":           func(e *accessEntry) string { return resourceOf(e.s) },
	"path":                   func(e *accessEntry) string { return e.r.URL.EscapedPath() },
	"protocol":               func(e *accessEntry) string { return e.r.Proto },
	"status":                 func(e *accessEntry) string { return strconv.Itoa(e.status) },
	"responseLength":         func(e *accessEntry) string { return strconv.FormatInt(e.bytes, 10) },
	"requestTime":            func(e *accessEntry) string { return e.s.time().UTC().Format("02/Jan/2006:15:04:05 -0700") },
	"requestTimeEpoch":       func(e *accessEntry) string { return strconv.FormatInt(e.s.time().UnixMilli(), 10) },
	"responseLatency":        func(e *accessEntry) string { return msText(e.elapsed) },
	"integrationLatency":     func(e *accessEntry) string { return integrationMs(e) },
	"integration.latency":    func(e *accessEntry) string { return integrationMs(e) },
	"integrationStatus":      func(e *accessEntry) string { return integrationStatus(e) },
	"integration.status":     func(e *accessEntry) string { return integrationStatus(e) },
	"error.message":          func(e *accessEntry) string { return dash(e.s.out.errMessage) },
	"error.responseType":     func(e *accessEntry) string { return dash(string(e.s.out.errType)) },
	"identity.sourceIp":      func(e *accessEntry) string { return e.s.sourceIP },
	"identity.userAgent":     func(e *accessEntry) string { return dash(e.r.UserAgent()) },
	"identity.apiKeyId":      func(e *accessEntry) string { return dash(authOf(e.s).apiKeyID) },
	"authorizer.principalId": func(e *accessEntry) string { return dash(principalOf(e.s)) },
	"cacheStatus":            func(e *accessEntry) string { return [...]string{"MISS", "-", "HIT"}[e.s.out.cache+1] },
}

// accessEntry is what a line is made of.
type accessEntry struct {
	r       *http.Request
	s       *reqState
	status  int
	bytes   int64
	elapsed time.Duration
}

// accessLogger is a compiled AccessLog.
type accessLogger struct {
	logger *slog.Logger
	parts  []accessPart // the Format, split; nil for structured records
	names  []string     // the variables of a structured record
}

// accessPart is literal text, or a variable (name set).
type accessPart struct {
	text string
	name string
	get  func(e *accessEntry) string
}

// compileAccessLog checks al and compiles it.
func compileAccessLog(al *AccessLog) (*accessLogger, error) {
	if al == nil {
		return nil, nil
	}
	if al.Logger == nil {
		return nil, errors.New("AccessLog.Logger is nil")
	}
	l := &accessLogger{logger: al.Logger}
	if al.Format == "" {
		l.names = DefaultAccessLogVariables
		return l, nil
	}
	rest := al.Format
	var unknown []string
	for {
		i := strings.Index(rest, "$context.")
		if i < 0 {
			l.parts = append(l.parts, accessPart{text: rest})
			break
		}
		l.parts = append(l.parts, accessPart{text: rest[:i]})
		rest = rest[i+len("$context."):]
		n := 0
		for n < len(rest) && (isAlnum(rest[n]) || rest[n] == '.' || rest[n] == '_' || rest[n] == '-') {
			n++
		}
		name := strings.TrimRight(rest[:n], ".")
		rest = rest[len(name):]
		get, ok := accessVars[name]
		if claim, isClaim := strings.CutPrefix(name, "authorizer.claims."); isClaim && claim != "" {
			get, ok = claimGetter(claim), true
		}
		if !ok {
			unknown = append(unknown, "$context."+name)
			continue
		}
		l.parts = append(l.parts, accessPart{name: name, get: get})
	}
	if len(unknown) > 0 {
		return nil, fmt.Errorf("AccessLog.Format: unknown variables %s", strings.Join(unknown, ", "))
	}
	return l, nil
}

// write logs the request's line.
func (l *accessLogger) write(r *http.Request, s *reqState, status int, bytes int64, elapsed time.Duration) {
	e := &accessEntry{r: r, s: s, status: status, bytes: bytes, elapsed: elapsed}
	ctx := context.Background()
	if l.parts == nil {
		attrs := make([]slog.Attr, 0, len(l.names))
		for _, n := range l.names {
			attrs = append(attrs, slog.String(n, accessVars[n](e)))
		}
		l.logger.LogAttrs(ctx, slog.LevelInfo, "", attrs...)
		return
	}
	var b strings.Builder
	for _, p := range l.parts {
		if p.get == nil {
			b.WriteString(p.text)
		} else {
			b.WriteString(p.get(e))
		}
	}
	l.logger.LogAttrs(ctx, slog.LevelInfo, b.String())
}

func claimGetter(claim string) func(e *accessEntry) string {
	return func(e *accessEntry) string {
		if a := authOf(e.s); a.identity != nil {
			if v, ok := a.identity.Claims[claim]; ok {
				return fmt.Sprint(v)
			}
		}
		return "-"
	}
}

var noAuth authState

func authOf(s *reqState) *authState {
	if s.auth == nil {
		return &noAuth
	}
	return s.auth
}

func principalOf(s *reqState) string {
	if a := authOf(s); a.identity != nil {
		return a.identity.Principal
	}
	return ""
}

func resourceOf(s *reqState) string {
	if s.route == nil {
		return "-"
	}
	return s.route.resource
}

func integrationMs(e *accessEntry) string {
	if e.s.out.integration == 0 {
		return "-"
	}
	return msText(e.s.out.integration)
}

func integrationStatus(e *accessEntry) string {
	if e.s.out.integration == 0 {
		return "-"
	}
	return strconv.Itoa(e.status)
}

// msText is a duration in whole milliseconds, as the managed service
// logs latencies.
func msText(d time.Duration) string { return strconv.FormatInt(d.Milliseconds(), 10) }

// dash is s, or "-" when empty, as the managed service logs absent values.
func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
