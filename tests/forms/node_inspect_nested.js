#!/usr/bin/env node
// SPDX-License-Identifier: ISC
// Conformance form: util.inspect of a value deep in an object, narrow:
// a multi-line string as quoted lines joined by ' +'.
'use strict';
const util = require('util');
require('./each_value.js')('node_inspect_nested',
  (v) => util.inspect({ a: { b: [v] } }, { breakLength: 40 }));
