import { Notification } from 'electron';

/** Shows a notification from the operating system; a click runs `onClick` (bring the window and the page forward). */
export function showOsNotification(alert: { title: string; body: string }, onClick: () => void): void {
  if (!Notification.isSupported()) return;
  const notification = new Notification({ title: alert.title, body: alert.body, silent: false });
  notification.on('click', onClick);
  notification.show();
}
