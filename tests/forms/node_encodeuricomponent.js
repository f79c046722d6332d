#!/usr/bin/env node
// SPDX-License-Identifier: ISC
// Conformance form: encodeURIComponent and encodeURI.
'use strict';
require('./each_value.js')('node_encodeuricomponent', (v) => encodeURIComponent(v) + ' ' + encodeURI(v));
