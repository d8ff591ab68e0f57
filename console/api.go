package console

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/gatekit/gatekit/auth"
	"github.com/gatekit/gatekit/gateway"
	"github.com/gatekit/gatekit/throttle"
)

// maxBody bounds the JSON bodies the API reads.
const maxBody = 1 << 20

// Handler returns the console for gw: its pages and its JSON API.
func Handler(gw *gateway.Gateway) http.Handler {
	a := &api{gw: gw}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", servePage)
	mux.HandleFunc("GET /assets/{file...}", serveAsset)
	mux.HandleFunc("GET /api/apis", a.apis)
	mux.HandleFunc("GET /api/apis/{api}/deployments", a.deployments)
	mux.HandleFunc("POST /api/apis/{api}/deployments", a.deploy)
	mux.HandleFunc("GET /api/apis/{api}/stages", a.stages)
	mux.HandleFunc("PUT /api/apis/{api}/stages/{stage}/deployment", a.setDeployment)
	mux.HandleFunc("POST /api/apis/{api}/stages/{stage}/cache/flush", a.flush)
	mux.HandleFunc("GET /api/apikeys", a.keys)
	mux.HandleFunc("POST /api/apikeys", a.createKey)
	mux.HandleFunc("PATCH /api/apikeys/{id}", a.updateKey)
	mux.HandleFunc("GET /api/usageplans", a.plans)
	mux.HandleFunc("POST /api/usageplans/{plan}/keys", a.attach)
	mux.HandleFunc("DELETE /api/usageplans/{plan}/keys/{id}", a.detach)
	mux.HandleFunc("GET /api/usageplans/{plan}/keys/{id}/usage", a.usage)
	mux.HandleFunc("GET /api/stats", a.stats)
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, errors.New("no such endpoint"))
	})
	return mux
}

type api struct{ gw *gateway.Gateway }

func (a *api) apis(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, a.gw.APIs())
}

func (a *api) deployments(w http.ResponseWriter, r *http.Request) {
	ds, err := a.gw.Deployments(r.PathValue("api"))
	reply(w, http.StatusOK, ds, err, http.StatusNotFound)
}

func (a *api) deploy(w http.ResponseWriter, r *http.Request) {
	var in struct{ Description string }
	if !readJSON(w, r, &in) {
		return
	}
	d, err := a.gw.Deploy(r.PathValue("api"), in.Description)
	reply(w, http.StatusCreated, d, err, http.StatusBadRequest)
}

// stageView is a stage as the API shows it.
type stageView struct {
	gateway.Stage
	CacheStats *gateway.CacheStats `json:",omitempty"`
}

func (a *api) stages(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("api")
	sts, err := a.gw.Stages(name)
	if err != nil {
		writeError(w, http.StatusNotFound, err)
		return
	}
	out := make([]stageView, 0, len(sts))
	for _, st := range sts {
		v := stageView{Stage: st}
		v.AccessLog, v.ExecutionLog.Logger = nil, nil // loggers are not data
		if st.Cache != nil {
			v.Cache.Store = nil
			if cs, err := a.gw.CacheStats(name, st.Name); err == nil {
				v.CacheStats = &cs
			}
		}
		out = append(out, v)
	}
	writeJSON(w, http.StatusOK, out)
}

func (a *api) setDeployment(w http.ResponseWriter, r *http.Request) {
	var in struct{ DeploymentID string }
	if !readJSON(w, r, &in) {
		return
	}
	err := a.gw.SetStageDeployment(r.PathValue("api"), r.PathValue("stage"), in.DeploymentID)
	reply(w, http.StatusNoContent, nil, err, http.StatusBadRequest)
}

func (a *api) flush(w http.ResponseWriter, r *http.Request) {
	err := a.gw.FlushStageCache(r.Context(), r.PathValue("api"), r.PathValue("stage"))
	reply(w, http.StatusNoContent, nil, err, http.StatusBadRequest)
}

// keyView is an API key without its digest.
type keyView struct {
	ID, Name, Description string
	Enabled               bool
	CreatedAt             time.Time
	UsagePlans            []string
}

func viewKey(k auth.APIKey) keyView {
	return keyView{ID: k.ID, Name: k.Name, Description: k.Description, Enabled: k.Enabled, CreatedAt: k.CreatedAt, UsagePlans: k.UsagePlans}
}

func (a *api) keys(w http.ResponseWriter, r *http.Request) {
	ks, err := a.gw.APIKeys().List(r.Context())
	if err != nil {
		writeError(w, http.StatusInternalServerError, err)
		return
	}
	out := make([]keyView, 0, len(ks))
	for _, k := range ks {
		out = append(out, viewKey(k))
	}
	writeJSON(w, http.StatusOK, out)
}

