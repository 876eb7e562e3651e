// The process the gateway benchmark runs a gateway in: the headless gateway of a checkout
// (startHeadlessGateway, as `npm run gateway` starts it), plus what the benchmark reads from inside:
// the event loop's delay of the thread it serves from (the headless gateway's only thread)
// and resident memory after a full collection, through the commands of host-commands.ts.
// `node --expose-gc --import tsx gateway-host.ts <checkout> --config <file> --token <t> --data-dir <dir>`
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { answerHostCommands } from './host-commands.ts';

const [checkout, ...rest] = process.argv.slice(2);
if (!checkout) throw new Error('usage: gateway-host.ts <checkout> --config <file> --token <token> --data-dir <dir>');
const { values } = parseArgs({
  args: rest,
  options: { config: { type: 'string' }, token: { type: 'string' }, 'data-dir': { type: 'string' } },
  strict: true,
});

interface Started {
  url: string;
  close(): Promise<void>;
}
const module = (await import(pathToFileURL(join(resolve(checkout), 'src-main/gateway/headless-gateway.ts')).href)) as {
  startHeadlessGateway(options: Record<string, unknown>): Promise<Started>;
};
const gateway = await module.startHeadlessGateway({
  config: values.config!,
  port: 0,
  token: values.token!,
  dataDirectory: values['data-dir']!,
  useKeychain: false,
  warn: (line: string) => process.stderr.write(`${line}\n`),
});

const stopMeasuring = answerHostCommands();

process.stdout.write(`Switchboard gateway listening on ${gateway.url}\n`);
process.on('SIGTERM', () => {
  stopMeasuring();
  void gateway.close().then(() => process.exit(0));
});
