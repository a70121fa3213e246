import { describe, expect, it } from 'vitest';
import { InteractionBacklog } from '../../src/discord/backlog.js';

describe('InteractionBacklog', () => {
  it('GIVEN an interaction received THEN it is busy until the interaction is answered', () => {
    const backlog = new InteractionBacklog(1_000, () => 0);
    expect(backlog.busy()).toBe(false);
    backlog.received('111');
    backlog.received('222');
    expect(backlog.busy()).toBe(true);
    backlog.answered('111');
    expect(backlog.busy()).toBe(true);
    backlog.answered('222');
    expect(backlog.busy()).toBe(false);
  });

  it('GIVEN REST request paths THEN only an interaction callback counts as its answer', () => {
    const backlog = new InteractionBacklog(1_000, () => 0);
    backlog.received('1234567890');
    backlog.answeredByRequest('/channels/1234567890/messages');
    backlog.answeredByRequest('/webhooks/99/token/messages/@original');
    expect(backlog.busy()).toBe(true);
    backlog.answeredByRequest('/interactions/1234567890/aW50ZXJhY3Rpb24.token/callback');
    expect(backlog.busy()).toBe(false);
  });

  it('GIVEN an interaction never answered THEN it stops holding once its hold is over', () => {
    let now = 0;
    const backlog = new InteractionBacklog(1_000, () => now);
    backlog.received('111');
    now = 999;
    expect(backlog.busy()).toBe(true);
    now = 1_000;
    expect(backlog.busy()).toBe(false);
    backlog.received('222');
    expect(backlog.busy()).toBe(true);
  });
});
