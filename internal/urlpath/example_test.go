package urlpath_test

import (
	"fmt"

	"github.com/gatekit/gatekit/internal/urlpath"
)

func ExampleCanonical() {
	for _, p := range []string{
		"/pets/123",
		"//admin",
		"/public/%2e%2e/admin",
		"/files/a%2fb",
		"/public/..%2fadmin",
		"/a/b/..",
		"/%7Euser/caf%c3%a9",
		"/a%00",
	} {
		c, err := urlpath.Canonical(p)
		fmt.Printf("%-22s %-22s %v\n", p, c, err)
	}
	// Output:
	// /pets/123              /pets/123              <nil>
	// //admin                /admin                 <nil>
	// /public/%2e%2e/admin   /admin                 <nil>
	// /files/a%2fb           /files/a%2Fb           <nil>
	// /public/..%2fadmin                            urlpath: invalid path: segment at offset 8 hides a dot segment behind an encoded slash or ';'
	// /a/b/..                /a/                    <nil>
	// /%7Euser/caf%c3%a9     /~user/caf%C3%A9       <nil>
	// /a%00                                         urlpath: invalid path: encoded control byte %00 at offset 2
}

func ExampleUnescape() {
	fmt.Println(urlpath.Unescape("a%2Fb"))
	// Output: a/b
}
