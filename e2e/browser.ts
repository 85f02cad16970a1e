import { existsSync } from 'node:fs';

// Debian's Chromium where present (Playwright's own browser download is not possible on every
// machine); CHROMIUM_PATH overrides; otherwise Playwright's bundled browser.
export const executablePath = process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

export const BASE_ARGS = ['--no-sandbox', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--enable-unsafe-swiftshader'];

export const launchOptions = (extraArgs: string[] = []) => ({ executablePath, args: [...BASE_ARGS, ...extraArgs] });
