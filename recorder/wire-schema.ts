// Checks every message the page-side recorder sends before Node acts on it: a page (and the
// scripts on it) can call the binding with anything. Mirrors recorder/common/wire.ts.
import { z } from 'zod';
import { Fingerprint, Locator } from '../engine/format/schema.js';
import type { PageEvent } from './common/wire.js';

const WireTarget = z.strictObject({
  candidates: z.array(Locator).min(1),
  description: z.string(),
  fingerprint: Fingerprint,
  elementId: z.number().int().min(1),
});

const modifier = z.enum(['Alt', 'Control', 'Meta', 'Shift']);
const pickMode = z.enum(['assert', 'extract', 'waitFor']);

const stamp = { actionId: z.string().min(1).max(100).optional(), at: z.number().optional() };

export const PageEventSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('hello') }),
  z.strictObject({
    type: z.literal('click'),
    target: WireTarget,
    button: z.enum(['left', 'right', 'middle']),
    clickCount: z.number().int().min(1).max(3),
    modifiers: z.array(modifier),
    hover: WireTarget.optional(),
    ...stamp,
  }),
  z.strictObject({ type: z.literal('fill'), target: WireTarget, value: z.string().optional(), secret: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/).optional(), ...stamp }),
  z.strictObject({ type: z.literal('press'), target: WireTarget.optional(), key: z.string().min(1), ...stamp }),
  z.strictObject({ type: z.literal('type'), target: WireTarget, text: z.string().min(1).max(100_000), ...stamp }),
  z.strictObject({ type: z.literal('select'), target: WireTarget, label: z.string().optional(), value: z.string().optional(), ...stamp }),
  z.strictObject({ type: z.literal('check'), target: WireTarget, checked: z.boolean(), ...stamp }),
  z.strictObject({ type: z.literal('upload'), target: WireTarget, fileNames: z.array(z.string().min(1)).min(1), field: z.string().min(1), ...stamp }),
  z.strictObject({ type: z.literal('dragTo'), target: WireTarget, to: WireTarget, ...stamp }),
  z.strictObject({ type: z.literal('assert'), target: WireTarget, assert: z.enum(['visible', 'textEquals', 'valueEquals']), expected: z.string().optional(), ...stamp }),
  z.strictObject({ type: z.literal('extract'), target: WireTarget, what: z.enum(['text', 'table']), suggestedName: z.string().min(1), ...stamp }),
  z.strictObject({ type: z.literal('waitFor'), target: WireTarget, ...stamp }),
  z.strictObject({ type: z.literal('control'), action: z.enum(['pause', 'resume', 'stop']) }),
  z.strictObject({ type: z.literal('mode'), mode: pickMode.nullable() }),
  z.strictObject({ type: z.literal('dialogAnswer'), action: z.enum(['accept', 'dismiss']), promptText: z.string() }),
  z.strictObject({
    type: z.literal('dialog'),
    dialogType: z.enum(['alert', 'confirm', 'prompt']),
    message: z.string().max(100_000),
    action: z.enum(['accept', 'dismiss']),
    promptText: z.string().max(100_000).optional(),
    actionId: z.string().min(1).max(100).optional(),
    cameFrom: z.string().min(1).max(200).optional(),
    later: z.literal(true).optional(),
    at: z.number(),
  }),
  z.strictObject({
    type: z.literal('asking'),
    dialogType: z.enum(['alert', 'confirm', 'prompt']),
    message: z.string().max(100_000),
    actionId: z.string().min(1).max(100).optional(),
    later: z.literal(true).optional(),
    at: z.number(),
  }),
  z.strictObject({ type: z.literal('navigating'), actionId: z.string().min(1).max(100), entry: z.string().min(1).max(200) }),
]);

// Fails to compile when the schema and the page-side types drift apart.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemaMatchesWire: Same<z.infer<typeof PageEventSchema>, PageEvent> = true;
void schemaMatchesWire;
