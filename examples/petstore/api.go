package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/gatekit/gatekit/gateway"
)

// newAPI is the pet store API: one route per kind of integration. The
// inventory route proxies to the backend its stage names in the stage
// variable "inventory" (host:port); version answers GET /version.
func newAPI(st *store, version string) *gateway.API {
	// The stages that cache keep GET responses; these are live data (they
	// change with every POST, or with the stock), so they opt out.
	live := &gateway.RouteCache{Disabled: true}
	return &gateway.API{
		Name:        "petstore",
		Kind:        gateway.HTTP,
		Version:     version,
		Description: "A pet store: one route per kind of integration.",
		Routes: []gateway.Route{
			{Key: "GET /pets", OperationName: "listPets", Summary: "Lists the pets.",
				Integration: gateway.Function(st.list), ResponseModel: petList, Cache: live},
			{Key: "GET /pets/{id}", OperationName: "getPet", Summary: "Returns a pet.",
				Integration: gateway.Function(st.get), Cache: live,
				RequestParameters: []gateway.Parameter{{In: "path", Name: "id", Required: true, Type: "integer"}},
				Validate:          gateway.ValidateParameters, ResponseModel: petModel},
			// A slow search, cached on the stages that cache: one entry per
			// ?type=, shared by every caller with a token.
			{Key: "GET /pets/search", OperationName: "searchPets", Summary: "Searches the pets by type, slowly.",
				Integration: gateway.Function(st.search), Authorizer: "jwt", AuthorizationScopes: []string{"pets:read"},
				Cache: &gateway.RouteCache{KeyParameters: []string{"querystring.type"}, Shared: true, TTL: time.Minute},
				RequestParameters: []gateway.Parameter{
					{In: "querystring", Name: "type", Type: "string"},
					{In: "querystring", Name: "page", Type: "integer"},
				},
				Validate: gateway.ValidateParameters, ResponseModel: searchResultModel},
			{Key: "POST /pets", OperationName: "createPet", Summary: "Adds a pet.",
				Integration: gateway.Function(st.create), RequestModel: newPetModel, ResponseModel: petModel, Validate: gateway.ValidateBody},
			{Key: "GET /owners/{name}", OperationName: "getOwner", Summary: "Describes an owner (a wrapped http.Handler).",
				Integration: gateway.Handler(http.HandlerFunc(owner))},
			{Key: "ANY /inventory/{proxy+}", OperationName: "inventory", Summary: "The stage's inventory backend, proxied.",
				Integration: &gateway.HTTPProxy{URL: "http://${stageVariables.inventory}/{proxy}"}, Timeout: 5 * time.Second, Cache: live},
			{Key: "GET /partner/pets", OperationName: "listPartnerPets", Summary: "Lists the pets, for partners with an API key.",
				Integration: gateway.Function(st.list), APIKeyRequired: true, Cache: live, ResponseModel: petList},
			{Key: "POST /signed/pets", OperationName: "createSignedPet", Summary: "Adds a pet, for callers who sign with SigV4.",
				Integration: gateway.Function(st.create), Authorizer: "sigv4", RequestModel: newPetModel, ResponseModel: petModel, Validate: gateway.ValidateBody},
			{Key: "GET /admin/stats", OperationName: "getStats", Summary: "Counts the pets, for admins.",
				Integration: gateway.Function(st.stats), Authorizer: "jwt", AuthorizationScopes: []string{"pets:admin"}, Cache: live},
			{Key: "GET /health", OperationName: "health", Summary: "Says the gateway is up.",
				Integration: &gateway.Mock{Header: http.Header{"Content-Type": {"text/plain"}}, Body: "ok\n"}},
			{Key: "GET /version", OperationName: "getVersion", Summary: "Says which version and stage answered.",
				RequestParameters: []gateway.Parameter{{In: "header", Name: "X-Client-Version", Type: "string"}},
				ResponseModel:     versionModel,
				Integration: gateway.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Type", "application/json")
					_ = json.NewEncoder(w).Encode(map[string]any{
						"version": version,
						"stage":   gateway.StageName(r.Context()),
						"canary":  gateway.IsCanary(r.Context()),
					})
				}))},
		},
		CORS: &gateway.CORS{
			AllowOrigins: []string{"https://example.com"},
			AllowMethods: []string{"GET", "POST"},
			AllowHeaders: []string{"Content-Type"},
			MaxAge:       time.Hour,
		},
	}
}

