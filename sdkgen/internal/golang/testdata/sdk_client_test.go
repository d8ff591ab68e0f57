package petstore_test

// This file is copied into the SDK generated from the unit tests' API: it
// calls every operation against the fake server TestGeneratedSDK serves at
// SDK_TEST_URL, which answers 400 with a message for anything it did not
// expect, and checks SigV4 signatures with the gateway's own verifier.

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"example.com/petstore"
)

func TestClient(t *testing.T) {
	endpoint := os.Getenv("SDK_TEST_URL")
	if endpoint == "" {
		t.Skip("SDK_TEST_URL is not set")
	}
	ctx := context.Background()
	client := petstore.NewClient(
		petstore.WithEndpoint(endpoint+"/"),
		petstore.WithAPIKey("key"),
		petstore.WithBearerToken("token"),
		petstore.WithCredentials(petstore.Credentials{AccessKeyID: "AKID", SecretAccessKey: "secret", SessionToken: "session"}),
	)

	t.Run("putFile", func(t *testing.T) {
		opts := &petstore.PutFileOptions{Limit: petstore.Ptr[int32](5), XIds: []int64{1, 2}}
		if err := client.PutFile(ctx, "a b/ሴ/c%d", []string{"x y", "z&=", "ሴ"}, map[string]any{"k": "v"}, opts); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("createSignedPet", func(t *testing.T) {
		pet, err := client.CreateSignedPet(ctx, &petstore.NewPet{Name: "Rex", Type: petstore.Ptr("dog")})
		if err != nil || pet.Name != "Rex" {
			t.Fatal(pet, err)
		}
	})
	t.Run("health", func(t *testing.T) {
		for _, c := range []struct{ stage, want string }{{"prod", "/prod/health"}, {"", "/health"}, {"v 1", "/v%201/health"}} {
			got, err := petstore.NewClient(petstore.WithEndpoint(endpoint), petstore.WithStage(c.stage)).Health(ctx)
			if err != nil || got != c.want {
				t.Errorf("stage %q: got %q, %v; want %q", c.stage, got, err, c.want)
			}
		}
	})
	t.Run("inventory", func(t *testing.T) {
		got, err := client.Inventory(ctx, "PATCH", "stock/kib ble", map[string]any{"n": 1})
		if m, _ := got.(map[string]any); err != nil || m["uri"] != "/prod/inventory/stock/kib%20ble" || m["method"] != "PATCH" {
			t.Fatal(got, err)
		}
	})
	t.Run("getOwner", func(t *testing.T) {
		got, err := client.GetOwner(ctx, "a/b c")
		if m, _ := got.(map[string]any); err != nil || m["uri"] != "/prod/owners/a%2Fb%20c" {
			t.Fatal(got, err)
		}
	})
	t.Run("listPets", func(t *testing.T) {
		for _, list := range []func(context.Context) ([]petstore.Pet, error){client.ListPets, client.ListPartnerPets} {
			pets, err := list(ctx)
			if err != nil || len(pets) != 1 || pets[0].ID != 1 || pets[0].Owner == nil || pets[0].Owner.Name != "Ada" {
				t.Fatal(pets, err)
			}
		}
	})
	t.Run("createPet", func(t *testing.T) {
		pet, err := client.CreatePet(ctx, &petstore.NewPet{Name: "Rex"})
		if err != nil || pet.ID != 3 || pet.Tags["new"] != "yes" {
			t.Fatal(pet, err)
		}
	})
	t.Run("searchPets", func(t *testing.T) {
		res, err := client.SearchPets(ctx, &petstore.SearchPetsOptions{Type: petstore.Ptr("dog"), Page: petstore.Ptr[int64](2)})
		if err != nil || *res.Type != "dog" || !res.SearchedAt.Equal(time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)) {
			t.Fatal(res, err)
		}
		if _, err := client.SearchPets(ctx, nil); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("getPet", func(t *testing.T) {
		pet, err := client.GetPet(ctx, 1)
		if err != nil || pet.ID != 1 {
			t.Fatal(pet, err)
		}
		_, err = client.GetPet(ctx, 99)
		var apiErr *petstore.APIError
		if !errors.As(err, &apiErr) || apiErr.StatusCode != 404 || apiErr.Message != "no such pet" ||
			string(apiErr.Body) != `{"message":"no such pet"}` || err.Error() != "petstore: 404 Not Found: no such pet" {
			t.Fatalf("%#v", err)
		}
	})
	t.Run("deletePet", func(t *testing.T) {
		if err := client.DeletePet(ctx, 1, "why"); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("findPets", func(t *testing.T) {
		got, err := client.FindPets(ctx, "a b", 2, &petstore.FindPetsOptions{Tag: []string{"x"}})
		if err != nil || len(got["seen"]) != 1 || got["seen"][0].Name != "Fido" {
			t.Fatal(got, err)
		}
	})
	t.Run("deletePets", func(t *testing.T) {
		if err := client.DeletePets(ctx, []int64{1, 2}, "etag"); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("updatePet", func(t *testing.T) {
		if err := client.UpdatePet(ctx, 1, &petstore.NewPet{Name: "Rex"}); err != nil {
			t.Fatal(err)
		}
		if err := client.UpdatePet(ctx, 2, nil); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("reset", func(t *testing.T) {
		if err := client.Reset(ctx); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("getStats", func(t *testing.T) {
		got, err := client.GetStats(ctx)
		if m, _ := got.(map[string]any); err != nil || m["pets"] != 2.0 {
			t.Fatal(got, err)
		}
	})
	t.Run("getVersion", func(t *testing.T) {
		v, err := client.GetVersion(ctx, &petstore.GetVersionOptions{XClientVersion: petstore.Ptr("test/1")})
		if err != nil || *v.Version != "test/1" || v.Stage != nil {
			t.Fatal(v, err)
		}
	})
}
