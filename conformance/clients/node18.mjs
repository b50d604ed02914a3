// node18.mjs - what Node 18 (Debian 12's nodejs) lacks and the pinned Azure
// packages use: the global Web Crypto object `crypto`, which Node 19+ has by
// default and Node 18 only with --experimental-global-webcrypto
// (https://github.com/nodejs/node/pull/42083). Without it @azure/identity's
// HTTP pipeline fails with "ReferenceError: crypto is not defined", which
// MSAL reports as endpoints_resolution_error. Import this first, before any
// Azure package. On Node 20+ it does nothing.
import { webcrypto } from 'node:crypto';

if (typeof globalThis.crypto === 'undefined') {
  Object.defineProperty(globalThis, 'crypto', {
    value: webcrypto,
    writable: true,
    configurable: true,
    enumerable: false,
  });
}
