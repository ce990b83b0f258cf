import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import * as React from 'react';

import { NbJobIamModel } from '../model';
import { PanelContent } from '../widgets/panel';
import { IReport } from '../tokens';
import {
  CONTEXT,
  IDENTITY,
  fakeServer,
  NO_ACTIONS,
  reply,
  report,
  role
} from './fakeServer';

/** The panel against a fake server, re-rendered on every change of the model, as the widget does. */
async function renderPanel(
  roleCount: number,
  checkReply: () => unknown = () => report(false)
) {
  const roles = Array.from({ length: roleCount }, (_, i) =>
    role(`team-${String(i).padStart(4, '0')}`, i % 4 === 0)
  );
  const { settings } = fakeServer({
    'GET context': () => CONTEXT,
    'GET identity': () => IDENTITY,
    'GET roles': () => ({
      roles,
      default_role_arn: roles[0].arn,
      default_role_source: 'name'
    }),
    'POST check': checkReply
  });
  const model = new NbJobIamModel({ serverSettings: settings });
  await model.initialize();
  const view = render(<PanelContent model={model} {...NO_ACTIONS} />);
  model.changed.connect(() =>
    view.rerender(<PanelContent model={model} {...NO_ACTIONS} />)
  );
  return { model, view, user: userEvent.setup() };
}

async function check(model: NbJobIamModel) {
  await act(async () => {
    await model.check();
  });
}

describe('PanelContent', () => {
  it('renders at most 50 of 1,000 roles and says how many more match', async () => {
    // Given an account with 1,000 roles
    const { user } = await renderPanel(1000);

    // Then the list stays short, and the rest are counted
    const listbox = screen.getByRole('listbox', { name: 'Roles' });
    expect(within(listbox).getAllByRole('option')).toHaveLength(50);
    expect(screen.getByText('950 more, refine your search')).toBeTruthy();

    // When the person narrows the search
    await user.type(
      screen.getByRole('searchbox', { name: 'Search roles' }),
      'team-099'
    );

    // Then only the matches remain, the two that trust SageMaker first
    const names = within(listbox)
      .getAllByRole('option')
      .map(node => node.querySelector('.jp-NbJobIam-roleName')!.textContent);
    expect([...names].sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `team-099${i}`)
    );
    expect(names.slice(0, 2)).toEqual(['team-0992', 'team-0996']);
    expect(screen.getByText('10 of 1000 roles')).toBeTruthy();
  });

  it('selects a role with the keyboard', async () => {
    const { model, user } = await renderPanel(3);
    const listbox = screen.getByRole('listbox', { name: 'Roles' });
    expect(model.roleArn).toBe(role('team-0000').arn);

    listbox.focus();
    await user.keyboard('{ArrowDown}');

    expect(model.roleArn).toBe(role('team-0001', false).arn);
    expect(listbox.getAttribute('aria-activedescendant')).toContain(
      'team-0001'
    );
  });

  it('puts the verdict first, folds the inputs into one line and opens the first gap', async () => {
    // Given a checked panel with gaps
    const { model, user } = await renderPanel(3);
    await check(model);

    // Then the verdict and the next step come before everything else
    const verdict = screen.getByTestId('nbjob-iam-verdict');
    expect(verdict.textContent).toBe(
      '2 of 2 required statements are missing or incomplete.'
    );
    expect(screen.getByTestId('nbjob-iam-next').textContent).toMatch(
      /^Next: Fix permissions/
    );
    const header = screen.getByRole('button', {
      expanded: false,
      name: /ada · /
    });
    expect(header.textContent).toBe('ada · team-0000 · us-east-1 · no KMS key');
    expect(
      verdict.compareDocumentPosition(header) & Node.DOCUMENT_POSITION_FOLLOWING
    ).toBeTruthy();
    // the inputs are folded away
    expect(screen.queryByRole('listbox', { name: 'Roles' })).toBeNull();
    // and the first failing statement is open with its missing actions
    const identity = screen.getByRole('region', { name: 'Your identity' });
    const first = within(identity).getByRole('button', {
      name: /^EventBridgeSchedule/
    });
    expect(first.getAttribute('aria-expanded')).toBe('true');
    expect(
      document.getElementById(first.getAttribute('aria-controls')!)!.textContent
    ).toContain('events:PutRule');
    const trust = screen.getByRole('region', { name: 'Role trust' });
    expect(
      within(trust)
        .getByRole('button', { name: /^TrustRelationship/ })
        .getAttribute('aria-expanded')
    ).toBe('false');
    expect(screen.getAllByRole('button').map(b => b.textContent)).toEqual(
      expect.arrayContaining([
        'Check permissions',
        'Fix permissions',
        'Copy for administrator'
      ])
    );

    // When the person clicks the one-line header, the inputs come back
    await user.click(header);
    expect(header.getAttribute('aria-expanded')).toBe('true');
    expect(screen.getByRole('listbox', { name: 'Roles' })).toBeTruthy();
  });

  it('shows a legacy row that does not count as neutral, saying why', async () => {
    const withLegacy = (): IReport => {
      const r = report(false);
      r.targets[0].statements.push({
        sid: 'S3DriverAccess',
        status: 'missing',
        legacy: true,
        detail: 'No policy allows these actions.'
      });
      return r;
    };
    const { model } = await renderPanel(1, withLegacy);
    await check(model);

    const row = screen.getByRole('button', { name: /^S3DriverAccess/ });
    expect(row.textContent).toBe('S3DriverAccess (legacy)Not counted');
    expect(
      row.querySelector('[data-status]')!.getAttribute('data-status')
    ).toBe('neutral');
    expect(row.parentElement!.textContent).toContain(
      'Missing, but only scheduler versions before 3.0 use it: it does not count.'
    );
    // and the verdict does not count it either
    expect(screen.getByTestId('nbjob-iam-verdict').textContent).toBe(
      '2 of 2 required statements are missing or incomplete.'
    );
  });

  it('puts an error in an alert, in words', async () => {
    // Given a role the account does not have
    const { model } = await renderPanel(1, () =>
      reply(404, {
        message:
          'The role `missing-role` does not exist in account 123456789012.',
        reason: 'Not Found',
        error_code: 'role_not_found',
        details: { role: 'missing-role' }
      })
    );

    // When the person checks it
    await act(async () => {
      model.roleArn = 'missing-role';
      await model.check();
    });

    // Then the panel says so in an alert
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('Unknown execution role');
    expect(alert.textContent).toContain('does not exist');
  });
});
