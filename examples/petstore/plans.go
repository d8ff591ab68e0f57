package main

import (
	"context"
	"fmt"

	"github.com/redis/go-redis/v9"

	"github.com/gatekit/gatekit/gateway"
	"github.com/gatekit/gatekit/throttle"
	"github.com/gatekit/gatekit/throttle/redisstore"
)

// The pet store's stages, which both usage plans cover.
var petstoreStages = []throttle.StageRef{
	{API: "petstore", Stage: "$default"},
	{API: "petstore", Stage: "prod"},
	{API: "petstore", Stage: "beta"},
}

// usagePlans sets up two usage plans — free: 5 requests a second and 100
// a day; gold: 50 a second (burst 100), 10,000 a day, and at most 10 a
// second on the partner listing — and creates an API key on each. It
// returns the keys' values.
func usagePlans(gw *gateway.Gateway) (free, gold string, err error) {
	ctx := context.Background()
	plans := []throttle.Plan{{
		Name:     "free",
		Stages:   petstoreStages,
		Throttle: &throttle.Rate{PerSecond: 5, Burst: 5},
		Quota:    &throttle.Quota{Limit: 100, Period: throttle.Day},
	}, {
		Name:            "gold",
		Stages:          petstoreStages,
		Throttle:        &throttle.Rate{PerSecond: 50, Burst: 100},
		MethodThrottles: map[string]throttle.Rate{"GET /partner/pets": {PerSecond: 10, Burst: 20}},
		Quota:           &throttle.Quota{Limit: 10000, Period: throttle.Day},
	}}
	values := make([]string, len(plans))
	for i, p := range plans {
		if err := gw.PutUsagePlan(p); err != nil {
			return "", "", err
		}
		k, value, err := gw.APIKeys().Create(ctx, p.Name+"-partner", "the example's key on the "+p.Name+" plan")
		if err != nil {
			return "", "", err
		}
		if err := gw.AttachKey(ctx, p.Name, k.ID); err != nil {
			return "", "", err
		}
		values[i] = value
	}
	return values[0], values[1], nil
}

// sharedState returns the options that keep rate limits, quotas and API
// keys in Redis, so that every copy of the example on the same Redis
// shares them. If Redis stops answering, each copy falls back to half of
// every rate on its own (fail-open), and goes back to Redis when it
// answers again.
func sharedState(ctx context.Context, client *redis.Client, tag string) ([]gateway.Option, error) {
	if err := client.Ping(ctx).Err(); err != nil {
		return nil, fmt.Errorf("petstore: -redis: %w", err)
	}
	store, err := redisstore.New(client, redisstore.Options{HashTag: tag, FailOpen: true, LocalShare: 0.5})
	if err != nil {
		return nil, err
	}
	keys, err := redisstore.NewKeyStore(client, tag)
	if err != nil {
		return nil, err
	}
	return []gateway.Option{gateway.WithThrottleStore(store), gateway.WithKeyStore(keys)}, nil
}
