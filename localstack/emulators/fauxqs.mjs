// Starts fauxqs (SQS + SNS) on a free loopback port and prints "PORT <n>". fauxqs itself binds
// every interface; guard.cjs (loaded first with --require) keeps it on 127.0.0.1 and checks the
// stack's access key. Exits when stdin closes.
import { startFauxqs } from 'fauxqs';
const server = await startFauxqs({ port: 0, logger: false, host: '127.0.0.1' });
process.stdout.write('PORT ' + server.port + '\n');
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
process.on('SIGTERM', () => process.exit(0));
