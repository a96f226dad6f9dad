// Loaded before an emulator (`node --require ./guard.cjs …`) to make it safe on a shared machine:
//  - every server it opens listens on 127.0.0.1 only, whatever host the emulator asks for
//    (fauxqs binds 0.0.0.0 unconditionally);
//  - with TOWERLESS_EMULATOR_ACCESS_KEY_ID set, it answers only requests signed (SigV4) with that
//    access key id, so a process that finds the port but not the stack's key reads nothing.
//    Loopback traffic can be observed only by root, so the key id works as a per-stack secret.
'use strict';
const net = require('net');
const http = require('http');
const crypto = require('crypto');

const LOOPBACK = '127.0.0.1';
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  const first = args[0];
  if (first !== null && typeof first === 'object' && !(first instanceof net.Server) && first.path === undefined
      && first.fd === undefined && first._handle === undefined) {
    args[0] = Object.assign({}, first, { host: LOOPBACK });
  } else if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    if (typeof args[1] === 'string') {
      args[1] = LOOPBACK;
    } else {
      args.splice(1, 0, LOOPBACK);
    }
  }
  return listen.apply(this, args);
};

const key = process.env.TOWERLESS_EMULATOR_ACCESS_KEY_ID;
if (key) {
  const expected = Buffer.from(key);
  const credential = /Credential=([^/\s,]+)\//;
  const authorized = (req) => {
    const header = req.headers['authorization'] || '';
    const query = (req.url || '').match(/[?&]X-Amz-Credential=([^&%]+)(%2F|\/)/i);
    const m = credential.exec(header) || query;
    if (!m) {
      return false;
    }
    const given = Buffer.from(m[1]);
    return given.length === expected.length && crypto.timingSafeEqual(given, expected);
  };
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function (event, req, res, ...rest) {
    if (event === 'request' && !authorized(req)) {
      req.resume();
      res.writeHead(403, { 'Content-Type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify({
        __type: 'UnrecognizedClientException',
        message: 'The security token included in the request is invalid.',
      }));
      return true;
    }
    return emit.call(this, event, req, res, ...rest);
  };
}
