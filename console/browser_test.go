package console_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"go.uber.org/goleak"

	"github.com/gatekit/gatekit/gateway"
	"github.com/gatekit/gatekit/internal/testenv"
)

// chromium returns the path of a Chromium or Chrome on PATH. Without one
// it skips the test, or fails it under CI=true (.ci/run installs one).
func chromium(t *testing.T) string {
	t.Helper()
	return testenv.OneOf(t, "apt-get install chromium", "chromium", "chromium-browser", "google-chrome")
}

// page drives the console in a headless browser.
type page struct {
	t   *testing.T
	ctx context.Context
}

// do runs the actions, failing the test if one fails.
func (p page) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	if err := chromedp.Do(p.ctx, actions...); err != nil {
		p.t.Fatalf("%s: %v", what, err)
	}
}

// eval returns the value of a JavaScript expression in the page.
func eval[T any](p page, expr string) T {
	p.t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		p.t.Fatalf("%s: %v", expr, err)
	}
	return v
}

// wait waits up to 10 s for a JavaScript expression to be true.
func (p page) wait(what, expr string) {
	p.t.Helper()
	_, err := chromedp.Run(p.ctx, chromedp.Poll[chromedp.Void](expr,
		chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil {
		shown, _ := chromedp.Run(p.ctx, chromedp.Evaluate[string](
			`document.querySelector('main > section:not([hidden])').innerText.slice(0, 2000) + '\nerror: ' + document.getElementById('error-text').textContent`))
		p.t.Fatalf("waiting until %s (%s): %v; the page shows:\n%s", what, expr, err, shown)
	}
}

// describe returns what a JavaScript value looks like in the console.
func describe(o *runtime.RemoteObject) string {
	switch {
	case o == nil:
		return ""
	case o.Description != "":
		return o.Description
	}
	return string(o.Value)
}

// callsJS is the calls column of the dashboard's row for pets/prod GET /pets.
const callsJS = `Number(document.querySelector('#route-table tr[data-api="pets"][data-stage="prod"][data-route="GET /pets"] .calls')?.textContent.replace(/\D/g, '') ?? -1)`

// TestBrowser opens the console in headless Chromium: the dashboard shows
// a route's traffic and follows it live; the APIs view deploys and points
// a stage at the new deployment; the Keys view creates a key, shows its
// value once, and attaches it to a plan; the API's errors are shown.
func TestBrowser(t *testing.T) {
	exe := chromium(t)
	t.Cleanup(func() { goleak.VerifyNone(t) }) // last: after the gateway and the server close
	began := time.Now()

	gw, h := managed(t, gateway.WithStats(), gateway.WithLogger(slog.New(slog.DiscardHandler)))
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	traffic := func(n int) {
		for range n {
			w := httptest.NewRecorder()
			gw.ServeHTTP(w, httptest.NewRequest("GET", "/prod/pets", nil))
			if w.Code != 200 {
				t.Fatalf("GET /prod/pets: %d", w.Code)
			}
		}
	}

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	actx, acancel := chromedp.NewExecAllocator(ctx, append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.Headless)...)
	defer acancel()
	bctx, bcancel := chromedp.NewContext(actx)
	defer bcancel()
	p := page{t, bctx}

	// What goes wrong in the page: uncaught exceptions, console errors,
	// and the browser's own (a refused load, a CSP violation).
	var mu sync.Mutex
	var problems []string
	if err := chromedp.Listen(bctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch ev := ev.(type) {
		case *runtime.EventExceptionThrown:
			problems = append(problems, "exception: "+ev.ExceptionDetails.Text+" "+describe(ev.ExceptionDetails.Exception))
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError && len(ev.Args) > 0 {
				problems = append(problems, "console.error: "+describe(ev.Args[0]))
			}
		case *log.EventEntryAdded:
			if ev.Entry.Level == log.EntryLevelError {
				problems = append(problems, fmt.Sprintf("%s: %s %s", ev.Entry.Source, ev.Entry.Text, ev.Entry.URL))
			}
		}
	}); err != nil {
		t.Fatalf("starting %s: %v", exe, err)
	}
	setHeader := func(auth string) {
		t.Helper()
		_, err := chromedp.Call(bctx, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{Headers: network.Headers{"Authorization": auth}})
		if err != nil {
			t.Fatal(err)
		}
	}
	// The console is behind the gateway's admin authorizer.
	setHeader("Bearer admin")
	t.Logf("browser started in %v", time.Since(began).Round(time.Millisecond))

	// The dashboard: the route's row, its charts, and live updates.
	traffic(3)
	p.do("open the console", chromedp.Navigate(srv.URL+"/console")) // redirected to /console/
	if loc := eval[string](p, `location.pathname + location.hash`); loc != "/console/#/dashboard" {
		t.Errorf("the console opened at %s, want /console/#/dashboard", loc)
	}
	p.wait("the dashboard shows 3 calls of GET /pets", callsJS+` === 3`)
	const chartsJS = `document.querySelector('article.route-charts[data-api="pets"][data-stage="prod"][data-route="GET /pets"]')`
	if n := eval[int](p, chartsJS+`.querySelectorAll('svg[role=img]').length`); n != 3 {
		t.Errorf("the route has %d charts, want 3", n)
	}
	if h := eval[float64](p, `Math.max(...[...`+chartsJS+`.querySelectorAll('.series.bar.c0 rect')].map(r => r.getBBox().height))`); h <= 0 {
		t.Errorf("the calls chart draws no bar (tallest %v)", h)
	}
	if got := eval[string](p, chartsJS+`.querySelector('svg').getAttribute('aria-label')`); !strings.HasPrefix(got, "Calls. calls: latest ") {
		t.Errorf("the calls chart is labelled %q", got)
	}
	eval[bool](p, `window.notReloaded = true`)
	traffic(5)
	p.wait("the dashboard updates to 8 calls", callsJS+` === 8`)
	if !eval[bool](p, `window.notReloaded === true`) {
		t.Error("the page reloaded to update")
	}
	if got := eval[string](p, `document.querySelector('#route-table tr[data-route="GET /pets"][data-stage="prod"] .cache').textContent`); !strings.HasSuffix(got, "%") {
		t.Errorf("cache hits %q, want a ratio", got)
	}
	t.Logf("dashboard checked at %v", time.Since(began).Round(time.Millisecond))

	// APIs: deploy, then point beta at the new deployment.
	const pets = `article.api[data-api="pets"]`
	p.do("open the APIs", chromedp.Click(chromedp.CSS(`nav a[href="#/apis"]`)))
	p.wait("the APIs view lists the pets deployment", `document.querySelectorAll('`+pets+` tr[data-deployment]').length === 1`)
	p.do("deploy pets",
		chromedp.SendKeys(chromedp.CSS(pets+` form.deploy input[name=description]`), "from the browser"),
		chromedp.Click(chromedp.CSS(pets+` form.deploy button`)))
	p.wait("the new deployment is listed", `document.querySelectorAll('`+pets+` tr[data-deployment]').length === 2`)
	id := eval[string](p, `document.querySelector('`+pets+` tr[data-deployment]').dataset.deployment`) // newest first
	ds, err := gw.Deployments("pets")
	if err != nil || len(ds) != 2 || ds[1].ID != id || ds[1].Description != "from the browser" {
		t.Fatalf("after Deploy, the gateway has %+v (%v), want a second deployment %s from the browser", ds, err, id)
	}
	if got := eval[string](p, `document.getElementById('status').textContent`); !strings.Contains(got, id) {
		t.Errorf("status %q, want it to name %s", got, id)
	}
	if got := eval[string](p, `document.activeElement.id`); got != "deploy:pets" {
		t.Errorf("after the view is redrawn, the focus is on %q, want the new Deploy button", got)
	}
	p.do("point beta at it",
		chromedp.SetValue(chromedp.CSS(pets+` tr[data-stage="beta"] select`), id),
		chromedp.Click(chromedp.CSS(pets+` tr[data-stage="beta"] button`)))
	p.wait("beta serves it", `document.querySelector('`+pets+` tr[data-deployment="`+id+`"]').textContent.includes('beta')`)
	if st, _ := gw.GetStage("pets", "beta"); st.DeploymentID != id {
		t.Errorf("beta serves %s, want %s", st.DeploymentID, id)
	}
	p.do("flush prod's cache", chromedp.Click(chromedp.CSS(pets+` tr[data-stage="prod"] td:last-child button`)))
	p.wait("the flush is reported", `document.getElementById('status').textContent.startsWith('Flushed the cache of stage prod')`)
	t.Logf("APIs checked at %v", time.Since(began).Round(time.Millisecond))

	// Keys: create one, see its value once, attach it to the plan.
	p.do("open Keys", chromedp.Click(chromedp.CSS(`nav a[href="#/keys"]`)))
	p.wait("the plan is listed", `document.querySelector('article.plan[data-plan="free"]') !== null`)
	p.do("create a key",
		chromedp.SendKeys(chromedp.CSS(`#new-key input[name=name]`), "browser-key"),
		chromedp.Click(chromedp.CSS(`#new-key button`)))
	p.wait("the key's value is shown", `document.getElementById('key-value').textContent.length === 40`)
	value := eval[string](p, `document.getElementById('key-value').textContent`)
	p.wait("the key is listed", `[...document.querySelectorAll('#key-table tbody th')].some(th => th.textContent === 'browser-key')`)
	keys, err := gw.APIKeys().List(context.Background())
	if err != nil || len(keys) != 1 || keys[0].Name != "browser-key" {
		t.Fatalf("the gateway's keys: %+v %v", keys, err)
	}
	keyID := keys[0].ID
	const plan = `article.plan[data-plan="free"]`
	p.do("attach it to the plan",
		chromedp.SetValue(chromedp.CSS(plan+` form select`), keyID),
		chromedp.Click(chromedp.CSS(plan+` form button`)))
	p.wait("the plan shows the key's usage", `document.querySelector('`+plan+` tr[data-key="`+keyID+`"] svg') !== null`)
	r := httptest.NewRequest("GET", "/prod/partner", nil)
	r.Header.Set("X-Api-Key", value)
	w := httptest.NewRecorder()
	gw.ServeHTTP(w, r)
	if w.Code != 200 {
		t.Errorf("GET /prod/partner with the value shown: %d, want 200", w.Code)
	}
	// Shown once: gone after a visit elsewhere.
	p.do("leave Keys and come back",
		chromedp.Click(chromedp.CSS(`nav a[href="#/dashboard"]`)),
		chromedp.Click(chromedp.CSS(`nav a[href="#/keys"]`)))
	p.wait("the key is listed again", `document.querySelector('#key-table tbody tr[data-key="`+keyID+`"]') !== null`)
	if eval[bool](p, `document.documentElement.outerHTML.includes(`+fmt.Sprintf("%q", value)+`)`) {
		t.Error("the key's value is still in the page")
	}
	t.Logf("keys checked at %v", time.Since(began).Round(time.Millisecond))

	mu.Lock()
	if len(problems) > 0 {
		t.Errorf("the page reported:\n%s", strings.Join(problems, "\n"))
	}
	mu.Unlock()

	// The API's errors are shown in the page.
	setHeader("Bearer nobody")
	p.do("open the APIs without access", chromedp.Click(chromedp.CSS(`nav a[href="#/apis"]`)))
	p.wait("the error is shown", `!document.getElementById('error').hidden && document.getElementById('error-text').textContent.includes('401')`)

	if err := chromedp.Cancel(bctx); err != nil {
		t.Errorf("closing the browser: %v", err)
	}
	t.Logf("browser closed at %v", time.Since(began).Round(time.Millisecond))
}
