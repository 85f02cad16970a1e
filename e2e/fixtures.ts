// `test` whose `page` is one page per worker, reused from test to test: a fresh browser context
// (a new renderer process, a new WebGL context on SwiftShader, JavaScript compiled anew) costs
// about as much again as the page load itself, on every test. Each test still opens its own
// document (openEmpty, page.goto); what a test adds to the page is taken off after it: routes, init
// scripts, event listeners, the viewport, localStorage. A test that needs its own context (the
// `context` fixture, other launch options) uses @playwright/test's `test`. After a failing test
// Playwright starts a new worker, so a broken page is never reused.
import { test as base, type Page } from '@playwright/test';

export { expect } from '@playwright/test';

type Handler = (...args: never[]) => unknown;
/** The page's listener methods, without their per-event overloads. */
type Emitter = Record<'on' | 'once' | 'addListener' | 'off', (event: string, handler: Handler) => Page>;

export const test = base.extend<object, { workerPage: Page }>({
  workerPage: [
    async ({ browser }, run, workerInfo) => {
      const { baseURL, viewport } = workerInfo.project.use;
      const context = await browser.newContext({ baseURL, viewport });
      const page = await context.newPage();
      await run(page);
      await context.close();
    },
    { scope: 'worker' },
  ],
  page: async ({ workerPage: page, viewport }, run) => {
    if (viewport) await page.setViewportSize(viewport);
    const scripts: { dispose(): Promise<void> }[] = [];
    const listeners: [string, Handler][] = [];
    const emitter = page as unknown as Emitter;
    const { addInitScript } = page;
    const methods = { on: emitter.on, once: emitter.once, addListener: emitter.addListener };
    page.addInitScript = (async (...args: Parameters<Page['addInitScript']>) => {
      const d = await addInitScript.apply(page, args);
      scripts.push(d);
      return d;
    }) as Page['addInitScript'];
    for (const name of ['on', 'once', 'addListener'] as const) {
      emitter[name] = (event, handler) => {
        listeners.push([event, handler]);
        return methods[name].call(page, event, handler);
      };
    }
    try {
      await run(page);
    } finally {
      Object.assign(page, { addInitScript, ...methods });
      for (const [event, handler] of listeners) emitter.off(event, handler);
      for (const d of scripts) await d.dispose();
      await page.unrouteAll({ behavior: 'ignoreErrors' });
      // Section folds are remembered in localStorage (src/ui/Section.tsx): the next test starts unfolded.
      await page.evaluate(() => localStorage.clear()).catch(() => {});
    }
  },
});
