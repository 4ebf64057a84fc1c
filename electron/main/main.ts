/**
 * The Electron shell: one hardened window, the renderer from app://attest, and
 * the IPC wiring to the console core. Everything else lives in electron/core.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { app, BrowserWindow, dialog, ipcMain, Menu, Notification, protocol, session, type IpcMainInvokeEvent, type MenuItemConstructorOptions, type WebContents } from 'electron';
import type { IpcEventPayload, IpcResult } from '../../shared/ipc/contract';
import { resolveConfigDir } from '../core/config/console-config';
import { resolveConsoleSettings } from '../core/config/resolve-settings';
import type { ConsoleCore } from '../core/console-core';
import { createConsoleHost } from '../core/console-host';
import { lookupRendererAsset } from '../core/renderer-hosting/renderer-assets';
import { rendererSecurityHeaders } from '../core/renderer-hosting/security-headers';
import { createKeytarVault } from '../core/vault/keytar-vault';
import { createElectronPdfPrinter } from './pdf-printer';

const SCHEME = 'app';
const HOST = 'attest';
const START_URL = `${SCHEME}://${HOST}/`;
const INVOKE_CHANNEL = 'attest:invoke';
const EVENT_CHANNEL = 'attest:event';

// Must happen before `ready`: a standard, secure scheme gets an origin of its own,
// so 'self' in the CSP means app://attest and nothing else.
protocol.registerSchemesAsPrivileged([{ scheme: SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } }]);

let mainWindow: BrowserWindow | undefined;
let core: ConsoleCore | undefined;

const isAppUrl = (url: string): boolean => {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${SCHEME}:` && parsed.host === HOST;
  } catch {
    return false;
  }
};

/** Only the top frame of our own window, showing our own page, may call the core. */
function isTrustedSender(event: IpcMainInvokeEvent): boolean {
  const window = mainWindow;
  const frame = event.senderFrame;
  if (!window || window.isDestroyed() || !frame) return false;
  const top = window.webContents.mainFrame;
  return (
    event.sender === window.webContents &&
    frame.parent === null &&
    frame.processId === top.processId &&
    frame.routingId === top.routingId &&
    isAppUrl(frame.url)
  );
}

function hardenContents(contents: WebContents): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

function hardenSession(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  ses.on('will-download', (event) => event.preventDefault());
  // The renderer talks to the core over IPC only; it has no business on the network.
  ses.webRequest.onBeforeRequest({ urls: ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*', 'file:///*'] }, (_details, callback) =>
    callback({ cancel: true }),
  );
}

function serveRenderer(rendererDir: string): void {
  const headers = rendererSecurityHeaders();
  protocol.handle(SCHEME, async (request) => {
    const url = new URL(request.url);
    const plain = (status: number, text: string): Response =>
      new Response(text, { status, headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8' } });
    if (url.host !== HOST) return plain(404, 'Not found');
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'Method not allowed');
    const found = await lookupRendererAsset(rendererDir, url.pathname);
    if (found.kind === 'bad_request') return plain(400, 'Bad request');
    if (found.kind === 'not_found') return plain(404, 'Not found');
    return new Response(await readFile(found.path), {
      status: 200,
      headers: { ...headers, 'Content-Type': found.contentType, 'Cache-Control': found.isIndex ? 'no-store' : 'no-cache' },
    });
  });
}

const EXPORT_FILTERS: Readonly<Record<string, { name: string; extensions: string[] }>> = {
  csv: { name: 'CSV', extensions: ['csv'] },
  ndjson: { name: 'NDJSON', extensions: ['ndjson'] },
  md: { name: 'Markdown', extensions: ['md'] },
  pdf: { name: 'PDF', extensions: ['pdf'] },
};

/** The user picks where an export goes (audit log, incident document); the renderer never names a path. */
async function chooseExportPath(suggestedName: string): Promise<string | null> {
  const filter = EXPORT_FILTERS[suggestedName.slice(suggestedName.lastIndexOf('.') + 1)];
  const options = {
    title: 'Export',
    defaultPath: join(app.getPath('documents'), suggestedName),
    filters: filter ? [filter] : [],
    properties: ['createDirectory', 'showOverwriteConfirmation'] as Array<'createDirectory' | 'showOverwriteConfirmation'>,
  };
  const result = mainWindow && !mainWindow.isDestroyed() ? await dialog.showSaveDialog(mainWindow, options) : await dialog.showSaveDialog(options);
  return result.canceled || !result.filePath ? null : result.filePath;
}

/** The person picks a file in a dialog of the main process; the renderer never names a path. */
async function chooseFile(title: string, filter: { name: string; extensions: string[] }): Promise<string | null> {
  const options = { title, filters: [filter], properties: ['openFile'] as Array<'openFile'> };
  const result = mainWindow && !mainWindow.isDestroyed() ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options);
  return result.canceled ? null : (result.filePaths[0] ?? null);
}

/** A trust page (HTML, Markdown or snapshot.json) to verify. */
const chooseTrustPageFile = (): Promise<string | null> => chooseFile('Verify a trust page', { name: 'Trust page', extensions: ['html', 'htm', 'md', 'json'] });

/** The connection file the person's admin gave them. */
const chooseConnectionFile = (): Promise<string | null> => chooseFile('Open connection file', { name: 'Attest connection', extensions: ['json'] });

/** The standard menus, and File → Connect to another service…, which the page answers with its Connect screen. */
function installAppMenu(): void {
  const chooseService = (): void => {
    if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(EVENT_CHANNEL, 'service.choose', {} satisfies IpcEventPayload<'service.choose'>);
  };
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [{ label: 'Connect to another service…', click: chooseService }, { type: 'separator' }, { role: process.platform === 'darwin' ? 'close' : 'quit' }],
    },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Attest',
    webPreferences: {
      preload: join(__dirname, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      // A middle click on a link would otherwise try to open it in a new window (denied anyway, below).
      disableBlinkFeatures: 'Auxclick',
      devTools: !app.isPackaged,
    },
  });
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = undefined;
  });
  void window.loadURL(START_URL);
  return window;
}

