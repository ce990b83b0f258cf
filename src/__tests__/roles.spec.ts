import { findRole, matchRoles, shortRoleArn, sortRoles } from '../roles';
import { role } from './fakeServer';

describe('roles', () => {
  const roles = sortRoles([
    role('zeta-lambda', false, '/'),
    role('SagemakerJupyterSchedulerRole'),
    role('alpha-batch', false, '/'),
    role('AmazonSageMaker-ExecutionRole-1')
  ]);

  it('sorts roles trusting SageMaker first, then by name', () => {
    expect(roles.map(r => r.name)).toEqual([
      'AmazonSageMaker-ExecutionRole-1',
      'SagemakerJupyterSchedulerRole',
      'alpha-batch',
      'zeta-lambda'
    ]);
  });

  it('matches every word of the search in the ARN, case-insensitively', () => {
    const result = matchRoles(roles, 'service-role SCHEDULER');
    expect(result.shown.map(r => r.name)).toEqual([
      'SagemakerJupyterSchedulerRole'
    ]);
    expect(result.more).toBe(0);
  });

  it('renders at most the limit and counts the rest, fast with 1,000 roles', () => {
    // Given 1,000 roles
    const many = sortRoles(
      Array.from({ length: 1000 }, (_, i) =>
        role(`team-${String(i).padStart(4, '0')}`, i % 10 === 0)
      )
    );

    // When the person types a search
    const started = Date.now();
    const result = matchRoles(many, 'team');
    const elapsed = Date.now() - started;

    // Then 50 are shown, the other 950 counted, and it took no noticeable time
    expect(result.shown).toHaveLength(50);
    expect(result.more).toBe(950);
    expect(result.total).toBe(1000);
    expect(result.shown[0].trusts_sagemaker).toBe(true);
    expect(elapsed).toBeLessThan(50);
  });

  it('finds a listed role by ARN or name', () => {
    expect(findRole(roles, 'alpha-batch')?.name).toBe('alpha-batch');
    expect(findRole(roles, roles[1].arn)).toBe(roles[1]);
    expect(findRole(roles, 'nope')).toBeNull();
    expect(findRole(roles, null)).toBeNull();
  });

  it('shortens a role ARN to its path and name', () => {
    expect(shortRoleArn(roles[1].arn)).toBe(
      'role/service-role/SagemakerJupyterSchedulerRole'
    );
  });
});
