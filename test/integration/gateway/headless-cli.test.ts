// Runs the headless gateway exactly as the README tells people to: a child process from a clean
// checkout, a config file, keys in SWITCHBOARD_KEY_* variables, and a plain HTTP request.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ANTHROPIC_KEY, configFor, OPENAI_KEY, REPLY, startProviders, type Providers } from './gateway-harness';

const root = resolve(import.meta.dirname, '../../..');
const tsx = join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'tsx.cmd' : 'tsx');
const cli = 'src-main/gateway/headless.ts';

let providers: Providers;
let directory: string;
const children: ChildProcessWithoutNullStreams[] = [];

beforeAll(async () => {
  providers = await startProviders();
  directory = mkdtempSync(join(tmpdir(), 'switchboard-gateway-'));
});

afterAll(async () => {
  await Promise.all([providers.openai.close(), providers.anthropic.close()]);
  rmSync(directory, { recursive: true, force: true });
});

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

interface Run {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function run(args: string[], environment: Record<string, string> = {}): Run {
  const { SWITCHBOARD_GATEWAY_TOKEN: _ignored, ...inherited } = process.env;
  // Every run keeps its call log in the test's folder, not in the user's home.
  const withData = args.includes('--config') ? [...args, '--data-dir', join(directory, `data-${children.length}`)] : args;
  const child = spawn(tsx, [cli, ...withData], {
    cwd: root,
    // The same Node that runs the tests runs tsx, whatever `node` is first on PATH.
    env: { ...inherited, PATH: `${dirname(process.execPath)}${delimiter}${process.env['PATH'] ?? ''}`, ...environment },
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (part: string) => (stdout += part));
  child.stderr.setEncoding('utf8').on('data', (part: string) => (stderr += part));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

async function waitForListening(started: Run): Promise<string> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const match = /Switchboard gateway listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(started.stdout());
    if (match) return match[1]!;
    if (started.child.exitCode !== null) break;
    await new Promise((done) => setTimeout(done, 50));
  }
  throw new Error(`the gateway did not start.\nstdout: ${started.stdout()}\nstderr: ${started.stderr()}`);
}

function writeConfig(name: string, contents: unknown): string {
  const path = join(directory, name);
  writeFileSync(path, JSON.stringify(contents, null, 2));
  return path;
}

const keys = { SWITCHBOARD_KEY_OPENAI_MAIN: OPENAI_KEY, SWITCHBOARD_KEY_CLAUDE_BACKUP: ANTHROPIC_KEY };

describe('npm run gateway (headless)', () => {
  it('serves a chat completion with keys from the environment and a generated token, then stops on SIGTERM', async () => {
    const config = writeConfig('switchboard.json', configFor(providers));
    const started = run(['--config', config, '--port', '0'], keys);
    const url = await waitForListening(started);
    // The generated token goes to a file only this user can read, never to stdout (CI logs keep it).
    const tokenFile = /Token for this run written to (.+) \(clients send/.exec(started.stdout())?.[1];
    expect(tokenFile).toBeTruthy();
    if (process.platform !== 'win32') expect(statSync(tokenFile!).mode & 0o777).toBe(0o600);
    const token = readFileSync(tokenFile!, 'utf8').trim();
    expect(token.length).toBeGreaterThanOrEqual(32);
    expect(started.stdout()).not.toContain(token);

    const response = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'route/resilient', messages: [{ role: 'user', content: 'Hello!' }] }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-switchboard-connection')).toBe('openai-main');
    const body = (await response.json()) as { choices: Array<{ message: { content: string } }> };
    expect(body.choices[0]?.message.content).toBe(REPLY);
    expect(started.stderr()).toBe('');
    const callLog = /Call log: (.+)/.exec(started.stdout())?.[1];
    expect(callLog && existsSync(callLog)).toBe(true);

    started.child.kill('SIGTERM');
    expect(await started.exited).toBe(0);
  });

  it('takes the token from --token and says which key is missing', async () => {
    const config = writeConfig('one-key.json', configFor(providers));
    const chosen = 'my-token-of-thirty-two-characters';
    const started = run(['--config', config, '--port', '0', '--token', chosen, '--no-keychain'], {
      SWITCHBOARD_KEY_OPENAI_MAIN: OPENAI_KEY,
    });
    const url = await waitForListening(started);
    expect(started.stdout()).not.toContain('Token for this run');
    expect(started.stderr()).toContain('SWITCHBOARD_KEY_CLAUDE_BACKUP');
    const models = await fetch(`${url}/v1/models`, { headers: { authorization: `Bearer ${chosen}` } });
    expect(models.status).toBe(200);
    expect((await fetch(`${url}/v1/models`)).status).toBe(401);
    // SIGTERM, not SIGINT: a SIGINT sent to tsx alone (a terminal's Ctrl+C reaches the whole group)
    // races tsx's own relay and sometimes ends it with 130 before the gateway has closed.
    started.child.kill('SIGTERM');
    expect(await started.exited).toBe(0);
  });

  it('refuses a token shorter than 32 characters, from --token or the environment', async () => {
    const config = writeConfig('weak-token.json', configFor(providers));
    const flag = run(['--config', config, '--port', '0', '--token', 'my-token'], keys);
    expect(await flag.exited).toBe(1);
    expect(flag.stderr()).toContain('The gateway token is 8 characters long; it must have at least 32.');
    expect(flag.stdout()).not.toContain('listening');
    const variable = run(['--config', config, '--port', '0'], { ...keys, SWITCHBOARD_GATEWAY_TOKEN: 'x'.repeat(31) });
    expect(await variable.exited).toBe(1);
    expect(variable.stderr()).toContain('31 characters long');
  });

  it('names the field and what to do when the config file is wrong', async () => {
    const broken = configFor(providers);
    broken.connections[0]!.kind = 'open-ai';
    const config = writeConfig('broken.json', { ...broken, conections: [] });
    const started = run(['--config', config, '--port', '0'], keys);
    expect(await started.exited).toBe(1);
    expect(started.stderr()).toContain('connections[0].kind');
    expect(started.stderr()).toContain('"openai"');
    expect(started.stderr()).toContain('unknown field "conections"');
    expect(started.stderr()).toContain('--print-config-schema');
  });

  it('says when a route points at a connection the file does not have', async () => {
    const config = configFor(providers);
    config.routing.routes[0]!.targets[1]!.connectionId = 'claude';
    const started = run(['--config', writeConfig('dangling.json', config), '--port', '0'], keys);
    expect(await started.exited).toBe(1);
    expect(started.stderr()).toContain('routing.routes[0].targets[1].connectionId: there is no connection "claude"');
  });

  it('prints the JSON Schema of the config file', async () => {
    const started = run(['--print-config-schema']);
    expect(await started.exited).toBe(0);
    const schema = JSON.parse(started.stdout()) as { properties: Record<string, unknown>; required: string[] };
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['connections', 'primaryConnectionId', 'routing', 'agents']));
    expect(schema.required).toContain('connections');
  });

