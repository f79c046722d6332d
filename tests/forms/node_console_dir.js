#!/usr/bin/env node
// SPDX-License-Identifier: ISC
// Conformance form: console.dir of a parsed credential with depth null:
// util.inspect of the object, a multi-line leaf (a PEM key) as quoted
// lines joined by ' +'.
'use strict';
console.log('FORMS-MARKER node_console_dir');
function parsed(value) {
  const text = value.trim();
  for (const attempt of [() => JSON.parse(text),
    () => JSON.parse(Buffer.from(text, 'base64').toString())]) {
    try {
      const doc = attempt();
      if (doc !== null && typeof doc === 'object') return doc;
    } catch (e) { /* not JSON */ }
  }
  return value;
}
for (const name of process.env.FORMS_NAMES.split(',')) {
  console.log(name + ':');
  console.dir({ settings: { credentials: parsed(process.env[name]) } }, { depth: null });
}
