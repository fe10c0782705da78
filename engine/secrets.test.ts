import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MissingSecretError } from './errors.js';
import { envSecretProvider, resolveSecrets, SecretMasker, secretEnvName, type SecretProvider } from './secrets.js';

describe('env secret provider', () => {
  it('names the variable RPA_SECRET_<NAME> in upper case, other characters as _', () => {
    assert.equal(secretEnvName('portalPassword'), 'RPA_SECRET_PORTALPASSWORD');
    assert.equal(secretEnvName('api-key.v2'), 'RPA_SECRET_API_KEY_V2');
  });

  it('reads the variable and says where to put a missing one', () => {
    const provider = envSecretProvider({ RPA_SECRET_PORTALPASSWORD: 's3cret', portalPassword: 'wrong' });
    assert.equal(provider.get('portalPassword'), 's3cret');
    assert.equal(provider.get('other'), undefined);
    assert.equal(provider.hint('portalPassword'), 'set the environment variable RPA_SECRET_PORTALPASSWORD');
  });

  it('reads process.env by default', () => {
    const key = 'RPA_SECRET_UNIT_TEST_DEFAULT_ENV';
    process.env[key] = 'from-process';
    try {
      assert.equal(envSecretProvider().get('unit_test_default_env'), 'from-process');
    } finally {
      delete process.env[key];
    }
  });
});

describe('resolveSecrets', () => {
  const provider = envSecretProvider({ RPA_SECRET_A: 'alpha', RPA_SECRET_EMPTY: '' });

  it('returns every value by name', () => {
    const values = resolveSecrets(['a'], provider, 'flow.json');
    assert.deepEqual([...values], [['a', 'alpha']]);
  });

  it('names the missing secret, the file and where to set it', () => {
    assert.throws(
      () => resolveSecrets(['a', 'portalPassword'], provider, 'automations/claims.json'),
      (error: unknown) => {
        assert.ok(error instanceof MissingSecretError);
        assert.equal(error.message, 'automations/claims.json: missing secret "portalPassword"; set the environment variable RPA_SECRET_PORTALPASSWORD');
        assert.deepEqual(error.details, { missing: ['portalPassword'] });
        return true;
      },
    );
  });

  it('lists several missing secrets and treats an empty value as missing', () => {
    assert.throws(
      () => resolveSecrets(['empty', 'b'], provider, 'x.json'),
      (error: unknown) => {
        assert.ok(error instanceof MissingSecretError);
        assert.equal(error.message, 'x.json: missing secrets "empty", "b"; set the environment variable RPA_SECRET_EMPTY; set the environment variable RPA_SECRET_B');
        assert.deepEqual(error.details, { missing: ['empty', 'b'] });
        return true;
      },
    );
  });

  it('uses the hint of the provider it was given', () => {
    const vault: SecretProvider = { get: () => undefined, hint: (name) => `add ${name} to the vault` };
    assert.throws(() => resolveSecrets(['pw'], vault, 'x.json'), { message: 'x.json: missing secret "pw"; add pw to the vault' });
  });
});

describe('SecretMasker', () => {
  it('masks every occurrence of every secret', () => {
    const masker = new SecretMasker();
    masker.add('hunter2');
    masker.add('tok');
    assert.equal(masker.maskText('pw hunter2, again hunter2, token tok'), 'pw ••••••, again ••••••, ••••••en ••••••');
  });

  it('masks the longer secret first when one contains another', () => {
    const masker = new SecretMasker();
    masker.add('abc');
    masker.add('abcdef');
    assert.equal(masker.maskText('x abcdef y abc'), 'x •••••• y ••••••');
  });

  it('ignores one-character secrets', () => {
    const masker = new SecretMasker();
    masker.add('a');
    assert.equal(masker.maskText('a banana'), 'a banana');
  });

  it('masks strings deep inside values without changing the original', () => {
    const masker = new SecretMasker();
    masker.add('s3cret');
    const event = { type: 'log', message: 'typed s3cret', nested: { list: ['s3cret', 7, null, { v: 'xs3cretx' }] }, ok: true };
    const masked = masker.mask(event);
    assert.deepEqual(masked, { type: 'log', message: 'typed ••••••', nested: { list: ['••••••', 7, null, { v: 'x••••••x' }] }, ok: true });
    assert.equal(event.message, 'typed s3cret');
    assert.equal(masker.mask('s3cret'), '••••••');
  });

  it('returns the same value when it knows no secrets', () => {
    const masker = new SecretMasker();
    const value = { message: 'nothing to hide' };
    assert.equal(masker.mask(value), value);
  });
});
