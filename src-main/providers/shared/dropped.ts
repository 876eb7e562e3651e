/** How dropped reasoning blocks are named in `x-switchboard-dropped` and the call log. */
export const droppedReasoningName = 'reasoning blocks';
