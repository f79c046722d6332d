#!/usr/bin/env node
// SPDX-License-Identifier: ISC
// Conformance form: Buffer's utf16le (as latin1 bytes on stdout).
'use strict';
require('./each_value.js')('node_utf16', (v) => (process.stdout.write(Buffer.concat([Buffer.from(v, 'utf16le'), Buffer.from('\\n')])), 'written'));
