import QRCode from 'qrcode';

/**
 * The demo page: cookie-mode sessions against the API. The refresh token lives only in the
 * API's HttpOnly cookie (this script can never read it); the short-lived ID and access tokens
 * live only in this module's memory, so a reload starts from /auth/refresh and the cookie.
 */

interface Session {
  idToken: string;
  accessToken: string;
}

interface ApiAnswer {
  status: number;
  body: Record<string, unknown>;
}

let apiUrl = '';
/** The stack's API key, when it wants one (ApiKeyRequired=true): sent on every request. */
let apiKeyHeader: Record<string, string> = {};
let session: Session | undefined;
/** A sign-in waiting for its authenticator code (SOFTWARE_TOKEN_MFA, or MFA_SETUP's first). */
let challenge: { email: string; name: string; session: string } | undefined;

const element = <T extends HTMLElement>(id: string) => {
  const found = document.getElementById(id);
  if (!found) throw new Error(`#${id} is missing from the page`);
  return found as T;
};

function show(message: string, isError = false): void {
  const status = element('status');
  status.textContent = message;
  status.classList.toggle('error', isError);
}

/** `body` may be a function, so that a retry after a refresh sends the new tokens. */
async function call(
  method: string,
  route: string,
  bodyOf?: unknown,
  authorized = false,
): Promise<ApiAnswer> {
  const send = async () => {
    const body = typeof bodyOf === 'function' ? (bodyOf as () => unknown)() : bodyOf;
    const response = await fetch(`${apiUrl}${route}`, {
      method,
      // The refresh cookie flows only with credentials; the API allows this origin by name.
      credentials: 'include',
      headers: {
        ...(body !== undefined || method === 'POST' ? { 'Content-Type': 'application/json' } : {}),
        ...(authorized && session ? { Authorization: `Bearer ${session.idToken}` } : {}),
        ...apiKeyHeader,
      },
      ...(body !== undefined
        ? { body: JSON.stringify(body) }
        : method === 'POST'
          ? { body: '{}' }
          : {}),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
    };
  };
  const answer = await send();
  // An ID token the authorizer refused (expired): refresh once from the cookie and try again.
  // Not on the API's own 401s (a wrong password, a wrong code): a retry would count twice.
  if (
    answer.status === 401 &&
    answer.body.error === 'Unauthorized' &&
    authorized &&
    (await refresh())
  )
    return send();
  return answer;
}

const messageOf = (answer: ApiAnswer) => String(answer.body.message ?? `HTTP ${answer.status}`);

async function refresh(): Promise<boolean> {
  const response = await fetch(`${apiUrl}/auth/refresh`, {
    method: 'POST',
    credentials: 'include',
    headers: { 'Content-Type': 'application/json', ...apiKeyHeader },
    body: '{}',
  });
  if (!response.ok) {
    session = undefined;
    return false;
  }
  const tokens = (await response.json()) as Session;
  session = { idToken: tokens.idToken, accessToken: tokens.accessToken };
  return true;
}

function render(): void {
  element('signed-in').hidden = !session;
  element('signed-out').hidden = Boolean(session);
  if (!session) {
    // Signed out: nothing of the account stays in the page (OWASP ASVS 14.3.1).
    for (const id of ['me-email', 'me-name', 'me-sub']) element(id).textContent = '';
    element('logs').replaceChildren();
  }
}

/** Ends the session at the API (`route`), then forgets it here, whatever the answer. */
async function signOut(route: string, body: () => unknown, done: string): Promise<void> {
  const answer = await call('POST', route, body, true);
  session = undefined;
  render();
  show(answer.status === 204 ? done : messageOf(answer), answer.status !== 204);
}

async function showAccount(): Promise<void> {
  const me = await call('GET', '/me', undefined, true);
  if (me.status !== 200) return show(messageOf(me), true);
  element('me-email').textContent = String(me.body.email);
  element('me-name').textContent = String(me.body.name ?? '—');
  element('me-sub').textContent = String(me.body.sub);
  await showLogs();
}

async function showLogs(): Promise<void> {
  const page = await call('GET', '/me/logs?limit=20', undefined, true);
  if (page.status !== 200) return show(messageOf(page), true);
  const items = page.body.items as { id: string; createdAt: string }[];
  // The listing carries no contents: fetch the entries of the page together, not one by one.
  const entries = await Promise.all(
    items.map((item) => call('GET', `/me/logs/${item.id}`, undefined, true)),
  );
  const list = element<HTMLOListElement>('logs');
  list.replaceChildren(
    ...items.map((item, index) => {
      const li = document.createElement('li');
      // textContent, never innerHTML: entries are user input.
      li.textContent = `${item.createdAt.slice(0, 19).replace('T', ' ')}  ${String(entries[index]?.body.content ?? '')}`;
      li.dataset.id = item.id;
      return li;
    }),
  );
}

/** The otpauth:// URI as a QR code an authenticator app scans, and the secret as text. */
async function showSecret(canvasId: string, secretId: string, answer: ApiAnswer): Promise<void> {
  const canvas = element<HTMLCanvasElement>(canvasId);
  await QRCode.toCanvas(canvas, String(answer.body.otpauthUri));
  canvas.hidden = false;
  const secret = element(secretId);
  secret.textContent = String(answer.body.secretCode);
  secret.hidden = false;
}

/** Tokens of a completed sign-in (cookie mode: the refresh token is the API's cookie). */
async function signedIn(answer: ApiAnswer): Promise<void> {
  session = { idToken: String(answer.body.idToken), accessToken: String(answer.body.accessToken) };
  challenge = undefined;
  element('mfa-form').hidden = true;
  render();
  show('Signed in.');
  await showAccount();
}

/** A sign-in that asks for a code: ask the user for it (MFA_SETUP: after a new secret). */
async function askForCode(email: string, answer: ApiAnswer): Promise<void> {
  const name = String(answer.body.challenge);
  let next = String(answer.body.session);
  const setup = name === 'MFA_SETUP';
  if (setup) {
    const enrolment = await call('POST', '/auth/challenge', {
      email,
      challenge: name,
      session: next,
    });
    if (enrolment.status !== 200) return show(messageOf(enrolment), true);
    await showSecret('mfa-setup-qr', 'mfa-setup-secret', enrolment);
    next = String(enrolment.body.session);
  }
  element('mfa-setup-hint').hidden = !setup;
  challenge = { email, name, session: next };
  element('mfa-form').hidden = false;
  show(
    setup
      ? 'Set up your authenticator app to sign in.'
      : 'Enter the code from your authenticator app.',
  );
}

function setField(formId: string, name: string, value: string): void {
  const input = element<HTMLFormElement>(formId).elements.namedItem(name);
  if (input instanceof HTMLInputElement) input.value = value;
}

function onSubmit(
  formId: string,
  action: (fields: Record<string, string>, form: HTMLFormElement) => Promise<void>,
): void {
  const form = element<HTMLFormElement>(formId);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const fields = Object.fromEntries(
      [...new FormData(form).entries()].map(([key, value]) => [key, String(value)]),
    );
    action(fields, form).catch((error: unknown) =>
      show(`Could not reach the API: ${String(error)}`, true),
    );
  });
}

