#!/usr/bin/env node
// SPDX-License-Identifier: ISC
// Conformance form: a WHATWG URL with the value as its password.
'use strict';
require('./each_value.js')('node_url_password', (v) => (() => { const u = new URL('https://app@db.example.com/x'); u.password = v; return u.href; })());
