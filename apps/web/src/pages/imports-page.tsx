import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { CurrentImport } from '../components/imports/current-import';
import { PastImports } from '../components/imports/past-imports';
import { UploadPanel } from '../components/imports/upload-panel';
import { useTRPC } from '../lib/trpc';
import { useDocumentTitle } from '../lib/use-document-title';

export function ImportsPage() {
  useDocumentTitle('Imports');
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [current, setCurrent] = useState<{ id: string; filename: string } | null>(null);

  return (
    <div className="page imports-page">
      <div className="page-heading">
        <h1>Imports</h1>
        <p className="actions">
          <a className="button" href="/api/exports?format=json" download>
            Export all (JSON)
          </a>
          <a className="button" href="/api/exports?format=markdown" download>
            Export all (Markdown)
          </a>
        </p>
      </div>
      <p className="muted page-intro">
        Bring in the exports of ChatGPT, Claude and other assistants. Importing the same file again changes nothing; a newer
        export adds what is new and records a new version of what changed.
      </p>
      <UploadPanel
        onSending={() => setCurrent(null)}
        onStarted={(id, filename) => {
          setCurrent({ id, filename });
          void queryClient.invalidateQueries(trpc.imports.list.pathFilter());
        }}
      />
      {current ? <CurrentImport key={current.id} id={current.id} filename={current.filename} /> : null}
      <PastImports />
    </div>
  );
}
