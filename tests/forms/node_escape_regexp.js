#!/usr/bin/env node
// SPDX-License-Identifier: ISC
// Conformance form: the escapeRegExp of MDN's regular expressions guide
// (lodash's has the same set), as a program prints the pattern it built
// from a secret: the quoted text, the RegExp (its source escapes "/")
// and the quoted text in JSON.
'use strict';
const escapeRegExp = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
require('./each_value.js')('node_escape_regexp', (v) => {
	const quoted = escapeRegExp(v);
	return quoted + ' ' + String(new RegExp(quoted)) + ' ' +
	       JSON.stringify({pattern : quoted});
});
