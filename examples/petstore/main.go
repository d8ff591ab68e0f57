// Command petstore is gatekit's main example: a gateway serving a pet
// store API on 127.0.0.1:8080 with every kind of integration. See
// README.md beside this file.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/gatekit/gatekit/auth"
	"github.com/gatekit/gatekit/gateway"
	"github.com/gatekit/gatekit/sdkgen"
	"github.com/gatekit/gatekit/throttle"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address to serve the gateway on")
	backend := flag.String("backend", "", "host:port of the inventory backend for every stage; if empty, a prod and a beta backend are started on loopback ports")
	quiet := flag.Bool("quiet", false, "do not print the curl lines")
	gatewayRate := flag.Float64("gateway-rate", throttle.DefaultGatewayPerSecond, "gateway-wide requests a second, with bursts of half as many; inf for no limit (load tests)")
	redisAddr := flag.String("redis", "", "host:port of a Redis server to keep rate limits, quotas and API keys in, shared with every other copy given the same Redis; if empty, they are kept in memory")
	flag.Parse()
	rate := throttle.Rate{PerSecond: *gatewayRate, Burst: int(max(1, min(*gatewayRate/2, 1e9)))}
	if err := run(*addr, *backend, *redisAddr, rate, *quiet); err != nil {
		log.Fatal(err)
	}
}

