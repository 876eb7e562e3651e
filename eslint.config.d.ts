import type { Linter } from 'eslint';

/** What each folder of src-main may import (see eslint.config.js). */
export declare const layers: Record<string, { folders: string[]; packages: string[] }>;
declare const config: Linter.Config[];
export default config;
