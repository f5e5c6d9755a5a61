/**
 * Okabe–Ito colour-blind-safe palette (Okabe & Ito, "Color Universal Design", 2008), by index.
 * The page defines them as CSS variables --c0 … --c8 so the dark variant can lighten the
 * near-black entry; charts refer to colours by index only.
 */
export const OKABE_ITO = [
  '#0072B2', // 0 blue
  '#E69F00', // 1 orange
  '#009E73', // 2 bluish green
  '#CC79A7', // 3 reddish purple
  '#56B4E9', // 4 sky blue
  '#D55E00', // 5 vermillion
  '#F0E442', // 6 yellow
  '#999999', // 7 grey
  '#000000', // 8 black (light grey in dark mode)
] as const;

/** Same palette for dark backgrounds: only black changes. */
export const OKABE_ITO_DARK = [...OKABE_ITO.slice(0, 8), '#DDDDDD'] as const;

export const PALETTE_SIZE = OKABE_ITO.length;

/** Palette index of each site kind (topology map, legends). */
export const KIND_COLORS: Readonly<Record<string, number>> = { hyperscaler: 0, cloud: 4, tier2: 2, home: 1 };

/** Palette index of each timeline event kind (marks on time axes). */
export const EVENT_COLORS: Readonly<Record<string, number>> = { membership: 3, waiting: 7, 'restart-after-failure': 5, 'restart-after-churn': 1, end: 8, timeline: 6 };

/** Utilization bins of link colours: below 10 %, 10–30 %, 30–60 %, 60 % and above (discrete, so colour-blind readers need not judge a blend). */
export const HEAT_STEPS: readonly number[] = [0.1, 0.3, 0.6];
export const HEAT_COLORS: readonly number[] = [4, 0, 1, 5];
