#!/usr/bin/env node
// SPDX-License-Identifier: ISC
// Conformance form: a value in a page by mustache.js (Debian's
// node-mustache: / ` = escaped too), in its text and an attribute, and
// by Underscore's escape (node-underscore: ` too).
'use strict';
const Mustache = require('/usr/share/nodejs/mustache');
const _ = require('/usr/share/nodejs/underscore');
require('./each_value.js')('node_html_templates', (v) =>
  Mustache.render('<p title="{{v}}">{{v}}</p>', { v }) + ' ' + _.escape(v));
