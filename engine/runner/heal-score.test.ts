import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Fingerprint } from '../format/schema.js';
import { decideHeal, scoreFingerprint, textSimilarity, tokens } from './heal-score.js';

const policy: Fingerprint = {
  tag: 'input',
  role: 'textbox',
  name: 'Policy number:',
  label: 'Policy number:',
  attributes: { id: 'f1234567', name: 'policy', type: 'text' },
  formIndex: 0,
  ancestors: ['td', 'tr', 'tbody', 'table'],
  box: { x: 200, y: 150, width: 180, height: 20 },
};
const claimant: Fingerprint = { ...policy, name: 'Claimant name:', label: 'Claimant name:', attributes: { id: 'f7654321', name: 'claimant', type: 'text' }, formIndex: 1, box: { x: 200, y: 180, width: 180, height: 20 } };

describe('textSimilarity', () => {
  it('ignores case, punctuation and word order', () => {
    assert.deepEqual(tokens('Policy  number:'), ['policy', 'number']);
    assert.equal(textSimilarity('Policy number:', 'policy NUMBER'), 1);
    assert.equal(textSimilarity('number, policy', 'Policy number'), 1);
  });
  it('scores a slight rewording above unrelated text', () => {
    const reworded = textSimilarity('Policy number:', 'Policy no.:');
    assert.ok(reworded > 0.5 && reworded < 1, String(reworded));
    assert.ok(textSimilarity('Policy number:', 'Claimant name:') < 0.4);
  });
  it('treats two empty texts as equal and empty vs text as different', () => {
    assert.equal(textSimilarity('', undefined), 1);
    assert.equal(textSimilarity('x', ''), 0);
  });
});

describe('scoreFingerprint', () => {
  it('gives an identical element 1', () => {
    assert.equal(scoreFingerprint(policy, policy), 1);
  });
  it('barely moves when only the id, classes and position change', () => {
    const moved = { ...policy, attributes: { id: 'ctl00_x9', name: 'policy', type: 'text', class: 'fld' }, ancestors: ['span', 'td', 'tr', 'tbody'], box: { x: 240, y: 290, width: 180, height: 20 } };
    assert.ok(scoreFingerprint(policy, moved) > 0.85, String(scoreFingerprint(policy, moved)));
  });
  it('keeps a reworded label above the default threshold and its neighbour far below', () => {
    const reworded = { ...policy, name: 'Policy no.:', label: 'Policy no.:', attributes: { ...policy.attributes, id: 'f999' } };
    assert.ok(scoreFingerprint(policy, reworded) >= 0.8, String(scoreFingerprint(policy, reworded)));
    assert.ok(scoreFingerprint(policy, claimant) < 0.6, String(scoreFingerprint(policy, claimant)));
  });
  it('punishes a different field name and type more than a different label', () => {
    const password = { ...policy, role: undefined, attributes: { id: 'f1', name: 'password', type: 'password' } } as Fingerprint;
    const relabelled = { ...policy, name: 'Member ref:', label: 'Member ref:' };
    assert.ok(scoreFingerprint(policy, password) < scoreFingerprint(policy, relabelled));
    assert.ok(scoreFingerprint(policy, password) < 0.7, String(scoreFingerprint(policy, password)));
  });
  it('tells links apart by their path, not the host', () => {
    const link: Fingerprint = { tag: 'a', role: 'link', name: 'New claim', text: 'New claim', attributes: { href: '/claims/new' } };
    const sameOtherHost = { ...link, attributes: { href: 'http://other:8080/claims/new' } };
    const otherLink = { ...link, name: 'Claims list', text: 'Claims list', attributes: { href: '/claims' } };
    assert.equal(scoreFingerprint(link, sameOtherHost), 1);
    assert.ok(scoreFingerprint(link, otherLink) < 0.6, String(scoreFingerprint(link, otherLink)));
  });
  it('counts a field the candidate has but the recording lacks (a name attribute)', () => {
    const bare: Fingerprint = { tag: 'input', role: 'textbox', name: 'Note' };
    assert.ok(scoreFingerprint(bare, { ...bare, attributes: { name: 'x' } }) < scoreFingerprint(bare, bare));
  });
});

describe('decideHeal', () => {
  it('accepts a clear winner above the threshold', () => {
    const decision = decideHeal([{ index: 0, score: 0.5 }, { index: 1, score: 0.92 }], 0.8);
    assert.deepEqual(decision, { accept: true, best: { index: 1, score: 0.92 }, runnerUp: { index: 0, score: 0.5 } });
  });
  it('refuses below the threshold', () => {
    assert.deepEqual(decideHeal([{ index: 0, score: 0.79 }], 0.8), { accept: false, reason: 'below-threshold', best: { index: 0, score: 0.79 }, runnerUp: undefined });
  });
  it('refuses two look-alikes even when both clear the threshold', () => {
    const decision = decideHeal([{ index: 0, score: 0.9 }, { index: 1, score: 0.85 }], 0.8);
    assert.equal(decision.accept, false);
    assert.equal(!decision.accept && decision.reason, 'ambiguous');
  });
  it('says when there is nothing to choose from', () => {
    assert.deepEqual(decideHeal([], 0.8), { accept: false, reason: 'none' });
  });
});