  it('exports the routing as a LiteLLM proxy config.yaml, to stdout or --out, and refuses an unknown format', async () => {
    const config = writeConfig('for-litellm.json', configFor(providers));
    const out = join(directory, 'litellm-config.yaml');
    // Three runs at once: each spends most of its time starting tsx.
    const printed = run(['--config', config, '--export', 'litellm']);
    const written = run(['--config', config, '--export', 'litellm', '--out', out], keys);
    const unknown = run(['--config', config, '--export', 'helm']);
    expect(await printed.exited).toBe(0);
    const exported = parse(printed.stdout()) as { model_list: { model_name: string; litellm_params: Record<string, unknown> }[] };
    const route = exported.model_list.find((deployment) => deployment.model_name === 'route/resilient');
    expect(route?.litellm_params).toMatchObject({ api_key: 'os.environ/SWITCHBOARD_KEY_OPENAI_MAIN' });
    expect(printed.stdout()).not.toContain(OPENAI_KEY);

    expect(await written.exited).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(printed.stdout());
    expect(readFileSync(out, 'utf8')).not.toContain(ANTHROPIC_KEY);

    expect(await unknown.exited).toBe(1);
    expect(unknown.stderr()).toContain('--export helm: unknown format');
  });

  it('explains itself with --help and refuses unknown options', async () => {
    const help = run(['--help']);
    expect(await help.exited).toBe(0);
    expect(help.stdout()).toContain('SWITCHBOARD_KEY_<CONNECTION_ID>');
    const wrong = run(['--conifg', 'x.json']);
    expect(await wrong.exited).toBe(1);
    expect(wrong.stderr()).toContain("Unknown option '--conifg'");
  });
});
