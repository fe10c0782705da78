// Version precedence as the updater uses it: the semver 2.0 ordering of releases and prereleases.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from '../errors.js';
import { compareVersions, parseVersion } from './version.js';

test('orders releases by major, minor and patch numerically', () => {
  assert.equal(compareVersions('1.2.3', '1.2.3'), 0);
  assert.equal(compareVersions('1.2.10', '1.2.9'), 1);
  assert.equal(compareVersions('1.10.0', '1.9.9'), 1);
  assert.equal(compareVersions('2.0.0', '10.0.0'), -1);
  assert.equal(compareVersions('v0.2.0', '0.1.9'), 1);
});

test('follows the semver prerelease order, ignoring build metadata', () => {
  const ascending = ['1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0'];
  for (let i = 0; i + 1 < ascending.length; i++) {
    assert.equal(compareVersions(ascending[i]!, ascending[i + 1]!), -1, `${ascending[i]} < ${ascending[i + 1]}`);
    assert.equal(compareVersions(ascending[i + 1]!, ascending[i]!), 1, `${ascending[i + 1]} > ${ascending[i]}`);
  }
  assert.equal(compareVersions('1.0.0+build.5', '1.0.0+build.7'), 0);
  assert.equal(compareVersions('1.0.1-beta', '1.0.0'), 1);
});

test('refuses what is not a version, saying what was expected', () => {
  for (const bad of ['1.2', '1.2.3.4', '01.2.3', 'latest', '', '1.2.3-']) {
    assert.throws(() => parseVersion(bad), (error: unknown) => error instanceof UsageError && /x\.y\.z/.test(error.message), bad);
  }
  assert.deepEqual(parseVersion('3.4.5-rc.1+sha.abc'), { major: 3, minor: 4, patch: 5, prerelease: ['rc', '1'] });
});
