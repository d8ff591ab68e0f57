package lambdaevent_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/gatekit/gatekit/internal/lambdaevent"
)

func ExampleV2() {
	r := httptest.NewRequest(http.MethodGet, "/prod/pets/7?tag=a&tag=b", nil)
	r.Header.Add("Cookie", "session=abc; theme=dark")
	in := &lambdaevent.Info{
		RequestID:      "req-1",
		APIID:          "pets",
		Stage:          "prod",
		RouteKey:       "GET /pets/{id}",
		Resource:       "/pets/{id}",
		Path:           "/pets/7",
		RawPath:        "/pets/7",
		StagePath:      "/prod/pets/7",
		SourceIP:       "203.0.113.7",
		DomainName:     "pets.example.com",
		Time:           time.Date(2020, 3, 12, 19, 3, 58, 0, time.UTC),
		PathParameters: map[string]string{"id": "7"},
		ForwardedProto: "https",
		ForwardedPort:  "443",
	}
	e := lambdaevent.V2(r, nil, in)
	fmt.Println(e.RawPath, e.RawQueryString)
	fmt.Println(e.QueryStringParameters["tag"], e.Cookies)
	fmt.Println(e.Headers["x-forwarded-for"], e.RequestContext.DomainPrefix, e.RequestContext.Time)
	// Output:
	// /prod/pets/7 tag=a&tag=b
	// a,b [session=abc theme=dark]
	// 203.0.113.7 pets 12/Mar/2020:19:03:58 +0000
}

func ExampleWriteRawV2() {
	for _, output := range []string{
		`{"statusCode": 201, "body": "created"}`,
		`{"message": "no statusCode, so this is the body"}`,
		`{"statusCode": 200, "headers": {"X-Evil": "1\r\nSet-Cookie: a=1"}}`,
	} {
		w := httptest.NewRecorder()
		if err := lambdaevent.WriteRawV2(w, []byte(output)); err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(w.Code, w.Header().Get("Content-Type"), w.Body.String())
	}
	// Output:
	// 201  created
	// 200 application/json {"message": "no statusCode, so this is the body"}
	// lambdaevent: malformed Lambda proxy response: header "X-Evil" value holds a control character
}
