// SPDX-License-Identifier: ISC
// The loop every Node form program shares: its marker line, then one
// line per value (FORMS_NAMES lists the variables) as the form prints it.
'use strict';
module.exports = function eachValue(marker, show) {
  console.log('FORMS-MARKER ' + marker);
  for (const name of process.env.FORMS_NAMES.split(',')) {
    const value = process.env[name];
    console.log(name + ': ' + show(value));
  }
};
