import { Menu, type MenuItemConstructorOptions } from 'electron';

export interface AppMenuOptions {
  platform: NodeJS.Platform;
  /** A packaged build: no reload and no DevTools in the menu (nor their shortcuts). */
  isPackaged: boolean;
}

/** The View menu: zoom and full screen for everyone; reload and DevTools only while developing. */
function viewMenu(isPackaged: boolean): MenuItemConstructorOptions {
  if (!isPackaged) return { role: 'viewMenu' };
  return {
    label: 'View',
    submenu: [{ role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }],
  };
}

export function appMenuTemplate(options: AppMenuOptions, actions: { openSettings(): void }): MenuItemConstructorOptions[] {
  const isMac = options.platform === 'darwin';
  return [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Settings…', accelerator: 'CmdOrCtrl+,', click: actions.openSettings },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    viewMenu(options.isPackaged),
    { role: 'windowMenu' },
  ];
}

export function installAppMenu(options: AppMenuOptions, actions: { openSettings(): void }): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate(options, actions)));
}
