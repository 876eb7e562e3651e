// Run by call-log-crash.test.ts in its own Node process: logs calls as a busy gateway does (many in flight)
// and prints each id once its write is acknowledged, until the test kills it with SIGKILL.
import { createCallLogRepository } from '../../../src-main/storage/call-log-repository';
import { openDatabase } from '../../../src-main/storage/database';

const filePath = process.argv[2];
if (!filePath) throw new Error('usage: call-log-crash-child.ts <database file>');
const database = await openDatabase({ filePath, workerUrl: new URL('../../../src-main/storage/storage-worker.ts', import.meta.url) });
const log = createCallLogRepository(database);
let index = 0;
const logOne = async (): Promise<void> => {
  const at = Date.now();
  index += 1;
  const id = await log.record(
    {
      at,
      source: 'gateway',
      connectionId: 'openai-main',
      connectionName: 'OpenAI',
      providerKind: 'openai',
      requestedModel: 'gpt-4o',
      attempt: 1,
      fallbackPosition: 0,
      outcome: 'success',
      latencyMs: 100 + (index % 50),
      prompt: `call ${index}`,
    },
    { secrets: [] },
  );
  process.stdout.write(`${id}\n`);
};
// Twenty callers, each logging again as soon as its last call is written.
for (let caller = 0; caller < 20; caller += 1) {
  void (async () => {
    for (;;) await logOne();
  })();
}
