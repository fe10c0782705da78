// Starts the Acme Mutual claims demo system on PORT (default 4780; 0 = random)
// at 127.0.0.1 and stops it cleanly on SIGINT/SIGTERM.
import { DEMO_PASSWORD, DEMO_USER, startDemoSystem } from './server.js';

const raw = process.env.PORT ?? '4780';
const port = Number(raw);
if (!/^\d+$/.test(raw.trim()) || port > 65535) {
  console.error(`PORT must be a number from 0 to 65535, got "${raw}".`);
  process.exit(2);
}

const demo = await startDemoSystem({ port, host: '127.0.0.1' });
console.log(`Acme Mutual claims demo system: ${demo.url}  (user ${DEMO_USER} / password ${DEMO_PASSWORD})`);

let stopping = false;
function stop(): void {
  if (stopping) return;
  stopping = true;
  demo.close().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
