// Package spectest holds what the SDK generators' tests share: the APIs
// they generate from, the name clashes and invalid APIs the generators
// must refuse, and helpers that generate, check and write SDKs. Only
// tests import it.
package spectest

import (
	"fmt"

	"github.com/gatekit/gatekit/sdkgen/internal/spec"
)

// Petstore returns the pet store example's prod stage, as sdkgen reads it
// from the exported OpenAPI document (operations in path then method
// order, parameters path first, models by name), with what the example
// does not exercise: an operation of each kind the generators handle
// apart. There are required and optional path, query and header
// parameters, repeated (array) query and header parameters, a greedy path
// parameter on an ANY operation with an optional body and on a PUT, text,
// void, map and nested results, every kind of auth and two together,
// models with nested models, a self-reference, maps, lists of lists, a
// date-time, a reserved word and a name that is no identifier, and
// documentation with characters comments must escape.
//
// Each call returns a new API that the caller may change.
func Petstore() *spec.API {
	str := spec.Type{Kind: spec.String}
	integer := spec.Type{Kind: spec.Integer}
	anyJSON := spec.Type{Kind: spec.Any}
	pet := spec.Type{Kind: spec.Ref, Ref: "Pet"}
	pets := spec.Type{Kind: spec.Array, Elem: &pet}
	newPet := spec.Type{Kind: spec.Ref, Ref: "NewPet"}
	strings := spec.Type{Kind: spec.Array, Elem: &str}
	return &spec.API{
		Name: "petstore", Title: "Pet Store", Version: "1.0",
		Doc:     "The pet store: pets, owners & stock.\n\nUse <it> well.",
		BaseURL: "http://127.0.0.1:8080/prod", Stage: "prod", Region: "local", Service: "execute-api",
		Operations: []spec.Operation{
			{Name: "getStats", Method: "GET", Path: "/admin/stats", Result: &anyJSON, Auth: spec.Auth{Bearer: true}},
			{Name: "findPets", Method: "GET", Path: "/find/{class}",
				Params: []spec.Param{
					{Name: "class", In: spec.InPath, Type: str, Required: true},
					{Name: "limit", In: spec.InQuery, Type: integer, Required: true},
					{Name: "tag", In: spec.InQuery, Type: strings},
				},
				Result: &spec.Type{Kind: spec.Map, Elem: &pets}},
			{Name: "health", Method: "GET", Path: "/health", TextResult: true},
			{Name: "inventory", Method: "ANY", Path: "/inventory/{proxy+}", Body: &anyJSON, Result: &anyJSON,
				Params: []spec.Param{{Name: "proxy", In: spec.InPath, Type: str, Required: true, Greedy: true}}},
			{Name: "getOwner", Method: "GET", Path: "/owners/{name}", Result: &anyJSON,
				Params: []spec.Param{{Name: "name", In: spec.InPath, Type: str, Required: true}}},
			{Name: "listPartnerPets", Method: "GET", Path: "/partner/pets", Result: &pets, Auth: spec.Auth{APIKey: true}},
			{Name: "deletePets", Method: "DELETE", Path: "/pets",
				Params: []spec.Param{
					{Name: "id", In: spec.InQuery, Type: spec.Type{Kind: spec.Array, Elem: &integer}, Required: true},
					{Name: "If-Match", In: spec.InHeader, Type: str, Required: true},
				}},
			{Name: "listPets", Method: "GET", Path: "/pets", Doc: "Lists the pets.\n\nAll of them.", Result: &pets},
			{Name: "createPet", Method: "POST", Path: "/pets", Body: &newPet, BodyRequired: true, Result: &pet},
			{Name: "searchPets", Method: "GET", Path: "/pets/search", Doc: "Searches the pets by type.",
				Params: []spec.Param{
					{Name: "page", In: spec.InQuery, Type: integer},
					{Name: "tag", In: spec.InQuery, Type: strings},
					{Name: "type", In: spec.InQuery, Type: str, Doc: "The pets' type."},
				},
				Result: &spec.Type{Kind: spec.Ref, Ref: "SearchResult"}, Auth: spec.Auth{Bearer: true}},
			{Name: "deletePet", Method: "DELETE", Path: "/pets/{id}",
				Params: []spec.Param{
					{Name: "id", In: spec.InPath, Type: integer, Required: true},
					{Name: "X-Reason", In: spec.InHeader, Type: str, Required: true},
				}},
			{Name: "getPet", Method: "GET", Path: "/pets/{id}", Result: &pet,
				Params: []spec.Param{{Name: "id", In: spec.InPath, Type: integer, Required: true, Doc: "The pet's id."}}},
			{Name: "updatePet", Method: "PUT", Path: "/pets/{id}", Body: &newPet,
				Params: []spec.Param{{Name: "id", In: spec.InPath, Type: integer, Required: true}}},
			{Name: "reset", Method: "POST", Path: "/reset", Auth: spec.Auth{APIKey: true, Bearer: true}},
			{Name: "createSignedPet", Method: "POST", Path: "/signed/pets", Body: &newPet, BodyRequired: true, Result: &pet,
				Auth: spec.Auth{SigV4: true}},
			{Name: "putFile", Method: "PUT", Path: "/uploads/{path+}", Doc: "Stores a file.",
				Params: []spec.Param{
					{Name: "path", In: spec.InPath, Type: str, Required: true, Greedy: true, Doc: "Where it goes."},
					{Name: "limit", In: spec.InQuery, Type: spec.Type{Kind: spec.Integer, Format: "int32"}},
					{Name: "tag", In: spec.InQuery, Type: strings, Required: true},
					{Name: "X-Ids", In: spec.InHeader, Type: spec.Type{Kind: spec.Array, Elem: &integer}},
				},
				Body: &spec.Type{Kind: spec.Map, Elem: &anyJSON}, Auth: spec.Auth{SigV4: true, APIKey: true}},
			{Name: "getVersion", Method: "GET", Path: "/version", Result: &spec.Type{Kind: spec.Ref, Ref: "Version"},
				Params: []spec.Param{{Name: "X-Client-Version", In: spec.InHeader, Type: str, Doc: "The caller's version."}}},
		},
		Models: []spec.Model{
			{Name: "NewPet", Fields: []spec.Field{
				{Name: "name", Type: str, Required: true},
				{Name: "type", Type: str},
			}},
			{Name: "Owner", Fields: []spec.Field{
				{Name: "name", Type: str, Required: true},
				{Name: "from", Type: str},
			}},
			{Name: "Pet", Doc: "A pet in the store.", Fields: []spec.Field{
				{Name: "id", Type: integer, Required: true},
				{Name: "name", Type: str, Required: true, Doc: "The pet's name."},
				{Name: "type", Type: str, Required: true},
				{Name: "owner", Type: spec.Type{Kind: spec.Ref, Ref: "Owner"}},
				{Name: "class", Type: str, Doc: "A reserved word."},
				{Name: "tags", Type: spec.Type{Kind: spec.Map, Elem: &str}},
				{Name: "friends", Type: spec.Type{Kind: spec.Array, Elem: &pets}},
			}},
			{Name: "SearchResult", Fields: []spec.Field{
				{Name: "type", Type: str},
				{Name: "pets", Type: pets},
				{Name: "searchedAt", Type: spec.Type{Kind: spec.String, Format: "date-time"}},
				{Name: "default", Type: spec.Type{Kind: spec.Map, Elem: &integer}},
			}},
			{Name: "Version", Fields: []spec.Field{
				{Name: "version", Type: str},
				{Name: "stage", Type: str},
				{Name: "canary", Type: spec.Type{Kind: spec.Boolean}},
				{Name: "build-id", Type: spec.Type{Kind: spec.Map, Elem: &str}},
			}},
		},
	}
}