// The API's models: JSON Schemas of the bodies, which exported OpenAPI
// documents and generated SDKs carry. POST /pets validates its body
// against NewPet.
var (
	petModel = &gateway.Model{Name: "Pet", Schema: `{
		"type": "object",
		"required": ["id", "name", "type"],
		"properties": {
			"id": {"type": "integer"},
			"name": {"type": "string"},
			"type": {"type": "string"}
		}
	}`}
	petList     = &gateway.Model{Name: "PetList", Schema: `{"type": "array", "items": ` + petModel.Schema + `}`}
	newPetModel = &gateway.Model{Name: "NewPet", Schema: `{
		"$schema": "http://json-schema.org/draft-04/schema#",
		"type": "object",
		"required": ["name"],
		"properties": {
			"name": {"type": "string", "minLength": 1},
			"type": {"type": "string"}
		}
	}`}
	searchResultModel = &gateway.Model{Name: "SearchResult", Schema: `{
		"type": "object",
		"properties": {
			"type": {"type": "string"},
			"pets": ` + petList.Schema + `,
			"searchedAt": {"type": "string", "format": "date-time"}
		}
	}`}
	versionModel = &gateway.Model{Name: "Version", Schema: `{
		"type": "object",
		"properties": {
			"version": {"type": "string"},
			"stage": {"type": "string"},
			"canary": {"type": "boolean"}
		}
	}`}
)

// searchLatency is how long a search takes: a slow backend, which the
// cache saves callers from.
const searchLatency = 200 * time.Millisecond

// searchResult is what GET /pets/search answers.
type searchResult struct {
	Type       string    `json:"type"`
	Pets       []Pet     `json:"pets"`
	SearchedAt time.Time `json:"searchedAt"`
}

// search lists the pets of the ?type= given, slowly.
func (s *store) search(ctx context.Context, req events.APIGatewayV2HTTPRequest) (searchResult, error) {
	select {
	case <-time.After(searchLatency):
	case <-ctx.Done():
		return searchResult{}, ctx.Err()
	}
	typ := req.QueryStringParameters["type"]
	all, _ := s.list(ctx, req)
	res := searchResult{Type: typ, Pets: []Pet{}, SearchedAt: time.Now().UTC()}
	for _, p := range all {
		if typ == "" || p.Type == typ {
			res.Pets = append(res.Pets, p)
		}
	}
	return res, nil
}

// Pet is a pet in the store.
type Pet struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
	Type string `json:"type"`
}

// store is an in-memory pet store. Its methods are ordinary Lambda
// handlers: they would run unchanged on the managed service.
type store struct {
	mu     sync.Mutex
	pets   map[int]Pet
	nextID int
}

func newStore() *store {
	return &store{pets: map[int]Pet{1: {1, "Fido", "dog"}, 2: {2, "Tom", "cat"}}, nextID: 3}
}

// list returns a bare value: payload 2.0 answers it as 200 JSON.
func (s *store) list(_ context.Context, _ events.APIGatewayV2HTTPRequest) ([]Pet, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	pets := make([]Pet, 0, len(s.pets))
	for _, p := range s.pets {
		pets = append(pets, p)
	}
	sort.Slice(pets, func(i, j int) bool { return pets[i].ID < pets[j].ID })
	return pets, nil
}

func (s *store) get(_ context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	id, err := strconv.Atoi(req.PathParameters["id"])
	if err != nil {
		return jsonResponse(http.StatusBadRequest, map[string]string{"message": "id must be a number"}), nil
	}
	s.mu.Lock()
	p, ok := s.pets[id]
	s.mu.Unlock()
	if !ok {
		return jsonResponse(http.StatusNotFound, map[string]string{"message": "no such pet"}), nil
	}
	return jsonResponse(http.StatusOK, p), nil
}

func (s *store) create(_ context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	var p Pet
	if err := json.Unmarshal([]byte(req.Body), &p); err != nil || p.Name == "" {
		return jsonResponse(http.StatusBadRequest, map[string]string{"message": `body must be {"name":"...","type":"..."}`}), nil
	}
	s.mu.Lock()
	p.ID = s.nextID
	s.nextID++
	s.pets[p.ID] = p
	s.mu.Unlock()
	resp := jsonResponse(http.StatusCreated, p)
	resp.Headers["Location"] = fmt.Sprintf("/pets/%d", p.ID)
	return resp, nil
}

func jsonResponse(status int, v any) events.APIGatewayV2HTTPResponse {
	body, _ := json.Marshal(v) // the values above always marshal
	return events.APIGatewayV2HTTPResponse{
		StatusCode: status,
		Headers:    map[string]string{"Content-Type": "application/json"},
		Body:       string(body),
	}
}

// stats answers who asked (from the JWT's claims in the payload) and how
// many pets there are.
func (s *store) stats(_ context.Context, req events.APIGatewayV2HTTPRequest) (map[string]any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]any{"pets": len(s.pets)}
	if a := req.RequestContext.Authorizer; a != nil && a.JWT != nil {
		out["caller"], out["scopes"] = a.JWT.Claims["sub"], a.JWT.Scopes
	}
	return out, nil
}

// owner is an existing http.Handler, wrapped as it is.
func owner(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]string{
		"owner":     r.PathValue("name"),
		"requestId": gateway.RequestID(r.Context()),
		"routeKey":  gateway.RouteKey(r.Context()),
	})
}
