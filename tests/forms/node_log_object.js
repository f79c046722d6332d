#!/usr/bin/env node
// SPDX-License-Identifier: ISC
// Conformance form: console.log of an object (util.inspect quoting).
'use strict';
require('./each_value.js')('node_log_object', (v) => require('util').inspect({ key: v }));
