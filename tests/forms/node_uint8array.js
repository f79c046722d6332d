#!/usr/bin/env node
// SPDX-License-Identifier: ISC
// Conformance form: util.inspect of a value's bytes as a Uint8Array, as an
// Int8Array (signed: -61) and as a Buffer's toJSON(): numbers grouped in
// right-aligned columns.
'use strict';
const util = require('util');
require('./each_value.js')('node_uint8array', (v) =>
  util.inspect(new Uint8Array(Buffer.from(v))) + '\n' +
  util.inspect(new Int8Array(Buffer.from(v))) + '\n' +
  util.inspect({ json: Buffer.from(v).toJSON() }));
