// Bounds on what a gateway client may send, checked before anything costly runs: the gateway in the
// app shares Electron's main process, so no request may stall it (DESIGN.md "Security and data").
import { RE2JS } from 're2js';
import { invalidRequest } from './gateway-errors';

export const requestLimits = {
  /** Arrays and objects nested inside each other in the body. */
  maxNesting: 64,
  /** Arrays and objects in the whole body (messages, parts, schema nodes...). */
  maxContainers: 20_000,
  /** Values in the whole body (array elements and object members). */
  maxValues: 200_000,
  maxMessages: 1_000,
  maxPartsPerMessage: 100,
  /** Nodes (objects, arrays, values) in a response_format JSON Schema. */
  maxSchemaNodes: 5_000,
  maxSchemaNesting: 32,
  maxPatternLength: 1_000,
} as const;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Checks the raw body as it arrives, before JSON.parse: refuses nesting, container and value counts
 * over the limits at the first excess, so a hostile body is refused within its first bytes and never
 * parsed. String contents are skipped with the native indexOf, so a large inline image costs next
 * to nothing. Feed it each part of the body in order; it throws a 400 naming the limit.
 */
export function createJsonShapeCheck(): (part: Uint8Array) => void {
  let depth = 0;
  let containers = 0;
  let values = 0;
  let inString = false;
  // Backslashes that ended the previous part inside a string: they may escape this part's first quote.
  let carriedSlashes = 0;
  return (part) => {
    const bytes = Buffer.isBuffer(part) ? part : Buffer.from(part.buffer, part.byteOffset, part.byteLength);
    let index = 0;
    while (index < bytes.length) {
      if (inString) {
        const quote = bytes.indexOf(QUOTE, index);
        const stop = quote === -1 ? bytes.length : quote;
        let slashes = 0;
        while (stop - 1 - slashes >= index && bytes[stop - 1 - slashes] === BACKSLASH) slashes += 1;
        if (stop - slashes === 0) slashes += carriedSlashes;
        if (quote === -1) {
          carriedSlashes = slashes;
          return;
        }
        carriedSlashes = 0;
        if (slashes % 2 === 0) inString = false;
        index = quote + 1;
        continue;
      }
      const byte = bytes[index];
      index += 1;
      if (byte === QUOTE) {
        inString = true;
        carriedSlashes = 0;
      } else if (byte === 0x5b || byte === 0x7b) {
        depth += 1;
        containers += 1;
        if (depth > requestLimits.maxNesting)
          throw invalidRequest(`The request nests arrays and objects more than ${requestLimits.maxNesting} levels deep.`);
        if (containers > requestLimits.maxContainers)
          throw invalidRequest(`The request holds more than ${requestLimits.maxContainers} arrays and objects. Send less at once.`);
      } else if (byte === 0x5d || byte === 0x7d) {
        depth -= 1;
      } else if (byte === 0x2c) {
        values += 1;
        if (values > requestLimits.maxValues)
          throw invalidRequest(`The request holds more than ${requestLimits.maxValues} values. Send less at once.`);
      }
    }
  };
}

/** Message count and parts per message, before each message is validated. */
export function checkMessageCounts(body: unknown): void {
  if (typeof body !== 'object' || body === null) return;
  const messages = (body as Record<string, unknown>)['messages'];
  if (!Array.isArray(messages)) return;
  if (messages.length > requestLimits.maxMessages)
    throw invalidRequest(
      `Send at most ${requestLimits.maxMessages} messages in one request (this one has ${messages.length}).`,
      'messages',
    );
  messages.forEach((message: unknown, index) => {
    const content = typeof message === 'object' && message !== null ? (message as Record<string, unknown>)['content'] : undefined;
    if (Array.isArray(content) && content.length > requestLimits.maxPartsPerMessage)
      throw invalidRequest(`A message may have at most ${requestLimits.maxPartsPerMessage} content parts.`, `messages[${index}].content`);
  });
}

/** A regular expression engine without backtracking: matching takes time linear in the input. */
function compileLinear(pattern: string, param: string): RE2JS {
  if (pattern.length > requestLimits.maxPatternLength)
    throw invalidRequest(`A schema pattern may be at most ${requestLimits.maxPatternLength} characters long.`, param);
  try {
    return RE2JS.compile(pattern);
  } catch (error) {
    throw invalidRequest(
      `The schema pattern cannot be used (${(error as Error).message}). Use a pattern without backreferences or lookaround.`,
      param,
    );
  }
}

/**
 * A response_format JSON Schema within the node and nesting limits, every `pattern` (and
 * patternProperties key) compiling in the linear-time engine the answer check uses.
 */
export function checkResponseSchema(schema: unknown, param = 'response_format.json_schema.schema'): void {
  let nodes = 0;
  const visit = (value: unknown, depth: number, path: string): void => {
    nodes += 1;
    if (nodes > requestLimits.maxSchemaNodes)
      throw invalidRequest(`The response_format schema has more than ${requestLimits.maxSchemaNodes} parts. Send a smaller schema.`, param);
    if (depth > requestLimits.maxSchemaNesting)
      throw invalidRequest(`The response_format schema nests more than ${requestLimits.maxSchemaNesting} levels deep.`, param);
    if (typeof value !== 'object' || value === null) return;
    if (Array.isArray(value)) {
      value.forEach((item, index) => visit(item, depth + 1, `${path}[${index}]`));
      return;
    }
    for (const [key, item] of Object.entries(value)) {
      if (key === 'pattern' && typeof item === 'string') compileLinear(item, `${path}.pattern`);
      if (key === 'patternProperties' && typeof item === 'object' && item !== null)
        for (const name of Object.keys(item)) compileLinear(name, `${path}.patternProperties`);
      visit(item, depth + 1, `${path}.${key}`);
    }
  };
  visit(schema, 0, param);
}

/**
 * A header value any HTTP stack accepts: printable ASCII as is, anything else (a provider's
 * model name with non-ASCII, CR or LF) percent-encoded, so a paid answer never fails on its headers.
 */
export function safeHeaderValue(value: string): string {
  const printable = /^[\x20-\x7e]*$/.test(value);
  return (printable ? value : encodeURIComponent(value)).slice(0, 512);
}
