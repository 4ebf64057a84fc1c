import type { Control } from './control';
import { FRAMEWORKS, type Framework } from './frameworks';

export interface CriterionCoverage {
  readonly criterion: string;
  readonly controls: readonly string[];
}

/** Per criterion of a framework, the controls that map to it; `uncovered` lists the criteria nothing covers. */
export const coverageOf = (framework: Framework, controls: readonly Control[]): { covered: CriterionCoverage[]; uncovered: string[] } => {
  const rows = FRAMEWORKS[framework].criteria.map((criterion) => ({
    criterion,
    controls: controls.filter((c) => c.mappings[framework].includes(criterion)).map((c) => c.id),
  }));
  return { covered: rows.filter((r) => r.controls.length > 0), uncovered: rows.filter((r) => r.controls.length === 0).map((r) => r.criterion) };
};
