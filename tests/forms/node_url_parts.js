#!/usr/bin/env node
// SPDX-License-Identifier: ISC
// Conformance form: WHATWG URLs built around the value, as a program
// builds an API call and prints it: in a query (a "#" in the value goes
// on in the fragment), in the fragment, in the path, and in a query of
// a scheme that is not special (no "'" encoded).
'use strict';
require('./each_value.js')('node_url_parts', (v) => {
  const hash = new URL('https://api.example.com/v1/');
  hash.hash = v;
  const path = new URL('https://api.example.com/');
  path.pathname = '/v1/files/' + v;
  return [new URL('https://api.example.com/v1/items?key=' + v).href, hash.href, path.href,
          new URL('git+ssh://git.example.com/repo?token=' + v).href].join('\n');
});
