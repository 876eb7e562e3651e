// `npm run gateway -- --config <file> [--port <n>] [--token <t>]`: the gateway without Electron,
// for a server or CI. Only argument parsing lives here; startHeadlessGateway composes.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { formatFindings, lintConfig } from '../config/config-lint';
import { litellmConfigYaml } from '../config/litellm-export';
import { minimumTokenLength } from './request-guards';
import { HeadlessConfigError, headlessConfigJsonSchema, loadConfigFile } from '../config/config-file';
import { defaultDataDirectory, GatewayTokenError, startHeadlessGateway } from './headless-gateway';

const defaultPort = 4141;

const usage = `Switchboard gateway, headless: an OpenAI-compatible server on 127.0.0.1 over your Switchboard routing.

Usage:
  npm run gateway -- --config <file> [--port <n>] [--token <token>] [--data-dir <dir>] [--no-keychain]
  npm run gateway -- --config <file> --lint
  npm run gateway -- --config <file> --export litellm [--out <file>]
  npm run gateway -- --print-config-schema

Options:
  --config <file>          JSON file with connections, primaryConnectionId, routing and agents
  --port <n>               port on 127.0.0.1 (default ${defaultPort}; 0 picks a free one)
  --token <token>          bearer token clients must send, at least ${minimumTokenLength} characters (else
                           SWITCHBOARD_GATEWAY_TOKEN, else one is generated into <data-dir>/gateway-token, mode 0600)
  --data-dir <dir>         where the call log (switchboard.db) and a generated token are kept (default ${defaultDataDirectory()})
  --no-keychain            read API keys from SWITCHBOARD_KEY_<CONNECTION_ID> variables only
  --lint                   check the config for what will not work as expected, print each finding and exit
                           (status 1 when there are errors)
  --export litellm         print the routing as a LiteLLM proxy config.yaml (keys as os.environ/SWITCHBOARD_KEY_*)
                           and exit; --out <file> writes it to a file instead
  --print-config-schema    print the JSON Schema of the config file and exit
  --help                   show this help

API keys: SWITCHBOARD_KEY_<CONNECTION_ID> (the id upper-cased, other characters as _), for example
SWITCHBOARD_KEY_OPENAI_MAIN for the connection "openai-main"; otherwise the key the Switchboard app saved
in the system keychain. Keys never go in the config file.
`;

const out = (text: string) => process.stdout.write(`${text}\n`);
const fail = (text: string): never => {
  process.stderr.write(`${text}\n`);
  process.exit(1);
};

function parse() {
  try {
    return parseArgs({
      options: {
        config: { type: 'string' },
        port: { type: 'string' },
        token: { type: 'string' },
        'data-dir': { type: 'string' },
        'no-keychain': { type: 'boolean' },
        'print-config-schema': { type: 'boolean' },
        lint: { type: 'boolean' },
        export: { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    return fail(`${(error as Error).message}\n\n${usage}`);
  }
}

async function main(): Promise<void> {
  const args = parse();
  if (args.help) {
    out(usage);
    return;
  }
  if (args['print-config-schema']) {
    out(JSON.stringify(headlessConfigJsonSchema(), null, 2));
    return;
  }
  if (!args.config) fail(`--config <file> is required.\n\n${usage}`);
  if (args.export !== undefined) {
    if (args.export !== 'litellm')
      fail(`--export ${args.export}: unknown format. The one export format is "litellm" (a LiteLLM proxy config.yaml).`);
    try {
      const yaml = litellmConfigYaml(loadConfigFile(args.config!).settings);
      if (args.out === undefined) process.stdout.write(yaml);
      else writeFileSync(args.out, yaml);
      return;
    } catch (error) {
      if (error instanceof HeadlessConfigError) return fail(error.message);
      if (args.out !== undefined) return fail(`${args.out} could not be written: ${(error as Error).message}`);
      throw error;
    }
  }
  if (args.lint) {
    try {
      const findings = lintConfig(loadConfigFile(args.config!).settings);
      out(formatFindings(findings));
      if (findings.some((finding) => finding.severity === 'error')) process.exit(1);
      return;
    } catch (error) {
      if (error instanceof HeadlessConfigError) return fail(error.message);
      throw error;
    }
  }
  const port = args.port === undefined ? defaultPort : Number(args.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be a whole number from 0 to 65535, not "${args.port}".`);

  let gateway: Awaited<ReturnType<typeof startHeadlessGateway>>;
  try {
    gateway = await startHeadlessGateway({
      config: args.config!,
      port,
      ...(args.token !== undefined ? { token: args.token } : {}),
      ...(args['data-dir'] !== undefined ? { dataDirectory: args['data-dir'] } : {}),
      useKeychain: !args['no-keychain'],
    });
  } catch (error) {
    if (error instanceof HeadlessConfigError || error instanceof GatewayTokenError) return fail(error.message);
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      return fail(`Port ${port} is already in use. Stop what uses it, or choose another port with --port.`);
    }
    return fail(`The gateway could not start: ${(error as Error).message}`);
  }
  if (gateway.tokenFile) out(`Token for this run written to ${gateway.tokenFile} (clients send it as "Authorization: Bearer <token>")`);
  out(`Call log: ${gateway.databaseFile}`);
  out(`Switchboard gateway listening on ${gateway.url}`);

  let stopping = false;
  const stop = () => {
    // A second Ctrl+C does not wait for streams to wind down.
    if (stopping) process.exit(1);
    stopping = true;
    void gateway.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
