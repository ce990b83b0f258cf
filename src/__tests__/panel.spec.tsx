import * as React from 'react';
import { act } from 'react';
import { createRoot, Root } from 'react-dom/client';

import { NbJobIamModel } from '../model';
import { PanelContent } from '../widgets/panel';
import {
  CONTEXT,
  IDENTITY,
  fakeServer,
  reply,
  report,
  role
} from './fakeServer';

(globalThis as any).IS_REACT_ACT_ENVIRONMENT = true;

const noop = () => undefined;
const actions = {
  onCheck: noop,
  onFix: noop,
  onCopyForAdministrator: noop,
  onUndo: noop
};

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
  const host = document.createElement('div');
  document.body.appendChild(host);
  let root: Root;
  const render = () => root.render(<PanelContent model={model} {...actions} />);
  await act(async () => {
    root = createRoot(host);
    render();
  });
  model.changed.connect(() => act(render));
  return {
    model,
    host,
    unmount: () => act(() => root.unmount())
  };
}

function type(input: HTMLInputElement, value: string) {
  const setter = Object.getOwnPropertyDescriptor(
    HTMLInputElement.prototype,
    'value'
  )!.set!;
  setter.call(input, value);
  input.dispatchEvent(new Event('input', { bubbles: true }));
}

describe('PanelContent', () => {
  it('renders at most 50 of 1,000 roles and says how many more match', async () => {
    // Given an account with 1,000 roles
    const { host, unmount } = await renderPanel(1000);

    // Then the list stays short, and the rest are counted
    const listbox = host.querySelector('[role="listbox"]')!;
    expect(listbox.getAttribute('aria-label')).toBe('Roles');
    expect(listbox.querySelectorAll('[role="option"]')).toHaveLength(50);
    expect(host.textContent).toContain('950 more, refine your search');

    // When the person narrows the search
    const search = host.querySelector(
      'input[aria-label="Search roles"]'
    ) as HTMLInputElement;
    await act(async () => type(search, 'team-099'));

    // Then only the matches remain
    const names = Array.from(
      listbox.querySelectorAll('[role="option"] .jp-NbJobIam-roleName')
    ).map(node => node.textContent);
    expect([...names].sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `team-099${i}`)
    );
    // the two of them that trust SageMaker first
    expect(names.slice(0, 2)).toEqual(['team-0992', 'team-0996']);
    expect(host.textContent).toContain('10 of 1000 roles');
    unmount();
  });

  it('selects a role with the keyboard', async () => {
    const { host, model, unmount } = await renderPanel(3);
    const listbox = host.querySelector('[role="listbox"]') as HTMLElement;
    expect(model.roleArn).toBe(role('team-0000').arn);

    await act(async () => {
      listbox.dispatchEvent(
        new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true })
      );
    });

    expect(model.roleArn).toBe(role('team-0001', false).arn);
    expect(listbox.getAttribute('aria-activedescendant')).toContain(
      'team-0001'
    );
    unmount();
  });

  it('shows each statement with its status in words, expandable to the details', async () => {
    // Given a checked panel
    const { host, model, unmount } = await renderPanel(3);
    await act(async () => {
      await model.check();
    });

    // Then each target is a named group with one toggle per statement
    const identity = host.querySelector('[data-target="identity"]')!;
    expect(identity.querySelector('h4')!.textContent).toBe('Your identity');
    const toggle = identity.querySelector(
      'button[aria-expanded]'
    ) as HTMLButtonElement;
    expect(toggle.textContent).toBe('EventBridgeScheduleMissing');
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(
      host.querySelector('[data-testid="nbjob-iam-verdict"]')!.textContent
    ).toContain('missing or incomplete');
    const buttons = Array.from(host.querySelectorAll('button')).map(
      b => b.textContent
    );
    expect(buttons).toEqual(
      expect.arrayContaining([
        'Check permissions',
        'Fix permissions',
        'Copy for administrator'
      ])
    );

    // When the person expands it: the missing actions appear
    await act(async () => toggle.click());
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    const details = host.querySelector(
      `#${toggle.getAttribute('aria-controls')}`
    )!;
    expect(details.textContent).toContain('events:PutRule');
    unmount();
  });

  it('puts an error in an alert, in words', async () => {
    // Given a role the account does not have
    const { host, model, unmount } = await renderPanel(1, () =>
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
    const alert = host.querySelector('[role="alert"]')!;
    expect(alert.textContent).toContain('Unknown execution role');
    expect(alert.textContent).toContain('does not exist');
    unmount();
  });
});
