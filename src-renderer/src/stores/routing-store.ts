import { create } from 'zustand';
import type { RoutePlan, RouteRequest } from '../../../src-shared/schemas/route-plan';
import { api } from '../lib/api-client';

/** The Route preview: main decides against the draft when there is one (config-draft-store). */
export interface RoutingState {
  preview: RoutePlan | null;
  previewError: string | null;
  runPreview(request: RouteRequest): Promise<void>;
}

export const useRoutingStore = create<RoutingState>()((set) => ({
  preview: null,
  previewError: null,
  async runPreview(request) {
    const result = await api.routing.preview(request);
    if (result.ok) set({ preview: result.value, previewError: null });
    else set({ preview: null, previewError: result.error.message });
  },
}));
