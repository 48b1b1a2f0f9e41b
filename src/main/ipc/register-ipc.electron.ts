// Electron glue: every contract channel is answered by the one dispatcher, with the sender frame's URL.
import type { IpcMain } from 'electron';
import { ipcChannels } from '../../shared/ipc-contract';
import type { IpcDispatch } from './ipc-dispatcher';
import { isProctorPage } from '../window/renderer-protocol';

export function registerElectronIpc(ipcMain: IpcMain, dispatch: IpcDispatch): void {
  for (const channel of ipcChannels) {
    // The desktop app has one proctor window, opened only from the kiosk's own tray, and it closes
    // itself after a start so it never covers the candidate: the sign-in belongs to that window
    // whichever instance is open (the tray signs out). Any other page is its webContents.
    ipcMain.handle(channel, (event, payload: unknown) => {
      const url = event.senderFrame?.url;
      const page = url !== undefined && isProctorPage(url) ? 'electron:proctor-window' : `webcontents:${event.sender.id}`;
      return dispatch(channel, payload, url, page);
    });
  }
}
