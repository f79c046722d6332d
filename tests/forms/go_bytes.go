// SPDX-License-Identifier: ISC
// Conformance form: Go's %#v of a struct and a map that hold a value's
// bytes as a []byte ([]byte{0x73, 0x6b}, 0x5 for 5), and "% #x" of them
// (0x73 0x6b) after a text, as a Go program logs a key it holds as
// bytes.
package main

import (
	"fmt"
	"os"
	"strings"
)

type key struct {
	Name  string
	Bytes []byte
	Size  int
}

func main() {
	fmt.Println("FORMS-MARKER go_bytes")
	for _, name := range strings.Split(os.Getenv("FORMS_NAMES"), ",") {
		b := []byte(os.Getenv(name))
		fmt.Printf("%#v\n", key{name, b, len(b)})
		fmt.Printf("%#v\n", map[string][]byte{name: b})
		fmt.Printf("%s: % #x (%d bytes)\n", name, b, len(b))
	}
}
