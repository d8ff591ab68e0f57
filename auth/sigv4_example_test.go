package auth_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"time"

	"github.com/gatekit/gatekit/auth"
)

func ExampleSigV4() {
	authz := &auth.SigV4{
		Region:  "us-east-1",
		Service: "service", // the AWS example's; leave empty for execute-api
		Credentials: auth.StaticCredentials{
			"AKIDEXAMPLE": {
				Secret:    "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
				Principal: "arn:aws:iam::123456789012:user/example",
			},
		},
		// A fixed clock for the example; leave nil to use the gateway's.
		Clock: func() time.Time { return time.Date(2015, 8, 30, 12, 36, 0, 0, time.UTC) },
	}
	if err := authz.Validate(); err != nil {
		fmt.Println(err)
		return
	}

	// A request as an AWS SDK signs it (the AWS documentation's example).
	r := httptest.NewRequest("GET", "/", nil)
	r.Host = "example.amazonaws.com"
	r.Header.Set("X-Amz-Date", "20150830T123600Z")
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 "+
		"Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "+
		"SignedHeaders=host;x-amz-date, "+
		"Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
	id, err := authz.Authorize(context.Background(), &auth.Request{HTTP: r, Method: "GET", Path: "/"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(id.Kind, id.Principal, id.Context["accessKey"])

	// The same request to another path no longer matches its signature.
	r = httptest.NewRequest("GET", "/admin", nil)
	r.Host = "example.amazonaws.com"
	r.Header.Set("X-Amz-Date", "20150830T123600Z")
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 "+
		"Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "+
		"SignedHeaders=host;x-amz-date, "+
		"Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
	_, err = authz.Authorize(context.Background(), &auth.Request{HTTP: r, Method: "GET", Path: "/admin"})
	fmt.Println(errors.Is(err, auth.ErrInvalidSignature))
	// Output:
	// sigv4 arn:aws:iam::123456789012:user/example AKIDEXAMPLE
	// true
}
