/** The message of a failed request or change as an alert line (nothing when there is none). */
export function ErrorLine({ error, testId }: { error: Error | null; testId?: string }) {
  if (!error) return null;
  return (
    <p role="alert" className="state state-error" data-testid={testId}>
      ⚠ {error.message}
    </p>
  );
}
