// Settings -> the configuration file. The same shape the headless gateway reads, so an exported file
// runs there unchanged, and the shape history keeps, so a rollback is an import of an older file.
import { CONFIG_FORMAT_VERSION, type ConfigFile } from '../../src-shared/schemas/config-file';
import type { Settings } from '../../src-shared/schemas/settings';

/** Where editors find the schema: `npm run gateway -- --print-config-schema > switchboard-config.schema.json`. */
export const CONFIG_SCHEMA_FILE = './switchboard-config.schema.json';

/** The whole configuration without keys (settings never hold one). */
export function exportConfig(settings: Settings): ConfigFile {
  return {
    $schema: CONFIG_SCHEMA_FILE,
    formatVersion: CONFIG_FORMAT_VERSION,
    connections: settings.connections.map((connection) => ({ ...connection })),
    primaryConnectionId: settings.primaryConnectionId,
    routing: settings.routing,
    agents: settings.agents,
    gateway: { allowedOrigins: settings.gateway.allowedOrigins },
  };
}

/** The text written to disk: stable key order (the settings' own), two-space indent, final newline. */
export function configFileText(config: ConfigFile): string {
  return `${JSON.stringify(config, null, 2)}\n`;
}
