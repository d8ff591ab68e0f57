// Command cluster shows gateways sharing limits through Redis: it starts
// three gateway instances on loopback ports, each with a Redis client of
// its own as three processes would have, creates one API key on a usage
// plan with a small quota, and sends requests with it to the three
// instances in turn. Exactly the quota is admitted, whichever instance
// each request reaches; the rest get 429 "Limit Exceeded".
//
//	go run ./examples/cluster                     # Redis on 127.0.0.1:6379
//	go run ./examples/cluster -redis host:port -quota 20 -requests 60
//	go run ./examples/cluster -serve              # then keep serving, for curl
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/gatekit/gatekit/gateway"
	"github.com/gatekit/gatekit/throttle"
	"github.com/gatekit/gatekit/throttle/redisstore"
)

func main() {
	cfg := config{instances: 3}
	flag.StringVar(&cfg.redis, "redis", "127.0.0.1:6379", "host:port of the Redis server the instances share")
	flag.StringVar(&cfg.tag, "tag", "cluster-example", "hash tag of the example's Redis keys")
	flag.Int64Var(&cfg.quota, "quota", 10, "requests a day the example's key may make")
	flag.IntVar(&cfg.requests, "requests", 30, "requests to send, to the instances in turn")
	serve := flag.Bool("serve", false, "keep serving after the demonstration, until Ctrl-C")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if _, err := run(ctx, cfg, *serve, os.Stdout); err != nil {
		log.Fatal(err)
	}
}

type config struct {
	redis     string
	tag       string
	instances int
	quota     int64
	requests  int
}

// run starts the instances, sends the requests and prints what each got.
// It returns how many were admitted. With serve, it then serves until ctx
// is done.
func run(ctx context.Context, cfg config, serve bool, out io.Writer) (admitted int, err error) {
	plan := throttle.Plan{
		Name:   "demo",
		Stages: []throttle.StageRef{{API: "hello", Stage: "$default"}},
		Quota:  &throttle.Quota{Limit: cfg.quota, Period: throttle.Day},
	}
	var urls []string
	var gws []*gateway.Gateway
	for range cfg.instances {
		gw, url, stop, err := startInstance(cfg, plan)
		if err != nil {
			return 0, err
		}
		defer stop()
		gws, urls = append(gws, gw), append(urls, url)
	}

	// A new key each run, so that the quota starts full.
	k, value, err := gws[0].APIKeys().Create(ctx, "cluster-demo", "made by examples/cluster")
	if err != nil {
		return 0, err
	}
	if err := gws[0].AttachKey(ctx, "demo", k.ID); err != nil {
		return 0, err
	}
	fmt.Fprintf(out, "%d gateways sharing Redis %s: %v\nkey %s on plan demo: %d requests a day\n\n",
		cfg.instances, cfg.redis, urls, k.ID, cfg.quota)

	client := &http.Client{Timeout: 5 * time.Second}
	for i := range cfg.requests {
		url := urls[i%len(urls)]
		status, remaining, err := call(client, url, value)
		if err != nil {
			return admitted, err
		}
		if status == http.StatusOK {
			admitted++
		}
		fmt.Fprintf(out, "request %2d -> %s: %d %s  RateLimit-Remaining: %s\n", i+1, url, status, http.StatusText(status), remaining)
	}
	fmt.Fprintf(out, "\n%d of %d admitted across %d instances (quota %d)\n", admitted, cfg.requests, cfg.instances, cfg.quota)
	usage, err := gws[len(gws)-1].GetUsage(ctx, "demo", k.ID, time.Now(), time.Now())
	if err != nil {
		return admitted, err
	}
	fmt.Fprintf(out, "usage recorded in Redis today: %d\n", usage[0].Used)

	if serve {
		fmt.Fprintf(out, "\nServing until Ctrl-C. Try:\n")
		for _, u := range urls {
			fmt.Fprintf(out, "  curl -i -H 'x-api-key: %s' %s\n", value, u)
		}
		<-ctx.Done()
	}
	return admitted, nil
}

// startInstance starts one gateway on a loopback port with its own Redis
// client, and returns it, its URL and a function that stops it.
func startInstance(cfg config, plan throttle.Plan) (*gateway.Gateway, string, func(), error) {
	client := redis.NewClient(&redis.Options{Addr: cfg.redis, ContextTimeoutEnabled: true})
	fail := func(err error) (*gateway.Gateway, string, func(), error) {
		client.Close()
		return nil, "", nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := client.Ping(ctx).Err(); err != nil {
		return fail(fmt.Errorf("cluster: Redis at %s: %w", cfg.redis, err))
	}
	store, err := redisstore.New(client, redisstore.Options{HashTag: cfg.tag})
	if err != nil {
		return fail(err)
	}
	keys, err := redisstore.NewKeyStore(client, cfg.tag)
	if err != nil {
		return fail(err)
	}
	gw := gateway.New(gateway.WithThrottleStore(store), gateway.WithKeyStore(keys))
	api := &gateway.API{Name: "hello", Routes: []gateway.Route{
		{Key: "GET /hello", Integration: &gateway.Mock{Body: `{"hello":"world"}`}, APIKeyRequired: true},
	}}
	if err := gw.Mount("/", api); err != nil {
		return fail(err)
	}
	if err := gw.PutUsagePlan(plan); err != nil {
		return fail(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fail(err)
	}
	srv := &http.Server{Handler: gw, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			log.Print(err)
		}
	}()
	stop := func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
		<-done
		gw.Close()
		client.Close()
	}
	return gw, "http://" + ln.Addr().String() + "/hello", stop, nil
}

// call sends one request with the key and returns the status and the
// RateLimit-Remaining header.
func call(client *http.Client, url, key string) (int, string, error) {
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("X-Api-Key", key)
	resp, err := client.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, resp.Header.Get("RateLimit-Remaining"), nil
}
