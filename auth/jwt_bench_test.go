package auth

import (
	"context"
	"testing"

	"github.com/gatekit/gatekit/internal/clocktest"
)

// BenchmarkJWT measures Authorize for a token seen for the first time
// (uncached: signature and claims checked; the key set is already
// fetched) and for a repeated one (cached).
func BenchmarkJWT(b *testing.B) {
	keys := map[string]*jwtTestKey{"RS256": jwtKey("rsa1", "rsa", "RS256"), "ES256": jwtKey("p256", "ec", "ES256")}
	idp := newJWTTestIdP(b, keys["RS256"], keys["ES256"])
	clock := clocktest.NewClock(jwtT0)
	for _, alg := range []string{"RS256", "ES256"} {
		r := jwtRequest(keys[alg].sign(b, alg, idp.claims(clock.Now())))
		for _, bc := range []struct {
			name      string
			cacheSize int
		}{
			{"uncached", -1},
			{"cached", 0},
		} {
			b.Run(alg+"/"+bc.name, func(b *testing.B) {
				j := newJWTForIdP(b, idp, clock, func(c *JWTConfig) { c.CacheSize = bc.cacheSize })
				if _, err := j.Authorize(context.Background(), r); err != nil {
					b.Fatal(err)
				}
				b.ReportAllocs()
				for b.Loop() {
					if _, err := j.Authorize(context.Background(), r); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
