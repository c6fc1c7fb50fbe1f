import { EXIT } from './errors.js';

/** Set by the first Ctrl-C (SIGINT): the training loop stops at the next step boundary. */
export interface Interrupt {
  readonly requested: boolean;
  /** Stops listening for SIGINT. */
  dispose(): void;
}

/**
 * Listens for SIGINT. The first one asks the run to stop after the current
 * step and write a checkpoint (the loop yields to the event loop between
 * steps, so the signal is seen within one step); a second one exits at once
 * with code 130, leaving the last checkpoint as it was.
 */
export function listenForInterrupt(onFirst: () => void): Interrupt {
  const state = { requested: false };
  const handler = (): void => {
    if (state.requested) process.exit(EXIT.interrupted);
    state.requested = true;
    onFirst();
  };
  process.on('SIGINT', handler);
  return {
    get requested() {
      return state.requested;
    },
    dispose: () => void process.off('SIGINT', handler),
  };
}
