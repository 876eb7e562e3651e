import type { Connection } from '../../src-shared/schemas/connection';

import { looksLocal } from '../../src-shared/schemas/locality';

export { hostOf, isLocalHost, looksLocal } from '../../src-shared/schemas/locality';

/**
 * THE locality rule every local-only check asks: the user's word when they gave it (a tailnet GPU
 * box is local, a 127.0.0.1 proxy to a cloud is not), else the guess from the address.
 */
export function isLocalConnection(connection: Pick<Connection, 'baseUrl' | 'local'>): boolean {
  return connection.local ?? looksLocal(connection.baseUrl);
}
