/**
 * The identifiers of the frameworks the controls map to, as published, so a test
 * can refuse a mapping to a criterion that does not exist. SOC 2: AICPA Trust
 * Services Criteria (2017, revised points of focus 2022). ISO/IEC 27001:2022 Annex A.
 * GDPR: the articles (and paragraphs) the catalogue cites.
 */
const range = (prefix: string, from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, i) => `${prefix}${from + i}`);

export const SOC2_CRITERIA: readonly string[] = [
  ...range('CC1.', 1, 5),
  ...range('CC2.', 1, 3),
  ...range('CC3.', 1, 4),
  ...range('CC4.', 1, 2),
  ...range('CC5.', 1, 3),
  ...range('CC6.', 1, 8),
  ...range('CC7.', 1, 5),
  'CC8.1',
  ...range('CC9.', 1, 2),
  ...range('A1.', 1, 3),
  ...range('C1.', 1, 2),
  ...range('PI1.', 1, 5),
  'P1.1',
  'P2.1',
  ...range('P3.', 1, 2),
  ...range('P4.', 1, 3),
  ...range('P5.', 1, 2),
  ...range('P6.', 1, 7),
  'P7.1',
  'P8.1',
];

export const ISO27001_CONTROLS: readonly string[] = [...range('A.5.', 1, 37), ...range('A.6.', 1, 8), ...range('A.7.', 1, 14), ...range('A.8.', 1, 34)];

export const GDPR_ARTICLES: readonly string[] = ['5(1)(e)', '5(1)(f)', '5(2)', '17', '24', '25', '28', '30', '32', '33', '34', '44'];

export const FRAMEWORKS = {
  soc2: { name: 'SOC 2 Trust Services Criteria (2017, points of focus 2022)', criteria: SOC2_CRITERIA },
  iso27001: { name: 'ISO/IEC 27001:2022 Annex A', criteria: ISO27001_CONTROLS },
  gdpr: { name: 'GDPR articles', criteria: GDPR_ARTICLES },
} as const;

export type Framework = keyof typeof FRAMEWORKS;
