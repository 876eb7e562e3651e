import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { readStream, until, useGateway } from './gateway-harness';

const env = useGateway();

// A 1x1 transparent PNG.
const pixel = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

const citySchema = {
  type: 'object',
  required: ['city', 'population'],
  properties: { city: { type: 'string' }, population: { type: 'integer' } },
  additionalProperties: false,
};

describe('images', () => {
  it('sends a data: URL image to a vision model as an image', async () => {
    const completion = await env.gateway.client.chat.completions.create({
      model: 'switchboard/primary',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in this picture?' },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${pixel}` } },
          ],
        },
      ],
    });
    expect(completion.choices[0]?.message.content).toBeTruthy();
    const sent = env.providers.openai.lastChatRequest()?.body as { messages: Array<{ content: unknown }> };
    expect(sent.messages.at(-1)?.content).toEqual([
      { type: 'text', text: 'What is in this picture?' },
      { type: 'image_url', image_url: { url: `data:image/png;base64,${pixel}` } },
    ]);
  });

  it('refuses an http(s) image URL with a 400 that says what to send instead', async () => {
    const error = await env.gateway.client.chat.completions
      .create({
        model: 'switchboard/primary',
        messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/cat.png' } }] }],
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    const apiError = error as InstanceType<typeof OpenAI.BadRequestError>;
    expect(apiError.param).toBe('messages[0].content[0].image_url.url');
    expect(apiError.message).toContain('data:image/png;base64');
    expect(env.providers.openai.counters.chat).toBe(0);
  });

  it('refuses image types the providers do not take', async () => {
    const error = await env.gateway.client.chat.completions
      .create({
        model: 'switchboard/primary',
        messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: `data:image/bmp;base64,${pixel}` } }] }],
      })
      .catch((caught: unknown) => caught);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(400);
    expect((error as InstanceType<typeof OpenAI.APIError>).message).toContain('PNG, JPEG, GIF or WebP');
  });
});

describe('structured output', () => {
  it('passes json_schema on to the provider and returns its JSON', async () => {
    env.providers.openai.setReply('{"city":"Lyon","population":522000}');
    const completion = await env.gateway.client.chat.completions.create({
      model: 'switchboard/primary',
      messages: [{ role: 'user', content: 'Name a French city.' }],
      response_format: { type: 'json_schema', json_schema: { name: 'city', schema: citySchema, strict: true } },
    });
    expect(JSON.parse(completion.choices[0]?.message.content ?? '')).toEqual({ city: 'Lyon', population: 522000 });
    const sent = env.providers.openai.lastChatRequest()?.body as Record<string, unknown>;
    expect(sent['response_format']).toEqual({ type: 'json_schema', json_schema: { name: 'city', schema: citySchema, strict: true } });
  });

  it('passes json_object on as JSON mode', async () => {
    env.providers.openai.setReply('{"ok":true}');
    const completion = await env.gateway.client.chat.completions.create({
      model: 'switchboard/primary',
      messages: [{ role: 'user', content: 'Answer in JSON.' }],
      response_format: { type: 'json_object' },
    });
    expect(completion.choices[0]?.message.content).toBe('{"ok":true}');
    expect((env.providers.openai.lastChatRequest()?.body as Record<string, unknown>)['response_format']).toEqual({ type: 'json_object' });
  });

  it('escalates to the next backend when an answer does not match the schema', async () => {
    env.providers.openai.setReply('{"city":"Lyon"}');
    env.providers.anthropic.setReply('{"city":"Lyon","population":522000}');
    const { data, response } = await env.gateway.client.chat.completions
      .create({
        model: 'route/resilient',
        messages: [{ role: 'user', content: 'Name a French city.' }],
        response_format: { type: 'json_schema', json_schema: { name: 'city', schema: citySchema } },
      })
      .withResponse();
    expect(JSON.parse(data.choices[0]?.message.content ?? '')).toEqual({ city: 'Lyon', population: 522000 });
    expect(response.headers.get('x-switchboard-connection')).toBe('claude-backup');
    expect(response.headers.get('x-switchboard-fallbacks')).toBe('1');
  });

  it('fails with schema_mismatch when no backend gives valid JSON, instead of passing it off as an answer', async () => {
    env.providers.openai.setReply('Sure! Here is the city: Lyon.');
    const error = await env.gateway.client.chat.completions
      .create({
        model: 'openai-main/gpt-4o',
        messages: [{ role: 'user', content: 'Name a French city.' }],
        response_format: { type: 'json_object' },
      })
      .catch((caught: unknown) => caught);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(502);
    expect((error as InstanceType<typeof OpenAI.APIError>).code).toBe('schema_mismatch');
  });

  it('streams structured output as it comes', async () => {
    env.providers.openai.setReply('{"city":"Lyon","population":522000}');
    const stream = await env.gateway.client.chat.completions.create({
      model: 'switchboard/primary',
      messages: [{ role: 'user', content: 'Name a French city.' }],
      response_format: { type: 'json_schema', json_schema: { name: 'city', schema: citySchema } },
      stream: true,
    });
    const { text, error } = await readStream(stream);
    expect(error).toBeUndefined();
    expect(JSON.parse(text)).toEqual({ city: 'Lyon', population: 522000 });
  });

  it.each([
    [
      'JSON that breaks the schema',
      '{"city":"Lyon"}',
      /answered with JSON that does not match the schema: must have required property 'population'/,
    ],
    ['text that is not JSON', 'Sure! Lyon, about half a million people.', /did not answer with valid JSON/],
  ])('ends a stream of %s with an error event naming the failure, never as a success', async (_label, reply, named) => {
    env.providers.openai.setReply(reply);
    const stream = await env.gateway.client.chat.completions.create({
      model: 'route/resilient',
      messages: [{ role: 'user', content: 'Name a French city.' }],
      response_format: { type: 'json_schema', json_schema: { name: 'city', schema: citySchema } },
      stream: true,
    });
    const { text, error } = await readStream(stream);
    // The tokens had reached the client: no second answer is appended from another backend.
    expect(text).toBe(reply);
    expect(env.providers.anthropic.counters.chat).toBe(0);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).message).toMatch(named);
    expect((error as InstanceType<typeof OpenAI.APIError>).message).toMatch(/gpt-4o/);
    await until(async () => (await env.gateway.calls()).length > 0);
    expect((await env.gateway.calls()).at(-1)).toMatchObject({ errorCode: 'schema_mismatch' });
  });
});
