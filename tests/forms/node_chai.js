#!/usr/bin/env node
// SPDX-License-Identifier: ISC
// Conformance form: chai's message of a failed equal (loupe quotes the
// string: "'" and controls escaped, a backslash as it is), not cut at
// its 40 columns.
'use strict';
const chai = require('chai');

chai.config.truncateThreshold = 0;
require('./each_value.js')('node_chai', (v) => {
  try {
    chai.expect(v).to.equal('');
  } catch (e) {
    return e.message;
  }
  return '';
});
