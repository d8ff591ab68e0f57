package petstore

// This file is copied into the SDK generated from the unit tests' API: it
// checks signV4 against the AWS SigV4 test suite's cases that
// TestGeneratedSDK wrote to testdata/vectors.json.

import (
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"
)

func TestSignV4Vectors(t *testing.T) {
	data, err := os.ReadFile("testdata/vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []struct {
		Name, Method, URL, Body, Token, Authorization string
	}
	if err := json.Unmarshal(data, &cases); err != nil {
		t.Fatal(err)
	}
	if len(cases) == 0 {
		t.Skip("no test vectors")
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			req, err := http.NewRequest(c.Method, c.URL, strings.NewReader(c.Body))
			if err != nil {
				t.Fatal(err)
			}
			creds := Credentials{
				AccessKeyID:     "AKIDEXAMPLE",
				SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
				SessionToken:    c.Token,
			}
			signV4(req, []byte(c.Body), creds, "us-east-1", "service", time.Date(2015, 8, 30, 12, 36, 0, 0, time.UTC))
			if got := req.Header.Get("Authorization"); got != c.Authorization {
				t.Errorf("Authorization:\n got %s\nwant %s", got, c.Authorization)
			}
		})
	}
}
