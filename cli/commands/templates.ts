// rpa templates [--json]                    layout templates learned from reviewers' corrections
// rpa templates show ID [--version N]       one template (any stored version) as JSON
// rpa templates export ID [--out FILE]      the template as JSON (to read, or carry to another machine)
// rpa templates import FILE                 a template exported elsewhere (checked first)
// rpa templates remove ID                   stop reading with it (its versions stay for the audit trail)
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { LayoutTemplate } from '../../engine/extract/learn/layout-template.js';
import { UsageError } from '../../engine/errors.js';
import { parseOrUsage } from '../args.js';
import { withEngine } from '../engine-api.js';
import { usageOf } from '../usage.js';

const USAGE = usageOf('templates');

export async function main(args: string[]): Promise<number> {
  const { values, positionals } = parseOrUsage(
    () => parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' }, version: { type: 'string' }, out: { type: 'string' } } }),
    USAGE,
  );
  const [sub = 'list', target, ...extra] = positionals;
  if (extra.length) throw new UsageError(`unexpected argument ${extra[0]}\nusage: ${USAGE}`);
  const needsTarget = sub === 'show' || sub === 'export' || sub === 'import' || sub === 'remove';
  if (needsTarget && !target) throw new UsageError(`rpa templates ${sub} needs ${sub === 'import' ? 'a FILE' : 'a template ID'}\nusage: ${USAGE}`);
  if (!needsTarget && sub !== 'list') throw new UsageError(`unknown sub-command "${sub}"\nusage: ${USAGE}`);
  let version: number | undefined;
  if (values.version !== undefined) {
    version = Number(values.version);
    if (!Number.isInteger(version) || version < 1) throw new UsageError(`--version must be a whole number from 1, not "${values.version}"`);
  }
  // Through the engine host when one runs (the reader there uses the change at once); else on the store itself.
  return await withEngine(`rpa templates ${sub}`, 'rpa templates', async ({ api }) => {
    switch (sub) {
      case 'list': {
        const all = (await api.call('cli.templates.list', {})) as LayoutTemplate[];
        if (values.json) {
          for (const t of all) process.stdout.write(`${JSON.stringify({ id: t.id, version: t.version, fields: Object.keys(t.fields), learnedFrom: t.learnedFrom.length, updatedAt: t.updatedAt })}\n`);
        } else if (!all.length) {
          console.log('no layout templates yet: correcting a document in review teaches one');
        } else {
          for (const t of all) console.log(`${t.id}  v${t.version}  ${Object.keys(t.fields).length} fields (${Object.keys(t.fields).join(', ')})  learned from ${t.learnedFrom.length} review(s), last ${t.updatedAt}`);
        }
        return 0;
      }
      case 'show': {
        const template = (await api.call('cli.templates.get', { id: target!, ...(version !== undefined ? { version } : {}) })) as LayoutTemplate | null;
        if (!template) {
          process.stderr.write(`no layout template ${target}${version !== undefined ? ` version ${version}` : ''}; rpa templates lists them\n`);
          return 1;
        }
        process.stdout.write(`${JSON.stringify(template, null, 2)}\n`);
        return 0;
      }
      case 'export': {
        const json = (await api.call('cli.templates.export', { id: target! })) as string;
        if (values.out) {
          writeFileSync(values.out, json);
          console.log(`wrote ${values.out}`);
        } else process.stdout.write(json);
        return 0;
      }
      case 'import': {
        let text: string;
        try {
          text = readFileSync(target!, 'utf8');
        } catch (error) {
          throw new UsageError(`cannot read ${target}: ${(error as Error).message}`);
        }
        const template = (await api.call('cli.templates.import', { text })) as LayoutTemplate;
        console.log(`imported ${template.id} v${template.version}`);
        return 0;
      }
      default: {
        if (!((await api.call('cli.templates.remove', { id: target! })) as boolean)) {
          process.stderr.write(`no layout template ${target}; rpa templates lists them\n`);
          return 1;
        }
        console.log(`removed ${target}: documents are read without it from now on (its versions stay for the audit trail)`);
        return 0;
      }
    }
  });
}
