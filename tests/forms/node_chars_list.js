#!/usr/bin/env node
// SPDX-License-Identifier: ISC
// Conformance form: util.inspect of [...s], the array of a value's
// characters (code points): rows of quoted characters in padded columns
// over several lines, or one line when short.
'use strict';
const util = require('util');
require('./each_value.js')('node_chars_list', (v) =>
  '\n' + util.inspect([...v], { maxArrayLength: null }));
