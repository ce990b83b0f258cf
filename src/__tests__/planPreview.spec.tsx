import { render as renderReact, screen } from '@testing-library/react';
import * as React from 'react';

import { PlanPreview } from '../components/PlanPreview';
import { IPlan } from '../tokens';

function plan(overrides: Partial<IPlan> = {}): IPlan {
  return {
    plan_id: 'a'.repeat(64),
    created_at: '2026-11-28T22:00:00Z',
    profile: null,
    region: 'us-east-1',
    account: '123456789012',
    role_arn: null,
    kms_key_arn: null,
    policy_name: 'SageMakerNotebookJobs',
    nothing_to_do: false,
    writes: [
      {
        write_id: 'w1',
        api_call: 'iam:PutUserPolicy',
        target: 'identity',
        principal: {
          type: 'user',
          name: 'ada',
          arn: 'arn:aws:iam::123456789012:user/ada'
        },
        policy_name: 'SageMakerNotebookJobs',
        policy_arn: null,
        adds_sids: ['EventBridgeSchedule', 'IAMPassrole'],
        adds_services: [],
        sid_renames: { EventBridgeSchedule: 'EventBridgeSchedule2' },
        before: null,
        after: { Version: '2012-10-17', Statement: [] },
        size: { after: 900, quota: 2048, aggregate_after: 1200 },
        summary:
          'Add 2 statements to the inline policy SageMakerNotebookJobs of user ada.'
      }
    ],
    skipped: [],
    blocked: [],
    notes: [
      'The account summary could not be read: default quotas were assumed.'
    ],
    handoff: null,
    ...overrides
  };
}

async function render(p: IPlan): Promise<HTMLElement> {
  return renderReact(<PlanPreview plan={p} />).container;
}

describe('PlanPreview', () => {
  it('says under which Sid a guide statement is added when a different one keeps its name', async () => {
    const host = await render(plan());
    expect(host.textContent).toContain(
      'EventBridgeSchedule (as EventBridgeSchedule2: a different EventBridgeSchedule is kept)'
    );
    expect(host.textContent).toContain('IAMPassrole');
    expect(host.textContent).toContain('1200 of 2048 characters');
  });

  it('shows the plan notes', async () => {
    await render(plan());
    const notes = screen.getByRole('list', { name: 'Plan notes' });
    expect(notes.textContent).toContain('default quotas were assumed');
  });

  it('shows no notes list when there are none', async () => {
    await render(plan({ notes: [] }));
    expect(screen.queryByRole('list', { name: 'Plan notes' })).toBeNull();
  });
});
