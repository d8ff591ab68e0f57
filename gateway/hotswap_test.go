package gateway_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/gatekit/gatekit/gateway"
)

// versioned is an API whose every route answers with its version twice,
// once when the request starts and once after yielding: a request that
// ran on two versions would answer a mixed body.
func versioned(v int) *gateway.API {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "v%d|", v)
		runtime.Gosched()
		fmt.Fprintf(w, "v%d", v)
	})
	return &gateway.API{Name: "pets", Routes: []gateway.Route{
		{Key: "GET /pets/{id}", Integration: gateway.Handler(h)},
		{Key: fmt.Sprintf("GET /only/v%d", v), Integration: gateway.Handler(h)},
	}}
}

func TestHotSwapUnderLoad(t *testing.T) {
	gw := mount(t, versioned(0), highGatewayRate)
	const workers, perWorker, swaps = 8, 2500, 100
	var failed, served atomic.Int64
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range perWorker {
				rec := httptest.NewRecorder()
				gw.ServeHTTP(rec, httptest.NewRequest("GET", fmt.Sprintf("/pets/%d", w*perWorker+i), nil))
				body, _ := io.ReadAll(rec.Body)
				var a, b string
				if _, err := fmt.Sscanf(string(body), "%2s|%2s", &a, &b); rec.Code != 200 || err != nil || a != b {
					failed.Add(1)
					t.Errorf("status %d body %q", rec.Code, body)
				}
				served.Add(1)
			}
		}()
	}
	swapped := make(chan int)
	go func() {
		n := 0
		defer func() { swapped <- n }()
		for i := 1; i <= swaps; i++ {
			// Pace the swaps across the load.
			for served.Load() < int64(i*workers*perWorker/(swaps+1)) {
				select {
				case <-stop:
					return
				default:
					runtime.Gosched()
				}
			}
			if err := gw.Mount("/", versioned(i%2)); err != nil {
				t.Error(err)
				return
			}
			n++
		}
	}()
	wg.Wait()
	close(stop)
	n := <-swapped
	if n != swaps || failed.Load() != 0 || served.Load() != workers*perWorker {
		t.Fatalf("swaps %d, served %d, failed %d", n, served.Load(), failed.Load())
	}
}
