package gateway_test

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

	"github.com/gatekit/gatekit/auth"
	"github.com/gatekit/gatekit/gateway"
	"github.com/gatekit/gatekit/gateway/gatewaytest"
)

// TestSigV4ThroughStages signs requests with the AWS SDK for the full
// path a client calls (base path and stage included), and checks that the
// SigV4 authorizer accepts them, hands the body on, and reads credential
// policies against the request's own resource.
func TestSigV4ThroughStages(t *testing.T) {
	gw := gateway.New(gateway.WithAccount("eu-west-1", "123456789012"))
	defer gw.Close()
	readOnly := &auth.Policy{Statement: []auth.Statement{{Effect: auth.Allow, Action: auth.Strings{auth.InvokeAction},
		Resource: auth.Strings{"arn:aws:execute-api:eu-west-1:123456789012:orders/prod/GET/*"}}}}
	sig := &auth.SigV4{Region: "eu-west-1", Credentials: auth.StaticCredentials{
		"AKIDADMIN":  {Secret: "admin-secret", Principal: "admin"},
		"AKIDREADER": {Secret: "reader-secret", Principal: "reader", Policy: readOnly},
	}}
	if err := gw.RegisterAuthorizer("iam", sig); err != nil {
		t.Fatal(err)
	}
	echoBody := gateway.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		io.WriteString(w, gateway.Identity(r.Context()).Principal+" "+string(b))
	}))
	if err := gw.AddAPI("/v1", &gateway.API{Name: "orders", Routes: []gateway.Route{
		{Key: "ANY /orders/{id}", Integration: echoBody, Authorizer: "iam"},
	}}); err != nil {
		t.Fatal(err)
	}
	d, err := gw.Deploy("orders", "")
	if err != nil {
		t.Fatal(err)
	}
	if err := gw.PutStage("orders", gateway.Stage{Name: "prod", DeploymentID: d.ID}); err != nil {
		t.Fatal(err)
	}
	client := gatewaytest.Client(gw)
	tests := []struct {
		name, method, key, secret, body string
		status                          int
		want                            string
	}{
		{"admin GET", "GET", "AKIDADMIN", "admin-secret", "", 200, "admin "},
		{"admin PUT with body", "PUT", "AKIDADMIN", "admin-secret", `{"qty":2}`, 200, `admin {"qty":2}`},
		{"reader GET", "GET", "AKIDREADER", "reader-secret", "", 200, "reader "},
		{"reader PUT: policy", "PUT", "AKIDREADER", "reader-secret", `{}`, 403, `{"message":"Forbidden"}`},
		{"wrong secret", "GET", "AKIDADMIN", "guess", "", 403, `{"message":"Invalid request signature"}`},
		{"unknown key", "GET", "AKIDNOBODY", "x", "", 403, `{"message":"Invalid request signature"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(tt.method, "http://api.test/v1/prod/orders/7?x=1", strings.NewReader(tt.body))
			sum := sha256.Sum256([]byte(tt.body))
			if err := v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: tt.key, SecretAccessKey: tt.secret},
				req, hex.EncodeToString(sum[:]), "execute-api", "eu-west-1", time.Now()); err != nil {
				t.Fatal(err)
			}
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.status || string(b) != tt.want {
				t.Errorf("got %d %q, want %d %q", resp.StatusCode, b, tt.status, tt.want)
			}
		})
	}
}

// TestSigV4BodyLimit: an authorizer that reads the body meets the API's
// body limit, and the client gets 413, not an authorizer failure.
func TestSigV4BodyLimit(t *testing.T) {
	gw := gateway.New()
	defer gw.Close()
	sig := &auth.SigV4{Region: "local", Credentials: auth.StaticCredentials{"AKIDADMIN": {Secret: "s", Principal: "admin"}}}
	if err := gw.RegisterAuthorizer("iam", sig); err != nil {
		t.Fatal(err)
	}
	if err := gw.Mount("/", &gateway.API{MaxBodyBytes: 16, Routes: []gateway.Route{{Key: "POST /x", Integration: &gateway.Mock{}, Authorizer: "iam"}}}); err != nil {
		t.Fatal(err)
	}
	body := strings.Repeat("x", 100)
	req, _ := http.NewRequest("POST", "http://gw.test/x", io.NopCloser(strings.NewReader(body))) // unknown length
	if err := v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: "AKIDADMIN", SecretAccessKey: "s"},
		req, "UNSIGNED-PAYLOAD", "execute-api", "local", time.Now()); err != nil {
		t.Fatal(err)
	}
	req.Header.Del("X-Amz-Content-Sha256") // make the authorizer hash the body itself
	resp, err := gatewaytest.Client(gw).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 413 {
		t.Errorf("got %d %s, want 413", resp.StatusCode, b)
	}
}
