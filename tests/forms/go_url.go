// SPDX-License-Identifier: ISC
// Conformance form: Go's net/url around each value: url.PathEscape,
// QueryEscape, and a URL whose userinfo (url.UserPassword), path, query
// and fragment hold it, as String() writes it, and its User; a URL whose
// userinfo holds it carried in another URL's query (url.QueryEscape,
// url.Values' Encode).
package main

import (
	"fmt"
	"net/url"
	"os"
	"strings"
)

func main() {
	fmt.Println("FORMS-MARKER go_url")
	for _, name := range strings.Split(os.Getenv("FORMS_NAMES"), ",") {
		v := os.Getenv(name)
		u := &url.URL{Scheme: "postgres", User: url.UserPassword("app", v),
			Host: "db.example.com", Path: "/files/" + v,
			RawQuery: url.Values{"token": {v}}.Encode(), Fragment: v}
		fmt.Printf("%s: %s %s\n", name, url.PathEscape(v), url.QueryEscape(v))
		fmt.Printf("%s: %s\n", name, u.String())
		fmt.Printf("%s: %s\n", name, u.User.String())
		dsn := (&url.URL{Scheme: "postgres", User: url.UserPassword("app", v),
			Host: "db.example.com", Path: "/app"}).String()
		fmt.Printf("%s: https://ops.example.com/check?target=%s %s\n", name,
			url.QueryEscape(dsn), url.Values{"db": {dsn}}.Encode())
	}
}
