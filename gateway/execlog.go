package gateway

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// ExecutionLogLevel is how much of a stage's execution is logged, with
// the managed service's names.
type ExecutionLogLevel string

// The execution logging levels.
const (
	// LogOff logs nothing: the default.
	LogOff ExecutionLogLevel = "OFF"
	// LogError logs the requests answered with a 5xx status.
	LogError ExecutionLogLevel = "ERROR"
	// LogInfo logs every request.
	LogInfo ExecutionLogLevel = "INFO"
)

// ExecutionLog configures a stage's execution logging: for debugging,
// one record per request (at the level) with what the gateway did —
// which authorizer decided what, the API key, the throttle and cache
// outcomes, the integration's status and latency, the error and its
// cause — and the request's headers and query, with credentials masked:
// authorization headers, cookies, API keys, security tokens and query
// parameters named like tokens, keys, secrets or signatures never reach
// the log.
type ExecutionLog struct {
	// Level is OFF (or empty), ERROR or INFO.
	Level ExecutionLogLevel
	// Logger receives the records. Required unless Level is OFF.
	Logger *slog.Logger
}

// execLogger is a stage's compiled ExecutionLog.
type execLogger struct {
	logger  *slog.Logger
	errOnly bool
}

func compileExecutionLog(el ExecutionLog) (*execLogger, error) {
	switch el.Level {
	case "", LogOff:
		return nil, nil
	case LogError, LogInfo:
	default:
		return nil, fmt.Errorf("ExecutionLog.Level %q: want OFF, ERROR or INFO", el.Level)
	}
	if el.Logger == nil {
		return nil, fmt.Errorf("ExecutionLog.Logger is nil with Level %s", el.Level)
	}
	return &execLogger{logger: el.Logger, errOnly: el.Level == LogError}, nil
}

// write logs the request's record, if the level wants it.
func (l *execLogger) write(r *http.Request, s *reqState, status int, elapsed time.Duration) {
	if l.errOnly && status < 500 {
		return
	}
	level, out := slog.LevelInfo, &s.out
	if status >= 500 {
		level = slog.LevelError
	}
	a := authOf(s)
	throttled := [...]string{"admitted", "throttled", "quota exceeded"}[out.refused]
	attrs := []slog.Attr{
		slog.String("request_id", s.requestID()),
		slog.String("api", s.dep.name), slog.String("stage", s.stage.name),
		slog.String("route", routeKeyOf(s)), slog.String("method", r.Method),
		slog.String("path", r.URL.EscapedPath()), slog.String("query", maskQuery(r.URL.RawQuery)),
		slog.Int("status", status), slog.Duration("latency", elapsed),
		slog.Any("headers", maskHeaders(r.Header)),
		slog.String("source_ip", s.sourceIP),
	}
	if s.route != nil && s.route.authzName != "" {
		attrs = append(attrs, slog.String("authorizer", s.route.authzName), slog.String("authorizer_decision", dash(out.authzDecision)))
	}
	if p := principalOf(s); p != "" {
		attrs = append(attrs, slog.String("principal", p))
	}
	if a.apiKeyID != "" {
		attrs = append(attrs, slog.String("api_key_id", a.apiKeyID))
	}
	if out.checked {
		attrs = append(attrs, slog.String("throttle", throttled))
	}
	if out.cache != 0 {
		attrs = append(attrs, slog.String("cache", map[int8]string{1: "hit", -1: "miss"}[out.cache]))
	}
	if out.integration > 0 {
		attrs = append(attrs, slog.Int("integration_status", status), slog.Duration("integration_latency", out.integration))
	}
	if out.errType != "" {
		attrs = append(attrs, slog.String("error", string(out.errType)+": "+out.errMessage))
		if out.errCause != "" {
			attrs = append(attrs, slog.String("cause", out.errCause))
		}
	}
	l.logger.LogAttrs(context.Background(), level, "gateway: execution", attrs...)
}

// sensitiveHeaders are masked in execution logs.
var sensitiveHeaders = map[string]bool{
	"Authorization": true, "Proxy-Authorization": true, "Cookie": true, "Set-Cookie": true,
	"X-Api-Key": true, "X-Amz-Security-Token": true, "X-Amz-Signature": true,
}

// masked replaces a secret.
const masked = "****"

// maskHeaders returns h with the credentials masked; an Authorization
// header keeps its scheme ("Bearer ****").
func maskHeaders(h http.Header) map[string][]string {
	out := make(map[string][]string, len(h))
	for k, vs := range h {
		if !sensitiveHeaders[k] {
			out[k] = vs
			continue
		}
		m := make([]string, len(vs))
		for i, v := range vs {
			m[i] = masked
			if scheme, _, ok := strings.Cut(v, " "); ok && (k == "Authorization" || k == "Proxy-Authorization") {
				m[i] = scheme + " " + masked
			}
		}
		out[k] = m
	}
	return out
}

// maskQuery returns the query with the values of parameters named like
// credentials masked.
func maskQuery(raw string) string {
	if raw == "" {
		return ""
	}
	q, err := url.ParseQuery(raw)
	if err != nil {
		return masked // unparseable: say nothing of it
	}
	for k, vs := range q {
		lk := strings.ToLower(k)
		for _, word := range []string{"token", "key", "secret", "signature", "credential", "password", "auth"} {
			if strings.Contains(lk, word) {
				for i := range vs {
					vs[i] = masked
				}
				break
			}
		}
	}
	return q.Encode()
}
