import { describe, expect, it } from 'vitest';
import { loadApiConfig } from './config.ts';

describe('API environment configuration', () => {
  it("treats empty variables as unset (docker compose passes an unset NAME:- as '')", () => {
    const config = loadApiConfig({
      STRIDE_ADMIN_TOKEN: '',
      STRIDE_VIEWER_TOKEN: '',
      GITHUB_WEBHOOK_SECRET: '',
    });
    expect(config.STRIDE_ADMIN_TOKEN).toBeUndefined();
    expect(config.STRIDE_VIEWER_TOKEN).toBeUndefined();
    expect(config.GITHUB_WEBHOOK_SECRET).toBeUndefined();
  });

  it('names the variable of a bad value', () => {
    expect(() => loadApiConfig({ STRIDE_ADMIN_TOKEN: 'short' })).toThrow(/STRIDE_ADMIN_TOKEN/);
    expect(() => loadApiConfig({ PORT: 'eighty' })).toThrow(/PORT/);
  });
});
