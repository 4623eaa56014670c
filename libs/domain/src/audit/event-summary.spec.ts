import { summarizeEvent } from './event-summary';

describe('summarizeEvent', () => {
  it('names the published tender with its number, title, lots and value', () => {
    const summary = summarizeEvent('tender.published', {
      tender: {
        number: 'MTP-2026-000001',
        title: 'Paper, "A4"',
        lots: [{}, {}],
        value: { amount: '100.00', currency: 'RUB' },
      },
    });
    expect(summary).toBe('Published MTP-2026-000001: Paper, "A4"; 2 lot(s), value 100.00 RUB');
  });

  it('says when what was published is a direct purchase, naming its supplier and reason, or a quotation session', () => {
    const tender = {
      number: 'MTP-2026-000002',
      title: 'Heat',
      lots: [{}],
      value: { amount: '10.00', currency: 'RUB' },
    };
    expect(
      summarizeEvent('tender.published', {
        tender: { ...tender, method: 'direct', directAward: { supplierId: 's1', reason: 'sole_supplier' } },
      }),
    ).toBe(
      'Published MTP-2026-000002: Heat; 1 lot(s), value 10.00 RUB; direct purchase from supplier s1 (sole_supplier)',
    );
    expect(summarizeEvent('tender.published', { tender: { ...tender, method: 'quotation' } })).toBe(
      'Published MTP-2026-000002: Heat; 1 lot(s), value 10.00 RUB; quotation session',
    );
  });

  it('shows a sealed bid only by its commitment', () => {
    expect(summarizeEvent('bid.submitted', { commitment: 'ab12' })).toBe(
      'Sealed bid submitted, commitment ab12',
    );
  });

  it('names the amendment whose terms a confirmation accepted, when the event says', () => {
    expect(summarizeEvent('bid.confirmed', { commitment: 'ab12', amendment: 2 })).toBe(
      'Sealed bid confirmed, commitment ab12, under the terms of amendment 2',
    );
    expect(summarizeEvent('bid.confirmed', { commitment: 'ab12' })).toBe(
      'Sealed bid confirmed, commitment ab12',
    );
  });

  it('says when an award was accepted by the rule rather than by the buyer', () => {
    expect(summarizeEvent('award.accepted', { awardId: 'a1', lotId: 'l1', automatic: true })).toBe(
      'Award a1 accepted automatically (lowest price of a quotation session): lot l1',
    );
    expect(summarizeEvent('award.accepted', { awardId: 'a1', lotId: 'l1' })).toBe(
      'Award a1 accepted: lot l1',
    );
  });

  it('summarises a closing lot by lot', () => {
    const summary = summarizeEvent('tender.closed', {
      status: 'active.qualification',
      rule: 'lowest price',
      lots: [{ lotId: 'L1', status: 'active', bids: 2 }],
    });
    expect(summary).toBe('Closed: active.qualification; lowest price; lot L1 active with 2 bid(s)');
  });

  it('never starts with user text, even for unknown events or odd payloads', () => {
    expect(summarizeEvent('question.asked', { text: '=HYPERLINK("x")' })).toMatch(/^Question /);
    expect(summarizeEvent('something.new', { a: 1 })).toBe('Event something.new');
    expect(summarizeEvent('tender.published', { tender: 'not an object' })).toMatch(/^Published /);
  });
});
