#!/usr/bin/env node
// SPDX-License-Identifier: ISC
// Conformance form: a value's UTF-8 bytes read as Latin-1 (mojibake:
// "é" as "Ã©") and the global escape() (%E9, %u20AC).
'use strict';
require('./each_value.js')('node_latin1_escape', (v) =>
  Buffer.from(v).toString('latin1') + ' ' + escape(v));
