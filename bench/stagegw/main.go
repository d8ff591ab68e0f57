// Command stagegw is the feature target of bench/run.sh: a gateway that
// forwards /{stage}/inventory/{rest} to {backend}/{rest} on three stages of
// one deployment, so that the benchmark can say what a usage plan costs
// and what a cache saves:
//
//   - /open/…: the route requires an API key; the stage has no plan, no
//     throttle and no cache (the gateway-wide limit is off);
//   - /plan/…: the same route and key, on a stage with every level the
//     managed service has — a stage throttle, a usage plan with a per-key
//     throttle, a per-method throttle and a daily quota — all set far
//     above what the benchmark reaches, so each request is checked
//     against all of them and none refuses;
//   - /cached/…: the same route and key on a stage with a 64 MB response
//     cache, so that every request but the first is a hit.
//
// Limits and quotas are kept in memory, or with -redis in Redis (the
// API key itself and the cache stay in memory, so that the figure is the
// throttle store's). It serves on -addr, prints "listening on HOST:PORT" as the
// first line of its standard output and "key VALUE" as the second, and
// shuts down cleanly on SIGINT or SIGTERM.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"

	"github.com/redis/go-redis/v9"

	"github.com/gatekit/gatekit/bench/internal/serve"
	"github.com/gatekit/gatekit/gateway"
	"github.com/gatekit/gatekit/throttle"
	"github.com/gatekit/gatekit/throttle/redisstore"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "address to serve on; port 0 picks a free port")
	backend := flag.String("backend", "", "base URL of the backend, e.g. http://127.0.0.1:9000 (required)")
	redisAddr := flag.String("redis", "", "host:port of a Redis server to keep limits and quotas in; if empty, in memory")
	flag.Parse()
	if *backend == "" {
		log.Fatal("stagegw: -backend is required")
	}
	if err := run(*addr, *backend, *redisAddr); err != nil {
		log.Fatal(err)
	}
}

// high is a rate no benchmark on loopback reaches.
var high = throttle.Rate{PerSecond: 1e9, Burst: 1e9}

func run(addr, backend, redisAddr string) error {
	opts := []gateway.Option{gateway.WithGatewayThrottle(throttle.Rate{PerSecond: throttle.Inf})}
	if redisAddr != "" {
		client := redis.NewClient(&redis.Options{Addr: redisAddr, ContextTimeoutEnabled: true, PoolSize: 256})
		defer client.Close()
		if err := client.Ping(context.Background()).Err(); err != nil {
			return fmt.Errorf("stagegw: -redis: %w", err)
		}
		store, err := redisstore.New(client, redisstore.Options{HashTag: "gatekit-bench"})
		if err != nil {
			return err
		}
		opts = append(opts, gateway.WithThrottleStore(store))
	}
	gw := gateway.New(opts...)
	defer gw.Close()
	const route = "ANY /inventory/{proxy+}"
	api := &gateway.API{Name: "bench", Routes: []gateway.Route{
		{Key: route, Integration: &gateway.HTTPProxy{URL: backend + "/{proxy}"}, APIKeyRequired: true},
	}}
	if err := gw.AddAPI("/", api); err != nil {
		return err
	}
	d, err := gw.Deploy("bench", "")
	if err != nil {
		return err
	}
	for _, st := range []gateway.Stage{
		{Name: "open", DeploymentID: d.ID},
		{Name: "plan", DeploymentID: d.ID, Throttle: &high},
		{Name: "cached", DeploymentID: d.ID, Cache: &gateway.StageCache{Capacity: 64 << 20}},
	} {
		if err := gw.PutStage("bench", st); err != nil {
			return err
		}
	}
	err = gw.PutUsagePlan(throttle.Plan{
		Name:            "bench",
		Stages:          []throttle.StageRef{{API: "bench", Stage: "plan"}},
		Throttle:        &high,
		MethodThrottles: map[string]throttle.Rate{route: high},
		Quota:           &throttle.Quota{Limit: 1 << 50, Period: throttle.Day},
	})
	if err != nil {
		return err
	}
	ctx := context.Background()
	k, value, err := gw.APIKeys().Create(ctx, "bench", "")
	if err != nil {
		return err
	}
	if err := gw.AttachKey(ctx, "bench", k.ID); err != nil {
		return err
	}
	return serve.UntilSignal(addr, gw, "key "+value)
}
