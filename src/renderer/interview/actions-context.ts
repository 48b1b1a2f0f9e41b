// Screens reach the interview controller through this context, so tests can hand them fakes.
import { createContext, useContext } from 'react';
import type { InterviewActions } from './interview-controller';

export const ActionsContext = createContext<InterviewActions | null>(null);

export function useInterviewActions(): InterviewActions {
  const actions = useContext(ActionsContext);
  if (!actions) throw new Error('Interview screens need an ActionsContext provider.');
  return actions;
}
