#!/usr/bin/env node
// SPDX-License-Identifier: ISC
// Conformance form: JSON.stringify of a Buffer: {"type":"Buffer","data":[...]}.
'use strict';
require('./each_value.js')('node_buffer_json', (v) => JSON.stringify(Buffer.from(v)));
