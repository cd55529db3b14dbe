import { chromium } from 'playwright-core';

/**
 * Debian's Chromium, headless, at a phone's viewport, with the flags this machine needs: without
 * the background-networking ones Chromium keeps dialling Google, which the closed network refuses.
 */
export function launchPhone(profileDir) {
  return chromium.launchPersistentContext(profileDir, {
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 390, height: 844 },
    // A diner standing near People's Square, Shanghai (the demo's SH001), who allows location.
    geolocation: { latitude: 31.2304, longitude: 121.4737 },
    permissions: ['geolocation'],
  });
}
