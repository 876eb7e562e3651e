import { describe, expect, it } from 'vitest';
import { isLocalConnection } from '../../../src-main/engine/local-connection';
import { sendsKeyInTheClear } from '../../../src-shared/schemas/locality';

describe('isLocalConnection', () => {
  it.each([
    ['http://localhost:11434', true],
    ['http://LOCALHOST:11434/api', true],
    ['http://127.0.0.1:11434', true],
    ['http://127.8.9.10', true],
    ['http://[::1]:1234/v1', true],
    ['http://10.0.0.5:8080', true],
    ['http://172.16.0.1', true],
    ['http://172.31.255.255', true],
    ['http://192.168.1.20:11434', true],
    ['http://gpu-box.local:1234/v1', true],
    ['http://user:pass@localhost:11434', true],
    ['http://[fd12:3456::1]:8080', true],
    ['http://[::ffff:192.168.0.4]', true],
    ['https://api.openai.com/v1', false],
    ['http://172.15.0.1', false],
    ['http://172.32.0.1', false],
    ['http://192.169.1.1', false],
    ['http://11.0.0.1', false],
    ['http://10.evil.com', false],
    ['http://192.168.1.5.nip.io', false],
    ['http://localhost.evil.com', false],
    ['http://evil.com/localhost', false],
    ['http://localhost@evil.com', false],
    ['http://[2001:db8::1]', false],
    ['http://999.1.1.1', false],
    ['not a url', false],
  ])('%s -> %s', (baseUrl, expected) => {
    expect(isLocalConnection({ baseUrl })).toBe(expected);
  });
});

// Item 6: locality is the user's word; the address is only the default.
describe('the user decides what is local', () => {
  it('a tailnet GPU box marked local is local; a 127.0.0.1 proxy to a cloud marked not local is not', () => {
    expect(isLocalConnection({ baseUrl: 'http://gpu-box.tail1234.ts.net:11434', local: true })).toBe(true);
    expect(isLocalConnection({ baseUrl: 'http://127.0.0.1:4000/v1', local: false })).toBe(false);
    expect(isLocalConnection({ baseUrl: 'http://127.0.0.1:4000/v1' })).toBe(true);
  });

  // Item 4: a key over plain http to a host that is not local is warned about.
  it.each([
    ['http://api.example.com/v1', undefined, true],
    ['https://api.example.com/v1', undefined, false],
    ['http://127.0.0.1:11434', undefined, false],
    ['http://127.0.0.1:11434', false, true],
    ['http://gpu-box.tail1234.ts.net', true, false],
  ] as const)('key to %s (local: %s) crosses the network in the clear: %s', (baseUrl, local, expected) => {
    expect(sendsKeyInTheClear(baseUrl, local)).toBe(expected);
  });
});
