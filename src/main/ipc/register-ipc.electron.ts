// Electron glue: every contract channel is answered by the one dispatcher, with the sender frame's URL.
import type { IpcMain } from 'electron';
import { ipcChannels } from '../../shared/ipc-contract';
import type { IpcDispatch } from './ipc-dispatcher';

export function registerElectronIpc(ipcMain: IpcMain, dispatch: IpcDispatch): void {
  for (const channel of ipcChannels) {
    // The webContents is the page: a proctor window opened again is a new one and signs in again.
    ipcMain.handle(channel, (event, payload: unknown) => dispatch(channel, payload, event.senderFrame?.url, `webcontents:${event.sender.id}`));
  }
}
