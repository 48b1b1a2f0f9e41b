// The review console's interview screen over a fake review API: how each kind of transcript line
// reads, where an evidence link lands, and what a decision sends.
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { InterviewScreen } from '../../src/review/InterviewScreen';
import type { Decision, InterviewDetail, ReviewApi } from '../../src/review/review-api';

const interviewId = '00000000-0000-4000-8000-000000000504';
const assessmentId = '00000000-0000-4000-8000-0000000009a1';
const start = Date.parse('2026-12-03T10:00:00.000Z');
const at = (ms: number) => new Date(start + ms).toISOString();

function entry(seq: number, speaker: 'candidate' | 'interviewer', text: string, extra: Partial<InterviewDetail['transcript'][number]> = {}) {
  return {
    id: `00000000-0000-4000-8000-${String(700 + seq).padStart(12, '0')}`,
    seq,
    speaker,
    text,
    generated_text: null,
    heard_ms: null,
    heard_estimated: false,
    status: 'final' as const,
    timestamp: at(seq * 65_000),
    confidence: null,
    original_text: null,
    original_status: null,
    corrected_at: null,
    ...extra,
  };
}

function detail(): InterviewDetail {
  return {
    interview: {
      id: interviewId,
      status: 'completed',
      end_reason: 'completed',
      started_at: at(0),
      ended_at: at(600_000),
      scheduled_at: at(0),
      candidate: { name: 'Ada Lovelace', email: 'ada@candidates.example' },
      position: { id: '00000000-0000-4000-8000-000000000302', title: 'Customer Support Specialist', plan: [] },
    },
    transcript: [
      entry(0, 'interviewer', 'Tell me about a difficult customer.'),
      entry(1, 'candidate', 'A customer whose order was lost twice.'),
      entry(2, 'interviewer', 'What did you', { status: 'interrupted', generated_text: 'What did you do first, and why?', heard_ms: 900 }),
      entry(3, 'candidate', '', { status: 'failed' }),
      entry(4, 'candidate', 'I listened first.', { corrected_at: at(300_000), original_text: '', original_status: 'failed' }),
    ],
    recording: null,
    report: null,
    assessment: {
      id: assessmentId,
      status: 'suggested',
      model: 'stand-in-model',
      prompt_version: 'p1',
      rubric_version: 'r1',
      result: {
        competencies: [
          { key: 'empathy', name: 'Empathy', score: 4, scale_min: 1, scale_max: 5, rationale: 'Listens first.', evidence_seqs: [4, 2] },
        ],
      },
    },
    assessmentUnreadable: false,
    jobs: [{ kind: 'report', status: 'failed', last_error: 'transcript has a gap', attempts: 3 }],
    decisions: [],
  };
}

function fakeApi(answer: InterviewDetail) {
  const decided: Decision = {
    id: '00000000-0000-4000-8000-0000000009d1',
    assessment_id: assessmentId,
    competency_key: 'empathy',
    decision: 'override',
    score: 2,
    note: 'Too quick to apologise',
    decided_by: '00000000-0000-4000-8000-000000000209',
    decided_by_email: 'reviewer@demo.example',
    decided_at: at(700_000),
  };
  return {
    interview: vi.fn(async () => answer),
    decide: vi.fn(async () => [decided]),
  } as unknown as ReviewApi & { decide: ReturnType<typeof vi.fn> };
}

afterEach(cleanup);

describe('review console: one interview', () => {
  it('shows each line with its time from the start, speaker and what was heard', async () => {
    render(<InterviewScreen api={fakeApi(detail())} id={interviewId} onAuthError={() => undefined} />);
    const transcript = await screen.findByTestId('transcript');
    const lines = within(transcript).getAllByRole('listitem');
    expect(lines).toHaveLength(5);
    expect(lines[1]!.textContent).toContain('01:05');
    expect(lines[1]!.textContent).toContain('Candidate');
    expect(lines[2]!.textContent).toContain('Interrupted — heard What did you');
    expect(lines[2]!.querySelector('.generated')!.textContent).toContain('What did you do first, and why?');
    expect(lines[3]!.textContent).toContain('Not transcribed');
    expect(lines[4]!.textContent).toContain('Corrected by a late transcription (was failed');
    // No recording: the times are shown, not offered as buttons that would do nothing.
    expect(within(lines[0]!).queryByRole('button')).toBeNull();
    expect(screen.getByText('No recording for this interview.')).toBeTruthy();
    expect(screen.getByTestId('report-not-ready')).toBeTruthy();
    expect(screen.getByText(/transcript has a gap/).textContent).toContain('transcript has a gap');
  });

  it('links evidence to candidate lines only, and lands on the line it names', async () => {
    render(<InterviewScreen api={fakeApi(detail())} id={interviewId} onAuthError={() => undefined} />);
    const toCandidate = await screen.findByRole('button', { name: 'Show transcript line 4' });
    const toInterviewer = screen.getByRole('button', { name: 'Show transcript line 2 (not a candidate line)' });
    expect((toInterviewer as HTMLButtonElement).disabled).toBe(true);
    Element.prototype.scrollIntoView = vi.fn();
    fireEvent.click(toCandidate);
    const line = document.getElementById('line-4')!;
    expect(line.className).toContain('highlighted');
    expect(document.activeElement).toBe(line);
  });

  it('sends an override with its score and note, for the assessment shown, and lists it', async () => {
    const api = fakeApi(detail());
    render(<InterviewScreen api={api} id={interviewId} onAuthError={() => undefined} />);
    const empathy = (await screen.findByRole('heading', { name: 'Empathy' })).closest('article')!;
    fireEvent.click(within(empathy).getByLabelText('Override'));
    fireEvent.change(within(empathy).getByLabelText('Your score'), { target: { value: '2' } });
    fireEvent.change(within(empathy).getByLabelText('Why (required)'), { target: { value: 'Too quick to apologise' } });
    await act(async () => {
      fireEvent.click(within(empathy).getByRole('button', { name: 'Record decision' }));
    });
    expect(api.decide).toHaveBeenCalledWith({
      interview_id: interviewId,
      assessment_id: assessmentId,
      competency_key: 'empathy',
      decision: 'override',
      score: 2,
      note: 'Too quick to apologise',
    });
    expect(within(empathy).getByRole('status').textContent).toBe('Decision recorded.');
    expect(within(empathy).getByRole('list', { name: /Decisions recorded on Empathy/ }).textContent).toContain('Overridden to 2 by reviewer@demo.example');
  });

  it('offers only a decision of the reviewer’s own when there is no suggestion', async () => {
    const answer = { ...detail(), assessment: null };
    render(<InterviewScreen api={fakeApi(answer)} id={interviewId} onAuthError={() => undefined} />);
    expect((await screen.findByTestId('no-assessment')).textContent).toBe('No AI assessment for this interview.');
    expect(screen.queryByLabelText('Confirm the suggestion')).toBeNull();
    expect(screen.getByLabelText('Why (required)')).toBeTruthy();
  });
});
