#!/usr/bin/env node
// SPDX-License-Identifier: ISC
// Conformance form: a WHATWG URL with the value as its user name.
'use strict';
require('./each_value.js')('node_url_username', (v) => (() => { const u = new URL('https://db.example.com/x'); u.username = v; return u.href; })());
