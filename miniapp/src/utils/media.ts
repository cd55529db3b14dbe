/**
 * Where a dish photo is loaded from: the BFF serves stored images at `/media/:id`, which on weapp
 * needs the API's host in front (H5 is served on the BFF's origin); absolute URLs (a CDN, an
 * admin's link) are used as they are. Photos are never bundled: the main package stays small.
 */
export function mediaUrl(url: string | null | undefined): string {
  if (!url) return '';
  return url.startsWith('/') ? `${API_BASE}${url}` : url;
}
