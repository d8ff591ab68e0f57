package main

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// swagger is a Swagger 2.0 document from the shared test data.
var swagger = filepath.Join("..", "..", "..", "shared", "testdata", "openapi", "petstore-swagger.json")

func TestRun(t *testing.T) {
	var out, errOut bytes.Buffer
	if err := run([]string{"-list"}, &out, &errOut); err != nil || !strings.Contains(out.String(), "javascript\n") {
		t.Fatalf("-list: %v %q", err, out.String())
	}

	dir := filepath.Join(t.TempDir(), "sdk")
	if err := run([]string{"-lang", "python", "-o", dir, "-server", "https://pets.example.com/v1", swagger}, &out, &errOut); err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(filepath.Join(dir, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), "https://pets.example.com/v1") {
		t.Errorf("the README does not name the -server URL:\n%.500s", readme)
	}
	// A second run into the same directory would mix two SDKs.
	if err := run([]string{"-lang", "python", "-o", dir, swagger}, &out, &errOut); err == nil || !strings.Contains(err.Error(), "is not empty") {
		t.Errorf("into a non-empty directory: %v", err)
	}

	zipFile := filepath.Join(t.TempDir(), "pets-js.zip")
	if err := run([]string{"-lang", "javascript", "-zip", zipFile, swagger}, &out, &errOut); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.OpenReader(zipFile)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	if !strings.Contains(strings.Join(names, " "), "pets-js/README.md") {
		t.Errorf("the archive holds %v", names)
	}
}

func TestRunErrors(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(bad, []byte(`{"openapi":"3.0.3","info":{"title":"x","version":"1"},"paths":{"/a":{"get":{"responses":{"200":{"description":"ok","content":{"application/json":{"schema":{"$ref":"#/components/schemas/Nope"}}}}}}}}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"-lang", "go", "-o", t.TempDir()}, "want one OpenAPI file"},
		{[]string{"-o", t.TempDir(), swagger}, "-lang is required"},
		{[]string{"-lang", "go", swagger}, "give one of -o and -zip"},
		{[]string{"-lang", "cobol", "-o", t.TempDir(), swagger}, `unknown language "cobol"`},
		{[]string{"-lang", "go", "-o", t.TempDir(), "nope.json"}, "no such file"},
		{[]string{"-lang", "go", "-o", t.TempDir(), bad}, "#/components/schemas/Nope"},
	} {
		var out, errOut bytes.Buffer
		if err := run(tt.args, &out, &errOut); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("run(%q) = %v, want an error with %q", tt.args, err, tt.want)
		}
	}
}
