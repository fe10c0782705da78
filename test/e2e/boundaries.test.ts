// The layer rule of shared/ARCHITECTURE.md is enforced by eslint; this proves the rule
// bites: a forbidden import in each layer is reported, an allowed one is not.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ESLint } from 'eslint';
import { REPO_ROOT } from '../helpers/env.js';

async function restrictedImports(file: string, source: string): Promise<string[]> {
  const eslint = new ESLint({
    cwd: REPO_ROOT,
    // Only the layer rule: the probe files do not exist, so type-aware rules cannot run on them.
    overrideConfig: { languageOptions: { parserOptions: { projectService: false, project: null } } },
    ruleFilter: ({ ruleId }) => ruleId === 'no-restricted-imports',
  });
  const [result] = await eslint.lintText(source, { filePath: `${REPO_ROOT}${file}` });
  return (result?.messages ?? []).map((m) => m.message);
}

describe('import boundaries', () => {
  const cases: Array<[string, string, boolean]> = [
    ['engine/runner/probe.ts', "import { main } from '../../cli/commands/run.js';", false],
    ['engine/probe.ts', "import { x } from '../server/app.js';", false],
    ['engine/probe.ts', "import { app } from 'electron';", false],
    ['engine/probe.ts', "import { loadAutomation } from './format/load.js';", true],
    ['audit/probe.ts', "import { RunEvent } from '../engine/events.js';", false],
    ['server/probe.ts', "import { Engine } from '../engine/api.js';", false],
    ['renderer/probe.ts', "import fs from 'node:fs';", false],
    ['cli/probe.ts', "import { Engine } from '../engine/api.js';", true],
    ['recorder/probe.ts', "import { Step } from '../engine/format/schema.js';", true],
    ['recorder/probe.ts', "import { Run } from '../engine/runner/runner.js';", false],
  ];
  for (const [file, source, allowed] of cases) {
    it(`${file}: ${source} is ${allowed ? 'allowed' : 'refused'}`, async () => {
      const messages = await restrictedImports(file, `${source}\nexport const probe = 1;\n`);
      if (allowed) assert.deepEqual(messages, []);
      else assert.ok(messages.length >= 1 && messages.every((m) => m.includes('restricted')), `expected a layer error, got ${JSON.stringify(messages)}`);
    });
  }
});
