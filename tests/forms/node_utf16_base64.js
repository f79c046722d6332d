#!/usr/bin/env node
// SPDX-License-Identifier: ISC
// Conformance form: base64 of a value's UTF-16LE (Buffer's 'utf16le',
// as PowerShell's -EncodedCommand carries a script).
'use strict';
require('./each_value.js')('node_utf16_base64',
                           (v) => Buffer.from(v, 'utf16le').toString('base64'));
