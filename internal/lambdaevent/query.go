package lambdaevent

import (
	"iter"
	"net/url"
	"strings"
)

// joinedQuery returns the 2.0 queryStringParameters for a raw query
// string: decoded, with repeated names' values joined with ",". It returns
// nil when there are none.
func joinedQuery(raw string) map[string]string {
	if raw == "" {
		return nil
	}
	params := make(map[string]string, strings.Count(raw, "&")+1)
	for name, value := range queryPairs(raw) {
		if prev, ok := params[name]; ok {
			value = prev + "," + value
		}
		params[name] = value
	}
	if len(params) == 0 {
		return nil
	}
	return params
}

// splitQuery returns the 1.0 queryStringParameters (the last value of each
// name) and multiValueQueryStringParameters (all of them) for a raw query
// string, decoded. Both are nil when there are none.
func splitQuery(raw string) (map[string]string, map[string][]string) {
	if raw == "" {
		return nil, nil
	}
	n := strings.Count(raw, "&") + 1
	single := make(map[string]string, n)
	multi := make(map[string][]string, n)
	for name, value := range queryPairs(raw) {
		single[name] = value
		multi[name] = append(multi[name], value)
	}
	if len(single) == 0 {
		return nil, nil
	}
	return single, multi
}

// queryPairs yields the decoded name and value of each "&"-separated pair
// in a raw query string, in order. "+" decodes to a space. Unlike
// url.ParseQuery it keeps pairs it cannot decode, raw, and treats ";" as
// an ordinary character, so the function sees every parameter the client
// sent.
func queryPairs(raw string) iter.Seq2[string, string] {
	return func(yield func(string, string) bool) {
		for pair := range strings.SplitSeq(raw, "&") {
			if pair == "" {
				continue
			}
			name, value, _ := strings.Cut(pair, "=")
			if !yield(unescapeQuery(name), unescapeQuery(value)) {
				return
			}
		}
	}
}

// unescapeQuery decodes a query component, or returns it as is when it is
// not validly escaped.
func unescapeQuery(s string) string {
	if u, err := url.QueryUnescape(s); err == nil {
		return u
	}
	return s
}
