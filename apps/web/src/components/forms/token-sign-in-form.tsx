import { type FormEvent, useState } from 'react';
import { useSignIn } from '../../queries/use-session.ts';
import { ErrorLine } from './error-line.tsx';

/**
 * A token field and "Sign in": exchanges the token for an httpOnly session cookie
 * (`POST /api/session`, the token itself is not kept), then shows the API's refusal if any.
 * Used by the viewer sign-in of a closed API and the admin sign-in of `/admin`.
 */
export function TokenSignInForm({
  label,
  inputTestId,
  errorTestId,
}: {
  /** the field's label, e.g. "Viewer token" */
  label: string;
  inputTestId: string;
  errorTestId?: string;
}) {
  const [token, setToken] = useState('');
  const signIn = useSignIn();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (token.trim()) signIn.mutate(token.trim());
  };
  return (
    <>
      <form onSubmit={submit}>
        <label>
          {label}{' '}
          <input
            type="password"
            autoComplete="off"
            value={token}
            onChange={(e) => setToken(e.target.value)}
            data-testid={inputTestId}
          />
        </label>{' '}
        <button type="submit" disabled={!token.trim() || signIn.isPending}>
          Sign in
        </button>
      </form>
      <ErrorLine error={signIn.error} testId={errorTestId} />
    </>
  );
}
