/** The caveats the API returns with every AI-impact answer, shown beside the figures (never hidden). */
export function AiCaveats({ caveats }: { caveats: readonly string[] }) {
  return (
    <aside className="ai-caveats" aria-label="How to read these figures" data-testid="ai-caveats">
      <h2>How to read these figures</h2>
      <ul>
        {caveats.map((c) => (
          <li key={c}>{c}</li>
        ))}
      </ul>
    </aside>
  );
}
