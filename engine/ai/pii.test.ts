import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isValidIban, passesLuhn, PiiGuard } from './pii.js';

describe('PiiGuard', () => {
  const text = [
    'Contact: jane.doe@example.com, +44 20 7946 0958 or (555) 123-4567',
    'IBAN GB82 WEST 1234 5698 7654 32, card 4111 1111 1111 1111',
    'SSN 123-45-6789, NINO AB 12 34 56 C',
    'Invoice INV-2024-0042 dated 2024-03-15, total 1,234.56, order 4111111111111112',
  ].join('\n');

  it('masks e-mail, phone, IBAN, card, SSN and NINO, and leaves invoice data alone', () => {
    const { value, found } = new PiiGuard('mask').protect({ text }, 'doc');
    for (const pii of ['jane.doe@example.com', '+44 20 7946 0958', '(555) 123-4567', 'GB82 WEST 1234 5698 7654 32', '4111 1111 1111 1111', '123-45-6789', 'AB 12 34 56 C']) {
      assert.ok(!value.text.includes(pii), `${pii} still in ${value.text}`);
    }
    for (const kept of ['INV-2024-0042', '2024-03-15', '1,234.56', '4111111111111112']) assert.ok(value.text.includes(kept), `${kept} was masked: ${value.text}`);
    const counts = Object.fromEntries(found.map((f) => [f.kind, f.count]));
    assert.deepEqual(counts, { email: 1, iban: 1, card: 1, 'national-id': 2, phone: 2 });
    assert.match(value.text, /\[EMAIL-1\]/);
  });

  it('gives the same value the same tag, in nested values too', () => {
    const { value } = new PiiGuard().protect({ a: 'x@y.org', b: ['x@y.org', 'z@y.org'] }, 'doc');
    assert.deepEqual(value, { a: '[EMAIL-1]', b: ['[EMAIL-1]', '[EMAIL-2]'] });
  });

  it('refuses in refuse mode, naming kinds but never values', () => {
    assert.throws(
      () => new PiiGuard('refuse').protect({ text }, 'the document'),
      (error: Error) => error.name === 'PiiRefusedError' && /personal data/.test(error.message) && !error.message.includes('jane.doe'),
    );
    assert.doesNotThrow(() => new PiiGuard('refuse').protect({ text: 'Invoice INV-1, total 12.00' }, 'doc'));
  });

  it('applies configured extra patterns, and rejects an invalid one clearly', () => {
    const { value } = new PiiGuard('mask', { policy: 'POL-\\d{5}' }).protect('claim on POL-10007', 'doc');
    assert.equal(value, 'claim on [POLICY-1]');
    assert.throws(() => new PiiGuard('mask', { bad: '(' }), /models\.pii\.patterns\.bad is not a valid regular expression/);
  });

  it('checks IBAN and card checksums', () => {
    assert.equal(isValidIban('GB82 WEST 1234 5698 7654 32'), true);
    assert.equal(isValidIban('GB83 WEST 1234 5698 7654 32'), false);
    assert.equal(passesLuhn('4111 1111 1111 1111'), true);
    assert.equal(passesLuhn('4111 1111 1111 1112'), false);
  });
});
