// Command gatekit-sdkgen generates a client SDK from an OpenAPI 3.0 or
// Swagger 2.0 document (JSON or YAML), such as one exported from a
// gatekit gateway or from the managed service:
//
//	gatekit-sdkgen -lang go -o ./petstore-go openapi.json
//	gatekit-sdkgen -lang java -package com.example.pets -zip pets.zip openapi.yaml
//	gatekit-sdkgen -list
//
// -server replaces the document's server URL (the SDK's default base
// URL, stage included).
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/gatekit/gatekit/sdkgen"
	"github.com/gatekit/gatekit/sdkgen/openapi"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "gatekit-sdkgen:", err)
		os.Exit(2)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	fl := flag.NewFlagSet("gatekit-sdkgen", flag.ContinueOnError)
	fl.SetOutput(stderr)
	lang := fl.String("lang", "", "the SDK's language (see -list)")
	pkg := fl.String("package", "", "the SDK's package: Java package, Go module path, npm/gem/Python package name (default: from the API's title)")
	out := fl.String("o", "", "directory to write the SDK into (must not exist, or be empty)")
	zipTo := fl.String("zip", "", "zip archive to write the SDK into, instead of -o")
	server := fl.String("server", "", "base URL the SDK calls by default, stage included (default: the document's first server)")
	list := fl.Bool("list", false, "list the languages and exit")
	fl.Usage = func() {
		fmt.Fprintln(stderr, "usage: gatekit-sdkgen -lang LANGUAGE (-o DIR | -zip FILE) [-package NAME] [-server URL] OPENAPI_FILE")
		fl.PrintDefaults()
	}
	if err := fl.Parse(args); err != nil {
		return err
	}
	if *list {
		for _, l := range sdkgen.Languages() {
			fmt.Fprintln(stdout, l)
		}
		return nil
	}
	switch {
	case fl.NArg() != 1:
		fl.Usage()
		return errors.New("want one OpenAPI file")
	case *lang == "":
		return errors.New("-lang is required (see -list)")
	case (*out == "") == (*zipTo == ""):
		return errors.New("give one of -o and -zip")
	}
	data, err := os.ReadFile(fl.Arg(0))
	if err != nil {
		return err
	}
	doc, err := openapi.Load(data)
	if err != nil {
		return fmt.Errorf("%s: %w", fl.Arg(0), err)
	}
	if *server != "" {
		doc.Servers = openapi3.Servers{{URL: strings.TrimSuffix(*server, "/")}}
	}
	fsys, err := sdkgen.Generate(doc, sdkgen.Language(*lang), sdkgen.Options{Package: *pkg})
	if err != nil {
		return err
	}
	if *zipTo != "" {
		f, err := os.Create(*zipTo)
		if err != nil {
			return err
		}
		name := strings.TrimSuffix(strings.TrimSuffix(*zipTo, ".zip"), "/")
		if i := strings.LastIndexAny(name, `/\`); i >= 0 {
			name = name[i+1:]
		}
		if err := sdkgen.Zip(f, fsys, name); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}
	if entries, err := os.ReadDir(*out); err == nil && len(entries) > 0 {
		return fmt.Errorf("%s is not empty", *out)
	}
	return os.CopyFS(*out, fsys)
}
