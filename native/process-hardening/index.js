'use strict';
// The compiled addon (node-gyp writes it at `npm ci`). A missing build throws here; the caller
// (native/hardening.ts) turns that into a clear report instead of failing the process.
module.exports = require('./build/Release/process_hardening.node');
