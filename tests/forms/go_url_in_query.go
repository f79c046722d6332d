// SPDX-License-Identifier: ISC
// Conformance form: a URL whose userinfo (url.UserPassword) holds the
// value, as String() writes it, carried in another URL's query
// (url.QueryEscape, url.Values' Encode).
package main

import (
	"fmt"
	"net/url"
	"os"
	"strings"
)

func main() {
	fmt.Println("FORMS-MARKER go_url_in_query")
	for _, name := range strings.Split(os.Getenv("FORMS_NAMES"), ",") {
		v := os.Getenv(name)
		u := &url.URL{Scheme: "postgres", User: url.UserPassword("app", v),
			Host: "db.example.com", Path: "/app"}
		fmt.Printf("%s: https://ops.example.com/check?target=%s %s\n", name,
			url.QueryEscape(u.String()), url.Values{"db": {u.String()}}.Encode())
	}
}
