// The step list of the editor, virtualized (a 1,000-step automation scrolls smoothly): a
// gutter to toggle breakpoints, live status while a run goes, drag to reorder.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState } from 'react';
import { describeStep, type StepDoc } from './steps.js';

export const ROW_HEIGHT = 40;

export interface StepListProps {
  steps: StepDoc[];
  selected: number | undefined;
  onSelect: (index: number) => void;
  onMove: (from: number, to: number) => void;
  breakpoints: ReadonlySet<string>;
  onToggleBreakpoint: (path: string) => void;
  /** Live status by top-level index (0-based): running, passed, failed. */
  status: ReadonlyMap<number, string>;
  pausedAt: number | undefined;
  issuesByStep: ReadonlyMap<number, number>;
}

export function StepList(props: StepListProps): React.JSX.Element {
  const parent = useRef<HTMLDivElement>(null);
  const [dragFrom, setDragFrom] = useState<number | undefined>();
  const virtualizer = useVirtualizer({ count: props.steps.length, getScrollElement: () => parent.current, estimateSize: () => ROW_HEIGHT, overscan: 10 });
  const running = [...props.status].find(([, s]) => s === 'running')?.[0];
  useEffect(() => {
    const follow = props.pausedAt ?? running;
    if (follow !== undefined) virtualizer.scrollToIndex(follow, { align: 'auto' });
  }, [props.pausedAt, running, virtualizer]);
  const onKey = (event: React.KeyboardEvent, index: number): void => {
    if (event.altKey && (event.key === 'ArrowUp' || event.key === 'ArrowDown')) {
      event.preventDefault();
      props.onMove(index, index + (event.key === 'ArrowUp' ? -1 : 1));
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const next = Math.max(0, Math.min(props.steps.length - 1, index + (event.key === 'ArrowDown' ? 1 : -1)));
      props.onSelect(next);
      virtualizer.scrollToIndex(next);
      requestAnimationFrame(() => parent.current?.querySelector<HTMLElement>(`[data-index="${next}"] .step-main`)?.focus());
    }
  };
  return (
    <div ref={parent} className="step-list" role="listbox" aria-label="Steps" data-testid="step-list">
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((item) => {
          const index = item.index;
          const step = props.steps[index]!;
          const path = String(index + 1);
          const status = props.status.get(index);
          const issues = props.issuesByStep.get(index);
          return (
            <div
              key={item.key}
              data-index={index}
              data-status={status}
              className={`step-row${props.selected === index ? ' selected' : ''}${props.pausedAt === index ? ' paused' : ''}${status ? ` ${status}` : ''}`}
              style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
              draggable
              onDragStart={() => setDragFrom(index)}
              onDragOver={(e) => e.preventDefault()}
              onDrop={() => {
                if (dragFrom !== undefined) props.onMove(dragFrom, index);
                setDragFrom(undefined);
              }}
            >
              <button
                type="button"
                className={`gutter${props.breakpoints.has(path) ? ' on' : ''}`}
                aria-label={`${props.breakpoints.has(path) ? 'Remove' : 'Set'} breakpoint at step ${path}`}
                aria-pressed={props.breakpoints.has(path)}
                onClick={() => props.onToggleBreakpoint(path)}
              >
                {path}
              </button>
              <button type="button" role="option" aria-selected={props.selected === index} className="step-main" onClick={() => props.onSelect(index)} onKeyDown={(e) => onKey(e, index)}>
                <span className="kind">{step.kind}</span> <span className="label">{describeStep(step)}</span>
                {status && <span className="sr-only">, {status}</span>}
                {props.pausedAt === index && <span className="sr-only">, paused here</span>}
              </button>
              {issues ? <span className="issue-count" title={`${issues} problem(s)`}>{issues}</span> : null}
              {/* The status is said inside the option (a listbox holds options only); the dot is for the eye. */}
              {status && <span className={`dot ${status}`} aria-hidden="true" />}
            </div>
          );
        })}
      </div>
    </div>
  );
}
