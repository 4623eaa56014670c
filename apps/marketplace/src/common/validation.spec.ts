import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { isURL } from 'class-validator';
import { asciiUrl } from './validation';

describe('asciiUrl', () => {
  // The check OCDS applies to Document.url: JSON Schema's format uri (RFC 3986).
  const ajv = new Ajv();
  addFormats(ajv);
  const isUri = ajv.compile({ type: 'string', format: 'uri' });
  const HTTP = { protocols: ['http', 'https'], require_protocol: true };

  it('keeps a URL that is a URI already, byte for byte', () => {
    for (const url of ['https://example.org', 'http://example.org/a%20b.pdf?x=1&y=[2]#part']) {
      expect(asciiUrl(url)).toBe(url);
    }
  });

  it('turns a link the validator takes but no URI is (an international domain name, Cyrillic, |^{}, a bare %) into an ASCII URI', () => {
    const cases: [string, string][] = [
      ['https://закупки.рф/тз.pdf', 'https://xn--80aneha3a1a.xn--p1ai/%D1%82%D0%B7.pdf'],
      [
        'https://example.org/спец-a|c^d{e}.pdf',
        'https://example.org/%D1%81%D0%BF%D0%B5%D1%86-a%7Cc%5Ed%7Be%7D.pdf',
      ],
      ['https://example.org/100%.pdf', 'https://example.org/100%25.pdf'],
    ];
    for (const [sent, published] of cases) {
      expect(isURL(sent, HTTP)).toBe(true);
      expect(isUri(sent)).toBe(false);
      expect(asciiUrl(sent)).toBe(published);
      expect(isUri(published)).toBe(true);
    }
  });

  it('leaves what is no URL, or no string, for the validator to refuse', () => {
    for (const value of ['not a url', 'https://exa mple.org/x', 42, null])
      expect(asciiUrl(value)).toBe(value);
  });
});
