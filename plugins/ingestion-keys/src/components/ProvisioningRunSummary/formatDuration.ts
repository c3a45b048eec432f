/** "850 ms", "2.3 s", "4 min 5 s", "1 h 2 min": how long a run took, to the useful precision. */
export function formatDuration(milliseconds: number): string {
  const ms = Math.max(0, Math.round(milliseconds));
  if (ms < 1000) {
    return `${ms} ms`;
  }
  if (ms < 60_000) {
    // Tenths below ten seconds; rounded down, like the larger units.
    return ms < 10_000
      ? `${(Math.floor(ms / 100) / 10).toFixed(1)} s`
      : `${Math.floor(ms / 1000)} s`;
  }
  const totalSeconds = Math.floor(ms / 1000);
  if (totalSeconds < 3600) {
    const minutes = Math.floor(totalSeconds / 60);
    const seconds = totalSeconds % 60;
    return seconds ? `${minutes} min ${seconds} s` : `${minutes} min`;
  }
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  return minutes ? `${hours} h ${minutes} min` : `${hours} h`;
}
