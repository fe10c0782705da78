// `rpa schedule`: what a user types and reads, end to end through the CLI — its commands in one
// CLI worker process (test/helpers/cli-worker.ts: start-up paid once, not 22 times), and the
// real executable for an exit code.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { cliEnv, cliWorker, jsonLines, runCli, tempDir, writeAutomation } from '../../test/helpers/env.js';
import { parseDuration } from './schedule.js';

const cli = cliWorker();
after(() => cli.close());
const rpa = (home: string, ...args: string[]) => cli.run(['schedule', ...args], cliEnv(home));

function automation(dir: string): string {
  return writeAutomation(dir, 'report.json', {
    format: 1,
    id: 'test.report',
    name: 'Nightly report',
    version: '1.0.0',
    inputs: [
      { name: 'region', type: 'string', required: true },
      { name: 'days', type: 'number', default: 7 },
    ],
    steps: [{ kind: 'log', message: 'report for {{inputs.region}}' }],
  });
}

describe('rpa schedule', () => {
  it('adds, lists with the next three fire times, pauses, resumes and removes', async () => {
    const home = tempDir('schedule');
    const file = automation(home);
    const added = await rpa(home, 'add', file, '--cron', '0 9 * * 1-5', '--tz', 'Europe/Berlin', '--input', 'region=north', '--input', 'days=3', '--overlap', 'queue', '--missed', 'skip', '--max-run', '30m', '--name', 'morning');
    assert.equal(added.code, 0, added.stderr);
    const id = /added schedule (\w+) \(morning\): Nightly report, "0 9 \* \* 1-5" in Europe\/Berlin/.exec(added.stdout)?.[1];
    assert.ok(id, added.stdout);
    assert.match(added.stdout, /next: \d{4}-\d\d-\d\d 09:00:00, .* 09:00:00, .* 09:00:00/);

    const listed = jsonLines((await rpa(home, 'list', '--json')).stdout);
    assert.equal(listed.length, 1);
    const s = listed[0]!;
    assert.deepEqual(
      { id: s['id'], name: s['name'], file: s['file'], inputs: s['inputs'], overlap: s['overlap'], missed: s['missed'], maxRunMs: s['maxRunMs'], paused: s['paused'], tz: s['timeZone'] },
      { id, name: 'morning', file, inputs: { region: 'north', days: 3 }, overlap: 'queue', missed: 'skip', maxRunMs: 1_800_000, paused: false, tz: 'Europe/Berlin' },
    );
    const times = s['nextFireTimes'] as string[];
    assert.equal(times.length, 3);
    for (const t of times) {
      const local = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', weekday: 'short', hour: '2-digit', minute: '2-digit' }).format(new Date(t));
      assert.match(local, /^(Mon|Tue|Wed|Thu|Fri) 09:00$/, t);
    }

    const table = await rpa(home, 'list');
    assert.match(table.stdout, new RegExp(`^${id} morning {2}active {2}"0 9 \\* \\* 1-5" {2}Europe/Berlin {2}overlap queue, missed skip$`, 'm'));
    assert.match(table.stdout, /next: (\S+ 09:00:00, ){2}\S+ 09:00:00$/m);

    assert.equal((await rpa(home, 'pause', 'morning')).stdout.trim(), `paused schedule ${id} (morning)`);
    assert.match((await rpa(home, 'list')).stdout, /paused .*\n.*\n {2}next: — \(paused\)/);
    assert.deepEqual(jsonLines((await rpa(home, 'list', '--json')).stdout)[0]?.['nextFireTimes'], []);
    assert.equal((await rpa(home, 'resume', id)).stdout.trim(), `resumed schedule ${id} (morning)`);
    assert.equal(jsonLines((await rpa(home, 'list', '--json')).stdout)[0]?.['paused'], false);
    assert.equal((await rpa(home, 'remove', id)).stdout.trim(), `removed schedule ${id} (morning)`);
    assert.match((await rpa(home, 'list')).stdout, /no schedules/);
  });

  it('refuses a bad cron, zone, input or id with exit 2 and a message', async () => {
    const home = tempDir('schedule-bad');
    const file = automation(home);
    const cases: Array<[string[], RegExp]> = [
      [['add', file, '--cron', '61 * * * *', '--input', 'region=x'], /rpa schedule: invalid cron expression "61 \* \* \* \*": 61 is a invalid expression for minute/],
      [['add', file, '--cron', 'every day', '--input', 'region=x'], /expected 5 or 6 fields/],
      [['add', file, '--cron', '0 9 * * *', '--tz', 'Mars/Olympus', '--input', 'region=x'], /unknown time zone "Mars\/Olympus"/],
      [['add', file, '--cron', '0 9 * * *'], /missing required input "region"/],
      [['add', file, '--cron', '0 9 * * *', '--input', 'region=x', '--input', 'days=many'], /input "days" expects a number/],
      [['add', file, '--cron', '0 9 * * *', '--input', 'region=x', '--max-run', 'soon'], /--max-run soon: expected a duration/],
      [['add', file, '--cron', '0 9 * * *', '--input', 'region=x', '--overlap', 'maybe'], /--overlap maybe: expected skip or queue or allow/],
      [['add', file, '--input', 'region=x'], /--cron "EXPR" is required/],
      [['pause', 'nosuch'], /no schedule "nosuch"/],
      [['frobnicate'], /unknown sub-command "frobnicate"/],
    ];
    for (const [args, message] of cases) {
      const result = await rpa(home, ...args);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, message);
    }
    assert.match((await rpa(home, 'list')).stdout, /no schedules/);
    // The same through the real executable: main()'s code is the process's exit code.
    const real = await runCli(['schedule', 'pause', 'nosuch'], cliEnv(home));
    assert.equal(real.code, 2, real.stderr);
    assert.match(real.stderr, /no schedule "nosuch"/);
  });
});

describe('parseDuration', () => {
  it('reads 90s, 30m, 1h30m, 2d and 500ms', () => {
    assert.deepEqual(['90s', '30m', '1h30m', '2d', '500ms', '1.5h'].map(parseDuration), [90_000, 1_800_000, 5_400_000, 172_800_000, 500, 5_400_000]);
    assert.throws(() => parseDuration('30'), /expected a duration/);
    assert.throws(() => parseDuration('0s'), /expected a duration/);
  });
});
