package throttle_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gatekit/gatekit/throttle"
)

// A bucket of 10 a second with a burst of 3: three requests at once pass,
// the fourth waits for the next token.
func ExampleMemoryStore() {
	now := time.Date(2024, 2, 14, 12, 0, 0, 0, time.UTC)
	store := &throttle.MemoryStore{Clock: func() time.Time { return now }}
	req := throttle.TakeRequest{Rates: []throttle.RateCheck{
		{Key: "client-1", Rate: throttle.Rate{PerSecond: 10, Burst: 3}},
	}}
	for range 4 {
		res, err := store.Take(context.Background(), req)
		if err != nil {
			panic(err)
		}
		fmt.Printf("allowed=%v remaining=%d retry-after=%v\n", res.Allowed(), res.Remaining, res.RetryAfter)
	}
	// Output:
	// allowed=true remaining=2 retry-after=0s
	// allowed=true remaining=1 retry-after=0s
	// allowed=true remaining=0 retry-after=0s
	// allowed=false remaining=0 retry-after=100ms
}

// A usage plan with a rate and a daily quota, one key on it, and what
// the gateway would answer.
func ExampleLimiter() {
	now := time.Date(2024, 2, 14, 12, 0, 0, 0, time.UTC)
	store := &throttle.MemoryStore{Clock: func() time.Time { return now }}
	limiter, err := throttle.NewLimiter(throttle.LimiterConfig{Store: store})
	if err != nil {
		panic(err)
	}
	prod := throttle.StageRef{API: "pets", Stage: "prod"}
	err = limiter.PutPlan(throttle.Plan{
		Name:     "free",
		Stages:   []throttle.StageRef{prod},
		Throttle: &throttle.Rate{PerSecond: 5, Burst: 10},
		Quota:    &throttle.Quota{Limit: 2, Period: throttle.Day},
	})
	if err != nil {
		panic(err)
	}
	if err := limiter.Attach("free", "key-1"); err != nil {
		panic(err)
	}
	for _, key := range []string{"key-1", "key-1", "key-1", "key-2"} {
		res, err := limiter.Check(context.Background(), throttle.Request{Stage: prod, Route: "GET /pets", APIKey: key})
		if err != nil {
			panic(err) // the store failed
		}
		switch err := res.Err(); {
		case err == nil:
			fmt.Printf("%s: 200, RateLimit-Remaining: %d\n", key, res.Remaining)
		case errors.Is(err, throttle.ErrQuotaExceeded):
			fmt.Printf("%s: 429 Limit Exceeded, Retry-After: %v\n", key, res.RetryAfter)
		case errors.Is(err, throttle.ErrRateLimited):
			fmt.Printf("%s: 429 Too Many Requests\n", key)
		case errors.Is(err, throttle.ErrNoPlan):
			fmt.Printf("%s: 403 Forbidden\n", key)
		}
	}
	used, err := limiter.Usage(context.Background(), "free", "key-1", now, now)
	if err != nil {
		panic(err)
	}
	fmt.Println("used today:", used[0].Used)
	// Output:
	// key-1: 200, RateLimit-Remaining: 1
	// key-1: 200, RateLimit-Remaining: 0
	// key-1: 429 Limit Exceeded, Retry-After: 12h0m0s
	// key-2: 403 Forbidden
	// used today: 2
}

// Windows are aligned in UTC; Offset lowers the limit of the first one.
func ExampleQuota_Window() {
	created := time.Date(2024, 2, 14, 12, 0, 0, 0, time.UTC) // a Wednesday
	q := throttle.Quota{Limit: 1000, Period: throttle.Week, Offset: 400, Start: created}
	for _, now := range []time.Time{created, created.AddDate(0, 0, 7)} {
		start, end := q.Window(now)
		fmt.Printf("%s – %s: %d requests\n", start.Format("Mon Jan 2"), end.Format("Mon Jan 2"), q.LimitAt(now))
	}
	// Output:
	// Sun Feb 11 – Sun Feb 18: 600 requests
	// Sun Feb 18 – Sun Feb 25: 1000 requests
}
