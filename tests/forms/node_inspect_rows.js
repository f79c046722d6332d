#!/usr/bin/env node
// SPDX-License-Identifier: ISC
// Conformance form: util.inspect of a value's bytes in rows of fewer
// columns than Node's own (nested deep, or a narrow breakLength), with a
// short last row; and with compact false three levels down (indented 8).
'use strict';
const util = require('util');
require('./each_value.js')('node_inspect_rows', (v) => {
  const bytes = new Uint8Array(Buffer.from(v));
  let deep = bytes;
  for (let level = 0; level < 24; level++) deep = { k: deep };
  return [
    util.inspect(bytes),
    util.inspect(deep, { depth: null }),
    util.inspect(bytes, { breakLength: 30 }),
    util.inspect({ a: { b: { key: Array.from(bytes) } } }, { compact: false, depth: null }),
  ].join('\n');
});
