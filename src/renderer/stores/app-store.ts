import { create } from 'zustand';
import type { AppInfo } from '../../shared/ipc-contract';

type AppState =
  | { status: 'connecting' }
  | { status: 'ready'; info: AppInfo }
  | { status: 'failed'; message: string };

interface AppStore {
  state: AppState;
  ready(info: AppInfo): void;
  failed(message: string): void;
}

export const useAppStore = create<AppStore>((set) => ({
  state: { status: 'connecting' },
  ready: (info) => set({ state: { status: 'ready', info } }),
  failed: (message) => set({ state: { status: 'failed', message } }),
}));
