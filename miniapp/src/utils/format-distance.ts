/** Distance for people, not machines: 850 → "850m", 1234 → "1.2km", 12345 → "12km". */
export function formatDistance(metres: number): string {
  if (metres < 1000) return `${Math.round(metres)}m`;
  const km = metres / 1000;
  return km < 10 ? `${km.toFixed(1)}km` : `${Math.round(km)}km`;
}
