import { describe, expect, it } from 'vitest';
import { incidentLinkOf } from './incidentSelection';

describe('links to an incident', () => {
  it('reads ?incident=<uuid> and nothing else', () => {
    expect(incidentLinkOf('?incident=7D0C4C1E-8F5E-4A57-9A43-4F3C2B1A0E9D')).toBe('7d0c4c1e-8f5e-4a57-9a43-4f3c2b1a0e9d');
    expect(incidentLinkOf('?incident=../../etc')).toBeNull();
    expect(incidentLinkOf('?other=1')).toBeNull();
    expect(incidentLinkOf('')).toBeNull();
  });
});
