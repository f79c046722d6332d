#!/usr/bin/env node
// SPDX-License-Identifier: ISC
// Conformance form: util.inspect with compact false: a value's bytes one
// number a line, indented by the nesting (2 and 4).
'use strict';
const util = require('util');
require('./each_value.js')('node_inspect_lines', (v) =>
  util.inspect({ key: new Uint8Array(Buffer.from(v)) }, { compact: false }) + '\n' +
  util.inspect(Buffer.from(v).toJSON().data, { compact: false }));
