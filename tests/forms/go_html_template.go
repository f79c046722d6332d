// SPDX-License-Identifier: ISC
// Conformance form: Go's html/template with each value in a page's text,
// an attribute, a link's query and a script ("+" as &#43;, quotes as
// &#34; and &#39;; the query percent-encoded in lower case; the script
// a JSON string with < > & as \u003c).
package main

import (
	"fmt"
	"html/template"
	"os"
	"strings"
)

var page = template.Must(template.New("page").Parse(
	`<p title="{{.}}">{{.}}</p> <a href="/search?q={{.}}">more</a> <script>var v = {{.}};</script>`))

func main() {
	fmt.Println("FORMS-MARKER go_html_template")
	for _, name := range strings.Split(os.Getenv("FORMS_NAMES"), ",") {
		fmt.Printf("%s: ", name)
		if err := page.Execute(os.Stdout, os.Getenv(name)); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Println()
	}
}