func (a *api) createKey(w http.ResponseWriter, r *http.Request) {
	var in struct{ Name, Description string }
	if !readJSON(w, r, &in) {
		return
	}
	if in.Name == "" {
		writeError(w, http.StatusBadRequest, errors.New("name is required"))
		return
	}
	k, value, err := a.gw.APIKeys().Create(r.Context(), in.Name, in.Description)
	if err != nil {
		writeError(w, http.StatusInternalServerError, err)
		return
	}
	writeJSON(w, http.StatusCreated, struct {
		keyView
		Value string
	}{viewKey(k), value})
}

func (a *api) updateKey(w http.ResponseWriter, r *http.Request) {
	var in struct{ Enabled *bool }
	if !readJSON(w, r, &in) {
		return
	}
	if in.Enabled == nil {
		writeError(w, http.StatusBadRequest, errors.New(`"enabled" is required`))
		return
	}
	err := a.gw.APIKeys().SetEnabled(r.Context(), r.PathValue("id"), *in.Enabled)
	if errors.Is(err, auth.ErrNoKey) {
		writeError(w, http.StatusNotFound, err)
		return
	}
	reply(w, http.StatusNoContent, nil, err, http.StatusInternalServerError)
}

// planView is a usage plan with its keys.
type planView struct {
	throttle.Plan
	Keys []string
}

func (a *api) plans(w http.ResponseWriter, r *http.Request) {
	plans := a.gw.UsagePlans()
	out := make([]planView, 0, len(plans))
	for _, p := range plans {
		v := planView{Plan: p, Keys: []string{}}
		keys, err := a.gw.UsagePlanKeys(r.Context(), p.Name)
		if err != nil {
			writeError(w, http.StatusInternalServerError, err)
			return
		}
		for _, k := range keys {
			v.Keys = append(v.Keys, k.ID)
		}
		out = append(out, v)
	}
	writeJSON(w, http.StatusOK, out)
}

func (a *api) attach(w http.ResponseWriter, r *http.Request) {
	var in struct{ KeyID string }
	if !readJSON(w, r, &in) {
		return
	}
	err := a.gw.AttachKey(r.Context(), r.PathValue("plan"), in.KeyID)
	reply(w, http.StatusNoContent, nil, err, http.StatusBadRequest)
}

func (a *api) detach(w http.ResponseWriter, r *http.Request) {
	err := a.gw.DetachKey(r.Context(), r.PathValue("plan"), r.PathValue("id"))
	reply(w, http.StatusNoContent, nil, err, http.StatusNotFound)
}

func (a *api) usage(w http.ResponseWriter, r *http.Request) {
	to := time.Now().UTC()
	from := to.AddDate(0, 0, -6)
	for _, p := range []struct {
		name string
		t    *time.Time
	}{{"from", &from}, {"to", &to}} {
		if v := r.URL.Query().Get(p.name); v != "" {
			t, err := time.Parse(time.DateOnly, v)
			if err != nil {
				writeError(w, http.StatusBadRequest, fmt.Errorf("%s: want YYYY-MM-DD", p.name))
				return
			}
			*p.t = t
		}
	}
	plan := r.PathValue("plan")
	days, err := a.gw.GetUsage(r.Context(), plan, r.PathValue("id"), from, to)
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	out := struct {
		Plan  string
		Days  []throttle.DailyUsage
		Quota *throttle.Quota `json:",omitempty"`
	}{Plan: plan, Days: days}
	for _, p := range a.gw.UsagePlans() {
		if p.Name == plan {
			out.Quota = p.Quota
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// statsView is what GET /api/stats returns.
type statsView struct {
	Enabled bool // whether the gateway keeps statistics (gateway.WithStats)
	Routes  []gateway.RouteStats
}

func (a *api) stats(w http.ResponseWriter, r *http.Request) {
	routes := a.gw.Stats()
	v := statsView{Enabled: routes != nil, Routes: routes}
	if routes == nil {
		v.Routes = []gateway.RouteStats{} // [], not null
	}
	writeJSON(w, http.StatusOK, v)
}

// reply writes v with okStatus, or err with errStatus.
func reply(w http.ResponseWriter, okStatus int, v any, err error, errStatus int) {
	switch {
	case err != nil:
		writeError(w, errStatus, err)
	case v == nil:
		w.WriteHeader(okStatus)
	default:
		writeJSON(w, okStatus, v)
	}
}

func readJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(io.LimitReader(r.Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil && !errors.Is(err, io.EOF) {
		writeError(w, http.StatusBadRequest, fmt.Errorf("invalid JSON body: %w", err))
		return false
	}
	return true
}

// writeJSON writes v, or a 500 if it has no JSON form (a throttle.Rate of
// Inf, say) rather than an empty 200.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		status = http.StatusInternalServerError
		b, _ = json.Marshal(map[string]string{"message": "console: " + err.Error()})
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

func writeError(w http.ResponseWriter, status int, err error) {
	writeJSON(w, status, map[string]string{"message": err.Error()})
}
