/**
 * Ollama's own endpoints for the fake provider server: model facts (`/api/show`), loaded models
 * (`/api/ps`), pulls with streamed progress (`/api/pull`), deletes (`/api/delete`) and the time a
 * model takes to load before its first answer. Kept apart from fake-provider-server.ts, which
 * routes these paths here.
 */
import type { ServerResponse } from 'node:http';

/** What the fake says about one model; the defaults look like a small Llama. */
export interface FakeOllamaModel {
  /** As `/api/show` lists them: completion, vision, tools, thinking, embedding. */
  capabilities: string[];
  contextLength: number;
  family: string;
  parameterSize: string;
  quantization: string;
  /** Bytes on disk. */
  size: number;
}

export interface FakePullOptions {
  /** Progress lines before the pull fails with `error`; default: it succeeds. */
  failAfterSteps?: number;
  /** The error line a failing pull ends with. */
  error?: string;
  /** Pause between progress lines (default 30 ms). */
  stepDelayMs?: number;
  /** Progress lines for the model layer (default 5). */
  steps?: number;
  /** Facts of the pulled model. */
  facts?: Partial<FakeOllamaModel>;
}

export interface FakeOllamaControls {
  setModelFacts(name: string, facts: Partial<FakeOllamaModel>): void;
  /** A chat to a model that is not loaded waits this long first, then the model stays loaded (default 0). */
  setLoadDelay(milliseconds: number): void;
  /** Which models count as loaded now (`/api/ps`). */
  setLoaded(names: string[]): void;
  loadedModels(): string[];
  /** How a pull of this name goes; names not set here pull successfully. A name set to `null` does not exist. */
  setPullBehaviour(name: string, options: FakePullOptions | null): void;
  /** Back to no facts overrides, nothing loaded, no load delay, default pulls. */
  reset(): void;
}

/** What the routing server lends this module. */
export interface FakeOllamaHost {
  models(): string[];
  setModels(ids: string[]): void;
  sleep(milliseconds: number): Promise<void>;
}

const defaultFacts: FakeOllamaModel = {
  capabilities: ['completion', 'tools'],
  contextLength: 131_072,
  family: 'llama',
  parameterSize: '3.2B',
  quantization: 'Q4_K_M',
  size: 2_019_393_189,
};

/** "llama3.2" and "llama3.2:latest" are the same model. */
export function sameOllamaName(left: string, right: string): boolean {
  const plain = (name: string) => name.replace(/:latest$/, '');
  return plain(left) === plain(right);
}

function digestOf(name: string): string {
  let hash = 0;
  for (const character of name) hash = (hash * 31 + character.charCodeAt(0)) >>> 0;
  return `sha256:${hash.toString(16).padStart(8, '0').repeat(8)}`;
}

export class FakeOllama implements FakeOllamaControls {
  #facts = new Map<string, Partial<FakeOllamaModel>>();
  #pulls = new Map<string, FakePullOptions | null>();
  // Until a test says which models are loaded (or sets a load delay), every model counts as loaded.
  #loaded: Set<string> | null = null;
  #loadDelayMs = 0;

  constructor(private readonly host: FakeOllamaHost) {}

  setModelFacts(name: string, facts: Partial<FakeOllamaModel>): void {
    this.#facts.set(name.replace(/:latest$/, ''), { ...this.#facts.get(name.replace(/:latest$/, '')), ...facts });
  }

  setLoadDelay(milliseconds: number): void {
    this.#loadDelayMs = Math.max(0, milliseconds);
    this.#loaded ??= new Set();
  }

  setLoaded(names: string[]): void {
    this.#loaded = new Set(names.map((name) => name.replace(/:latest$/, '')));
  }

  loadedModels(): string[] {
    return this.#loaded ? [...this.#loaded] : this.host.models().map((name) => name.replace(/:latest$/, ''));
  }

  setPullBehaviour(name: string, options: FakePullOptions | null): void {
    this.#pulls.set(name.replace(/:latest$/, ''), options);
  }

  reset(): void {
    this.#facts.clear();
    this.#pulls.clear();
    this.#loaded = null;
    this.#loadDelayMs = 0;
  }

  /** Facts for a model name, defaults filled in; vision-sounding names see images. */
  factsOf(name: string): FakeOllamaModel {
    const plain = name.replace(/:latest$/, '');
    const family = /^[a-z]+/i.exec(plain)?.[0] ?? defaultFacts.family;
    const parameterSize = /:(\d+(?:\.\d+)?)b/i.exec(plain)?.[1]?.concat('B') ?? '8.0B';
    const guessed = /llava|vision|-vl/i.test(plain) ? { capabilities: ['completion', 'vision'] } : {};
    return { ...defaultFacts, family, parameterSize, ...guessed, ...this.#facts.get(plain) };
  }

  /** `details` as tags, ps and show write it. */
  details(name: string): Record<string, unknown> {
    const facts = this.factsOf(name);
    return {
      parent_model: '',
      format: 'gguf',
      family: facts.family,
      families: [facts.family],
      parameter_size: facts.parameterSize,
      quantization_level: facts.quantization,
    };
  }

  /** One `/api/tags` entry. */
  tagEntry(id: string): Record<string, unknown> {
    const name = id.includes(':') ? id : `${id}:latest`;
    return {
      name,
      model: name,
      modified_at: '2025-06-01T10:00:00.000000000Z',
      size: this.factsOf(id).size,
      digest: digestOf(name).slice(7),
      details: this.details(id),
    };
  }

  #has(name: string): boolean {
    return this.host.models().some((id) => sameOllamaName(id, name));
  }

