// Which interviews this kiosk has run and which one is active, kept in the local database so a
// renderer crash or a restart resumes the same interview with the right next seq, the room's start
// time and the transcript so far.
import { z } from 'zod';
import { interviewLaunchSchema, type InterviewLaunch } from '../../shared/domain/interview';
import { transcriptEntrySchema, type TranscriptEntry } from '../../shared/domain/transcript';
import type { KioskDatabase } from '../platform/kiosk-database';

export interface InterviewRecord {
  launch: InterviewLaunch;
  state: 'active' | 'ended';
  maxSeq: number;
  /** When the candidate entered the room (ISO), as the kiosk window reported it; null before. */
  roomStartedAt: string | null;
}

export interface InterviewRegistry {
  activate(launch: InterviewLaunch): void;
  active(): InterviewRecord | null;
  get(interviewId: string): InterviewRecord | null;
  markEnded(interviewId: string): void;
  /** Records the room's start once; later calls leave the first value. Returns the value kept. */
  roomOpened(interviewId: string, startedAt: string): string;
  /** Keeps committed entries for a resume: a new seq adds a row, a correction replaces its stand-in's row. */
  saveTranscript(interviewId: string, entries: readonly TranscriptEntry[]): void;
  /** The kept entries in seq order. */
  transcript(interviewId: string): TranscriptEntry[];
}

interface Row {
  launch: string;
  state: 'active' | 'ended';
  max_seq: number;
  room_started_at: string | null;
}

const isoSchema = z.iso.datetime({ offset: true });

export function createInterviewRegistry(db: KioskDatabase, clock: { now(): number }): InterviewRegistry {
  const toRecord = (row: Row | undefined): InterviewRecord | null =>
    row
      ? {
          launch: interviewLaunchSchema.parse(JSON.parse(row.launch)),
          state: row.state,
          maxSeq: row.max_seq,
          roomStartedAt: isoSchema.safeParse(row.room_started_at).data ?? null,
        }
      : null;
  const upsert = db.prepare(
    `insert into interviews (id, launch, state, started_at) values (?, ?, 'active', ?)
     on conflict (id) do update set launch = excluded.launch, state = 'active', ended_at = null`,
  );
  const endOthers = db.prepare("update interviews set state = 'ended', ended_at = ? where state = 'active' and id <> ?");
  const columns = 'launch, state, max_seq, room_started_at';
  const selectActive = db.prepare<[], Row>(`select ${columns} from interviews where state = 'active' order by started_at desc limit 1`);
  const selectOne = db.prepare<[string], Row>(`select ${columns} from interviews where id = ?`);
  const endOne = db.prepare("update interviews set state = 'ended', ended_at = ? where id = ?");
  const setRoomStart = db.prepare('update interviews set room_started_at = coalesce(room_started_at, ?) where id = ?');
  const selectRoomStart = db.prepare<[string], { room_started_at: string | null }>('select room_started_at from interviews where id = ?');
  // A new seq is inserted; an existing one is replaced only by the correction of the entry it holds,
  // so a replayed append is a no-op and a stray entry cannot overwrite a turn.
  const saveEntry = db.prepare(
    `insert into interview_transcript (interview_id, seq, entry_id, entry) values (@interviewId, @seq, @id, @entry)
     on conflict (interview_id, seq) do update set entry_id = excluded.entry_id, entry = excluded.entry
     where interview_transcript.entry_id = @corrects`,
  );
  const selectEntries = db.prepare<[string], { entry: string }>('select entry from interview_transcript where interview_id = ? order by seq');
  // Only the running interview is ever resumed; an ended one's words live on the server (and in the outbox until sent).
  const forgetEnded = db.prepare("delete from interview_transcript where interview_id in (select id from interviews where state = 'ended')");
  return {
    activate: db.transaction((launch: InterviewLaunch) => {
      // One kiosk runs one interview at a time.
      endOthers.run(clock.now(), launch.interviewSessionId);
      upsert.run(launch.interviewSessionId, JSON.stringify(launch), clock.now());
      forgetEnded.run();
    }),
    active() {
      return toRecord(selectActive.get());
    },
    get(interviewId) {
      return toRecord(selectOne.get(interviewId));
    },
    markEnded: db.transaction((interviewId: string) => {
      endOne.run(clock.now(), interviewId);
      forgetEnded.run();
    }),
    roomOpened: db.transaction((interviewId: string, startedAt: string) => {
      setRoomStart.run(isoSchema.parse(startedAt), interviewId);
      const kept = selectRoomStart.get(interviewId)?.room_started_at;
      if (!kept) throw new Error(`no interview ${interviewId} to open the room of`);
      return kept;
    }),
    saveTranscript: db.transaction((interviewId: string, entries: readonly TranscriptEntry[]) => {
      for (const raw of entries) {
        const entry = transcriptEntrySchema.parse(raw);
        saveEntry.run({ interviewId, seq: entry.seq, id: entry.id, entry: JSON.stringify(entry), corrects: entry.corrects ?? null });
      }
    }),
    transcript(interviewId) {
      // A row that no longer reads as an entry is left out rather than failing the whole resume.
      return selectEntries
        .all(interviewId)
        .flatMap((row) => {
          try {
            const parsed = transcriptEntrySchema.safeParse(JSON.parse(row.entry));
            return parsed.success ? [parsed.data] : [];
          } catch {
            return [];
          }
        });
    },
  };
}
