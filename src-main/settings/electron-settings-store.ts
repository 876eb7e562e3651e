import Store from 'electron-store';
import type { Settings } from '../../src-shared/schemas/settings';
import type { CreateStore } from './settings-service';

/** electron-store persists atomically; validation and migrations are ours (zod). */
export const createElectronSettingsStore: CreateStore = ({ cwd, name }) =>
  new Store<Settings>({ cwd, name, clearInvalidConfig: false, accessPropertiesByDotNotation: false });
