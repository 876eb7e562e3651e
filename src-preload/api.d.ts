import type { SwitchboardApi } from '../src-shared/contract/ipc-contract';

declare global {
  interface Window {
    /** Built by the preload from the IPC contract. Use it only through src-renderer/src/lib/api-client.ts. */
    readonly api: SwitchboardApi;
  }
}

export {};
