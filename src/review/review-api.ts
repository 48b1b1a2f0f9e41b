// The console's one way to the data: supabase-js signs the reviewer in (Supabase Auth) and calls the
// `review` edge function, which reads and writes as that reviewer under row-level security. Every
// answer is checked here before a screen renders it.
import { createClient, FunctionsHttpError, type SupabaseClient } from '@supabase/supabase-js';
import { z } from 'zod';

export const consoleConfigSchema = z.object({ supabaseUrl: z.url(), publishableKey: z.string().min(1) });
export type ConsoleConfig = z.infer<typeof consoleConfigSchema>;

const isoTime = z.iso.datetime({ offset: true });

export const listedInterviewSchema = z.object({
  id: z.uuid(),
  status: z.string(),
  end_reason: z.string().nullable(),
  started_at: isoTime.nullable(),
  ended_at: isoTime.nullable(),
  scheduled_at: isoTime.nullable(),
  candidate: z.object({ name: z.string() }),
  position: z.object({ id: z.uuid(), title: z.string() }),
  review_status: z.enum(['pending', 'reviewed']),
  decisions: z.number().int(),
  last_decided_at: isoTime.nullable(),
});
export type ListedInterview = z.infer<typeof listedInterviewSchema>;

const listSchema = z.object({
  interviews: z.array(listedInterviewSchema),
  positions: z.array(z.object({ id: z.uuid(), title: z.string() })),
});
export type InterviewList = z.infer<typeof listSchema>;

export const transcriptEntrySchema = z.object({
  id: z.uuid(),
  seq: z.number().int(),
  speaker: z.enum(['candidate', 'interviewer']),
  text: z.string(),
  generated_text: z.string().nullable(),
  heard_ms: z.number().nullable(),
  heard_estimated: z.boolean().nullable().optional(),
  status: z.enum(['final', 'failed', 'interrupted']),
  timestamp: isoTime,
  confidence: z.number().nullable(),
  original_text: z.string().nullable(),
  original_status: z.string().nullable(),
  corrected_at: isoTime.nullable(),
});
export type TranscriptEntry = z.infer<typeof transcriptEntrySchema>;

export const competencySchema = z.object({
  key: z.string().min(1),
  name: z.string().optional(),
  score: z.number().nullable().optional(),
  scale_min: z.number().optional(),
  scale_max: z.number().optional(),
  rationale: z.string().optional(),
  evidence_seqs: z.array(z.number().int()).default([]),
});
export type Competency = z.infer<typeof competencySchema>;

/** The processing side's assessment row; only what the console shows is required of it. */
export const assessmentSchema = z.object({
  id: z.uuid(),
  status: z.string(),
  model: z.string().nullable().optional(),
  prompt_version: z.union([z.string(), z.number()]).nullable().optional(),
  rubric_version: z.union([z.string(), z.number()]).nullable().optional(),
  result: z.object({ competencies: z.array(competencySchema) }).nullable().optional(),
  failure_reason: z.string().nullable().optional(),
  created_at: z.string().nullable().optional(),
});
export type Assessment = z.infer<typeof assessmentSchema>;

export const decisionSchema = z.object({
  id: z.uuid(),
  assessment_id: z.uuid().nullable(),
  competency_key: z.string().nullable(),
  decision: z.enum(['confirm', 'override']),
  score: z.number().int().nullable(),
  note: z.string(),
  decided_by: z.uuid(),
  decided_by_email: z.string().nullable(),
  decided_at: isoTime,
});
export type Decision = z.infer<typeof decisionSchema>;

