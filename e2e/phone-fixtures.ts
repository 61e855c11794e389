import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { SCREENSHOTS, seriousA11yViolations, WECHAT_ANDROID_UA } from './harness.ts';

export { SCREENSHOTS };

/**
 * A phone in WeChat's browser (as phoneContext), letting the test inject axe-core past the site's
 * Content-Security-Policy; `serviceWorkers: 'block'` where a test intercepts requests.
 */
export function phone(
  browser: Browser,
  baseURL: string,
  options: { serviceWorkers?: 'allow' | 'block' } = {},
): Promise<BrowserContext> {
  return browser.newContext({
    baseURL,
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    userAgent: WECHAT_ANDROID_UA,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    bypassCSP: true,
    serviceWorkers: options.serviceWorkers ?? 'allow',
  });
}

export async function shot(page: Page, name: string) {
  await page.waitForTimeout(300); // let antd-mobile's transitions settle before the picture
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png` });
}

export async function noSeriousViolations(page: Page) {
  await page.waitForTimeout(400); // antd-mobile fades buttons in as they become enabled
  // …and a toast fading out over the page is not part of the screen being checked
  await page
    .locator('.adm-toast-mask')
    .waitFor({ state: 'detached', timeout: 5000 })
    .catch(() => undefined);
  expect(await seriousA11yViolations(page)).toEqual([]);
}
