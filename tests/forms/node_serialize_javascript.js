#!/usr/bin/env node
// SPDX-License-Identifier: ISC
// Conformance form: serialize-javascript (Debian's
// node-serialize-javascript), as webpack's, Next's and Nuxt's server
// state is written into a page: JSON.stringify's text with < > / as
// \u003C \u003E \u002F.
'use strict';
const serialize = require('/usr/share/nodejs/serialize-javascript');
require('./each_value.js')('node_serialize_javascript', (v) =>
  '<script>window.__STATE__ = ' + serialize({ config: { secret: v } }) + '</script>');
