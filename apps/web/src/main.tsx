import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

// Placeholder shell until the dashboard pages land (issue: Dashboard).
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <h1>Stride</h1>
  </StrictMode>,
);
