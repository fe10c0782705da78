// `npm run demo`: the main job on bundled defaults. Starts the bundled legacy claims
// system, runs the file-a-claim example through the real `rpa run` command (headless,
// live progress), prints the run report, and checks the claim really landed.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DEMO_PASSWORD, startDemoSystem } from '../assets/demo-system/server.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const rpa = fileURLToPath(new URL('./rpa.js', import.meta.url));
const example = 'automations/examples/file-a-claim.json';

const demo = await startDemoSystem({ port: 0 });
console.log(`Started the bundled legacy claims system at ${demo.url}`);
console.log(`Running ${example} …\n`);

const code = await new Promise<number>((resolve) => {
  const child = spawn(process.execPath, [rpa, 'run', example, '--input', `baseUrl=${demo.url}`, ...process.argv.slice(2)], {
    cwd: root,
    // The demo system's password is public; real bots get secrets from the vault.
    env: { ...process.env, RPA_SECRET_PORTALPASSWORD: DEMO_PASSWORD },
    stdio: 'inherit',
  });
  child.on('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0)));
});

const filed = demo.state.claims.filter((claim) => claim.number > 'CLM-2004-000035');
if (code === 0 && filed.length === 1) {
  const claim = filed[0]!;
  console.log(`\nThe claims system now holds ${claim.number}: ${claim.claimant}, policy ${claim.policyNumber}, ${claim.claimType}, status ${claim.status}, attachment ${claim.attachment?.filename ?? 'none'}.`);
} else if (code === 0) {
  console.error(`\nThe run passed but the claims system holds ${filed.length} new claims instead of 1.`);
}
await demo.close();
process.exitCode = code === 0 && filed.length !== 1 ? 1 : code;
