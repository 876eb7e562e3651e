import type { Connection } from '../../src-shared/schemas/connection';
import type { SettingsService } from '../settings/settings-service';

/**
 * Connections by id, indexed once per settings change (a change replaces the array) rather than
 * searched on every look-up: each call looks up every one of its candidates. The first of a
 * repeated id wins, as with `find`.
 */
export function createConnectionLookup(settings: Pick<SettingsService, 'get'>): (id: string) => Connection | undefined {
  let indexed: { source: readonly Connection[]; byId: Map<string, Connection> } | null = null;
  return (id) => {
    const connections = settings.get().connections;
    if (indexed?.source !== connections) {
      const byId = new Map<string, Connection>();
      for (const connection of connections) if (!byId.has(connection.id)) byId.set(connection.id, connection);
      indexed = { source: connections, byId };
    }
    return indexed.byId.get(id);
  };
}
