#!/usr/bin/env node
// SPDX-License-Identifier: ISC
// Conformance form: util.inspect of a value's bytes mapped to hex strings
// ('73' unpadded, and '0x73'): quoted items grouped in columns.
'use strict';
const util = require('util');
require('./each_value.js')('node_hex_list', (v) => {
  const bytes = [...Buffer.from(v)];
  return util.inspect(bytes.map((b) => b.toString(16))) + '\n' +
    util.inspect(bytes.map((b) => '0x' + b.toString(16).padStart(2, '0')));
});
