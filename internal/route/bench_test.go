package route

import "testing"

// benchRoutes is a realistic table: a versioned REST API with literals,
// parameters, greedy routes and ANY routes.
var benchRoutes = []string{
	"GET /",
	"GET /health",
	"GET /docs",
	"GET /docs/{page}",
	"GET /.well-known/jwks.json",
	"POST /auth/login",
	"POST /auth/logout",
	"POST /auth/refresh",
	"ANY /webhooks/{source}",
	"GET /v1/pets",
	"POST /v1/pets",
	"GET /v1/pets/{petId}",
	"PUT /v1/pets/{petId}",
	"PATCH /v1/pets/{petId}",
	"DELETE /v1/pets/{petId}",
	"GET /v1/pets/{petId}/photos",
	"POST /v1/pets/{petId}/photos",
	"GET /v1/pets/{petId}/photos/{photoId}",
	"DELETE /v1/pets/{petId}/photos/{photoId}",
	"GET /v1/pets/{petId}/owners",
	"GET /v1/owners",
	"POST /v1/owners",
	"GET /v1/owners/me",
	"GET /v1/owners/{ownerId}",
	"PUT /v1/owners/{ownerId}",
	"DELETE /v1/owners/{ownerId}",
	"GET /v1/owners/{ownerId}/pets",
	"GET /v1/stores",
	"GET /v1/stores/{storeId}",
	"GET /v1/stores/{storeId}/inventory",
	"POST /v1/stores/{storeId}/orders",
	"GET /v1/stores/{storeId}/orders/{orderId}",
	"DELETE /v1/stores/{storeId}/orders/{orderId}",
	"GET /v1/users",
	"POST /v1/users",
	"GET /v1/users/{userId}",
	"PATCH /v1/users/{userId}",
	"DELETE /v1/users/{userId}",
	"POST /v1/users/{userId}/tokens",
	"DELETE /v1/users/{userId}/tokens/{tokenId}",
	"GET /v1/search",
	"GET /v1/tags",
	"GET /v1/tags/{tag}",
	"ANY /v1/admin/{proxy+}",
	"GET /v1/static/{path+}",
	"OPTIONS /v1/{proxy+}",
	"GET /v2/pets",
	"POST /v2/pets",
	"GET /v2/pets/{id}",
	"ANY /v2/legacy/{proxy+}",
}

// benchCases are the requests that BenchmarkMatch times.
var benchCases = []struct {
	name, method, path, want string
}{
	{"literal", "GET", "/v1/owners/me", "GET /v1/owners/me"},
	{"param", "GET", "/v1/stores/42/orders/1001", "GET /v1/stores/{storeId}/orders/{orderId}"},
	{"greedy", "GET", "/v1/static/css/site/main.css", "GET /v1/static/{path+}"},
	{"miss", "GET", "/v1/pets/7/unknown", ""},
}

func BenchmarkMatch(b *testing.B) {
	tab := newTable(b, benchRoutes)
	for _, bm := range benchCases {
		b.Run(bm.name, func(b *testing.B) {
			var p Params
			b.ReportAllocs()
			for b.Loop() {
				if got, _ := tab.Match(bm.method, bm.path, &p); got != bm.want {
					b.Fatalf("Match(%q, %q) = %q, want %q", bm.method, bm.path, got, bm.want)
				}
			}
		})
	}
}