// Minimal returns an API with one operation, a text result without
// parameters, auth or models: what is generated for it is only what every
// SDK needs. It has a region and a service, which its SDK must not use.
func Minimal() *spec.API {
	return &spec.API{Name: "tiny api", BaseURL: "https://api.example.com", Region: "us-east-1", Service: "execute-api",
		Operations: []spec.Operation{{Name: "ping", Method: "GET", Path: "/ping", TextResult: true}}}
}

// Op returns the operation of api named name; it panics if there is none.
func Op(api *spec.API, name string) *spec.Operation {
	for i := range api.Operations {
		if api.Operations[i].Name == name {
			return &api.Operations[i]
		}
	}
	panic(fmt.Sprintf("spectest: no operation %q", name))
}

// Model returns the model of api named name; it panics if there is none.
func Model(api *spec.API, name string) *spec.Model {
	if m := api.Model(name); m != nil {
		return m
	}
	panic(fmt.Sprintf("spectest: no model %q", name))
}

// PetShop returns Petstore renamed "pet shop", at version "v2", served at
// https://pets.example.com/ without a stage: what an SDK's names and
// defaults follow.
func PetShop() *spec.API {
	api := Petstore()
	api.Name, api.Version, api.BaseURL, api.Stage = "pet shop", "v2", "https://pets.example.com/", ""
	return api
}

// Reserved returns an API named name of words a language may reserve:
// the operation op, GET /{path}, with the path parameter path and the
// optional query parameters query, whose result is the model model, of
// the string fields fields, the first one required.
func Reserved(name, op, path string, query []string, model string, fields ...string) *spec.API {
	str := spec.Type{Kind: spec.String}
	params := []spec.Param{{Name: path, In: spec.InPath, Type: str, Required: true}}
	for _, q := range query {
		params = append(params, spec.Param{Name: q, In: spec.InQuery, Type: str})
	}
	m := spec.Model{Name: model}
	for i, f := range fields {
		m.Fields = append(m.Fields, spec.Field{Name: f, Type: str, Required: i == 0})
	}
	return &spec.API{Name: name, BaseURL: "http://x", Models: []spec.Model{m}, Operations: []spec.Operation{
		{Name: op, Method: "GET", Path: "/{" + path + "}", Params: params, Result: &spec.Type{Kind: spec.Ref, Ref: model}},
	}}
}
