// SPDX-License-Identifier: ISC
// Conformance form: Go's encoding/json of a body holding the value
// (< > & as \u003c), quoted again: an error's %q of the body, and the
// body as a JSON string (JSON inside JSON).
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

func main() {
	fmt.Println("FORMS-MARKER go_json_quoted")
	for _, name := range strings.Split(os.Getenv("FORMS_NAMES"), ",") {
		body, _ := json.Marshal(map[string]string{"token": os.Getenv(name)})
		fmt.Printf("%s: %v\n", name, fmt.Errorf("upstream rejected body %q", body))
		again, _ := json.Marshal(string(body))
		fmt.Printf("%s: %s\n", name, again)
	}
}