  /** Waits out the load of a model that is not loaded yet; a chat calls this before answering. */
  async load(name: string): Promise<void> {
    const plain = name.replace(/:latest$/, '');
    if (!this.#loaded || this.#loaded.has(plain)) return;
    if (this.#loadDelayMs > 0) await this.host.sleep(this.#loadDelayMs);
    this.#loaded.add(plain);
  }

  /** Answers `/api/show`, `/api/ps`, `/api/pull` and `/api/delete`; false for any other path. */
  async handle(method: string, path: string, body: unknown, response: ServerResponse, alive: () => boolean): Promise<boolean> {
    const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
    const name = typeof record['model'] === 'string' ? record['model'] : typeof record['name'] === 'string' ? record['name'] : '';
    if (method === 'POST' && path === '/api/show') {
      if (!this.#has(name)) return send(response, 404, { error: `model '${name}' not found` });
      return send(response, 200, this.#show(name));
    }
    if (method === 'GET' && path === '/api/ps') {
      return send(response, 200, {
        models: this.loadedModels()
          .filter((model) => this.#has(model))
          .map((model) => this.#psEntry(model)),
      });
    }
    if (method === 'DELETE' && path === '/api/delete') {
      if (!this.#has(name)) return send(response, 404, { error: `model '${name}' not found` });
      this.host.setModels(this.host.models().filter((id) => !sameOllamaName(id, name)));
      this.#loaded?.delete(name.replace(/:latest$/, ''));
      response.writeHead(200, { 'content-length': '0' }).end();
      return true;
    }
    if (method === 'POST' && path === '/api/pull') {
      if (!name) return send(response, 400, { error: 'model is required' });
      await this.#pull(name, response, alive);
      return true;
    }
    return false;
  }

  #show(name: string): Record<string, unknown> {
    const facts = this.factsOf(name);
    return {
      license: 'LLAMA 3.2 COMMUNITY LICENSE AGREEMENT',
      modelfile: `FROM ${name}`,
      parameters: 'stop "<|eot_id|>"',
      template: '{{ .Prompt }}',
      details: this.details(name),
      model_info: {
        'general.architecture': facts.family,
        'general.parameter_count': 3_212_749_888,
        [`${facts.family}.context_length`]: facts.contextLength,
        [`${facts.family}.embedding_length`]: 3072,
      },
      capabilities: facts.capabilities,
      modified_at: '2025-06-01T10:00:00.000000000Z',
    };
  }

  #psEntry(model: string): Record<string, unknown> {
    const entry = this.tagEntry(model);
    return {
      ...entry,
      expires_at: new Date(Date.now() + 10 * 60_000).toISOString(),
      size_vram: entry['size'],
      context_length: Math.min(this.factsOf(model).contextLength, 8192),
    };
  }

  async #pull(name: string, response: ServerResponse, alive: () => boolean): Promise<void> {
    const plain = name.replace(/:latest$/, '');
    const options = this.#pulls.has(plain) ? this.#pulls.get(plain) : {};
    response.writeHead(200, { 'content-type': 'application/x-ndjson' });
    response.flushHeaders();
    const write = (line: Record<string, unknown>) => response.write(`${JSON.stringify(line)}\n`);
    write({ status: 'pulling manifest' });
    if (options === null || options === undefined) {
      write({ error: 'pull model manifest: file does not exist' });
      response.end();
      return;
    }
    if (options.facts) this.setModelFacts(plain, options.facts);
    const total = this.factsOf(plain).size;
    const steps = Math.max(1, options.steps ?? 5);
    const digest = digestOf(plain);
    for (let step = 1; step <= steps; step += 1) {
      await this.host.sleep(options.stepDelayMs ?? 30);
      if (!alive()) return;
      if (options.failAfterSteps !== undefined && step > options.failAfterSteps) {
        write({ error: options.error ?? 'max retries exceeded: read tcp 10.0.0.2:50514->104.18.0.1:443: read: connection reset by peer' });
        response.end();
        return;
      }
      write({ status: `pulling ${digest.slice(7, 19)}`, digest, total, completed: Math.round((total * step) / steps) });
    }
    write({ status: 'verifying sha256 digest' });
    write({ status: 'writing manifest' });
    if (!this.#has(plain)) this.host.setModels([...this.host.models(), plain]);
    write({ status: 'success' });
    response.end();
  }
}

function send(response: ServerResponse, status: number, payload: unknown): true {
  const text = JSON.stringify(payload);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) }).end(text);
  return true;
}
