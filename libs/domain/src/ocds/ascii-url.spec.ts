import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { isURL } from 'class-validator';
import { asciiUrl } from './ascii-url';

describe('asciiUrl', () => {
  // The check OCDS applies to Document.url: JSON Schema's format uri (RFC 3986).
  const ajv = new Ajv();
  addFormats(ajv);
  const isUri = ajv.compile({ type: 'string', format: 'uri' });
  const HTTP = { protocols: ['http', 'https'], require_protocol: true };

  it('keeps a URL that is a URI already, byte for byte', () => {
    for (const url of [
      'https://example.org',
      'HTTP://Example.org:8080/a%20b.pdf?x=1&y=(2)#part/1',
      'https://user:pw@[2001:db8::1]/doc.pdf',
    ]) {
      expect(isUri(url)).toBe(true);
      expect(asciiUrl(url)).toBe(url);
    }
  });

  it('turns a link the validator takes but no URI is into an ASCII URI', () => {
    const cases: [string, string][] = [
      ['https://закупки.рф/тз.pdf', 'https://xn--80aneha3a1a.xn--p1ai/%D1%82%D0%B7.pdf'],
      [
        'https://example.org/спец-a|c^d{e}.pdf',
        'https://example.org/%D1%81%D0%BF%D0%B5%D1%86-a%7Cc%5Ed%7Be%7D.pdf',
      ],
      ['https://example.org/100%.pdf', 'https://example.org/100%25.pdf'],
      ['https://example.org/doc?ids[]=1', 'https://example.org/doc?ids%5B%5D=1'],
      ['https://example.org/a#b#c', 'https://example.org/a#b%23c'],
      ['https://example.org/тз?ids[]=1', 'https://example.org/%D1%82%D0%B7?ids%5B%5D=1'],
    ];
    for (const [sent, published] of cases) {
      expect(isURL(sent, HTTP)).toBe(true);
      expect(isUri(sent)).toBe(false);
      expect(asciiUrl(sent)).toBe(published);
      expect(isUri(published)).toBe(true);
    }
  });

  it('leaves what is no http(s) URL, or no string, for the validator to refuse', () => {
    for (const value of ['not a url', 'https://exa mple.org/x', 'ftp://example.org/тз', 42, null]) {
      expect(asciiUrl(value)).toBe(value);
    }
  });
});
