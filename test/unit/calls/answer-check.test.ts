import { describe, expect, it } from 'vitest';
import { createAnswerChecker, structuredAnswerValue } from '../../../src-main/calls/answer-check';

const schema = { type: 'object', required: ['goal'], properties: { goal: { type: 'string' } } };
const format = { type: 'json_schema' as const, name: 'plan', schema };
const who = { connectionId: 'deepseek', connectionName: 'DeepSeek', model: 'deepseek-chat' };
const fenced = 'Here is the plan:\n```json\n{"goal":"Ship it"}\n```';

describe('the one structured-answer check (tasks and gateway)', () => {
  const check = createAnswerChecker();

  it('passes a matching answer, and names who answered and what is wrong otherwise', () => {
    const gate = check(format)!;
    expect(gate('{"goal":"Ship it"}', who)).toBeUndefined();
    expect(gate('{"goal":3}', who)).toMatchObject({
      code: 'schema_mismatch',
      provider: 'deepseek',
      message: 'DeepSeek (deepseek-chat) answered with JSON that does not match the schema at /goal: must be string',
    });
    expect(gate('Sure!', who)?.message).toBe('DeepSeek (deepseek-chat) did not answer with valid JSON');
  });

  it('takes a fenced JSON block only when asked (agents), never for gateway clients that parse the text', () => {
    expect(check(format)!(fenced, who)?.code).toBe('schema_mismatch');
    expect(check(format, { fenced: true })!(fenced, who)).toBeUndefined();
    expect(structuredAnswerValue(fenced, { fenced: true })).toEqual({ goal: 'Ship it' });
  });

  it('checks nothing for plain text', () => {
    expect(check(undefined)).toBeUndefined();
    expect(check({ type: 'text' })).toBeUndefined();
  });
});
