#!/usr/bin/env node
// SPDX-License-Identifier: ISC
// Conformance form: lodash's escapeRegExp (Debian's node-lodash) and the
// escapeRegExp of MDN's regular expressions guide, as a program prints
// the pattern it built from a secret: the quoted text, the RegExp (its
// source escapes "/") and the quoted text in JSON.
'use strict';
const { escapeRegExp } = require('/usr/share/nodejs/lodash');
const mdnEscapeRegExp = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
require('./each_value.js')('node_escape_regexp', (v) => {
  const quoted = escapeRegExp(v);
  return [quoted, mdnEscapeRegExp(v), String(new RegExp(quoted)),
    JSON.stringify({ pattern: quoted })].join(' ');
});
