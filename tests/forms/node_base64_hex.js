#!/usr/bin/env node
// SPDX-License-Identifier: ISC
// Conformance form: Buffer's base64, base64url and hex.
'use strict';
require('./each_value.js')('node_base64_hex', (v) => ['base64', 'base64url', 'hex'].map((e) => Buffer.from(v).toString(e)).join(' '));
