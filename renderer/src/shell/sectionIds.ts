/** The console's sections, by id: apart from sections.tsx (which imports every view), so views can name one without a cycle. */
export type SectionId = 'tenants' | 'users' | 'sessions' | 'incidents' | 'audit' | 'posture' | 'approvals' | 'reviews';
