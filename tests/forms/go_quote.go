// SPDX-License-Identifier: ISC
// Conformance form: Go's %q and %+q (strconv.Quote, QuoteToASCII) of
// each value, and %#v of a struct that holds it, as a Go program logs
// its configuration; text/template's JSEscapeString ({{js}}); %q of its
// runes (['s' 'k' '\'']); %#v and %v of its characters
// ([]string{"s", "k"}, [s k] for a value of one line).
package main

import (
	"fmt"
	"os"
	"strings"
	"text/template"
)

type config struct {
	Name   string
	Secret string
}

func main() {
	fmt.Println("FORMS-MARKER go_quote")
	for _, name := range strings.Split(os.Getenv("FORMS_NAMES"), ",") {
		v := os.Getenv(name)
		fmt.Printf("%s: %q %+q\n", name, v, v)
		fmt.Printf("%#v\n", config{name, v})
		fmt.Printf("%s: %s\n", name, template.JSEscapeString(v))
		fmt.Printf("%s: %q\n", name, []rune(v))
		fmt.Printf("%s: %#v\n", name, strings.Split(v, ""))
		// (one line of it: Go writes a line break as it is, and the
		// characters after it start a line no list is read on)
		if !strings.ContainsAny(v, "\r\n") {
			fmt.Printf("%s: %v\n", name, strings.Split(v, ""))
		}
	}
}
