#!/usr/bin/env node
// SPDX-License-Identifier: ISC
// Conformance form: JSON.stringify.
'use strict';
require('./each_value.js')('node_json', (v) => JSON.stringify({ key: v }));
