/** How many items one page of a list holds: at least, at most, and when the caller does not say. */
export const PAGE_LIMITS = { min: 1, max: 100, default: 50 } as const;
