// Command driver calls every operation of the pet store's prod stage
// through the generated Go SDK (module example.com/petstore) and checks
// the answers. It prints "ok NAME" for each operation it checked and
// "ok error" once getPet(99) has returned an *APIError for a 404; it
// exits with status 1 at the first failed check.
//
// It reads GATEKIT_BASE_URL (endpoint/stage), GATEKIT_API_KEY,
// GATEKIT_TOKEN, GATEKIT_ACCESS_KEY, GATEKIT_SECRET_KEY and
// GATEKIT_REGION.
package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"

	"example.com/petstore"
)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	base := os.Getenv("GATEKIT_BASE_URL")
	i := strings.LastIndex(base, "/")
	if i < 0 {
		fail("GATEKIT_BASE_URL %q has no stage", base)
	}
	endpoint, stage := base[:i], base[i+1:]
	public := petstore.NewClient(petstore.WithEndpoint(endpoint), petstore.WithStage(stage))
	client := petstore.NewClient(
		petstore.WithEndpoint(endpoint),
		petstore.WithStage(stage),
		petstore.WithAPIKey(os.Getenv("GATEKIT_API_KEY")),
		petstore.WithBearerToken(os.Getenv("GATEKIT_TOKEN")),
		petstore.WithCredentials(petstore.Credentials{
			AccessKeyID:     os.Getenv("GATEKIT_ACCESS_KEY"),
			SecretAccessKey: os.Getenv("GATEKIT_SECRET_KEY"),
		}),
		petstore.WithRegion(os.Getenv("GATEKIT_REGION")),
	)

	all, err := public.ListPets(ctx)
	must("listPets", err)
	fido(all, "listPets")
	ok("listPets")

	pet, err := public.GetPet(ctx, 1)
	must("getPet", err)
	if pet.ID != 1 || pet.Name != "Fido" || pet.Type != "dog" {
		fail("getPet(1) = %+v, want Fido the dog", *pet)
	}
	ok("getPet")

	_, err = public.GetPet(ctx, 99)
	var apiErr *petstore.APIError
	if !errors.As(err, &apiErr) {
		fail("getPet(99): got %v (%T), want an *APIError", err, err)
	}
	if apiErr.StatusCode != http.StatusNotFound || apiErr.Message != "no such pet" || len(apiErr.Body) == 0 {
		fail("getPet(99): got status %d, message %q, body %q; want 404, \"no such pet\"", apiErr.StatusCode, apiErr.Message, apiErr.Body)
	}
	ok("error")

	found, err := client.SearchPets(ctx, &petstore.SearchPetsOptions{Type: petstore.Ptr("dog")})
	must("searchPets", err)
	if len(found.Pets) == 0 || found.SearchedAt == nil || found.SearchedAt.IsZero() {
		fail("searchPets(dog) = %+v: want dogs and a search time", *found)
	}
	for _, p := range found.Pets {
		if p.Type != "dog" {
			fail("searchPets(dog) found %+v", p)
		}
	}
	if _, err := public.SearchPets(ctx, nil); !isStatus(err, http.StatusUnauthorized) {
		fail("searchPets without a token: got %v, want a 401 *APIError", err)
	}
	ok("searchPets")

	created, err := public.CreatePet(ctx, &petstore.NewPet{Name: "Rex", Type: petstore.Ptr("dog")})
	must("createPet", err)
	if created.ID <= 1 || created.Name != "Rex" || created.Type != "dog" {
		fail("createPet(Rex) = %+v", *created)
	}
	ok("createPet")

	owner, err := public.GetOwner(ctx, "Ada Lovelace")
	must("getOwner", err)
	if o, _ := owner.(map[string]any); o["owner"] != "Ada Lovelace" {
		fail("getOwner(Ada Lovelace) = %v", owner)
	}
	ok("getOwner")

	stock, err := public.Inventory(ctx, http.MethodGet, "stock/kibble")
	must("inventory", err)
	if s, _ := stock.(map[string]any); s["item"] != "kibble" || s["env"] != "prod" {
		fail("inventory(GET, stock/kibble) = %v", stock)
	}
	ok("inventory")

	partner, err := client.ListPartnerPets(ctx)
	must("listPartnerPets", err)
	fido(partner, "listPartnerPets")
	if _, err := public.ListPartnerPets(ctx); !isStatus(err, http.StatusForbidden) {
		fail("listPartnerPets without the API key: got %v, want a 403 *APIError", err)
	}
	ok("listPartnerPets")

	signed, err := client.CreateSignedPet(ctx, &petstore.NewPet{Name: "Signed Sam", Type: petstore.Ptr("cat")})
	must("createSignedPet", err)
	if signed.ID <= 1 || signed.Name != "Signed Sam" || signed.Type != "cat" {
		fail("createSignedPet(Signed Sam) = %+v", *signed)
	}
	if _, err := public.CreateSignedPet(ctx, &petstore.NewPet{Name: "Unsigned"}); !isStatus(err, http.StatusForbidden, http.StatusUnauthorized) {
		fail("createSignedPet without credentials: got %v, want a 401 or 403 *APIError", err)
	}
	ok("createSignedPet")

	stats, err := client.GetStats(ctx)
	must("getStats", err)
	if s, _ := stats.(map[string]any); s["pets"] == nil {
		fail("getStats() = %v: no pets", stats)
	} else if n, isNumber := s["pets"].(float64); !isNumber || n < 3 {
		fail("getStats() = %v: want a count of at least 3 pets", stats)
	}
	ok("getStats")

	health, err := public.Health(ctx)
	must("health", err)
	if health != "ok\n" {
		fail("health() = %q, want \"ok\\n\"", health)
	}
	ok("health")

	version, err := public.GetVersion(ctx, &petstore.GetVersionOptions{XClientVersion: petstore.Ptr("go-driver/1")})
	must("getVersion", err)
	if version.Stage == nil || *version.Stage != "prod" || version.Version == nil || version.Canary == nil {
		fail("getVersion() = %+v, want stage prod", *version)
	}
	ok("getVersion")
}

// fido checks that pets holds Fido the dog as pet 1.
func fido(pets []petstore.Pet, op string) {
	for _, p := range pets {
		if p.ID == 1 {
			if p.Name != "Fido" || p.Type != "dog" {
				fail("%s: pet 1 is %+v, want Fido the dog", op, p)
			}
			return
		}
	}
	fail("%s: no pet 1 in %+v", op, pets)
}

// isStatus reports whether err is an *APIError with one of statuses.
func isStatus(err error, statuses ...int) bool {
	var apiErr *petstore.APIError
	if !errors.As(err, &apiErr) {
		return false
	}
	for _, s := range statuses {
		if apiErr.StatusCode == s {
			return true
		}
	}
	return false
}

func ok(op string) { fmt.Println("ok " + op) }

func must(op string, err error) {
	if err != nil {
		fail("%s: %v", op, err)
	}
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "FAIL "+format+"\n", args...)
	os.Exit(1)
}