async function main(): Promise<void> {
  const config = (await (await fetch('/config.json')).json()) as {
    apiUrl: string;
    apiKey?: string;
  };
  apiUrl = config.apiUrl;
  apiKeyHeader = config.apiKey ? { 'x-api-key': config.apiKey } : {};

  onSubmit('signup-form', async ({ email = '', password = '', name = '' }) => {
    const answer = await call('POST', '/auth/signup', {
      email,
      password,
      ...(name ? { name } : {}),
    });
    if (answer.status !== 201) return show(messageOf(answer), true);
    setField('confirm-form', 'email', email);
    show(`Account created. Enter the code sent to ${email}.`);
  });

  onSubmit('confirm-form', async ({ email = '', code = '' }) => {
    const answer = await call('POST', '/auth/confirm-signup', { email, code });
    if (answer.status !== 200) return show(messageOf(answer), true);
    setField('signin-form', 'email', email);
    show('Email confirmed. You can sign in.');
  });

  onSubmit('signin-form', async ({ email = '', password = '' }, form) => {
    const answer = await call('POST', '/auth/signin', { email, password, session: 'cookie' });
    if (answer.status !== 200) return show(messageOf(answer), true);
    form.reset();
    if (typeof answer.body.challenge === 'string') return askForCode(email, answer);
    await signedIn(answer);
  });

  onSubmit('mfa-form', async ({ code = '' }, form) => {
    if (!challenge) return;
    const answer = await call('POST', '/auth/challenge', {
      email: challenge.email,
      challenge: challenge.name,
      session: challenge.session,
      code,
      cookie: true,
    });
    form.reset();
    if (answer.status !== 200) return show(messageOf(answer), true);
    await signedIn(answer);
  });

  onSubmit('log-form', async ({ content = '' }, form) => {
    const answer = await call('POST', '/me/logs', { content }, true);
    if (answer.status !== 201) return show(messageOf(answer), true);
    form.reset();
    show('Entry added.');
    await showLogs();
  });

  onSubmit('password-form', async ({ previousPassword = '', proposedPassword = '' }, form) => {
    if (!session) return;
    const body = { accessToken: session.accessToken, previousPassword, proposedPassword };
    const answer = await call('POST', '/auth/change-password', body, true);
    if (answer.status !== 204) return show(messageOf(answer), true);
    form.reset();
    show('Password changed.');
  });

  const unreachable = (error: unknown) => show(`Could not reach the API: ${String(error)}`, true);

  element('totp-enrol-button').addEventListener('click', () => {
    if (!session) return;
    call('POST', '/me/mfa/totp', { accessToken: session.accessToken }, true)
      .then(async (answer) => {
        if (answer.status !== 200) return show(messageOf(answer), true);
        await showSecret('totp-qr', 'totp-secret', answer);
        element('totp-verify-form').hidden = false;
        show('Scan the code, then enter the code the app shows.');
      })
      .catch(unreachable);
  });

  onSubmit('totp-verify-form', async ({ code = '' }, form) => {
    if (!session) return;
    const body = { accessToken: session.accessToken, code };
    const answer = await call('POST', '/me/mfa/totp/verify', body, true);
    form.reset();
    if (answer.status !== 200) return show(messageOf(answer), true);
    form.hidden = true;
    show('Authenticator app is on: sign-ins ask for its code.');
  });

  onSubmit('totp-disable-form', async ({ password = '' }, form) => {
    if (!session) return;
    const body = { accessToken: session.accessToken, password };
    const answer = await call('POST', '/me/mfa/disable', body, true);
    form.reset();
    if (answer.status !== 200) return show(messageOf(answer), true);
    show('Authenticator app is off.');
  });

  onSubmit('email-form', async ({ newEmail = '', password = '' }, form) => {
    if (!session) return;
    const body = { accessToken: session.accessToken, password, newEmail };
    const answer = await call('POST', '/me/email', body, true);
    if (answer.status !== 202) return show(messageOf(answer), true);
    form.reset();
    element('email-verify-form').hidden = false;
    show(`Enter the code sent to ${newEmail}. Until then you sign in with your current address.`);
  });

  onSubmit('email-verify-form', async ({ code = '' }, form) => {
    if (!session) return;
    const body = { accessToken: session.accessToken, code };
    const answer = await call('POST', '/me/email/verify', body, true);
    form.reset();
    if (answer.status !== 200) return show(messageOf(answer), true);
    form.hidden = true;
    // New tokens carry the new address.
    await refresh();
    await showAccount();
    show(`Your email is now ${String(answer.body.email)}.`);
  });

  element('export-button').addEventListener('click', () => {
    call('POST', '/me/export', {}, true)
      .then((answer) => {
        if (answer.status !== 200) return show(messageOf(answer), true);
        const link = document.createElement('a');
        link.id = 'export-link';
        link.href = String(answer.body.url);
        link.download = 'my-data.json';
        link.textContent = `Download (the link works until ${new Date(String(answer.body.expiresAt)).toLocaleTimeString()})`;
        element('export-result').replaceChildren(link);
        show('Your export is ready.');
      })
      .catch(unreachable);
  });

  onSubmit('delete-account-form', async ({ password = '' }, form) => {
    if (!session) return;
    const body = { accessToken: session.accessToken, password };
    const answer = await call('DELETE', '/me', body, true);
    form.reset();
    // A 503 leaves the account marked deleted: the same request finishes it.
    if (answer.status !== 204) return show(messageOf(answer), true);
    session = undefined;
    render();
    show('Your account and all its data are deleted.');
  });

  // The ID token goes along: the API then ends every token of this session, not only the
  // refresh token in the cookie.
  element('signout-button').addEventListener('click', () => {
    signOut('/auth/signout', () => ({}), 'Signed out.').catch(unreachable);
  });
  element('signout-all-button').addEventListener('click', () => {
    signOut(
      '/auth/signout-all',
      () => ({ accessToken: session?.accessToken ?? '' }),
      'Signed out everywhere: every session of this account has ended.',
    ).catch(unreachable);
  });

  if (await refresh()) {
    render();
    show('Welcome back: session restored from the refresh cookie.');
    await showAccount();
  } else {
    render();
    show('Signed out.');
  }
}

main().catch((error: unknown) => show(`The page could not start: ${String(error)}`, true));
