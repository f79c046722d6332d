<?php
// SPDX-License-Identifier: ISC
// Conformance form: preg_quote, without and with "/" as the delimiter,
// quotemeta, and addslashes (a value put into SQL or a PHP string by
// hand).
echo "FORMS-MARKER php_preg_quote\n";
foreach (explode(",", getenv("FORMS_NAMES")) as $name) {
	$value = getenv($name);
	echo $name, ": ", preg_quote($value), " /", preg_quote($value, "/"), "/ ",
	    quotemeta($value), " ", addslashes($value), "\n";
}
