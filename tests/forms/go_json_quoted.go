// SPDX-License-Identifier: ISC
// Conformance form: Go's encoding/json of a body holding the value
// (< > & as \u003c), quoted again: an error's %q of the body, and the
// body as a JSON string (JSON inside JSON); and a JSON file's text (its
// < > & as they are) in Go's JSON, as kubectl get -o json shows a
// ConfigMap made from one.
package main

import (
	"bytes"
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
		var file bytes.Buffer
		enc := json.NewEncoder(&file)
		enc.SetEscapeHTML(false)
		enc.Encode(map[string]string{"password": os.Getenv(name)})
		configMap, _ := json.Marshal(map[string]map[string]string{
			"data": {"config.json": file.String()}})
		fmt.Printf("%s: %s\n", name, configMap)
	}
}
