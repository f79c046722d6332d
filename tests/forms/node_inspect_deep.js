#!/usr/bin/env node
// SPDX-License-Identifier: ISC
// Conformance form: util.inspect of a value's bytes nested deep in a
// configuration object (indented by more than 20 columns) and with a
// narrow breakLength: fewer columns of right-aligned numbers a row than
// at the top level.
'use strict';
const util = require('util');
require('./each_value.js')('node_inspect_deep', (v) => {
  let deep = { bytes: new Uint8Array(Buffer.from(v)) };
  for (let level = 0; level < 14; level++) deep = { ['level' + level]: deep };
  return util.inspect(deep, { depth: null }) + '\n' +
    util.inspect({ data: Buffer.from(v).toJSON().data }, { breakLength: 50 });
});
