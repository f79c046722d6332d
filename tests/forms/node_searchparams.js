#!/usr/bin/env node
// SPDX-License-Identifier: ISC
// Conformance form: URLSearchParams (x-www-form-urlencoded).
'use strict';
require('./each_value.js')('node_searchparams', (v) => new URLSearchParams({ key: v }).toString());
