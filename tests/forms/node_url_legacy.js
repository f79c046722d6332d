#!/usr/bin/env node
// SPDX-License-Identifier: ISC
// Conformance form: a value as the password of a URL that Node's legacy
// url.format writes (encodeURIComponent's escapes, ":" left as it is),
// as node-fetch 2's errors and follow-redirects (axios) print one.
'use strict';
const url = require('url');

require('./each_value.js')('node_url_legacy', (v) =>
  url.format({
    protocol: 'https:',
    host: 'api.example.com',
    pathname: '/v1',
    auth: 'deploy:' + v,
  }));
