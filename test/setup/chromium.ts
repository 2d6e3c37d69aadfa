// Chromium for the browser tests: Debian's package (playwright-core downloads no browser, and
// none is ever downloaded here). CHROMIUM_PATH names another build; test/ui/helpers.ts reads it.
import { accessSync, constants } from 'node:fs';
import { aptInstall, canInstall, ProvisionError } from './provision.ts';

export const DEBIAN_CHROMIUM = '/usr/bin/chromium';

const executable = (path: string) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** The Chromium the browser tests will launch, installing Debian's when root. */
export function ensureChromium(): string {
  const chosen = process.env.CHROMIUM_PATH;
  if (chosen) {
    if (!executable(chosen)) throw new ProvisionError(`CHROMIUM_PATH=${chosen} is not an executable file: point it at a Chromium, or unset it to use Debian's chromium`);
    return chosen;
  }
  if (executable(DEBIAN_CHROMIUM)) return DEBIAN_CHROMIUM;
  const hint = `install Debian's chromium (apt-get install chromium), or set CHROMIUM_PATH to a Chromium`;
  if (!canInstall()) throw new ProvisionError(`npm test needs Chromium for the browser tests: ${hint}, or run as root so it can install it`);
  console.log("Installing Debian's chromium for the browser tests (about a minute)");
  aptInstall('chromium', hint);
  if (!executable(DEBIAN_CHROMIUM)) throw new ProvisionError(`apt-get installed chromium but ${DEBIAN_CHROMIUM} is missing: ${hint}`);
  return DEBIAN_CHROMIUM;
}
