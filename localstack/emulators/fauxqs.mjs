// Starts fauxqs (SQS + SNS) on a free port and prints "PORT <n>". fauxqs binds every
// interface; clients talk to 127.0.0.1 only. Exits when stdin closes.
import { startFauxqs } from 'fauxqs';
const server = await startFauxqs({ port: 0, logger: false, host: '127.0.0.1' });
process.stdout.write('PORT ' + server.port + '\n');
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
process.on('SIGTERM', () => process.exit(0));
