<?php
// SPDX-License-Identifier: ISC
// Conformance form: json_encode with the JSON_HEX_ flags, as Laravel's
// @json and Js::from write a value into a page (" ' < > & as \u00XX in
// upper case), and with JSON_UNESCAPED_UNICODE and _SLASHES too.
echo "FORMS-MARKER php_json_hex\n";
$hex = JSON_HEX_TAG | JSON_HEX_APOS | JSON_HEX_AMP | JSON_HEX_QUOT;
foreach (explode(",", getenv("FORMS_NAMES")) as $name) {
	$value = getenv($name);
	echo "<script>window.config = ", json_encode([$name => $value], $hex), ";</script>\n";
	echo json_encode($value, $hex | JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES), "\n";
}
