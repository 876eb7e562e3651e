import { BrowserWindow, screen } from 'electron';
import type { WindowState } from '../../src-shared/schemas/settings';
import { secureWebPreferences } from './security';

export interface MainWindowOptions {
  preloadPath: string;
  rendererUrl: string;
  /** DevTools can be opened (development builds only). */
  devTools: boolean;
  savedState: WindowState | null;
  dark: boolean;
  onStateChange(state: WindowState): void;
}

const DEFAULT_SIZE = { width: 1200, height: 800 };

/** Keeps the saved position only when it is still on a connected display. */
function visibleBounds(state: WindowState | null): Partial<WindowState> {
  if (!state) return DEFAULT_SIZE;
  const { x, y, width, height } = state;
  if (x === undefined || y === undefined) return { width, height };
  const onScreen = screen
    .getAllDisplays()
    .some(
      ({ workArea }) => x >= workArea.x - 50 && y >= workArea.y - 50 && x < workArea.x + workArea.width && y < workArea.y + workArea.height,
    );
  return onScreen ? { x, y, width, height } : { width, height };
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    ...visibleBounds(options.savedState),
    minWidth: 760,
    minHeight: 520,
    show: false,
    title: 'Switchboard',
    backgroundColor: options.dark ? '#16181d' : '#ffffff',
    webPreferences: secureWebPreferences(options.preloadPath, { devTools: options.devTools }),
  });
  if (options.savedState?.maximized) window.maximize();
  window.once('ready-to-show', () => window.show());

  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  const saveState = () => {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(() => {
      if (window.isDestroyed()) return;
      const bounds = window.getNormalBounds();
      options.onStateChange({ ...bounds, maximized: window.isMaximized() });
    }, 400);
  };
  window.on('resize', saveState);
  window.on('move', saveState);
  window.on('close', () => {
    clearTimeout(saveTimer);
    const bounds = window.getNormalBounds();
    options.onStateChange({ ...bounds, maximized: window.isMaximized() });
  });

  void window.loadURL(options.rendererUrl);
  return window;
}
