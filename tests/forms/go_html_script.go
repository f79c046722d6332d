// SPDX-License-Identifier: ISC
// Conformance form: Go's html/template with each value in a script's
// string (" ' ` & + < > as \u0022, / as \/), in a script's regular
// expression literal (its specials backslashed too) and in an unquoted
// attribute (a blank, = and ` as &#32; &#61; &#96; besides + as &#43;).
package main

import (
	"fmt"
	"html/template"
	"os"
	"strings"
)

var page = template.Must(template.New("page").Parse(
	`{{.Name}}: <script>const key = '{{.Value}}';</script>
{{.Name}}: <script>const re = /{{.Value}}/;</script>
{{.Name}}: <input value={{.Value}}>
`))

func main() {
	fmt.Println("FORMS-MARKER go_html_script")
	for _, name := range strings.Split(os.Getenv("FORMS_NAMES"), ",") {
		err := page.Execute(os.Stdout, struct{ Name, Value string }{
			name, os.Getenv(name)})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}
