import { describe, expect, it } from 'vitest';
import { isLocalConnection } from '../../../src-main/engine/local-connection';

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
