#!/usr/bin/env node
// SPDX-License-Identifier: ISC
// Conformance form: util.inspect of an ArrayBuffer holding the value's
// bytes: [Uint8Contents]: <73 6b ...>, its first 100 bytes (its
// maxArrayLength) and then "... 4 more bytes>" for a longer value.
'use strict';
const util = require('util');
require('./each_value.js')('node_arraybuffer',
  (v) => util.inspect(new Uint8Array(Buffer.from(v)).buffer));
