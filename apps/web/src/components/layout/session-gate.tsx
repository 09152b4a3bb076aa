import type { ReactNode } from 'react';
import { ApiError } from '../../lib/api-client.ts';
import { useSession, useSignOut } from '../../queries/use-session.ts';
import { TokenSignInForm } from '../forms/token-sign-in-form.tsx';
import { Loading } from '../metrics/query-state.tsx';

/**
 * Asks for a viewer token when the API's reads are closed and this browser has no session; the
 * token is exchanged for an httpOnly cookie (POST /api/session). An API without the session
 * route (older server) is treated as open.
 */
export function SessionGate({ children }: { children: ReactNode }) {
  const session = useSession();
  if (session.isPending) return <Loading label="Checking access…" />;
  const data = session.data;
  const routeMissing = session.error instanceof ApiError && session.error.status === 404;
  if (!data && !routeMissing && session.error) {
    return <SignIn reason={session.error instanceof Error ? session.error.message : String(session.error)} />;
  }
  if (data && !data.open && data.role === null) return <SignIn />;
  return <>{children}</>;
}

function SignIn({ reason }: { reason?: string }) {
  return (
    <main className="page sign-in">
      <h1>Sign in to Stride</h1>
      <p>This Stride needs a viewer token. Ask your administrator for one.</p>
      {reason && <p className="muted">{reason}</p>}
      <TokenSignInForm label="Viewer token" inputTestId="token-input" />
    </main>
  );
}

/** "Sign out" in the header, shown only for a signed-in session on a closed API. */
export function SignOutButton() {
  const session = useSession();
  const signOut = useSignOut();
  if (!session.data || session.data.open || session.data.role === null) return null;
  return (
    <button type="button" className="projector-toggle" onClick={() => signOut.mutate()}>
      Sign out
    </button>
  );
}
