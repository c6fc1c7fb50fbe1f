import { BrowserNotFoundError, findBrowser } from './find_browser.js';

// `npm test`'s first step: one line naming the browser the suites will drive,
// or one line saying how to get one, and exit 1 before any suite runs.
try {
  const { path, source } = findBrowser();
  console.log(`browser tests: ${path} (${source})`);
} catch (e) {
  if (!(e instanceof BrowserNotFoundError)) throw e;
  console.error(`npm test: ${e.message}`);
  process.exitCode = 1;
}
