#!/usr/bin/env node
// SPDX-License-Identifier: ISC
// Conformance form: a Buffer decoded as 'ascii' (each byte's high bit
// unset).
'use strict';
require('./each_value.js')('node_ascii',
                           (v) => Buffer.from(v).toString('ascii'));
