#!/usr/bin/env node
// SPDX-License-Identifier: ISC
// Conformance form: util.inspect of a string.
'use strict';
const util = require('util');
require('./each_value.js')('node_inspect_string', (v) => util.inspect(v));