async function start(): Promise<void> {
  const flags = parseArgs({
    args: process.argv.slice(app.isPackaged ? 1 : 2),
    options: { 'service-url': { type: 'string' }, fingerprint: { type: 'string' }, 'config-dir': { type: 'string' } },
    strict: false,
    allowPositionals: true,
  }).values;
  const configDir = resolveConfigDir(typeof flags['config-dir'] === 'string' ? flags['config-dir'] : undefined);
  const settings = await resolveConsoleSettings(configDir, {
    serviceUrl: typeof flags['service-url'] === 'string' ? flags['service-url'] : undefined,
    fingerprint: typeof flags.fingerprint === 'string' ? flags.fingerprint : undefined,
  });

  hardenSession();
  serveRenderer(join(app.getAppPath(), 'renderer', 'dist'));
  const consoleCore = createConsoleHost({
    settings,
    configDir,
    chooseConnectionFile,
    vault: createKeytarVault(),
    mode: 'electron',
    version: app.getVersion(),
    chooseExportPath: chooseExportPath,
    chooseOpenPath: chooseTrustPageFile,
    pdfPrinter: createElectronPdfPrinter(),
  });
  core = consoleCore;

  ipcMain.handle(INVOKE_CHANNEL, async (event, channel: unknown, input: unknown): Promise<IpcResult<unknown>> => {
    if (!isTrustedSender(event)) {
      return { ok: false, error: { code: 'forbidden', message: 'This frame may not call the Attest console.' } };
    }
    return consoleCore.dispatch(channel, input);
  });
  consoleCore.subscribe((event, payload) => {
    if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(EVENT_CHANNEL, event, payload);
    if (event === 'incidents.alert' && Notification.isSupported()) {
      const alert = payload as IpcEventPayload<'incidents.alert'>;
      const notification = new Notification({ title: alert.title, body: alert.message, urgency: alert.kind === 'deadline_amber' ? 'critical' : 'normal' });
      notification.on('click', () => {
        if (!mainWindow || mainWindow.isDestroyed()) return;
        if (mainWindow.isMinimized()) mainWindow.restore();
        mainWindow.show();
        mainWindow.focus();
        mainWindow.webContents.send(EVENT_CHANNEL, 'incidents.open', { incidentId: alert.incidentId } satisfies IpcEventPayload<'incidents.open'>);
      });
      notification.show();
    }
  });

  installAppMenu();
  mainWindow = createWindow();
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('web-contents-created', (_event, contents) => hardenContents(contents));
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('activate', () => {
    if (core && !mainWindow) mainWindow = createWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', () => {
    void core?.close();
  });
  app.whenReady().then(start).catch(fail);
}

function fail(error: unknown): void {
  dialog.showErrorBox('Attest cannot start', error instanceof Error ? error.message : String(error));
  app.exit(1);
}
