package javascript

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gatekit/gatekit/internal/testenv"
	"github.com/gatekit/gatekit/sdkgen/internal/spec"
	"github.com/gatekit/gatekit/sdkgen/internal/spec/spectest"
)

// signCases is the node program that signs each case with the SDK's
// sigv4.js and prints its name and signature.
const signCases = `import { readFileSync } from "node:fs";
import { signRequest } from "./sigv4.js";

for (const c of JSON.parse(readFileSync(process.argv[2], "utf8"))) {
  const headers = new Headers();
  const request = { ...c.request, headers };
  await signRequest(request, c.credentials, c.region, c.service, new Date(c.timestamp));
  console.log(c.name, /Signature=([0-9a-f]{64})$/.exec(headers.get("authorization"))[1]);
}
`

// suiteCase is a case of the suite, as signCases reads it.
type suiteCase struct {
	Name    string `json:"name"`
	Request struct {
		Method string `json:"method"`
		Host   string `json:"host"`
		Path   string `json:"path"`
		Query  string `json:"query"`
		Body   string `json:"body"`
	} `json:"request"`
	Credentials struct {
		AccessKeyID     string `json:"accessKeyId"`
		SecretAccessKey string `json:"secretAccessKey"`
		SessionToken    string `json:"sessionToken,omitempty"`
	} `json:"credentials"`
	Region    string `json:"region"`
	Service   string `json:"service"`
	Timestamp string `json:"timestamp"`

	want string // the expected signature
}

// TestSigV4Suite signs the requests of the AWS test suite with the SDK's
// sigv4.js, run by node, and checks the signatures. It takes the cases
// that sign only what the SDK signs (host, x-amz-date and the session
// token) with normalized paths: the SDK signs the path a URL sends, whose
// dot segments are already gone.
func TestSigV4Suite(t *testing.T) {
	node := testenv.Tool(t, "node", "apt-get install nodejs")
	dirs, err := os.ReadDir(spectest.SigningSuite)
	if err != nil {
		t.Fatal(err)
	}
	var cases []suiteCase
	for _, d := range dirs {
		if c, ok := readCase(t, filepath.Join(spectest.SigningSuite, d.Name())); ok {
			cases = append(cases, c)
		}
	}
	t.Logf("%d cases", len(cases))
	if len(cases) < 20 {
		t.Fatalf("only %d cases of the suite sign what the SDK signs", len(cases))
	}

	input, err := json.Marshal(cases)
	if err != nil {
		t.Fatal(err)
	}
	dir := spectest.WriteTemp(t, spec.Files{"sigv4.js": sigv4JS, "sign.mjs": []byte(signCases), "cases.json": input})
	out := testenv.Run(t, dir, nil, node, "sign.mjs", "cases.json")
	got := map[string]string{}
	for line := range strings.Lines(out) {
		name, sig, _ := strings.Cut(strings.TrimSpace(line), " ")
		got[name] = sig
	}
	for _, c := range cases {
		if got[c.Name] != c.want {
			t.Errorf("%s: signature %q, want %q", c.Name, got[c.Name], c.want)
		}
	}
}

// readCase reads the case in dir, if it is one the SDK can sign.
func readCase(t *testing.T, dir string) (suiteCase, bool) {
	t.Helper()
	var ctx struct {
		Credentials struct {
			AccessKeyID     string `json:"access_key_id"`
			SecretAccessKey string `json:"secret_access_key"`
			Token           string `json:"token"`
		} `json:"credentials"`
		Normalize        bool   `json:"normalize"`
		Region           string `json:"region"`
		Service          string `json:"service"`
		Timestamp        string `json:"timestamp"`
		OmitSessionToken bool   `json:"omit_session_token"`
	}
	data, err := os.ReadFile(filepath.Join(dir, "context.json"))
	if err != nil {
		return suiteCase{}, false // LICENSE, NOTICE
	}
	if err := json.Unmarshal(data, &ctx); err != nil {
		t.Fatalf("%s: %v", dir, err)
	}
	creq := readFile(t, filepath.Join(dir, "header-canonical-request.txt"))
	lines := strings.Split(string(creq), "\n")
	signed := lines[len(lines)-2]
	if !ctx.Normalize || ctx.OmitSessionToken ||
		(signed != "host;x-amz-date" && signed != "host;x-amz-date;x-amz-security-token") {
		return suiteCase{}, false
	}

	c := suiteCase{
		Name:      filepath.Base(dir),
		Region:    ctx.Region,
		Service:   ctx.Service,
		Timestamp: ctx.Timestamp,
		want:      strings.TrimSpace(string(readFile(t, filepath.Join(dir, "header-signature.txt")))),
	}
	c.Credentials.AccessKeyID = ctx.Credentials.AccessKeyID
	c.Credentials.SecretAccessKey = ctx.Credentials.SecretAccessKey
	c.Credentials.SessionToken = ctx.Credentials.Token

	head, body, _ := bytes.Cut(readFile(t, filepath.Join(dir, "request.txt")), []byte("\n\n"))
	line, headers, _ := strings.Cut(string(head), "\n")
	method, target, _ := strings.Cut(line, " ")
	target = target[:strings.LastIndex(target, " HTTP/")]
	c.Request.Method = method
	c.Request.Path, c.Request.Query, _ = strings.Cut(target, "?")
	c.Request.Body = string(body)
	for h := range strings.Lines(headers) {
		if name, value, _ := strings.Cut(strings.TrimSpace(h), ":"); strings.EqualFold(name, "host") {
			c.Request.Host = value
		}
	}
	return c, true
}

func readFile(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
