// The transcript as the candidate sees it: ordered turns with live text and a saved mark.
import { create } from 'zustand';
import type { TranscriptTurn } from '../realtime/transcript-assembler';

interface TranscriptStore {
  turns: TranscriptTurn[];
  /** Entries handed to main and not yet acknowledged as durable. */
  unsaved: number;
  /** `unsaved` defaults to a count over `turns`; the assembler passes its own running count. */
  show(turns: TranscriptTurn[], unsaved?: number): void;
  clear(): void;
}

export const useTranscriptStore = create<TranscriptStore>((set) => ({
  turns: [],
  unsaved: 0,
  show: (turns, unsaved) => set({ turns, unsaved: unsaved ?? turns.reduce((count, turn) => count + (turn.entry && !turn.saved ? 1 : 0), 0) }),
  clear: () => set({ turns: [], unsaved: 0 }),
}));