const detailSchema = z.object({
  interview: z.object({
    id: z.uuid(),
    status: z.string(),
    end_reason: z.string().nullable(),
    started_at: isoTime.nullable(),
    ended_at: isoTime.nullable(),
    scheduled_at: isoTime.nullable(),
    candidate: z.object({ name: z.string(), email: z.string() }),
    position: z.object({ id: z.uuid(), title: z.string(), plan: z.array(z.unknown()) }),
  }),
  transcript: z.array(transcriptEntrySchema),
  recording: z
    .object({ id: z.uuid(), video_id: z.string(), duration_ms: z.number(), file_url: z.url().nullable(), player_url: z.url() })
    .nullable(),
  report: z.object({ analytics: z.record(z.string(), z.unknown()).nullable().optional(), computed_at: z.string().nullable().optional() }).loose().nullable(),
  assessment: z.unknown().nullable(),
  jobs: z.array(z.object({ kind: z.unknown(), status: z.unknown(), last_error: z.unknown(), attempts: z.unknown() })),
  decisions: z.array(decisionSchema),
});
export type InterviewDetail = Omit<z.infer<typeof detailSchema>, 'assessment'> & {
  assessment: Assessment | null;
  /** Set when an assessment row came but does not have the documented shape. */
  assessmentUnreadable: boolean;
};

export interface ListFilters {
  from?: string;
  to?: string;
  position_id?: string;
  review_status?: 'pending' | 'reviewed';
}

export interface DecisionInput {
  interview_id: string;
  assessment_id: string | null;
  competency_key: string | null;
  decision: 'confirm' | 'override';
  score: number | null;
  note: string;
}

export class ReviewApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly status: number,
  ) {
    super(message);
  }
}

const errorBodySchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

export function createReviewApi(config: ConsoleConfig) {
  const client: SupabaseClient = createClient(config.supabaseUrl, config.publishableKey, {
    auth: { persistSession: true, autoRefreshToken: true, storageKey: 'review-console-auth' },
  });

  async function call<T>(body: Record<string, unknown>, schema: z.ZodType<T>): Promise<T> {
    const { data, error } = await client.functions.invoke('review', { body });
    if (error) {
      if (error instanceof FunctionsHttpError) {
        const response = error.context as Response;
        const parsed = errorBodySchema.safeParse(await response.json().catch(() => null));
        if (parsed.success) throw new ReviewApiError(parsed.data.error.message, parsed.data.error.code, response.status);
        throw new ReviewApiError('The server answered with an error.', 'http_error', response.status);
      }
      throw new ReviewApiError('The server could not be reached. Check the connection and try again.', 'network', 0);
    }
    const parsed = schema.safeParse(data);
    if (!parsed.success) throw new ReviewApiError('The server’s answer was not understood.', 'bad_answer', 200);
    return parsed.data;
  }

  return {
    async currentEmail(): Promise<string | null> {
      const { data } = await client.auth.getSession();
      return data.session?.user.email ?? null;
    },
    async signIn(email: string, password: string): Promise<void> {
      const { error } = await client.auth.signInWithPassword({ email, password });
      if (error) {
        // Auth answers 400 for wrong credentials; anything else (no answer, 5xx) is not the reviewer's mistake.
        const refused = error.status !== undefined && error.status >= 400 && error.status < 500;
        throw new ReviewApiError(error.message, refused ? 'sign_in_failed' : 'network', error.status ?? 0);
      }
    },
    async signOut(): Promise<void> {
      await client.auth.signOut();
    },
    list(filters: ListFilters): Promise<InterviewList> {
      return call({ action: 'list', ...filters }, listSchema);
    },
    async interview(id: string): Promise<InterviewDetail> {
      const detail = await call({ action: 'interview', interview_id: id }, detailSchema);
      const assessment = detail.assessment === null ? null : assessmentSchema.safeParse(detail.assessment);
      return {
        ...detail,
        assessment: assessment?.success ? assessment.data : null,
        assessmentUnreadable: assessment !== null && !assessment.success,
      };
    },
    async decide(input: DecisionInput): Promise<Decision[]> {
      const answer = await call({ action: 'decide', ...input }, z.object({ decisions: z.array(decisionSchema) }));
      return answer.decisions;
    },
  };
}

export type ReviewApi = ReturnType<typeof createReviewApi>;
