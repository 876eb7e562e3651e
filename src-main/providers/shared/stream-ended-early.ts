/** The provider closed a stream cleanly but before its final event: the answer is incomplete. */
export class StreamEndedEarly extends Error {
  constructor() {
    super('The stream ended before the answer finished.');
    this.name = 'StreamEndedEarly';
  }
}
