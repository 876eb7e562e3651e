// The renderer is served from app://switchboard/ instead of file://, so 'self' in the CSP means the
// built renderer folder and nothing else on disk, and every response carries the CSP as a header.
import { readFile } from 'node:fs/promises';
import { extname, join, relative, isAbsolute } from 'node:path';
import type { Protocol } from 'electron';

export const APP_SCHEME = 'app';
export const APP_HOST = 'switchboard';
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** Only these types are served; anything else in the folder is not part of the page. */
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

export type AppFileLookup = { ok: true; filePath: string; contentType: string } | { ok: false; status: 400 | 403 | 404; reason: string };

const refused = (status: 400 | 403 | 404, reason: string): AppFileLookup => ({ ok: false, status, reason });

/**
 * Which file under `rootDirectory` an app:// URL names, or why none. Decides on the URL as it was
 * written (before any normalising), so `..`, `%2e%2e`, encoded slashes or backslashes, absolute or
 * drive paths and other hosts are refused rather than quietly turned into another path.
 */
export function appFileFor(requestUrl: string, rootDirectory: string): AppFileLookup {
  const match = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)/i.exec(requestUrl);
  if (!match || match[1]!.toLowerCase() !== APP_SCHEME) return refused(400, 'not an app:// address');
  if (match[2]!.toLowerCase() !== APP_HOST) return refused(403, `host '${match[2]}' is not ${APP_HOST}`);
  const rawPath = match[3] || '/';
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    return refused(400, 'the path is not valid percent-encoding');
  }
  if (path === '/') path = '/index.html';
  if (!path.startsWith('/')) return refused(400, 'the path must start with /');
  if (/[\\\0:]/.test(path)) return refused(403, 'the path holds a backslash, NUL or colon');
  const segments = path.slice(1).split('/');
  if (segments.some((segment) => segment === '' || segment === '.' || segment === '..')) {
    return refused(403, 'the path holds an empty, . or .. segment');
  }
  const filePath = join(rootDirectory, ...segments);
  const inside = relative(rootDirectory, filePath);
  if (!inside || inside.startsWith('..') || isAbsolute(inside)) return refused(403, 'the path leaves the renderer folder');
  const contentType = CONTENT_TYPES[extname(filePath).toLowerCase()];
  if (!contentType) return refused(404, `files of type '${extname(filePath) || '(none)'}' are not served`);
  return { ok: true, filePath, contentType };
}

export interface AppProtocolOptions {
  rootDirectory: string;
  contentSecurityPolicy: string;
  readFile?: (path: string) => Promise<Uint8Array>;
}

/** The protocol.handle handler: files of the built renderer, each with the CSP and no sniffing. */
export function createAppProtocolHandler(options: AppProtocolOptions): (request: Request) => Promise<Response> {
  const read = options.readFile ?? ((path: string) => readFile(path));
  const securityHeaders = {
    'Content-Security-Policy': options.contentSecurityPolicy,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-cache',
  };
  const plain = (status: number, text: string) =>
    new Response(text, { status, headers: { ...securityHeaders, 'Content-Type': 'text/plain; charset=utf-8' } });
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'Only GET and HEAD are served.');
    const lookup = appFileFor(request.url, options.rootDirectory);
    if (!lookup.ok) return plain(lookup.status, `Refused: ${lookup.reason}.`);
    let body: Uint8Array;
    try {
      body = await read(lookup.filePath);
    } catch {
      return plain(404, 'Not found.');
    }
    const headers = { ...securityHeaders, 'Content-Type': lookup.contentType };
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers });
  };
}

/** Before the app is ready: app:// behaves like https (standard URL rules, secure context, fetch). */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
  ]);
}

/** The dev server address only while developing; a packaged app always loads its own files. */
export function rendererUrlFor(options: { isPackaged: boolean; devServerUrl: string | undefined }): string {
  return !options.isPackaged && options.devServerUrl ? options.devServerUrl : APP_ENTRY_URL;
}
