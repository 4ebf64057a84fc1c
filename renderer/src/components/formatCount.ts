// One formatter for the console's counts ("49,485"): toLocaleString builds a new one per call, and counts render whenever a page arrives.
const COUNT = new Intl.NumberFormat('en-US');

export const formatCount = (n: number): string => COUNT.format(n);
