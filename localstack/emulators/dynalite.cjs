// Starts dynalite on a free loopback port and prints "PORT <n>"; guard.cjs (loaded first with
// --require) checks the stack's access key. Exits when stdin closes, so a parent that dies never
// leaves this process behind.
const dynalite = require('dynalite')({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
dynalite.listen(0, '127.0.0.1', () => {
  process.stdout.write('PORT ' + dynalite.address().port + '\n');
});
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
process.on('SIGTERM', () => process.exit(0));
