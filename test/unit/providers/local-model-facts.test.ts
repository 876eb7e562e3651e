import { describe, expect, it } from 'vitest';
import { parseLmStudioModels } from '../../../src-main/providers/openai-compatible/lmstudio-native';
import { parseOllamaShow } from '../../../src-main/providers/ollama/ollama-show';

describe('facts a local server reports', () => {
  it('Ollama /api/show: capabilities, context length from model_info, details', () => {
    const facts = parseOllamaShow({
      details: { family: 'qwen25vl', parameter_size: '8.3B', quantization_level: 'Q4_K_M' },
      model_info: { 'general.architecture': 'qwen25vl', 'qwen25vl.context_length': 128_000 },
      capabilities: ['completion', 'vision', 'tools', 'thinking'],
    });
    expect(facts).toEqual({
      capabilities: { text: true, vision: true, tools: true, reasoning: true, structuredOutput: true },
      contextWindow: 128_000,
      family: 'qwen25vl',
      parameterSize: '8.3B',
      quantization: 'Q4_K_M',
    });
  });

  it('an Ollama too old to list capabilities leaves them unknown, not "no"', () => {
    expect(parseOllamaShow({ details: {}, model_info: {} })).toEqual({
      capabilities: {},
      family: null,
      parameterSize: null,
      quantization: null,
    });
  });

  it('an embedding-only Ollama model cannot chat', () => {
    expect(parseOllamaShow({ capabilities: ['embedding'] }).capabilities).toMatchObject({ text: false, vision: false });
  });

  it('LM Studio /api/v0/models: vlm sees images, context and quantization, load state; embeddings left out', () => {
    const models = parseLmStudioModels(
      {
        object: 'list',
        data: [
          {
            id: 'qwen2-vl-7b-instruct',
            type: 'vlm',
            arch: 'qwen2_vl',
            quantization: '4bit',
            state: 'not-loaded',
            max_context_length: 32_768,
          },
          {
            id: 'meta-llama-3.1-8b-instruct',
            type: 'llm',
            arch: 'llama',
            quantization: 'Q4_K_M',
            state: 'loaded',
            max_context_length: 131_072,
          },
          { id: 'text-embedding-nomic-embed-text-v1.5', type: 'embeddings', state: 'not-loaded', max_context_length: 2048 },
        ],
      },
      'http://127.0.0.1:1234/api/v0/models',
    );
    expect(models).toEqual([
      {
        id: 'qwen2-vl-7b-instruct',
        capabilities: { text: true, vision: true },
        contextWindow: 32_768,
        local: { family: 'qwen2_vl', parameterSize: null, quantization: '4bit', sizeBytes: null },
        loaded: false,
      },
      {
        id: 'meta-llama-3.1-8b-instruct',
        capabilities: { text: true, vision: false },
        contextWindow: 131_072,
        local: { family: 'llama', parameterSize: null, quantization: 'Q4_K_M', sizeBytes: null },
        loaded: true,
      },
    ]);
  });
});
