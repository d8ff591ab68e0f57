package spec

import (
	"strings"
	"testing"
)

func TestNames(t *testing.T) {
	for _, tt := range []struct {
		in                   string
		words                string
		camel, pascal, snake string
	}{
		{"getPetById", "get pet by id", "getPetById", "GetPetById", "get_pet_by_id"},
		{"get_pet-by id", "get pet by id", "getPetById", "GetPetById", "get_pet_by_id"},
		{"HTTPProxy", "http proxy", "httpProxy", "HttpProxy", "http_proxy"},
		{"v2Pets", "v2 pets", "v2Pets", "V2Pets", "v2_pets"},
		{"X-Api-Key", "x api key", "xApiKey", "XApiKey", "x_api_key"},
		{"pet store", "pet store", "petStore", "PetStore", "pet_store"},
		{"$default", "default", "default", "Default", "default"},
		{"--", "", "", "", ""},
	} {
		if got := strings.Join(Words(tt.in), " "); got != tt.words {
			t.Errorf("Words(%q) = %q, want %q", tt.in, got, tt.words)
		}
		if got := Camel(tt.in); got != tt.camel {
			t.Errorf("Camel(%q) = %q, want %q", tt.in, got, tt.camel)
		}
		if got := Pascal(tt.in); got != tt.pascal {
			t.Errorf("Pascal(%q) = %q, want %q", tt.in, got, tt.pascal)
		}
		if got := Snake(tt.in); got != tt.snake {
			t.Errorf("Snake(%q) = %q, want %q", tt.in, got, tt.snake)
		}
	}
}

func TestIdentAndDistinct(t *testing.T) {
	reserved := Reserved("class def")
	for _, tt := range []struct{ in, want string }{
		{"class", "class_"}, {"2fa", "p2fa"}, {"", "p"}, {"name", "name"},
	} {
		if got := Ident(tt.in, "p", reserved); got != tt.want {
			t.Errorf("Ident(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if err := Distinct("java", "operation getPet: parameters", []string{"pet-id", "name", "pet_id"}, Camel); err == nil ||
		err.Error() != `sdkgen: java: operation getPet: parameters "pet-id" and "pet_id" are both "petId" in java` {
		t.Errorf("Distinct: %v", err)
	}
	if err := Distinct("java", "models", []string{"Pet", "Owner"}, Pascal); err != nil {
		t.Errorf("Distinct of distinct names: %v", err)
	}
}
