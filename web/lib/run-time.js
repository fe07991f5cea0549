// run-time.js: how long a run will take, for the toolbar status beside the speed (issue 14 #8).
//
// What it is: from a frame's step, totalSteps and stepsPerSec (protocol.js: the same for every
// experiment kind), the text "12.5 steps/s · 3 min 20 s left" and whether the run is slow (it
// needs more than SLOW_SECONDS from here), in which case the text says so in words ("a long run:
// about 20.7 days more") and suggests what makes it faster. What it is not: no measuring (the worker measures the speed) and no DOM
// beyond writing one element.

// Not Number.toLocaleString: its first call loads the locale data, a 60–120 ms task on the main
// thread (the toy page's first frame, tests/web/browser/responsive.test.mjs).
/** 4630 → "4,630": an integer with thousands separators. */
export function groupThousands(n) {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A run that needs longer than this from now is called slow. */
export const SLOW_SECONDS = 5 * 60;

/** "45 s", "3 min 20 s", "2 h 5 min", "3.4 days", for a duration in seconds (≥ 0). */
export function formatDuration(seconds) {
  const s = Math.max(1, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) {
    const m = Math.floor(s / 60), r = s % 60;
    return r ? `${m} min ${r} s` : `${m} min`;
  }
  const minutes = Math.round(s / 60);
  if (minutes < 24 * 60) {
    const h = Math.floor(minutes / 60), m = minutes % 60;
    return m ? `${h} h ${m} min` : `${h} h`;
  }
  const days = s / 86400;
  return `${days < 10 ? days.toFixed(1) : groupThousands(days)} days`;
}

/** The speed with 3 significant digits: "0.561", "12.5", "4,630". */
function formatSpeed(sps) {
  if (sps >= 100) return groupThousands(sps);
  return sps.toPrecision(3);
}

/**
 * What the status says about a frame's run: {text, slow, seconds}. text is '' while the speed is
 * not known yet (not running, or no chunk timed); seconds is the expected time left.
 */
export function runTime(frame) {
  const sps = frame && frame.running ? frame.stepsPerSec : 0;
  if (!(sps > 0) || !Number.isFinite(sps)) return { text: '', slow: false, seconds: NaN };
  const left = Math.max(0, (frame.totalSteps || 0) - frame.step);
  const seconds = left / sps;
  const slow = seconds > SLOW_SECONDS;
  const speed = `${formatSpeed(sps)} steps/s`;
  const text = slow
    ? `${speed} · a long run: about ${formatDuration(seconds)} more (fewer steps, a smaller batch or model is faster)`
    : `${speed} · ${formatDuration(seconds)} left`;
  return { text, slow, seconds };
}

/** Write a frame's run time into `el` (class "slow" while slow); returns what runTime says. */
export function showRunTime(el, frame) {
  const r = runTime(frame);
  if (!el) return r;
  if (el.textContent !== r.text) el.textContent = r.text;
  el.classList.toggle('slow', r.slow);
  return r;
}
