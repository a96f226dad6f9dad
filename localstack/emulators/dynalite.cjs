// Starts dynalite on a free loopback port and prints "PORT <n>"; guard.cjs (loaded first with
// --require) checks the stack's access key. Exits when stdin closes, so a parent that dies never
// leaves this process behind.
// TOWERLESS_DYNALITE_PATH: a LevelDB directory, so tables outlive the process (./towerless up);
// without it the tables live in memory (the tests).
const options = { createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 };
if (process.env.TOWERLESS_DYNALITE_PATH) {
  options.path = process.env.TOWERLESS_DYNALITE_PATH;
}
const dynalite = require('dynalite')(options);
dynalite.listen(0, '127.0.0.1', () => {
  process.stdout.write('PORT ' + dynalite.address().port + '\n');
});
// dynalite 4.0.0 rethrows a request's 'error' event (index.js: req.on('error', err => { throw err })),
// so one client that gives up mid-request (an SDK timeout on a busy machine: ECONNRESET
// "aborted") killed the whole emulator, and every later call got "Connection refused". That
// request is gone and nothing else is touched, so it is logged and the emulator goes on; any
// other uncaught error still ends it, loudly.
process.on('uncaughtException', (err) => {
  if (err && err.code === 'ECONNRESET') {
    process.stderr.write(new Date().toISOString() + ' a client aborted its request (' + err.message + '); ignored\n');
    return;
  }
  process.stderr.write(new Date().toISOString() + ' dynalite failed: ' + (err && err.stack || err) + '\n');
  process.exit(1);
});
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
process.on('SIGTERM', () => process.exit(0));
