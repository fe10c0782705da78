// Loaded with --require by scripts/node-matrix.mjs (and, through NODE_OPTIONS, by every process
// a test starts): better-sqlite3 finds its addon through the `bindings` package, which would
// load the build in node_modules — made for this machine's Node 20 and refused by another
// major. This hands it the build made for the running Node instead; nothing else changes.
'use strict';
const Module = require('node:module');

const binding = process.env.RPA_MATRIX_SQLITE_BINDING;
if (binding) {
  const load = Module._load;
  Module._load = function (request, parent, isMain) {
    if (request === 'bindings' && parent && /[\\/]better-sqlite3[\\/]/.test(parent.filename)) {
      return () => load.call(this, binding, parent, false);
    }
    return load.call(this, request, parent, isMain);
  };
}
