import { describe, expect, it } from 'vitest';
import { httpUrlOrNull, isHttpUrl, urlSchemeOf } from './safe-url.ts';

describe('isHttpUrl', () => {
  it.each([
    'https://github.com/acme/api/pull/1',
    'http://jira.example.com/browse/PAY-1',
    'HTTPS://EXAMPLE.COM/x',
    'https://ci.example.com:8443/job/1?x=1#y',
  ])('accepts %s', (url) => {
    expect(isHttpUrl(url)).toBe(true);
    expect(httpUrlOrNull(url)).toBe(url);
  });

  it.each([
    'javascript:alert(1)',
    'JavaScript:alert(1)',
    ' javascript:alert(1)',
    '\tjavascript:alert(1)',
    'java\nscript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    'file:///etc/passwd',
    'ftp://example.com/x',
    '//evil.example.com/x',
    '/relative/path',
    ' https://example.com/leading-blank',
    'https://',
    'http:/example.com',
    'https:example.com',
    '',
    null,
    undefined,
    42,
  ])('refuses %j', (value) => {
    expect(isHttpUrl(value)).toBe(false);
    expect(httpUrlOrNull(value)).toBeNull();
  });
});

describe('urlSchemeOf', () => {
  it('names the scheme only, never the rest of the value', () => {
    expect(urlSchemeOf('javascript:alert(document.cookie)')).toBe('javascript');
    expect(urlSchemeOf(' DATA:text/html,x')).toBe('data');
    expect(urlSchemeOf('/relative')).toBe('none');
    expect(urlSchemeOf(7)).toBe('number');
  });
});
