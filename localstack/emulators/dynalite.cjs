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
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
process.on('SIGTERM', () => process.exit(0));
