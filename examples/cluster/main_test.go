package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"go.uber.org/goleak"

	"github.com/gatekit/gatekit/internal/redistest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// TestCluster runs the example on the test Redis: of 30 requests spread
// over three instances, exactly the quota of 10 is admitted.
func TestCluster(t *testing.T) {
	addr := redistest.Addr(t)
	var out bytes.Buffer
	admitted, err := run(context.Background(), config{redis: addr, tag: redistest.Tag(t, addr), instances: 3, quota: 10, requests: 30}, false, &out)
	if err != nil {
		t.Fatal(err)
	}
	if admitted != 10 || !strings.Contains(out.String(), "usage recorded in Redis today: 10") {
		t.Errorf("admitted %d; output:\n%s", admitted, out.String())
	}
	if n := strings.Count(out.String(), "429 Too Many Requests"); n != 20 {
		t.Errorf("%d refusals printed, want 20:\n%s", n, out.String())
	}
}
