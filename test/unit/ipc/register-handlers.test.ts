import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  eventChannels,
  eventChannelsComplete,
  invokeChannels,
  invokeChannelsComplete,
  type InvokeChannel,
  type NamesEvery,
} from '../../../src-shared/contract/ipc-contract';
import { appError, AppErrorException } from '../../../src-shared/errors/app-error';
import { createSenderGuard } from '../../../src-main/app/sender-guard';
import type { HandlerMap, SenderEvent } from '../../../src-main/ipc/handler-types';
import { createAllHandlers } from '../../../src-main/ipc/all-handlers';
import { registerHandlers, type IpcMainLike } from '../../../src-main/ipc/register-handlers';

const rendererUrl = 'app://switchboard/index.html';
const appFrame: SenderEvent = { senderFrame: { url: `${rendererUrl}#settings`, parent: null } };

function setUp(handle: (request: unknown) => unknown = (request) => ({ echoed: request })) {
  const registered = new Map<string, (event: SenderEvent, ...args: unknown[]) => Promise<unknown>>();
  const ipcMain: IpcMainLike = { handle: (channel, listener) => void registered.set(channel, listener) };
  const calls: unknown[] = [];
  const handlers = Object.fromEntries(
    invokeChannels.map((channel) => [
      channel,
      {
        payload: z.object({ name: z.string().min(1) }).strict(),
        handle: (request: unknown) => {
          calls.push(request);
          return handle(request);
        },
      },
    ]),
  ) as unknown as HandlerMap;
  registerHandlers(ipcMain, handlers, { isTrustedSender: createSenderGuard(rendererUrl) });
  const invoke = (event: SenderEvent, ...args: unknown[]) => registered.get('app:settings.get')!(event, ...args);
  return { registered, calls, invoke };
}

// The handler factories only keep their services for later calls; none is touched here.
const unused = {} as never;
const realHandlers = () =>
  createAllHandlers({
    app: {
      info: { name: 'Switchboard', version: '0.0.0', platform: 'linux', dataDirectory: '/tmp' },
      settings: unused,
      notices: unused,
      openExternal: unused,
    },
    routing: { settings: unused, router: unused },
    config: { config: unused, draft: unused, settings: unused, now: Date.now },
    chat: { chat: unused, writeClipboard: unused },
    tasks: { tasks: unused, settings: unused },
    activity: { callLog: unused },
    spend: { prices: unused, callLog: unused },
    gateway: { gateway: unused, clients: unused },
    localModels: { localModels: unused },
    connections: { connections: unused, profiles: [], detectOllama: unused },
  });

function register(handlers: HandlerMap) {
  const registered = new Map<string, unknown>();
  registerHandlers({ handle: (channel, listener) => void registered.set(channel, listener) }, handlers, { isTrustedSender: () => true });
  return registered;
}

describe('IPC handler registration', () => {
  it('registers the app’s real handler for every channel of the contract, each with a payload schema', () => {
    const handlers = realHandlers();
    expect([...register(handlers).keys()].sort()).toEqual([...invokeChannels].sort());
    for (const channel of invokeChannels) {
      expect(typeof handlers[channel].handle, channel).toBe('function');
      expect(typeof handlers[channel].payload.safeParse, channel).toBe('function');
    }
  });

  it('refuses to start with a channel that has no handler, or a handler for a channel the contract lacks, naming it', () => {
    const { ['app:tasks.retry']: _left, ...rest } = realHandlers();
    expect(() => register(rest as HandlerMap)).toThrow('No handler for app:tasks.retry');
    const stray = { ...realHandlers(), 'app:tasks.rerun': { payload: z.undefined(), handle: () => undefined } };
    expect(() => register(stray as HandlerMap)).toThrow('the IPC contract does not have: app:tasks.rerun');
  });

  it('the contract’s channel lists are checked for completeness when compiling', () => {
    const listed = ['app:app.getInfo'] as const;
    // @ts-expect-error a list that leaves out channels does not compile
    const incomplete: NamesEvery<InvokeChannel, typeof listed> = listed;
    expect(incomplete).toBe(listed);
    expect(invokeChannelsComplete).toBe(invokeChannels);
    expect(eventChannelsComplete).toBe(eventChannels);
  });

  it('passes a valid payload to the handler and wraps the value', async () => {
    const { invoke, calls } = setUp();
    expect(await invoke(appFrame, { name: 'x' })).toEqual({ ok: true, value: { echoed: { name: 'x' } } });
    expect(calls).toEqual([{ name: 'x' }]);
  });

  it.each([
    ['a missing field', [{}], ''],
    ['a wrong type', [{ name: 3 }], 'name'],
    ['an unknown field', [{ name: 'x', extra: true }], ''],
    ['two arguments', [{ name: 'x' }, { name: 'y' }], ''],
    ['no object at all', ['name'], ''],
  ])('refuses %s with ipc_invalid_payload and never calls the handler', async (_label, args, field) => {
    const { invoke, calls } = setUp();
    const result = (await invoke(appFrame, ...args)) as { ok: boolean; error: { code: string; field?: string } };
    expect(result.ok).toBe(false);
    expect(result.error.code).toBe('ipc_invalid_payload');
    if (field) expect(result.error.field).toBe(field);
    expect(calls).toEqual([]);
  });

  it.each([
    ['a sub-frame of the app', { url: rendererUrl, parent: {} }],
    ['a file on disk', { url: 'file:///tmp/evil.html', parent: null }],
    ['the renderer folder over file://', { url: 'file:///opt/Switchboard/resources/app/out/renderer/index.html', parent: null }],
    ['another app:// host', { url: 'app://evil/index.html', parent: null }],
    // data: and other non-web schemes all have the origin "null", like app: outside Electron.
    ['a data: page', { url: 'data:text/html,<title>x</title>', parent: null }],
    ['about:blank', { url: 'about:blank', parent: null }],
    ['a web page', { url: 'https://example.com/', parent: null }],
    ['an unparsable address', { url: 'not a url', parent: null }],
  ])('refuses a call from %s with ipc_forbidden_sender', async (_label, frame) => {
    const { invoke, calls } = setUp();
    expect(await invoke({ senderFrame: frame }, { name: 'x' })).toMatchObject({ ok: false, error: { code: 'ipc_forbidden_sender' } });
    expect(calls).toEqual([]);
  });

  it('refuses a call with no sender frame', async () => {
    const { invoke } = setUp();
    expect(await invoke({ senderFrame: null }, { name: 'x' })).toMatchObject({ ok: false, error: { code: 'ipc_forbidden_sender' } });
  });

  it('turns a thrown AppErrorException into its AppError and anything else into internal', async () => {
    const known = setUp(() => {
      throw new AppErrorException(appError('not_found', 'No such connection.'));
    });
    expect(await known.invoke(appFrame, { name: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'not_found', message: 'No such connection.' },
    });
    const unknown = setUp(() => {
      throw new Error('boom');
    });
    expect(await unknown.invoke(appFrame, { name: 'x' })).toMatchObject({ ok: false, error: { code: 'internal', message: 'boom' } });
  });

  it('accepts the dev server origin when the renderer is served over http', () => {
    const guard = createSenderGuard('http://localhost:5173/');
    expect(guard({ senderFrame: { url: 'http://localhost:5173/#chat', parent: null } })).toBe(true);
    expect(guard({ senderFrame: { url: 'http://localhost:5174/', parent: null } })).toBe(false);
  });
});
