package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/gatekit/gatekit/gateway"
	"github.com/gatekit/gatekit/gateway/gatewaytest"
)

// petstore sets the example up as main does, with its issuer, on the
// given inventory backends, and returns the gateway and the credentials.
func petstore(t *testing.T, prodInv, betaInv string, opts ...gateway.Option) (*gateway.Gateway, access) {
	t.Helper()
	iss, err := startIssuer()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = iss.Close() })
	gw := gateway.New(opts...)
	t.Cleanup(func() { _ = gw.Close() })
	acc, err := setUp(gw, newStore(), iss, prodInv, betaInv)
	if err != nil {
		t.Fatal(err)
	}
	return gw, acc
}

// TestPetstoreSigV4 signs a request as the AWS SDK does.
func TestPetstoreSigV4(t *testing.T) {
	gw, acc := petstore(t, "127.0.0.1:1", "127.0.0.1:1")
	body := `{"name":"Nemo","type":"fish"}`
	for _, tt := range []struct {
		name, secret string
		status       int
	}{{"signed", acc.secretKey, 201}, {"wrong secret", "nope", 403}} {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest("POST", "http://127.0.0.1:8080/signed/pets", strings.NewReader(body))
			sum := sha256.Sum256([]byte(body))
			err := v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: acc.accessKey, SecretAccessKey: tt.secret},
				req, hex.EncodeToString(sum[:]), "execute-api", "local", time.Now())
			if err != nil {
				t.Fatal(err)
			}
			resp, err := gatewaytest.Client(gw).Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.status {
				t.Errorf("got %d %s, want %d", resp.StatusCode, b, tt.status)
			}
		})
	}
}

// TestPetstoreCanary checks that beta's canary answers a share of /version
// with version 2.0.
func TestPetstoreCanary(t *testing.T) {
	gw, _ := petstore(t, "127.0.0.1:1", "127.0.0.1:1")
	client := gatewaytest.Client(gw)
	v2 := 0
	const n = 2000
	for range n {
		resp, err := client.Get("http://127.0.0.1:8080/beta/version")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		if strings.Contains(string(body), `"canary":true,"stage":"beta","version":"2.0"`) {
			v2++
		}
	}
	if share := 100 * float64(v2) / n; share < 15 || share > 25 {
		t.Errorf("canary share %.1f%%, want about 20%%", share)
	}
}

// TestPetstore calls every route the example prints a curl line for.
func TestPetstore(t *testing.T) {
	prod, err := startInventory("prod")
	if err != nil {
		t.Fatal(err)
	}
	defer prod.Close()
	beta, err := startInventory("beta")
	if err != nil {
		t.Fatal(err)
	}
	defer beta.Close()
	gw, acc := petstore(t, prod.Addr, beta.Addr)
	client := gatewaytest.Client(gw)
	tests := []struct {
		method, path, body string
		header             []string
		status             int
		want               string // a fragment of the body or of a header
	}{
		{"GET", "/pets", "", nil, 200, `[{"id":1,"name":"Fido","type":"dog"},{"id":2,"name":"Tom","type":"cat"}]`},
		{"GET", "/pets/1", "", nil, 200, `{"id":1,"name":"Fido","type":"dog"}`},
		{"GET", "/pets/99", "", nil, 404, `no such pet`},
		{"GET", "/pets/x", "", nil, 400, `Invalid request parameter path.id: want integer`},
		{"POST", "/pets", `{"name":"Rex","type":"dog"}`, nil, 201, `{"id":3,"name":"Rex","type":"dog"}`},
		{"POST", "/pets", `nope`, nil, 400, `Invalid request body`},
		{"POST", "/pets", `{"type":"dog"}`, nil, 400, `name`},
		{"GET", "/owners/alice", "", nil, 200, `"owner":"alice"`},
		{"GET", "/inventory/stock/kibble", "", nil, 200, `"item":"kibble","inStock":12,"env":"prod"`},
		{"GET", "/prod/inventory/stock/kibble", "", nil, 200, `"env":"prod"`},
		{"GET", "/beta/inventory/stock/kibble", "", nil, 200, `"env":"beta"`},
		{"GET", "/prod/version", "", nil, 200, `{"canary":false,"stage":"prod","version":"1.0"}`},
		{"GET", "/v1/version", "", []string{"Host", "api.petstore.test"}, 200, `"stage":"prod","version":"1.0"`},
		{"GET", "/v2/pets/1", "", []string{"Host", "api.petstore.test"}, 200, `"name":"Fido"`},
		{"GET", "/v3/pets", "", []string{"Host", "api.petstore.test"}, 404, `{"message":"Not Found"}`},
		{"GET", "/health", "", nil, 200, "ok"},
		{"GET", "/partner/pets", "", nil, 403, `{"message":"Forbidden"}`},
		{"GET", "/partner/pets", "", []string{"X-Api-Key", acc.freeKey}, 200, `"name":"Fido"`},
		{"GET", "/partner/pets", "", []string{"X-Api-Key", acc.goldKey}, 200, `"name":"Fido"`},
		{"POST", "/signed/pets", `{"name":"Nemo","type":"fish"}`, nil, 401, `{"message":"Unauthorized"}`},
		{"GET", "/admin/stats", "", nil, 401, `{"message":"Unauthorized"}`},
		{"GET", "/sdk/apis/petstore/stages/prod/exports/openapi.yaml", "", []string{"Authorization", "Bearer " + acc.adminToken}, 200, "operationId: listPets"},
		{"GET", "/sdk/apis/petstore/stages/prod/sdks/python", "", []string{"Authorization", "Bearer " + acc.adminToken}, 200, "petstore-prod-python/README.md"},
		{"GET", "/sdk/apis/petstore/stages/prod/exports/openapi.json", "", []string{"Authorization", "Bearer " + acc.readerToken}, 403, `{"message":"Forbidden"}`},
		{"GET", "/sdk/apis/petstore/stages/prod/exports/openapi.json", "", nil, 401, `{"message":"Unauthorized"}`},
		{"GET", "/admin/stats", "", []string{"Authorization", "Bearer " + acc.adminToken}, 200, `"caller":"admin@petstore.test","pets":`},
		{"GET", "/admin/stats", "", []string{"Authorization", "Bearer " + acc.readerToken}, 403, `{"message":"Forbidden"}`},
		{"GET", "/admin/stats", "", []string{"Authorization", "Bearer " + acc.adminToken + "x"}, 401, `{"message":"Unauthorized"}`},
		{"GET", "/nowhere", "", nil, 404, `{"message":"Not Found"}`},
		{"OPTIONS", "/pets", "", []string{"Origin", "https://example.com", "Access-Control-Request-Method", "POST"}, 204, "https://example.com"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			req, _ := http.NewRequest(tt.method, "http://127.0.0.1:8080"+tt.path, strings.NewReader(tt.body))
			for i := 0; i+1 < len(tt.header); i += 2 {
				if tt.header[i] == "Host" {
					req.Host = tt.header[i+1]
					continue
				}
				req.Header.Set(tt.header[i], tt.header[i+1])
			}
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.status {
				t.Errorf("status %d, want %d (%s)", resp.StatusCode, tt.status, body)
			}
			if !strings.Contains(string(body), tt.want) && resp.Header.Get("Access-Control-Allow-Origin") != tt.want {
				t.Errorf("body %s does not contain %s", body, tt.want)
			}
		})
	}
}
