import type { PostureExportResult } from '../../../shared/ipc/posture';
import type { Posture, PostureSnapshot } from '../../../shared/posture/api';
import type { RemediationPlan, RemediationPlanInput } from '../../../shared/posture/remediation';
import { replaceFileDurably } from '../../../shared/node/durable-file';
import type { ChooseExportPath } from '../audit/audit-console';
import type { ServiceClient } from '../client/service-client';
import { CoreError, describeCause } from '../core-error';
import { evidenceFilename, postureEvidenceCsv } from './evidence-csv';

export interface PostureConsole {
  get(tenantId: string): Promise<Posture>;
  snapshots(tenantId: string, limit: number): Promise<PostureSnapshot[]>;
  evaluate(tenantId: string): Promise<PostureSnapshot>;
  exportEvidence(tenantId: string): Promise<PostureExportResult>;
  remediations(tenantId: string): Promise<RemediationPlan[]>;
  setRemediation(tenantId: string, controlId: string, plan: RemediationPlanInput): Promise<RemediationPlan>;
  removeRemediation(tenantId: string, controlId: string): Promise<{ deleted: true }>;
}

export function createPostureConsole({ client, chooseExportPath }: { client: Pick<ServiceClient, 'call'>; chooseExportPath: ChooseExportPath }): PostureConsole {
  const get = (tenantId: string) => client.call('getPosture', { params: { tenantId } });
  return {
    get,
    snapshots: async (tenantId, limit) => (await client.call('listPostureSnapshots', { params: { tenantId }, query: { limit } })).items,
    evaluate: (tenantId) => client.call('createPostureSnapshot', { params: { tenantId } }),
    remediations: async (tenantId) => (await client.call('listRemediations', { params: { tenantId } })).items,
    setRemediation: (tenantId, controlId, plan) => client.call('putRemediation', { params: { tenantId, controlId }, body: plan }),
    removeRemediation: (tenantId, controlId) => client.call('deleteRemediation', { params: { tenantId, controlId } }),
    async exportEvidence(tenantId) {
      // Evaluated now, by the service: what the file says is what the service says, not what a screen held.
      const posture = await get(tenantId);
      const path = await chooseExportPath(evidenceFilename(posture));
      if (path === null) return { state: 'cancelled' };
      const csv = postureEvidenceCsv(posture);
      try {
        await replaceFileDurably(path, csv);
      } catch (error) {
        throw new CoreError('internal_error', `The evidence could not be written to ${path} (${describeCause(error)}). Pick another folder and try again.`, { cause: error });
      }
      return { state: 'saved', path, controls: posture.controls.length, bytes: Buffer.byteLength(csv) };
    },
  };
}