func run(addr, backend, redisAddr string, gatewayRate throttle.Rate, quiet bool) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	backend = strings.TrimPrefix(backend, "http://")
	prodInv, betaInv := backend, backend
	if backend == "" {
		for _, inv := range []struct {
			env  string
			addr *string
		}{{"prod", &prodInv}, {"beta", &betaInv}} {
			srv, err := startInventory(inv.env)
			if err != nil {
				return err
			}
			defer srv.Close()
			*inv.addr = srv.Addr
		}
	}

	iss, err := startIssuer()
	if err != nil {
		return err
	}
	defer iss.Close()

	opts := []gateway.Option{gateway.WithGatewayThrottle(gatewayRate)}
	if redisAddr != "" {
		client := redis.NewClient(&redis.Options{Addr: redisAddr, ContextTimeoutEnabled: true})
		defer client.Close()
		shared, err := sharedState(ctx, client, "petstore")
		if err != nil {
			return err
		}
		opts = append(opts, shared...)
	}
	gw := gateway.New(opts...)
	defer gw.Close()
	acc, err := setUp(gw, newStore(), iss, prodInv, betaInv)
	if err != nil {
		return err
	}

	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: gw, ReadHeaderTimeout: 10 * time.Second}
	if !quiet {
		printUsage(ln.Addr().String(), acc)
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// setUp deploys the pet store twice — version 1.0, then 2.0 — and serves
// them as stages:
//
//   - $default (the root) and prod: 1.0, with the prod inventory backend,
//     a response cache, prod's routes throttled at 100 requests a second
//     each;
//   - beta: 1.0 with the beta inventory backend, and a canary sending 20 %
//     of beta's requests to 2.0;
//   - the custom domain api.petstore.test maps /v1 to prod and /v2 to beta;
//   - usage plans free and gold cover the three stages, with a key on each.
func setUp(gw *gateway.Gateway, st *store, iss *issuer, prodInv, betaInv string) (access, error) {
	var acc access
	jwtAuth, err := auth.NewJWT(auth.JWTConfig{
		Issuer:    iss.URL,
		Audiences: []string{"petstore"},
		JWKSURL:   iss.URL + "/.well-known/jwks.json",
	})
	if err != nil {
		return acc, err
	}
	if err := gw.RegisterAuthorizer("jwt", jwtAuth); err != nil {
		return acc, err
	}
	// A SigV4 credential, as an AWS SDK or curl --aws-sigv4 would sign
	// with; the region is the gateway's ("local" by default).
	acc.accessKey, acc.secretKey = "AKIDPETSTOREEXAMPLE", "petstore/example/secret/key"
	sig := &auth.SigV4{Region: "local", Credentials: auth.StaticCredentials{
		acc.accessKey: {Secret: acc.secretKey, Principal: "petstore-ops"},
	}}
	if err := gw.RegisterAuthorizer("sigv4", sig); err != nil {
		return acc, err
	}
	// The admin may also refresh cached responses (Cache-Control: max-age=0).
	if acc.adminToken, err = iss.token("admin@petstore.test", "pets:read pets:admin "+gateway.InvalidateCachePermission, time.Hour); err != nil {
		return acc, err
	}
	if acc.readerToken, err = iss.token("reader@petstore.test", "pets:read", time.Hour); err != nil {
		return acc, err
	}
	api := newAPI(st, "1.0")
	if err := gw.AddAPI("/", api); err != nil {
		return acc, err
	}
	v1, err := gw.Deploy("petstore", "version 1.0")
	if err != nil {
		return acc, err
	}
	*api = *newAPI(st, "2.0")
	v2, err := gw.Deploy("petstore", "version 2.0")
	if err != nil {
		return acc, err
	}
	prod := map[string]string{"inventory": prodInv}
	// $default and prod cache GET responses: 16 MB each, 5 minutes by
	// default (the search route keeps its results for a minute).
	for _, stage := range []gateway.Stage{
		{Name: "$default", DeploymentID: v1.ID, Variables: prod, Cache: &gateway.StageCache{Capacity: 16 << 20}},
		// Each of prod's routes: 100 requests a second, bursts of 200.
		{Name: "prod", DeploymentID: v1.ID, Variables: prod, Throttle: &throttle.Rate{PerSecond: 100, Burst: 200},
			Cache: &gateway.StageCache{Capacity: 16 << 20}},
		{Name: "beta", DeploymentID: v1.ID, Variables: map[string]string{"inventory": betaInv},
			Canary: &gateway.Canary{DeploymentID: v2.ID, Percent: 20}},
	} {
		if err := gw.PutStage("petstore", stage); err != nil {
			return acc, err
		}
	}
	for _, m := range []gateway.DomainMapping{
		{Domain: "api.petstore.test", BasePath: "v1", API: "petstore", Stage: "prod"},
		{Domain: "api.petstore.test", BasePath: "v2", API: "petstore", Stage: "beta"},
	} {
		if err := gw.MapDomain(m); err != nil {
			return acc, err
		}
	}
	// The API's contract and its client SDKs, for admins, as the managed
	// service's get-export and get-sdk: GET
	// /sdk/apis/petstore/stages/prod/sdks/javascript is a zip.
	sdk := &gateway.API{Name: "sdk", Routes: []gateway.Route{{Key: "GET /{proxy+}",
		Integration: gateway.Handler(sdkgen.Handler(gw, sdkgen.HandlerOptions{})),
		Authorizer:  "jwt", AuthorizationScopes: []string{"pets:admin"}}}}
	if err := gw.Mount("/sdk", sdk); err != nil {
		return acc, err
	}
	acc.freeKey, acc.goldKey, err = usagePlans(gw)
	return acc, err
}

// access is what a caller needs for the example's protected routes.
type access struct {
	freeKey     string // the value of an API key on the free plan, shown once
	goldKey     string // and of one on the gold plan
	adminToken  string // a JWT with the pets:admin scope
	readerToken string // a JWT without it
	accessKey   string // a SigV4 access key id
	secretKey   string // and its secret
}

// inventory is the small HTTP backend the proxy route forwards to.
type inventory struct {
	*http.Server
	Addr string
}

func startInventory(env string) (*inventory, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /stock/{item}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"item":%q,"inStock":12,"env":%q,"forwardedFor":%q}`+"\n", r.PathValue("item"), env, r.Header.Get("X-Forwarded-For"))
	})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	return &inventory{Server: srv, Addr: ln.Addr().String()}, nil
}

func printUsage(addr string, acc access) {
	base := "http://" + addr
	fmt.Printf(`petstore gateway listening on %s

The credentials the protected routes need; paste this into your shell first:
  export FREE_KEY=%[3]s GOLD_KEY=%[8]s
  export ADMIN_TOKEN=%[4]s
  export READER_TOKEN=%[5]s

Try:
  curl -i %[2]s/pets                                  # function, payload 2.0, bare JSON value
  curl -i %[2]s/pets/1                                # function with a typed response
  curl -i -X POST -d '{"name":"Rex","type":"dog"}' %[2]s/pets
  curl -i %[2]s/pets/99                               # the function answers 404
  curl -i %[2]s/owners/alice                          # a wrapped http.Handler
  curl -i %[2]s/inventory/stock/kibble                # HTTP proxy to a loopback backend
  curl -i %[2]s/health                                # mock
  curl -i %[2]s/nowhere                               # gateway response: 404 Not Found
  curl -i -X OPTIONS -H 'Origin: https://example.com' -H 'Access-Control-Request-Method: POST' %[2]s/pets

Stages (the root is the $default stage):
  curl -i %[2]s/prod/inventory/stock/kibble           # prod stage: prod inventory backend
  curl -i %[2]s/beta/inventory/stock/kibble           # beta stage: beta inventory backend
  curl -i %[2]s/beta/version                          # beta: 1.0, or 2.0 for the 20%% canary
  curl -i -H 'Host: api.petstore.test' %[2]s/v1/version   # custom domain: /v1 is prod
  curl -i -H 'Host: api.petstore.test' %[2]s/v2/version   # custom domain: /v2 is beta

Protected routes:
  curl -i %[2]s/partner/pets                          # 403: an API key is required
  curl -i -H "x-api-key: $FREE_KEY" %[2]s/partner/pets   # free plan: RateLimit-* headers
  curl -i -H "x-api-key: $GOLD_KEY" %[2]s/partner/pets   # gold plan
  for i in $(seq 8); do curl -s -o /dev/null -w '%%{http_code} ' -H "x-api-key: $FREE_KEY" %[2]s/partner/pets; done; echo
                                                      # free: 5 a second, then 429 Too Many Requests
  curl -i %[2]s/admin/stats                           # 401: a JWT is required
  curl -i -H "Authorization: Bearer $ADMIN_TOKEN" %[2]s/admin/stats
  curl -i -H "Authorization: Bearer $READER_TOKEN" %[2]s/admin/stats   # 403: lacks the pets:admin scope
  curl -i --aws-sigv4 'aws:amz:local:execute-api' --user '%[6]s:%[7]s' \
       -X POST -d '{"name":"Nemo","type":"fish"}' %[2]s/signed/pets   # SigV4-signed

Response cache (the search takes 200 ms; look at X-Cache, Age and searchedAt):
  curl -i -H "Authorization: Bearer $READER_TOKEN" '%[2]s/pets/search?type=dog'          # X-Cache: Miss
  curl -i -H "Authorization: Bearer $READER_TOKEN" '%[2]s/pets/search?type=dog&page=2'   # Hit: page is no key parameter
  curl -i -H "Authorization: Bearer $READER_TOKEN" '%[2]s/pets/search?type=cat'          # Miss: type is one
  curl -i -H "Authorization: Bearer $ADMIN_TOKEN" -H 'Cache-Control: max-age=0' '%[2]s/pets/search?type=dog'   # refreshed (Miss)
  curl -i -H "Authorization: Bearer $READER_TOKEN" -H 'Cache-Control: max-age=0' '%[2]s/pets/search?type=dog'  # 403: may not invalidate

The contract and client SDKs (admins only):
  curl -H "Authorization: Bearer $ADMIN_TOKEN" %[2]s/sdk/apis/petstore/stages/prod/exports/openapi.yaml
  curl -H "Authorization: Bearer $ADMIN_TOKEN" -o petstore-go.zip %[2]s/sdk/apis/petstore/stages/prod/sdks/go
                                                      # also javascript, java, android, python, ruby, swift, objectivec

Stop with Ctrl-C.
`, addr, base, acc.freeKey, acc.adminToken, acc.readerToken, acc.accessKey, acc.secretKey, acc.goldKey)
}
