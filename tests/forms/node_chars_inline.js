#!/usr/bin/env node
// SPDX-License-Identifier: ISC
// Conformance form: JSON.stringify of an object holding [...s], the
// array of a value's characters: ["s","k",...] after a key.
'use strict';
require('./each_value.js')('node_chars_inline',
                           (v) => JSON.stringify({key : [...v ]}));
