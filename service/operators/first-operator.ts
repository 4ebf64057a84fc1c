import type { Actor } from '../audit/audit-log';
import type { Db } from '../db/db';
import { advisoryXactLock, LOCKS } from '../db/locks';
import { countOperators, createOperator, issueOperatorToken, listOperators, type IssuedToken, type Operator } from './operator-repository';

export class OperatorAlreadyExistsError extends Error {
  override readonly name = 'OperatorAlreadyExistsError';
  constructor() {
    super('an operator already exists; init only creates the first one');
  }
}

/** Creates the first operator and its first token, or refuses if any operator exists. */
export const createFirstOperator = (
  db: Db,
  options: { name: string; tokenLabel: string; actor: Actor },
): Promise<{ operator: Operator; token: IssuedToken }> =>
  db.platform(async (tx) => {
    // Serialises "is there an operator yet?" with creating one, across instances.
    await advisoryXactLock(tx, LOCKS.bootstrap);
    if ((await countOperators(tx)) > 0) throw new OperatorAlreadyExistsError();
    const operator = await createOperator(tx, options.name, options.actor);
    const token = await issueOperatorToken(tx, operator.id, options.tokenLabel, options.actor);
    return { operator, token };
  });

export class OperatorNotFoundError extends Error {
  override readonly name = 'OperatorNotFoundError';
}

/**
 * Issues another token for an operator (default: the only one), e.g. when the
 * console lost its credential. Refuses to guess between several operators.
 */
export const issueTokenForOperator = (
  db: Db,
  options: { operatorId?: string; label: string; actor: Actor },
): Promise<{ operator: Operator; token: IssuedToken }> =>
  db.platform(async (tx) => {
    const operators = await listOperators(tx);
    if (operators.length === 0) throw new OperatorNotFoundError('there is no operator yet; run "attest-service init" first');
    const operator = options.operatorId ? operators.find((o) => o.id === options.operatorId) : operators.length === 1 ? operators[0] : undefined;
    if (!operator) {
      throw new OperatorNotFoundError(
        options.operatorId
          ? `no operator with id ${options.operatorId}`
          : `there are ${operators.length} operators; choose one with --operator (${operators.map((o) => `${o.id} ${o.name}`).join(', ')})`,
      );
    }
    const token = await issueOperatorToken(tx, operator.id, options.label, options.actor);
    return { operator, token };
  });
