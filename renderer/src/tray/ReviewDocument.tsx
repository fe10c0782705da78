// The document a review is about, page by page, with the box of each value the reader found
// drawn on it; the field being checked is the one outlined strongly and scrolled into view.
import { useEffect, useRef, useState } from 'react';
import type { ReviewView } from '../../../engine/transport/messages.js';
import { errorText, useTransport } from '../api/context.js';

type Field = ReviewView['fields'][number];

interface Props {
  reviewId: string;
  document: NonNullable<ReviewView['document']>;
  fields: Field[];
  /** The field whose value is being checked (its box is outlined and brought into view). */
  active: string | undefined;
}

export function ReviewDocument({ reviewId, document, fields, active }: Props): React.JSX.Element {
  const transport = useTransport();
  const activeField = fields.find((f) => f.name === active);
  const [page, setPage] = useState(() => fields.find((f) => f.source)?.source?.page ?? 1);
  const [image, setImage] = useState<{ page: number; url: string; width: number; height: number } | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [zoomed, setZoomed] = useState(false);
  const highlight = useRef<HTMLDivElement>(null);

  // Checking a field read on another page turns to that page.
  const activePage = activeField?.source?.page;
  useEffect(() => {
    if (activePage) setPage(activePage);
  }, [active, activePage]);

  useEffect(() => {
    let gone = false;
    setError(undefined);
    transport.call('reviews.page', { reviewId, page }).then(
      (got) => !gone && setImage({ page, url: `data:${got.mime};base64,${got.data}`, width: got.width, height: got.height }),
      (e: unknown) => !gone && setError(errorText(e)),
    );
    return () => {
      gone = true;
    };
  }, [transport, reviewId, page]);

  useEffect(() => {
    highlight.current?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }, [active, image, zoomed]);

  const boxes = fields.filter((f) => f.source?.page === page && f.source.box);
  return (
    <figure className="review-doc" aria-label={`Document ${document.name}`}>
      <figcaption className="row spread small">
        <span>
          {document.name}
          {document.pages > 1 ? ` · page ${page} of ${document.pages}` : ''}
        </span>
        <span className="row tight">
          {document.pages > 1 && (
            <>
              <button type="button" onClick={() => setPage(Math.max(1, page - 1))} disabled={page <= 1}>
                Previous page
              </button>
              <button type="button" onClick={() => setPage(Math.min(document.pages, page + 1))} disabled={page >= document.pages}>
                Next page
              </button>
            </>
          )}
          <button type="button" aria-pressed={zoomed} onClick={() => setZoomed(!zoomed)}>
            {zoomed ? 'Fit to width' : 'Enlarge'}
          </button>
        </span>
      </figcaption>
      {error ? (
        <p className="error small">The document cannot be shown: {error}</p>
      ) : !image || image.page !== page ? (
        <p className="muted small">Loading page {page}…</p>
      ) : (
        <div className={`review-page-scroll${zoomed ? ' zoomed' : ''}`} tabIndex={0} aria-label={`Page ${page} of ${document.name}`}>
          <div className="review-page" style={{ aspectRatio: `${image.width} / ${image.height}` }}>
            <img src={image.url} alt={`Page ${page} of ${document.name}`} />
            {boxes.map((f) => (
              <div
                key={f.name}
                ref={f.name === active ? highlight : undefined}
                className={`value-box${f.name === active ? ' active' : ''}${f.problems.length ? ' doubtful' : ''}`}
                data-testid={`box-${f.name}`}
                title={`${f.label}${f.source?.text ? `: ${f.source.text}` : ''}`}
                style={{ left: `${f.source!.box!.x * 100}%`, top: `${f.source!.box!.y * 100}%`, width: `${f.source!.box!.width * 100}%`, height: `${f.source!.box!.height * 100}%` }}
              />
            ))}
          </div>
        </div>
      )}
      {activeField && !activeField.source && <p className="muted small">The reader did not find where {activeField.label} is on the document.</p>}
    </figure>
  );
}
