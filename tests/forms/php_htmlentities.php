<?php
// SPDX-License-Identifier: ISC
// Conformance form: htmlentities, HTML 4.01's named references for the
// characters that have one (&eacute;, &euro;), in a page's attribute.
echo "FORMS-MARKER php_htmlentities\n";
foreach (explode(",", getenv("FORMS_NAMES")) as $name) {
	echo "<input name=\"$name\" value=\"", htmlentities(getenv($name)), "\">\n";
}
