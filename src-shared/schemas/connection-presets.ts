import type { ProviderKind } from './connection';

/** A ready-filled Add provider form for a server that speaks an existing kind's wire format. */
export interface ConnectionPreset {
  id: string;
  /** What the provider list shows. */
  label: string;
  kind: ProviderKind;
  name: string;
  baseUrl: string;
  /** Shown under the provider list in place of the kind's own hint. */
  hint: string;
  /**
   * The user's word on locality, set by the preset: a LiteLLM proxy on localhost still sends
   * the work on to cloud providers, so it must not count as local for local-only agents.
   */
  local: boolean;
}

export const connectionPresets: readonly ConnectionPreset[] = [
  {
    id: 'litellm',
    label: 'LiteLLM proxy (a shared team gateway)',
    kind: 'custom',
    name: 'LiteLLM proxy',
    baseUrl: 'http://localhost:4000/v1',
    hint: 'Start it with "litellm --config config.yaml" (Export for LiteLLM in Settings writes one); paste its master key if it has one, then Find models lists its agent/, tier/ and route/ models.',
    local: false,
  },
];
