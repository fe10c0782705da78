// The step list of the editor, virtualized (a 1,000-step automation scrolls smoothly): a grid
// whose rows hold a breakpoint toggle and the step, live status while a run goes, drag or
// Alt+arrow to reorder. One tab stop; arrows move between steps and to the toggle; F9 toggles.
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

type Column = 'gutter' | 'step';

export function StepList(props: StepListProps): React.JSX.Element {
  const parent = useRef<HTMLDivElement>(null);
  const [dragFrom, setDragFrom] = useState<number | undefined>();
  // A grid (rows of two cells: breakpoint toggle, step) with one tab stop: the active row's
  // cell in the active column. A listbox may hold options only, so it cannot carry the toggle.
  const [column, setColumn] = useState<Column>('step');
  const virtualizer = useVirtualizer({ count: props.steps.length, getScrollElement: () => parent.current, estimateSize: () => ROW_HEIGHT, overscan: 10 });
  const running = [...props.status].find(([, s]) => s === 'running')?.[0];
  useEffect(() => {
    const follow = props.pausedAt ?? running;
    if (follow !== undefined) virtualizer.scrollToIndex(follow, { align: 'auto' });
  }, [props.pausedAt, running, virtualizer]);
  const items = virtualizer.getVirtualItems();
  // The row that holds the tab stop: the selected one, or the first one drawn when it is scrolled away.
  const active = props.selected !== undefined && items.some((item) => item.index === props.selected) ? props.selected : items[0]?.index;
  const focusCell = (index: number, to: Column): void => {
    setColumn(to);
    requestAnimationFrame(() => parent.current?.querySelector<HTMLElement>(`[data-index="${index}"] ${to === 'step' ? '.step-main' : '.gutter'}`)?.focus());
  };
  const onKey = (event: React.KeyboardEvent, index: number, at: Column): void => {
    if (event.altKey && (event.key === 'ArrowUp' || event.key === 'ArrowDown')) {
      event.preventDefault();
      const to = index + (event.key === 'ArrowUp' ? -1 : 1);
      props.onMove(index, to);
      if (to >= 0 && to < props.steps.length) focusCell(to, at);
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp' || event.key === 'Home' || event.key === 'End') {
      event.preventDefault();
      const last = props.steps.length - 1;
      const next = event.key === 'Home' ? 0 : event.key === 'End' ? last : Math.max(0, Math.min(last, index + (event.key === 'ArrowDown' ? 1 : -1)));
      props.onSelect(next);
      virtualizer.scrollToIndex(next);
      focusCell(next, at);
    } else if (event.key === 'ArrowLeft' && at === 'step') {
      event.preventDefault();
      focusCell(index, 'gutter');
    } else if (event.key === 'ArrowRight' && at === 'gutter') {
      event.preventDefault();
      focusCell(index, 'step');
    } else if (event.key === 'F9') {
      // The debugger's usual key for a breakpoint on the current line.
      event.preventDefault();
      props.onToggleBreakpoint(String(index + 1));
    } else if (at === 'step' && (event.key === 'Enter' || event.key === ' ')) {
      event.preventDefault();
      props.onSelect(index);
    }
  };
  return (
    <div ref={parent} className="step-list" role="grid" aria-label="Steps" aria-rowcount={props.steps.length} aria-colcount={2} aria-keyshortcuts="F9" data-testid="step-list">
      <div role="rowgroup" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {items.map((item) => {
          const index = item.index;
          const step = props.steps[index]!;
          const path = String(index + 1);
          const status = props.status.get(index);
          const issues = props.issuesByStep.get(index);
          const on = props.breakpoints.has(path);
          return (
            <div
              key={item.key}
              role="row"
              aria-rowindex={index + 1}
              aria-selected={props.selected === index}
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
              <div role="gridcell" className="gutter-cell">
                <button
                  type="button"
                  className={`gutter${on ? ' on' : ''}`}
                  aria-label={`${on ? 'Remove' : 'Set'} breakpoint at step ${path}`}
                  aria-pressed={on}
                  tabIndex={active === index && column === 'gutter' ? 0 : -1}
                  onClick={() => props.onToggleBreakpoint(path)}
                  onFocus={() => setColumn('gutter')}
                  onKeyDown={(e) => onKey(e, index, 'gutter')}
                >
                  {path}
                </button>
              </div>
              <div
                role="gridcell"
                className="step-main"
                tabIndex={active === index && column === 'step' ? 0 : -1}
                onClick={() => props.onSelect(index)}
                onFocus={() => setColumn('step')}
                onKeyDown={(e) => onKey(e, index, 'step')}
              >
                <span className="kind">{step.kind}</span> <span className="label">{describeStep(step)}</span>
                {status && <span className="sr-only">, {status}</span>}
                {props.pausedAt === index && <span className="sr-only">, paused here</span>}
                {issues ? (
                  <span className="issue-count" title={`${issues} problem(s)`}>
                    {issues}
                    <span className="sr-only"> problem(s)</span>
                  </span>
                ) : null}
                {/* The status is said in words above; the dot is for the eye. */}
                {status && <span className={`dot ${status}`} aria-hidden="true" />}
              </div>
            </div>
          );
        })}
      </div>
    </div>
  );
}
