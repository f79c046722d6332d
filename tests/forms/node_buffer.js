#!/usr/bin/env node
// SPDX-License-Identifier: ISC
// Conformance form: console.log of a Buffer: <Buffer 73 6b ...>.
'use strict';
const util = require('util');
require('./each_value.js')('node_buffer', (v) => util.inspect(Buffer.from(v)));
