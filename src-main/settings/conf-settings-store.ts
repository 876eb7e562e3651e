import Conf from 'conf';
import type { Settings } from '../../src-shared/schemas/settings';
import type { CreateStore } from './settings-service';

/** The same file format as electron-store (which wraps conf), for the headless gateway without Electron. */
export const createConfSettingsStore: CreateStore = ({ cwd, name }) =>
  new Conf<Settings>({
    cwd,
    configName: name,
    projectName: 'switchboard',
    clearInvalidConfig: false,
    accessPropertiesByDotNotation: false,
  });
